import { MonascaValidationError } from '../errors.js'
import type { PagePromise } from '../paginate.js'
import { Query } from '../query.js'
import type { RequestOptions } from '../transport.js'
import type {
  DimensionName,
  DimensionNameListParams,
  DimensionValueElement,
  DimensionValueListParams,
  MeasurementParams,
  MeasurementSeries,
  Metric,
  MetricCreateParams,
  MetricInput,
  MetricListParams,
  MetricName,
  MetricNameListParams,
  StatisticsParams,
  StatisticsSeries,
} from '../types.js'
import * as V from '../validate.js'
import { Resource } from './base.js'
import type { CallPromise } from './call-promise.js'
import { dimensionNameShape, dimensionValueShape, measurementsShape, metricShape, metricNameShape, statisticsShape } from './shapes.js'

/** Metrics, measurements, statistics, names and dimensions (`/v2.0/metrics…`). */
export class Metrics extends Resource {
  /**
   * Write one metric or many (POST /metrics; 204). One object is sent as an object and a list as a
   * list, as the Python client does. A missing `timestamp` is set to now, in milliseconds.
   */
  create(metrics: MetricInput | readonly MetricInput[], params: MetricCreateParams = {}, options?: RequestOptions): CallPromise<void> {
    return this.call({
      method: 'POST',
      path: '/metrics',
      query: () => new Query().text('tenant_id', params?.tenant_id),
      body: () => Array.isArray(metrics)
        ? metrics.map((m, i) => V.metric(m, `metrics[${i}]`))
        : V.metric(metrics as MetricInput, 'metric'),
    }, options)
  }

  /** Metric series (name + dimensions), filtered. Offsets are element ids. */
  list(params: MetricListParams = {}, options?: RequestOptions): PagePromise<Metric> {
    return this.paged({
      path: '/metrics',
      shape: metricShape,
      query: () => {
        const query = new Query()
        if (params.name !== undefined) query.set('name', V.metricName(params.name))
        return query.dimensions('dimensions', params.dimensions).timeRange(params.start_time, params.end_time).text('tenant_id', params.tenant_id).page(params)
      },
    }, options)
  }

  /** Distinct metric names, sorted. */
  listNames(params: MetricNameListParams = {}, options?: RequestOptions): PagePromise<MetricName> {
    return this.paged({
      path: '/metrics/names',
      shape: metricNameShape,
      query: () => new Query().dimensions('dimensions', params.dimensions).text('tenant_id', params.tenant_id).page(params),
    }, options)
  }

  /**
   * Measurements of the series matching `name` and `dimensions` since `start_time`. Iterating gives
   * a series longer than a page as one chunk per page (same id); `toArray()` joins them.
   */
  listMeasurements(params: MeasurementParams, options?: RequestOptions): PagePromise<MeasurementSeries> {
    return this.paged({ path: '/metrics/measurements', shape: measurementsShape, query: () => seriesQuery(params), merge: joinRows('measurements') }, options)
  }

  /** Statistics (avg, min, max, sum, count) per `period` seconds; chunked and joined as measurements are. */
  listStatistics(params: StatisticsParams, options?: RequestOptions): PagePromise<StatisticsSeries> {
    return this.paged({
      path: '/metrics/statistics',
      shape: statisticsShape,
      query: () => {
        if (params?.statistics === undefined) throw new MonascaValidationError('statistics', 'is required')
        const query = seriesQuery(params, false)
        query.set('statistics', V.statisticsList(params.statistics))
        if (params.period !== undefined) query.set('period', V.statisticsPeriod(params.period))
        return query.page(params)
      },
      merge: joinRows('statistics'),
    }, options)
  }

  /** Dimension names, optionally of given metrics. */
  listDimensionNames(params: DimensionNameListParams = {}, options?: RequestOptions): PagePromise<DimensionName> {
    return this.paged({ path: '/metrics/dimensions/names', shape: dimensionNameShape, query: () => dimensionQuery(params) }, options)
  }

  /** Values of one dimension, optionally of given metrics. */
  listDimensionValues(params: DimensionValueListParams, options?: RequestOptions): PagePromise<DimensionValueElement> {
    return this.paged({
      path: '/metrics/dimensions/names/values',
      shape: dimensionValueShape,
      query: () => {
        const name = V.requireString(params?.dimension_name, 'dimension_name')
        if (name === '') throw new MonascaValidationError('dimension_name', 'is required')
        return dimensionQuery(params, new Query().set('dimension_name', name))
      },
    }, options)
  }
}

function seriesQuery(params: MeasurementParams, withPage = true): Query {
  if (params === undefined || params === null) throw new MonascaValidationError('name', 'is required')
  const query = new Query().set('name', V.metricName(params.name))
  query.dimensions('dimensions', params.dimensions).timeRange(params.start_time, params.end_time, true).flag('merge_metrics', params.merge_metrics)
  if (params.group_by !== undefined) query.set('group_by', V.groupBy(params.group_by, undefined))
  query.text('tenant_id', params.tenant_id)
  return withPage ? query.page(params) : query
}

function dimensionQuery(params: DimensionNameListParams, query = new Query()): Query {
  return query.repeat('metric_name', params.metric_name).timeRange(params.start_time, params.end_time).text('tenant_id', params.tenant_id).page(params)
}

/**
 * Joins the next chunk of one series (same id, name and dimensions) into the last, in place: no
 * copy per page, so whole series cost their rows and nothing more.
 */
function joinRows<K extends 'measurements' | 'statistics'>(rows: K) {
  return <T extends { id?: string; name: string; dimensions: Record<string, string> } & Record<K, unknown[]>>(last: T, next: T): boolean => {
    if (last.id !== next.id || last.name !== next.name || !sameDimensions(last.dimensions, next.dimensions)) return false
    const into = last[rows]
    for (const row of next[rows]) into.push(row)
    return true
  }
}

function sameDimensions(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((k) => a[k] === b[k])
}

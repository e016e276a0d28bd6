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
import { createWriter } from '../writer/writer.js'
import type { MetricsWriter, WriterOptions } from '../writer/types.js'
import { addDimensions, addPage, addTimeRange, flag } from './params.js'
import { Resource } from './base.js'

/** Metrics, measurements, statistics, names and dimensions (`/v2.0/metrics…`). */
export class Metrics extends Resource {
  /**
   * Write one metric or many (POST /metrics; 204). One object is sent as an object and a list as a
   * list, as the Python client does. A missing `timestamp` is set to now, in milliseconds.
   */
  create(metrics: MetricInput | readonly MetricInput[], params: MetricCreateParams = {}, options?: RequestOptions): Promise<void> {
    return this.call<void>('POST', '/metrics', () => ({
      query: new Query().set('tenant_id', params.tenant_id),
      body: Array.isArray(metrics)
        ? metrics.map((m, i) => checkedMetric(m, `metrics[${i}]`))
        : checkedMetric(metrics as MetricInput, 'metric'),
    }), options)
  }

  /** A batching writer for POST /metrics that accounts for every metric (see "Writing metrics"). */
  writer(options?: WriterOptions): MetricsWriter {
    return createWriter(this.transport, options)
  }

  /** Metric series (name + dimensions), filtered. Offsets are element ids. */
  list(params: MetricListParams = {}, options?: RequestOptions): PagePromise<Metric> {
    return this.paged('/metrics', () => {
      const query = new Query()
      if (params.name !== undefined) query.set('name', V.metricName(params.name))
      addDimensions(query, 'dimensions', params.dimensions)
      addTimeRange(query, params.start_time, params.end_time)
      query.set('tenant_id', params.tenant_id)
      return addPage(query, params)
    }, options)
  }

  /** Distinct metric names, sorted. */
  listNames(params: MetricNameListParams = {}, options?: RequestOptions): PagePromise<MetricName> {
    return this.paged('/metrics/names', () => {
      const query = addDimensions(new Query(), 'dimensions', params.dimensions).set('tenant_id', params.tenant_id)
      return addPage(query, params)
    }, options)
  }

  /** Measurements of the series matching `name` and `dimensions` since `start_time`. */
  listMeasurements(params: MeasurementParams, options?: RequestOptions): PagePromise<MeasurementSeries> {
    return this.paged('/metrics/measurements', () => seriesQuery(params), options, undefined, mergeSeries('measurements'))
  }

  /** Statistics (avg, min, max, sum, count) per `period` seconds. */
  listStatistics(params: StatisticsParams, options?: RequestOptions): PagePromise<StatisticsSeries> {
    return this.paged('/metrics/statistics', () => {
      if (params?.statistics === undefined) throw new MonascaValidationError('statistics', 'is required')
      const query = seriesQuery(params, false)
      query.set('statistics', V.statisticsList(params.statistics))
      if (params.period !== undefined) query.set('period', V.statisticsPeriod(params.period))
      return addPage(query, params)
    }, options, undefined, mergeSeries('statistics'))
  }

  /** Dimension names, optionally of given metrics. */
  listDimensionNames(params: DimensionNameListParams = {}, options?: RequestOptions): PagePromise<DimensionName> {
    return this.paged('/metrics/dimensions/names', () => dimensionQuery(params), options)
  }

  /** Values of one dimension, optionally of given metrics. */
  listDimensionValues(params: DimensionValueListParams, options?: RequestOptions): PagePromise<DimensionValueElement> {
    return this.paged('/metrics/dimensions/names/values', () => {
      const name = V.requireString(params?.dimension_name, 'dimension_name')
      if (name === '') throw new MonascaValidationError('dimension_name', 'is required')
      return dimensionQuery(params, new Query().set('dimension_name', name))
    }, options)
  }
}

function checkedMetric(metric: MetricInput, field: string): MetricInput {
  const m = V.objectBody(metric, field) as unknown as MetricInput
  V.metricName(m.name, `${field}.name`)
  V.metricDimensions(m.dimensions, `${field}.dimensions`)
  V.finiteNumber(m.value, `${field}.value`)
  if (m.timestamp !== undefined) V.finiteNumber(m.timestamp, `${field}.timestamp`)
  V.valueMeta(m.value_meta, `${field}.value_meta`)
  return m.timestamp === undefined ? { ...m, timestamp: Date.now() } : m
}

function seriesQuery(params: MeasurementParams, withPage = true): Query {
  if (params === undefined || params === null) throw new MonascaValidationError('name', 'is required')
  const query = new Query().set('name', V.metricName(params.name))
  addDimensions(query, 'dimensions', params.dimensions)
  addTimeRange(query, params.start_time, params.end_time, true)
  query.set('merge_metrics', flag(params.merge_metrics, 'merge_metrics'))
  if (params.group_by !== undefined) query.set('group_by', V.groupBy(params.group_by, undefined))
  query.set('tenant_id', params.tenant_id)
  return withPage ? addPage(query, params) : query
}

function dimensionQuery(params: DimensionNameListParams, query = new Query()): Query {
  if (params.metric_name !== undefined) {
    const names = typeof params.metric_name === 'string' ? [params.metric_name] : params.metric_name
    names.forEach((n, i) => V.requireString(n, `metric_name[${i}]`))
    query.repeat('metric_name', names)
  }
  addTimeRange(query, params.start_time, params.end_time)
  query.set('tenant_id', params.tenant_id)
  return addPage(query, params)
}

/** One series continued on the next page (same id, name and dimensions): join its rows. */
function mergeSeries<K extends 'measurements' | 'statistics'>(rows: K) {
  return <T extends { id: string; name: string; dimensions: Record<string, string> } & Record<K, unknown[]>>(last: T, first: T): T | undefined => {
    const same = last.id === first.id && last.name === first.name && JSON.stringify(last.dimensions) === JSON.stringify(first.dimensions)
    return same ? { ...last, [rows]: [...last[rows], ...first[rows]] } : undefined
  }
}


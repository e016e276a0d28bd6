/**
 * One OpenTelemetry collection (`ResourceMetrics`) as Monasca metrics:
 *
 *   gauge, sum (any temporality, monotonic or not)  → `<name>`, one metric per data point
 *   histogram, exponential histogram                → `<name>.count`, `.sum`, `.min`, `.max` and one
 *                                                     `<name>.bucket` per upper bound (dimension `le`,
 *                                                     cumulative count, last bound `+Inf`)
 *
 * The timestamp is the data point's end time in milliseconds. Unit and description go into
 * `value_meta` when they fit the server's limits. Whatever the naming rules cannot make valid (a
 * value that is not a finite number, an empty name) is returned apart, for the writer's drop path.
 */
import type { Attributes, HrTime } from '@opentelemetry/api'
import { DataPointType } from '@opentelemetry/sdk-metrics'
import type { DataPoint, ExponentialHistogram, Histogram, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics'
import { MonascaValidationError } from '../errors.js'
import type { MetricInput } from '../types.js'
import * as V from '../validate.js'
import { addDimensions, attributePicker } from './dimensions.js'
import type { AttributePicker, AttributeRule } from './dimensions.js'
import * as names from './names.js'

export interface MappingOptions {
  /** Put in front of every metric name, e.g. `'myapp.'` (the naming rules apply to it as well). */
  prefix?: string
  /** Fixed dimensions added to every metric (data point and resource attributes override them). */
  dimensions?: Readonly<Record<string, string>>
  /** Data point attributes as dimensions. Default: all of them, keys unchanged. */
  attributes?: AttributeRule
  /**
   * Resource attributes as dimensions. Default: only `DEFAULT_RESOURCE_ATTRIBUTES`, with
   * `service.name` as `service` and `host.name` as `hostname` (Monasca's usual keys).
   */
  resourceAttributes?: AttributeRule
  /** The instrument's unit and description in `value_meta` (when they fit). Default both; false for none. */
  valueMeta?: false | { unit?: boolean; description?: boolean }
  /** Histogram bucket series (`<name>.bucket`). Default true. */
  buckets?: boolean
  /** What an empty attribute value becomes; null leaves the dimension out. Default `'(empty)'`. */
  emptyValue?: string | null
}

/**
 * The resource attributes kept by default: those that name the service and the host. Others
 * (`process.pid`, `telemetry.sdk.*`) change with every restart or say nothing about the data.
 */
export const DEFAULT_RESOURCE_ATTRIBUTES: readonly string[] = [
  'service.name',
  'service.namespace',
  'service.version',
  'deployment.environment',
  'deployment.environment.name',
  'host.name',
  'cloud.region',
  'cloud.availability_zone',
]

export const DEFAULT_RESOURCE_RENAMES: Readonly<Record<string, string>> = { 'service.name': 'service', 'host.name': 'hostname' }

export const DEFAULT_EMPTY_VALUE = '(empty)'

/** A metric that cannot be made valid, with the check it failed. */
export interface InvalidMetric {
  metric: MetricInput
  error: MonascaValidationError
}

export interface Mapped {
  /** Metrics that pass the server's limits. */
  metrics: MetricInput[]
  /** Metrics that do not (for the writer's drop path, never for the wire). */
  invalid: InvalidMetric[]
}

/** A mapper with its options checked and compiled once (bad options throw MonascaValidationError here). */
export interface Mapper {
  map(collection: ResourceMetrics): Mapped
}

export function createMapper(options: MappingOptions = {}): Mapper {
  const settings = compile(options)
  return { map: (collection) => mapCollection(collection, settings) }
}

interface Settings {
  prefix: string
  fixed: Record<string, string>
  points: AttributePicker
  resource: AttributePicker
  unit: boolean
  description: boolean
  buckets: boolean
  emptyValue: string | null
}

function compile(options: MappingOptions): Settings {
  const prefix = options.prefix ?? ''
  if (typeof prefix !== 'string') throw new MonascaValidationError('prefix', 'must be a string')
  if (prefix !== names.metricName(prefix)) throw new MonascaValidationError('prefix', `may not contain ${names.REPLACED_CHARACTERS.metricName}`)
  const fixed = options.dimensions ?? {}
  V.metricDimensions(fixed, 'dimensions')
  for (const [field, rule] of [['attributes', options.attributes], ['resourceAttributes', options.resourceAttributes]] as const) {
    if (rule === undefined) continue
    if (typeof rule !== 'object' || rule === null) throw new MonascaValidationError(field, 'must be an object { allow?, rename? }')
    const { allow, rename } = rule
    if (allow !== undefined && typeof allow !== 'function' && !(Array.isArray(allow) && allow.every((k) => typeof k === 'string'))) {
      throw new MonascaValidationError(`${field}.allow`, 'must be an array of attribute keys or a function')
    }
    // A rename target is checked, not silently rewritten: it is a key the user chose.
    for (const [from, to] of Object.entries(rename ?? {})) V.dimensionKey(to, `${field}.rename[${JSON.stringify(from)}]`)
  }
  const meta = options.valueMeta ?? {}
  if (meta !== false && (typeof meta !== 'object' || meta === null)) throw new MonascaValidationError('valueMeta', 'must be false or { unit?, description? }')
  const emptyValue = options.emptyValue === undefined ? DEFAULT_EMPTY_VALUE : options.emptyValue
  if (emptyValue !== null) V.dimensionValue(emptyValue, 'emptyValue')
  return {
    prefix,
    fixed: { ...fixed },
    points: attributePicker(options.attributes ?? {}),
    resource: attributePicker(options.resourceAttributes ?? {}, { allow: DEFAULT_RESOURCE_ATTRIBUTES, rename: DEFAULT_RESOURCE_RENAMES }),
    unit: meta !== false && meta.unit !== false,
    description: meta !== false && meta.description !== false,
    buckets: options.buckets !== false,
    emptyValue,
  }
}

/** Milliseconds since the epoch, whole (Monasca stores milliseconds). */
export function hrTimeToMillis(time: HrTime): number {
  return time[0] * 1000 + Math.floor(time[1] / 1e6)
}

function mapCollection(collection: ResourceMetrics, s: Settings): Mapped {
  const out: Mapped = { metrics: [], invalid: [] }
  const base = addDimensions({ ...s.fixed }, collection.resource.attributes, s.resource, s.emptyValue)
  for (const scope of collection.scopeMetrics) {
    for (const metric of scope.metrics) mapMetric(metric, base, s, out)
  }
  return out
}

/** value_meta for one series: what fits of unit and description, or undefined. */
function metaFor(metric: MetricData, s: Settings, withUnit: boolean): Record<string, string> | undefined {
  const { unit, description } = metric.descriptor
  const meta: Record<string, string> = {}
  if (withUnit && s.unit && unit) meta['unit'] = unit
  if (s.description && description) meta['description'] = description
  while (Object.keys(meta).length > 0) {
    if (fits(meta)) return meta
    // The description is the one that can be long; drop it first, then the unit.
    if ('description' in meta) delete meta['description']
    else delete meta['unit']
  }
  return undefined
}

function fits(meta: Record<string, string>): boolean {
  try {
    V.valueMeta(meta, 'value_meta')
    return true
  } catch {
    return false
  }
}

function mapMetric(metric: MetricData, base: Record<string, string>, s: Settings, out: Mapped): void {
  const name = s.prefix + metric.descriptor.name
  const emit = (suffix: string, point: DataPoint<unknown>, value: number, meta: Record<string, string> | undefined, extra?: Record<string, string>) => {
    const dimensions = addDimensions({ ...base }, point.attributes as Attributes, s.points, s.emptyValue)
    if (extra) Object.assign(dimensions, extra)
    const m: MetricInput = { name: names.metricName(name, suffix), dimensions, timestamp: hrTimeToMillis(point.endTime), value }
    if (meta) m.value_meta = meta
    const error = problem(m)
    if (error) out.invalid.push({ metric: m, error })
    else out.metrics.push(m)
  }
  switch (metric.dataPointType) {
    case DataPointType.GAUGE:
    case DataPointType.SUM: {
      const meta = metaFor(metric, s, true)
      for (const point of metric.dataPoints) emit('', point, point.value, meta)
      return
    }
    case DataPointType.HISTOGRAM:
    case DataPointType.EXPONENTIAL_HISTOGRAM: {
      const valueMeta = metaFor(metric, s, true)
      const countMeta = metaFor(metric, s, false)
      for (const point of metric.dataPoints) {
        const h = point.value
        summary(point, h, valueMeta, countMeta, emit)
        if (s.buckets) for (const [le, count] of 'scale' in h ? exponentialBuckets(h) : explicitBuckets(h)) emit('.bucket', point, count, countMeta, { le })
      }
      return
    }
  }
}

type Emit = (suffix: string, point: DataPoint<unknown>, value: number, meta: Record<string, string> | undefined) => void

/** `.count` always; `.sum` when recorded; `.min` and `.max` when recorded and something was counted. */
function summary(point: DataPoint<unknown>, h: Histogram | ExponentialHistogram, valueMeta: Record<string, string> | undefined, countMeta: Record<string, string> | undefined, emit: Emit): void {
  emit('.count', point, h.count, countMeta)
  if (h.sum !== undefined) emit('.sum', point, h.sum, valueMeta)
  if (h.count > 0 && h.min !== undefined) emit('.min', point, h.min, valueMeta)
  if (h.count > 0 && h.max !== undefined) emit('.max', point, h.max, valueMeta)
}

/** An upper bound as the `le` dimension value. */
function boundText(bound: number): string {
  return bound === Infinity ? '+Inf' : bound === -Infinity ? '-Inf' : String(bound)
}

/** [le, cumulative count] per explicit boundary, then `+Inf` with the total. */
function explicitBuckets(h: Histogram): Array<[string, number]> {
  const { boundaries, counts } = h.buckets
  const out: Array<[string, number]> = []
  let running = 0
  for (let i = 0; i < boundaries.length; i++) {
    running += counts[i] ?? 0
    out.push([boundText(boundaries[i]!), running])
  }
  running += counts[boundaries.length] ?? 0
  out.push(['+Inf', running])
  return out
}

/**
 * [le, cumulative count] for an exponential histogram, from the most negative bucket up: bucket
 * `i` of the positive range holds (base^i, base^(i+1)] with base = 2^(2^-scale); the negative range
 * mirrors it; the zero bucket's bound is 0. The last bound is `+Inf` with the total.
 */
export function exponentialBuckets(h: ExponentialHistogram): Array<[string, number]> {
  const out: Array<[string, number]> = []
  const bound = (index: number) => Math.pow(2, index * Math.pow(2, -h.scale))
  let running = 0
  const negative = h.negative.bucketCounts
  // Negative bucket i holds [-base^(i+1), -base^i): its upper bound is -base^i. Most negative first.
  for (let k = negative.length - 1; k >= 0; k--) {
    running += negative[k]!
    out.push([boundText(-bound(h.negative.offset + k)), running])
  }
  if (negative.length > 0 || h.zeroCount > 0) {
    running += h.zeroCount
    out.push(['0', running])
  }
  const positive = h.positive.bucketCounts
  for (let k = 0; k < positive.length; k++) {
    running += positive[k]!
    out.push([boundText(bound(h.positive.offset + k + 1)), running])
  }
  out.push(['+Inf', h.count])
  return out
}

/** The SDK's own checks, as the writer and the server apply them; undefined when the metric passes. */
export function problem(metric: MetricInput): MonascaValidationError | undefined {
  try {
    V.metric(metric, 'metric')
    return undefined
  } catch (error) {
    if (error instanceof MonascaValidationError) return error
    throw error
  }
}

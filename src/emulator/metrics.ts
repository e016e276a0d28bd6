/** /v2.0/metrics and its sub-resources, with the InfluxDB-backed server's paging and errors. */
import { type Context, ROLES, paginate } from './context.js'
import { HttpError, badRequest, contentType, json, monascaError, noContent, readJson, unprocessable } from './http.js'
import { type Query, matchesDimensions, parseDimensions, parseIsoTime, queryFlag, queryLimit, queryTime } from './query.js'
import type { Store } from './store.js'
import type { Point, Series } from './types.js'
import { MetricValidationError, validateMetric, validateMetricName, validateQueryDimensions } from './validation.js'

const MULTIPLE_METRICS =
  'Found multiple metrics matching metric name and dimensions. Please refine your search criteria using a unique ' +
  "metric name or additional dimensions. Alternatively, you may specify 'merge_metrics=True' as a query parameter " +
  'to combine all metrics matching search criteria into a single series.'

/** Measurement timestamps: always three millisecond digits. */
export const measurementTime = (ms: number): string => new Date(ms).toISOString()
/** Statistics timestamps: whole seconds. */
export const statisticsTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')

function unprocessableFrom(e: unknown): HttpError {
  if (e instanceof MetricValidationError) return unprocessable(e.message)
  throw e
}

function requireJson(ctx: Context): void {
  if (contentType(ctx.request) !== 'application/json') throw badRequest('Bad content type. Must be application/json', 'Bad request')
}

export async function postMetrics(ctx: Context, store: Store, afterPost: (tenant: string, series: Series[]) => void): Promise<Response> {
  requireJson(ctx)
  ctx.authorize(ROLES.postMetrics)
  const body = await readJson(ctx.request)
  if (!body.ok || body.empty) throw badRequest('Request body is not valid JSON', 'Bad request')
  const items = Array.isArray(body.value) ? body.value : [body.value]
  let metrics
  try {
    metrics = items.map(validateMetric)
  } catch (e) {
    throw unprocessableFrom(e)
  }
  const tenant = ctx.metricsTenant()
  const touched = new Map<string, Series>()
  for (const m of metrics) {
    const s = store.addPoint(tenant, m.name, m.dimensions, { timestamp: m.timestamp, value: m.value, value_meta: m.value_meta })
    touched.set(s.key, s)
  }
  if (touched.size > 0) afterPost(tenant, [...touched.values()])
  return noContent()
}

/** name (validated), dimensions (validated) and the time range, shared by the GET endpoints. */
function seriesFilter(ctx: Context, { nameRequired }: { nameRequired: boolean }) {
  const q = ctx.query
  const name = q.get('name')
  if (name === undefined && nameRequired) throw unprocessable('Missing name')
  const dimensions = parseDimensions(q)
  try {
    if (name !== undefined) validateMetricName(name)
    validateQueryDimensions(dimensions)
  } catch (e) {
    throw unprocessableFrom(e)
  }
  return { name, dimensions }
}

function timeRange(q: Query, startRequired: boolean): { start?: number; end?: number } {
  const start = queryTime(q, 'start_time', startRequired)
  const end = queryTime(q, 'end_time', false)
  if (end !== undefined && start !== undefined && !(start < end)) throw badRequest('start_time must be before end_time', 'Bad request')
  return { ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) }
}

const inRange = (t: number, start?: number, end?: number) => (start === undefined || t >= start) && (end === undefined || t < end)

function matching(store: Store, tenant: string, name: string | undefined, dimensions: Record<string, string>): Series[] {
  return store.seriesOf(tenant).filter((s) => (name === undefined || s.name === name) && matchesDimensions(dimensions, s.dimensions))
}

export function listMetrics(ctx: Context, store: Store): Response {
  ctx.authorize(ROLES.read)
  const tenant = ctx.metricsTenant()
  const { name, dimensions } = seriesFilter(ctx, { nameRequired: false })
  const { start, end } = timeRange(ctx.query, false)
  const limit = queryLimit(ctx.query)
  const offsetRaw = ctx.query.get('offset')
  let first = 0
  if (offsetRaw !== undefined) {
    if (!/^\d+$/.test(offsetRaw.trim())) throw repositoryError(`invalid literal for int() with base 10: '${offsetRaw}'`)
    first = Number(offsetRaw) + 1
  }
  const all = matching(store, tenant, name, dimensions).filter(
    (s) => (start === undefined && end === undefined) || s.points.some((p) => inRange(p.timestamp, start, end)),
  )
  const rows = all.slice(first, first + limit + 1).map((s, i) => ({ id: String(first + i), name: s.name, dimensions: { ...s.dimensions } }))
  return json(200, paginate(ctx, rows, limit, (last) => last.id))
}

/** resource_try_catch_block's answer to a repository failure. */
function repositoryError(description: string): HttpError {
  return monascaError(500, 'The repository was unable to process your request', description)
}

interface Group {
  name: string
  dimensions: Record<string, string>
  series: Series[]
}

/**
 * The series a measurements/statistics query reads, grouped as the server groups them: one
 * group per series (group_by=* or keys), everything merged, or exactly one series (else 409).
 */
function groups(ctx: Context, store: Store, name: string, dimensions: Record<string, string>): Group[] {
  return groupSeries(ctx.query, matching(store, ctx.metricsTenant(), name, dimensions), name, dimensions)
}

function groupSeries(q: Query, series: Series[], name: string, filter: Record<string, string>): Group[] {
  const groupBy = q.values('group_by')?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)
  if (groupBy && groupBy.length > 0) {
    const all = groupBy.includes('*')
    const byKey = new Map<string, Group>()
    for (const s of series) {
      const dims = all ? { ...s.dimensions } : Object.fromEntries(groupBy.filter((k) => k in s.dimensions).map((k) => [k, s.dimensions[k]!]))
      const key = JSON.stringify(Object.entries(dims).sort())
      let g = byKey.get(key)
      if (!g) byKey.set(key, (g = { name, dimensions: dims, series: [] }))
      g.series.push(s)
    }
    return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g)
  }
  if (queryFlag(q, 'merge_metrics')) return series.length === 0 ? [] : [{ name, dimensions: { ...filter }, series }]
  if (series.length > 1) throw monascaError(409, 'MultipleMetrics', MULTIPLE_METRICS)
  return series.map((s) => ({ name, dimensions: { ...s.dimensions }, series: [s] }))
}

function mergedPoints(g: Group, start?: number, end?: number): Point[] {
  const points = g.series.flatMap((s) => s.points.filter((p) => inRange(p.timestamp, start, end)))
  return g.series.length > 1 ? points.sort((a, b) => a.timestamp - b.timestamp) : points
}

/** `<id>_<timestamp>` (that series only) or a bare timestamp, ISO or epoch ms (every series, as InfluxDB applies it). */
interface SeriesOffset {
  id: number
  after: number
  everySeries: boolean
}

function parseSeriesOffset(raw: string | undefined): SeriesOffset | undefined {
  if (raw === undefined) return undefined
  let id = 0
  let ts = raw
  const underscore = raw.indexOf('_')
  if (underscore !== -1) {
    const idText = raw.slice(0, underscore)
    if (!/^\d+$/.test(idText)) throw repositoryError(`invalid literal for int() with base 10: '${idText}'`)
    id = Number(idText)
    ts = raw.slice(underscore + 1)
  }
  const after = /^\d+$/.test(ts) ? Number(ts) : parseIsoTime(ts)
  if (after === undefined) throw repositoryError(`time data '${ts}' does not match format '%Y-%m-%dT%H:%M:%SZ'`)
  return { id, after, everySeries: underscore === -1 }
}

const appliesTo = (offset: SeriesOffset | undefined, index: number): offset is SeriesOffset =>
  offset !== undefined && (offset.everySeries || offset.id === index)

export function listMeasurements(ctx: Context, store: Store): Response {
  ctx.authorize(ROLES.read)
  const q = ctx.query
  const { name, dimensions } = seriesFilter(ctx, { nameRequired: true })
  const { start, end } = timeRange(q, true)
  const limit = queryLimit(q)
  const offset = parseSeriesOffset(q.get('offset'))
  const gs = groups(ctx, store, name!, dimensions)
  let remaining = limit
  const links = [{ rel: 'self', href: ctx.selfLink() }]
  const elements: unknown[] = []
  for (let index = offset?.id ?? 0; index < gs.length; index++) {
    const g = gs[index]!
    let points = mergedPoints(g, start, end)
    if (appliesTo(offset, index)) points = points.filter((p) => p.timestamp > offset.after)
    if (points.length === 0) continue
    const rows = points.map((p) => [measurementTime(p.timestamp), p.value, p.value_meta])
    const element = { id: String(index), name: g.name, dimensions: g.dimensions, columns: ['timestamp', 'value', 'value_meta'], measurements: rows }
    if (rows.length >= remaining) {
      element.measurements = rows.slice(0, remaining)
      const last = element.measurements[element.measurements.length - 1]
      if (last) links.push({ rel: 'next', href: ctx.nextLink(`${index}_${last[0]}`) })
      if (remaining > 0) elements.push(element)
      break
    }
    remaining -= rows.length
    elements.push(element)
  }
  return json(200, { links, elements })
}

const STATISTICS = ['avg', 'min', 'max', 'count', 'sum'] as const
type Statistic = (typeof STATISTICS)[number]

function statisticsParam(q: Query): Statistic[] {
  const values = q.values('statistics')
  if (!values) throw unprocessable('Missing statistics')
  const stats = values.flatMap((v) => v.split(',')).map((s) => s.toLowerCase())
  if (!stats.every((s): s is Statistic => (STATISTICS as readonly string[]).includes(s))) throw unprocessable('Invalid statistic')
  return stats as Statistic[]
}

function periodParam(q: Query): number {
  const raw = q.get('period')
  if (raw === undefined) return 300
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw unprocessable('Period must be a valid integer')
  const period = Number(raw)
  if (period < 0) throw unprocessable('Period must be a positive integer')
  if (period === 0) throw repositoryError('division by zero')
  return period
}

function aggregate(values: number[], stat: Statistic): number {
  switch (stat) {
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length
    case 'min':
      return Math.min(...values)
    case 'max':
      return Math.max(...values)
    case 'sum':
      return values.reduce((a, b) => a + b, 0)
    case 'count':
      return values.length
  }
}

export function listStatistics(ctx: Context, store: Store): Response {
  ctx.authorize(ROLES.read)
  const q = ctx.query
  const { name, dimensions } = seriesFilter(ctx, { nameRequired: true })
  const { start, end } = timeRange(q, true)
  const stats = statisticsParam(q)
  const period = periodParam(q)
  const limit = queryLimit(q)
  const offset = parseSeriesOffset(q.get('offset'))
  const gs = groups(ctx, store, name!, dimensions)
  let remaining = limit
  const links = [{ rel: 'self', href: ctx.selfLink() }]
  const elements: unknown[] = []
  const periodMs = period * 1000
  for (let index = offset?.id ?? 0; index < gs.length; index++) {
    const g = gs[index]!
    const buckets = new Map<number, number[]>()
    for (const p of mergedPoints(g, start, end)) {
      const bucket = Math.floor(p.timestamp / periodMs) * periodMs
      let values = buckets.get(bucket)
      if (!values) buckets.set(bucket, (values = []))
      values.push(p.value)
    }
    const rows = [...buckets.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([bucket]) => !appliesTo(offset, index) || bucket > offset.after)
      .map(([bucket, values]) => [statisticsTime(bucket), ...stats.map((s) => aggregate(values, s))] as Array<string | number>)
    if (rows.length === 0) continue
    const element = { id: String(index), name: g.name, dimensions: g.dimensions, columns: ['timestamp', ...stats], statistics: rows }
    if (rows.length >= remaining) {
      element.statistics = rows.slice(0, remaining)
      const last = element.statistics[element.statistics.length - 1]
      // Like InfluxDB: a bare timestamp for one series; `<id>_<ts>` keeps grouped pages exact.
      if (last) links.push({ rel: 'next', href: ctx.nextLink(gs.length === 1 ? String(last[0]) : `${index}_${last[0]}`) })
      if (remaining > 0) elements.push(element)
      break
    }
    remaining -= rows.length
    elements.push(element)
  }
  return json(200, { links, elements })
}

/** helpers._truncate_with_offset: lower-cased offset; after an exact match, else from the first greater value. */
function truncateWithOffset<T>(values: T[], key: (v: T) => string, offset: string | undefined): T[] {
  if (!offset) return values
  const wanted = offset.toLowerCase()
  for (let i = 0; i < values.length; i++) {
    const v = key(values[i]!)
    if (v === wanted) return values.slice(i + 1)
    if (v > wanted) return values.slice(i)
  }
  return []
}

function paginateNoId<T>(ctx: Context, all: T[], key: (v: T) => string): Response {
  const limit = queryLimit(ctx.query)
  const truncated = truncateWithOffset(all, key, ctx.query.get('offset'))
  const links = [{ rel: 'self', href: ctx.selfLink() }]
  const page = truncated.slice(0, limit)
  if (truncated.length > limit && page.length > 0) links.push({ rel: 'next', href: ctx.nextLink(key(page[page.length - 1]!)) })
  return json(200, { links, elements: all.length === 0 ? [] : page })
}

const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort()

export function listNames(ctx: Context, store: Store): Response {
  ctx.authorize(ROLES.read)
  const tenant = ctx.metricsTenant()
  const dimensions = parseDimensions(ctx.query)
  try {
    validateQueryDimensions(dimensions)
  } catch (e) {
    throw unprocessableFrom(e)
  }
  const names = sortedUnique(matching(store, tenant, undefined, dimensions).map((s) => s.name))
  return paginateNoId(ctx, names.map((name) => ({ name })), (v) => v.name)
}

function seriesForDimensionQueries(ctx: Context, store: Store): Series[] {
  const tenant = ctx.metricsTenant()
  // get_query_param: the first metric_name only; these endpoints do not check start < end.
  const metricName = ctx.query.get('metric_name')
  const start = queryTime(ctx.query, 'start_time', false)
  const end = queryTime(ctx.query, 'end_time', false)
  // InfluxDB answers these from shard-level series metadata: day granularity.
  const day = 86_400_000
  const dayStart = start === undefined ? undefined : Math.floor(start / day) * day
  const dayEnd = end === undefined ? undefined : Math.ceil(end / day) * day
  return store
    .seriesOf(tenant)
    .filter((s) => metricName === undefined || s.name === metricName)
    .filter((s) => (dayStart === undefined && dayEnd === undefined) || s.points.some((p) => inRange(p.timestamp, dayStart, dayEnd)))
}

export function listDimensionNames(ctx: Context, store: Store): Response {
  ctx.authorize(ROLES.read)
  const names = sortedUnique(seriesForDimensionQueries(ctx, store).flatMap((s) => Object.keys(s.dimensions)).filter((k) => !k.startsWith('_')))
  return paginateNoId(ctx, names.map((dimension_name) => ({ dimension_name })), (v) => v.dimension_name)
}

export function listDimensionValues(ctx: Context, store: Store): Response {
  ctx.authorize(ROLES.read)
  const dimensionName = ctx.query.get('dimension_name')
  if (dimensionName === undefined) throw unprocessable('Missing dimension_name')
  const values = sortedUnique(
    seriesForDimensionQueries(ctx, store)
      .map((s) => s.dimensions[dimensionName])
      .filter((v): v is string => v !== undefined),
  )
  return paginateNoId(ctx, values.map((dimension_value) => ({ dimension_value })), (v) => v.dimension_value)
}

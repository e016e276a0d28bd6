/** /v2.0/alarms, /alarms/count and the state-history endpoints. */
import { type Context, type LinkBase, ROLES, paginate } from './context.js'
import { badRequest, isPlainObject, json, monascaError, noContent, notFound, readJson, unprocessable } from './http.js'
import { integerOffset, matchesDimensions, parseDimensions, parseIsoTime, parseSortBy, queryLimit, queryTime } from './query.js'
import { SEVERITIES, paginateAlarming, pyList, sortRows } from './alarm-definitions.js'
import type { Evaluator } from './evaluator.js'
import type { Store } from './store.js'
import type { AlarmRecord, AlarmState, HistoryRecord } from './types.js'
import { MetricValidationError, pyLen, validateQueryDimensions } from './validation.js'

export const STATES: AlarmState[] = ['ALARM', 'OK', 'UNDETERMINED']
const STATE_RANK: Record<string, number> = { OK: 0, UNDETERMINED: 1, ALARM: 2 }
const SEVERITY_RANK: Record<string, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 }
const SORT_FIELDS = [
  'alarm_id', 'alarm_definition_id', 'alarm_definition_name', 'state', 'severity', 'lifecycle_state', 'link',
  'state_updated_timestamp', 'updated_timestamp', 'created_timestamp',
]
const COUNT_GROUP_BY = ['alarm_definition_id', 'name', 'state', 'severity', 'link', 'lifecycle_state', 'metric_name', 'dimension_name', 'dimension_value']

/** datetime.isoformat() + 'Z' of a DATETIME column: whole seconds. */
export const alarmTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')

export class Alarms {
  constructor(
    private readonly store: Store,
    private readonly evaluator: Evaluator,
  ) {}

  body(ctx: LinkBase, a: AlarmRecord) {
    const d = this.store.definitions.get(a.definitionId)
    return {
      id: a.id,
      links: [{ rel: 'self', href: ctx.href(`/v2.0/alarms/${a.id}`) }],
      alarm_definition: {
        id: a.definitionId,
        name: d?.name ?? '',
        severity: d?.severity ?? 'LOW',
        links: [{ rel: 'self', href: ctx.href(`/v2.0/alarm-definitions/${a.definitionId}`) }],
      },
      metrics: a.metrics.map((m) => ({ name: m.name, dimensions: { ...m.dimensions } })),
      state: a.state,
      lifecycle_state: a.lifecycle_state,
      link: a.link,
      state_updated_timestamp: alarmTime(a.state_updated_at),
      updated_timestamp: alarmTime(a.updated_at),
      created_timestamp: alarmTime(a.created_at),
    }
  }

  private find(ctx: Context, id: string): AlarmRecord {
    const a = this.store.alarms.get(id)
    if (!a || a.tenant !== ctx.tenant) throw notFound()
    return a
  }

  /** The filters shared by the list and count. */
  private filtered(ctx: Context): AlarmRecord[] {
    const q = ctx.query
    const state = q.get('state')
    if (state !== undefined && !STATES.includes(state.toUpperCase() as AlarmState)) {
      throw monascaError(422, 'Invalid State', `State ${state} must be one of ${pyList(STATES)}`)
    }
    const severityRaw = q.get('severity')
    const severities = severityRaw?.split('|')
    for (const s of severities ?? []) {
      if (!(SEVERITIES as string[]).includes(s.toUpperCase())) {
        throw monascaError(422, 'Invalid Severity', `Severity ${s} must be one of ${pyList(SEVERITIES)}`)
      }
    }
    const dims = parseDimensions(q, 'metric_dimensions')
    try {
      validateQueryDimensions(dims)
    } catch (e) {
      if (e instanceof MetricValidationError) throw unprocessable(e.message)
      throw e
    }
    return this.applyFilters(ctx, {
      definitionId: q.get('alarm_definition_id'),
      metricName: q.get('metric_name'),
      dims,
      state: state?.toUpperCase(),
      severities: severities?.map((s) => s.toUpperCase()),
      lifecycle: q.get('lifecycle_state'),
      link: q.get('link'),
      since: q.get('state_updated_start_time'),
    })
  }

  private applyFilters(
    ctx: Context,
    f: { definitionId?: string; metricName?: string; dims: Record<string, string>; state?: string; severities?: string[]; lifecycle?: string; link?: string; since?: string },
  ): AlarmRecord[] {
    let since: number | undefined
    if (f.since !== undefined) {
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,6}Z$/.test(f.since) || parseIsoTime(f.since) === undefined) {
        throw monascaError(500, 'The repository was unable to process your request', `time data '${f.since}' does not match format '%Y-%m-%dT%H:%M:%S.%fZ'`)
      }
      since = parseIsoTime(f.since)
    }
    const hasDims = Object.keys(f.dims).length > 0
    return this.store.alarmsOf(ctx.tenant).filter((a) => {
      const d = this.store.definitions.get(a.definitionId)
      if (f.definitionId !== undefined && a.definitionId !== f.definitionId) return false
      if (f.metricName !== undefined && !a.metrics.some((m) => m.name === f.metricName)) return false
      if (hasDims && !a.metrics.some((m) => matchesDimensions(f.dims, m.dimensions))) return false
      if (f.state !== undefined && a.state !== f.state) return false
      if (f.severities && !f.severities.includes(d?.severity ?? 'LOW')) return false
      if (f.lifecycle !== undefined && a.lifecycle_state !== f.lifecycle) return false
      if (f.link !== undefined && a.link !== f.link) return false
      if (since !== undefined && a.state_updated_at < Math.floor(since / 1000) * 1000) return false
      return true
    })
  }

  list(ctx: Context): Response {
    ctx.authorize(ROLES.read)
    const alarms = this.filtered(ctx)
    const sortBy = parseSortBy(ctx.query, SORT_FIELDS, { allValues: true })
    const offset = integerOffset(ctx.query, (raw) => `Offset value ${raw} must be an integer`)
    const limit = queryLimit(ctx.query)
    const sorted = sortRows(alarms, sortBy ?? [], (a, field) => this.sortValue(a, field), (a) => a.id)
    const rows = sorted.slice(offset, offset + limit + 1).map((a) => this.body(ctx, a))
    return json(200, paginateAlarming(ctx, rows, offset, limit))
  }

  private sortValue(a: AlarmRecord, field: string): string | number | null {
    const d = this.store.definitions.get(a.definitionId)
    switch (field) {
      case 'alarm_id':
        return a.id
      case 'alarm_definition_id':
        return a.definitionId
      case 'alarm_definition_name':
        return d?.name ?? ''
      case 'state':
        return STATE_RANK[a.state]!
      case 'severity':
        return SEVERITY_RANK[d?.severity ?? 'LOW']!
      case 'lifecycle_state':
        return a.lifecycle_state
      case 'link':
        return a.link
      case 'state_updated_timestamp':
        return a.state_updated_at
      case 'updated_timestamp':
        return a.updated_at
      default:
        return a.created_at
    }
  }

  get(ctx: Context, id: string): Response {
    ctx.authorize(ROLES.read)
    return json(200, this.body(ctx, this.find(ctx, id)))
  }

  private async readBody(ctx: Context): Promise<Record<string, unknown>> {
    const body = await readJson(ctx.request)
    if (!body.ok || body.empty) throw badRequest('Request body is not valid JSON', 'Bad request')
    if (!isPlainObject(body.value)) throw unprocessable('expected a dictionary')
    const b = body.value
    const bad = (msg: string, key: string) => unprocessable(`${msg} for dictionary value @ data['${key}']`)
    if ('state' in b && b.state !== null && !(typeof b.state === 'string' && (STATES as string[]).includes(b.state))) throw bad('not a valid value', 'state')
    if ('lifecycle_state' in b && b.lifecycle_state !== null) {
      if (typeof b.lifecycle_state !== 'string') throw bad('expected str', 'lifecycle_state')
      if (pyLen(b.lifecycle_state) > 50) throw bad('length of value must be at most 50', 'lifecycle_state')
    }
    if ('link' in b && b.link !== null) {
      if (typeof b.link !== 'string') throw bad('expected str', 'link')
      if (pyLen(b.link) > 512) throw bad('length of value must be at most 512', 'link')
    }
    return b
  }

  async update(ctx: Context, id: string, patch: boolean): Promise<Response> {
    ctx.authorize(ROLES.write)
    const b = await this.readBody(ctx)
    let state: AlarmState
    let lifecycle: string | null
    let link: string | null
    if (!patch) {
      for (const key of ['state', 'lifecycle_state', 'link']) if (!b[key]) throw unprocessable(`Field '${key}' is required`)
      state = b.state as AlarmState
      lifecycle = b.lifecycle_state as string
      link = b.link as string
    } else {
      const old = this.find(ctx, id)
      state = (b.state as AlarmState | null | undefined) || old.state
      lifecycle = b.lifecycle_state === undefined || b.lifecycle_state === null ? old.lifecycle_state : (b.lifecycle_state as string)
      link = b.link === undefined || b.link === null ? old.link : (b.link as string)
    }
    const a = this.find(ctx, id)
    a.lifecycle_state = lifecycle
    a.link = link
    a.updated_at = Math.floor(ctx.now / 1000) * 1000
    this.evaluator.record(a, state, 'Alarm state updated via API', ctx.now)
    return json(200, this.body(ctx, a))
  }

  delete(ctx: Context, id: string): Response {
    ctx.authorize(ROLES.write)
    this.find(ctx, id)
    this.store.alarms.delete(id)
    return noContent()
  }

  count(ctx: Context): Response {
    ctx.authorize(ROLES.read)
    const groupByRaw = ctx.query.values('group_by')?.flatMap((v) => v.split(','))
    if (groupByRaw && !groupByRaw.every((g) => COUNT_GROUP_BY.includes(g))) {
      throw unprocessable(`One or more group-by values from [${groupByRaw.map((g) => `'${g}'`).join(', ')}] are not in {${COUNT_GROUP_BY.map((g) => `'${g}'`).join(', ')}}`)
    }
    const groupBy = groupByRaw ?? []
    const alarms = this.filtered(ctx)
    const rawOffset = ctx.query.get('offset')
    const offset = rawOffset === undefined ? 0 : integerOffset(ctx.query, (raw) => `Offset must be a valid integer, was ${raw}`)
    const limit = queryLimit(ctx.query)
    const links = [{ rel: 'self', href: ctx.selfLink() }]
    const columns = ['count', ...groupBy]
    if (groupBy.length === 0) return json(200, { links, columns, counts: [[alarms.length]] })

    // One row per alarm, or per alarm metric / dimension when grouping by those.
    const perMetric = groupBy.some((g) => g === 'metric_name' || g === 'dimension_name' || g === 'dimension_value')
    const perDimension = groupBy.some((g) => g === 'dimension_name' || g === 'dimension_value')
    const tuples: Array<Array<string | null>> = []
    for (const a of alarms) {
      const d = this.store.definitions.get(a.definitionId)
      const base: Record<string, string | null> = {
        alarm_definition_id: a.definitionId,
        name: d?.name ?? '',
        state: a.state,
        severity: d?.severity ?? 'LOW',
        link: a.link,
        lifecycle_state: a.lifecycle_state,
      }
      const variants: Array<Record<string, string | null>> = []
      if (!perMetric) variants.push(base)
      else {
        const seen = new Set<string>()
        for (const m of a.metrics) {
          const dims = perDimension ? Object.entries(m.dimensions) : [[null, null] as const]
          for (const [k, v] of dims) {
            const row: Record<string, string | null> = { ...base, metric_name: m.name, dimension_name: k, dimension_value: v }
            const key = JSON.stringify(groupBy.map((g) => row[g]))
            if (!seen.has(key)) {
              seen.add(key)
              variants.push(row)
            }
          }
        }
      }
      for (const v of variants) tuples.push(groupBy.map((g) => v[g] ?? null))
    }
    const counts = new Map<string, { values: Array<string | null>; count: number }>()
    for (const t of tuples) {
      const key = JSON.stringify(t)
      const entry = counts.get(key)
      if (entry) entry.count++
      else counts.set(key, { values: t, count: 1 })
    }
    const rows = [...counts.values()].sort((x, y) => {
      for (let i = 0; i < groupBy.length; i++) {
        const a = x.values[i] ?? null
        const b = y.values[i] ?? null
        if (a === b) continue
        if (a === null) return -1
        if (b === null) return 1
        return a < b ? -1 : 1
      }
      return 0
    })
    if (rows.length === 0) return json(200, { links, columns, counts: [[0, ...groupBy.map(() => null)]] })
    const page = rows.slice(offset, offset + limit + 1)
    if (page.length > limit) links.push({ rel: 'next', href: ctx.nextLink(String(offset + limit)) })
    return json(200, { links, columns, counts: page.slice(0, limit).map((r) => [r.count, ...r.values]) })
  }

  private historyElement(h: HistoryRecord) {
    return {
      id: String(h.timestamp),
      alarm_id: h.alarm_id,
      metrics: h.metrics.map((m) => ({ id: null, name: m.name, dimensions: { ...m.dimensions } })),
      old_state: h.old_state,
      new_state: h.new_state,
      reason: h.reason,
      reason_data: h.reason_data,
      timestamp: new Date(h.timestamp).toISOString(),
      sub_alarms: h.sub_alarms,
    }
  }

  /** offset: ISO timestamp or epoch-ms digits, strictly-after. */
  private historyOffset(ctx: Context): number | undefined {
    const raw = ctx.query.get('offset')
    if (raw === undefined) return undefined
    const t = /^\d+$/.test(raw) ? Number(raw) : parseIsoTime(raw)
    if (t === undefined) throw monascaError(500, 'The repository was unable to process your request', `invalid offset ${raw}`)
    return t
  }

  historyList(ctx: Context): Response {
    ctx.authorize(ROLES.read)
    const start = queryTime(ctx.query, 'start_time', false)
    const end = queryTime(ctx.query, 'end_time', false)
    const dims = parseDimensions(ctx.query)
    try {
      validateQueryDimensions(dims)
    } catch (e) {
      if (e instanceof MetricValidationError) throw unprocessable(e.message)
      throw e
    }
    const offset = this.historyOffset(ctx)
    const limit = queryLimit(ctx.query)
    const hasDims = Object.keys(dims).length > 0
    const alarmIds = new Set(
      this.store
        .alarmsOf(ctx.tenant)
        .filter((a) => !hasDims || a.metrics.some((m) => matchesDimensions(dims, m.dimensions)))
        .map((a) => a.id),
    )
    const rows = this.store.history
      .filter((h) => h.tenant === ctx.tenant && alarmIds.has(h.alarm_id))
      .filter((h) => (start === undefined || h.timestamp >= start) && (end === undefined || h.timestamp <= end))
      .filter((h) => offset === undefined || h.timestamp > offset)
      .sort((a, b) => a.timestamp - b.timestamp)
      .slice(0, limit + 1)
      .map((h) => this.historyElement(h))
    return json(200, paginate(ctx, rows, limit, (last) => last.id))
  }

  history(ctx: Context, alarmId: string): Response {
    ctx.authorize(ROLES.read)
    const offset = this.historyOffset(ctx)
    const limit = queryLimit(ctx.query)
    const rows = this.store.history
      .filter((h) => h.tenant === ctx.tenant && h.alarm_id === alarmId)
      .filter((h) => offset === undefined || h.timestamp > offset)
      .sort((a, b) => a.timestamp - b.timestamp)
      .slice(0, limit + 1)
      .map((h) => this.historyElement(h))
    return json(200, paginate(ctx, rows, limit, (last) => last.id))
  }
}

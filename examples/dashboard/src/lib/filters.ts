/**
 * The alarm list's filters, to and from the URL and to the SDK's parameters. Dimensions are typed
 * as `key:value` chips (`hostname:web-01`, `service:web|api` for "any of", `hostname` alone for
 * "has this key"), the API's own spelling.
 */
import type { AlarmListParams, AlarmState, Severity } from 'monasca-client'

export const STATES: AlarmState[] = ['ALARM', 'UNDETERMINED', 'OK']
export const SEVERITY_LIST: Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']
// The lifecycle states Monasca UI-style consoles set: the SDK's own list.
export { LIFECYCLE_STATES } from 'monasca-client'
import { LIFECYCLE_STATES } from 'monasca-client'
export const ALARM_SORTS = ['state', 'severity', 'alarm_definition_name', 'state_updated_timestamp', 'updated_timestamp', 'created_timestamp'] as const
export const DEFAULT_ALARM_SORT = 'state_updated_timestamp desc'
export const PAGE_SIZES = [10, 20, 50, 100]
export const DEFAULT_PAGE_SIZE = 20

export interface DimensionFilter {
  key: string
  /** Empty: the key must be present with any value. Several: any of them. */
  values: string[]
}

export interface AlarmFilters {
  /** Only the alarms of one alarm definition (its id). */
  definitionId?: string
  state?: AlarmState
  severities: Severity[]
  metricName?: string
  dimensions: DimensionFilter[]
  lifecycle?: string
  sort: string
  limit: number
  /** The server's `next` offset of the page shown (absent: the first page). */
  offset?: string
  /** Offsets of the pages before this one, oldest first ('' is the first page): "Previous" pops it. */
  trail: string[]
}

export class FilterError extends Error {
  override name = 'FilterError'
  constructor(readonly input: string, message: string) {
    super(message)
  }
}

const KEY = /^[^\s,:|={}()<>&'"\\;]+$/

/** One chip: `key`, `key:value` or `key:a|b`. `key=value` is accepted too (monasca-ui's spelling). */
export function parseDimensionFilter(text: string): DimensionFilter {
  const input = text.trim()
  if (input === '') throw new FilterError(text, 'a dimension filter is empty; write key:value, e.g. hostname:web-01')
  const at = input.search(/[:=]/)
  const key = (at === -1 ? input : input.slice(0, at)).trim()
  const raw = at === -1 ? '' : input.slice(at + 1).trim()
  if (key === '') throw new FilterError(text, `"${input}" has no dimension name before the colon; write key:value, e.g. hostname:web-01`)
  if (!KEY.test(key)) throw new FilterError(text, `"${key}" is not a dimension name: leave out spaces and , : | = { } ( ) < > & ' " \\ ;`)
  const values = raw === '' ? [] : raw.split('|').map((v) => v.trim())
  if (values.some((v) => v === '')) throw new FilterError(text, `"${input}" has an empty value between |; write key:a|b`)
  if (values.some((v) => /[,{}()<>&'"\\;]/.test(v))) throw new FilterError(text, `a value in "${input}" holds one of , { } ( ) < > & ' " \\ ; which the API does not accept`)
  return { key, values }
}

/** Several chips typed in one box, separated by commas or spaces. */
export function parseDimensionFilters(text: string): DimensionFilter[] {
  return text
    .split(/[,\s]+/)
    .filter((part) => part !== '')
    .map(parseDimensionFilter)
}

export function formatDimensionFilter(filter: DimensionFilter): string {
  return filter.values.length === 0 ? filter.key : `${filter.key}:${filter.values.join('|')}`
}

/** Later chips with the same key widen the earlier one ("any of"). */
export function mergeDimensionFilters(filters: DimensionFilter[]): DimensionFilter[] {
  const byKey = new Map<string, DimensionFilter>()
  for (const filter of filters) {
    const seen = byKey.get(filter.key)
    if (!seen) byKey.set(filter.key, { key: filter.key, values: [...filter.values] })
    else if (seen.values.length > 0) seen.values = filter.values.length === 0 ? [] : [...new Set([...seen.values, ...filter.values])]
  }
  return [...byKey.values()]
}

const upper = (value: string | null) => (value ?? '').trim().toUpperCase()

/** Reads filters from URL parameters, ignoring values the API would refuse (a shared link may be old). */
export function filtersFromParams(params: URLSearchParams): AlarmFilters {
  const state = upper(params.get('state'))
  const severities = (params.get('severity') ?? '')
    .split(',')
    .map((s) => upper(s))
    .filter((s): s is Severity => (SEVERITY_LIST as string[]).includes(s))
  const dimensions: DimensionFilter[] = []
  for (const chip of params.getAll('dim')) {
    try {
      dimensions.push(parseDimensionFilter(chip))
    } catch {
      // A chip the user edited by hand into nonsense is dropped rather than sent.
    }
  }
  const lifecycle = upper(params.get('lifecycle'))
  const sort = params.get('sort') ?? ''
  const limit = Number(params.get('limit'))
  const filters: AlarmFilters = {
    severities: [...new Set(severities)],
    dimensions: mergeDimensionFilters(dimensions),
    sort: isAlarmSort(sort) ? sort : DEFAULT_ALARM_SORT,
    limit: PAGE_SIZES.includes(limit) ? limit : DEFAULT_PAGE_SIZE,
    trail: params.has('trail') ? (params.get('trail') ?? '').split(',') : [],
  }
  if ((STATES as string[]).includes(state)) filters.state = state as AlarmState
  const definition = params.get('definition')?.trim()
  if (definition) filters.definitionId = definition
  const metric = params.get('metric')?.trim()
  if (metric) filters.metricName = metric
  if ((LIFECYCLE_STATES as readonly string[]).includes(lifecycle)) filters.lifecycle = lifecycle
  const offset = params.get('offset')
  if (offset) filters.offset = offset
  if (!filters.offset) filters.trail = []
  return filters
}

export function isAlarmSort(text: string): boolean {
  const [field, direction, ...rest] = text.trim().split(/\s+/)
  return rest.length === 0 && (ALARM_SORTS as readonly string[]).includes(field ?? '') && (direction === undefined || direction === 'asc' || direction === 'desc')
}

/** The URL parameters of a filter set, in a stable order (so equal filters give equal links). */
export function filtersToParams(filters: AlarmFilters): URLSearchParams {
  const params = new URLSearchParams()
  if (filters.definitionId) params.set('definition', filters.definitionId)
  if (filters.state) params.set('state', filters.state)
  if (filters.severities.length) params.set('severity', SEVERITY_LIST.filter((s) => filters.severities.includes(s)).join(','))
  if (filters.metricName) params.set('metric', filters.metricName)
  for (const dim of filters.dimensions) params.append('dim', formatDimensionFilter(dim))
  if (filters.lifecycle) params.set('lifecycle', filters.lifecycle)
  if (filters.sort !== DEFAULT_ALARM_SORT) params.set('sort', filters.sort)
  if (filters.limit !== DEFAULT_PAGE_SIZE) params.set('limit', String(filters.limit))
  if (filters.offset) {
    params.set('offset', filters.offset)
    params.set('trail', filters.trail.join(','))
  }
  return params
}

/** Filters changed by the user start again at the first page. */
export function withFilters(filters: AlarmFilters, change: Partial<AlarmFilters>): AlarmFilters {
  const next: AlarmFilters = { ...filters, ...change, trail: [] }
  delete next.offset
  for (const key of Object.keys(change) as (keyof AlarmFilters)[]) if (change[key] === undefined) delete next[key]
  return next
}

export function nextPage(filters: AlarmFilters, nextOffset: string): AlarmFilters {
  return { ...filters, offset: nextOffset, trail: [...filters.trail, filters.offset ?? ''] }
}

export function previousPage(filters: AlarmFilters): AlarmFilters {
  const trail = filters.trail.slice(0, -1)
  const previous = filters.trail.at(-1)
  const next: AlarmFilters = { ...filters, trail }
  if (previous) next.offset = previous
  else {
    delete next.offset
    next.trail = []
  }
  return next
}

export function dimensionsQuery(filters: DimensionFilter[]): Record<string, string | string[] | null> {
  return Object.fromEntries(filters.map((f) => [f.key, f.values.length === 0 ? null : f.values.length === 1 ? f.values[0]! : f.values]))
}

/** The SDK's parameters for one page of the list. */
export function alarmListParams(filters: AlarmFilters): AlarmListParams {
  const params: AlarmListParams = { sort_by: filters.sort, limit: filters.limit }
  if (filters.definitionId) params.alarm_definition_id = filters.definitionId
  if (filters.state) params.state = filters.state
  if (filters.severities.length) params.severity = filters.severities
  if (filters.metricName) params.metric_name = filters.metricName
  if (filters.dimensions.length) params.metric_dimensions = dimensionsQuery(filters.dimensions)
  if (filters.lifecycle) params.lifecycle_state = filters.lifecycle
  if (filters.offset) params.offset = filters.offset
  return params
}

/**
 * The Python client's argument parsing rules: `k=v` lists, relative start times, and the checks of
 * severity, state, sort-by, group-by and statistics. Where Python prints a warning and still sends
 * (or prints to stdout and exits 0), these throw a UsageError so nothing is sent and the exit is 2.
 */
import { ALARM_COUNT_GROUP_BY, ALARM_STATES as STATES, SEVERITIES, STATISTICS as SDK_STATISTICS } from '../validate.js'
import { UsageError } from './errors.js'

/**
 * One occurrence is split on `;` when it has one, else on `,`; several occurrences are taken whole.
 * (Python's `format_parameters` / `format_dimensions_query` share this rule.)
 */
export function splitKeyValueArgs(values: readonly string[]): string[] {
  if (values.length !== 1) return [...values]
  const only = values[0]!
  return only.includes(';') ? only.split(';') : only.split(',')
}

/**
 * `k=v` pairs (Python's `format_parameters`): every item needs `=`; a repeated key collects its
 * values in order.
 */
export function keyValueGroups(values: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const item of splitKeyValueArgs(values)) {
    const eq = item.indexOf('=')
    if (eq < 0) throw new UsageError(`Malformed parameter(${item}). Use the key=value format.`)
    const key = item.slice(0, eq)
    out.set(key, [...(out.get(key) ?? []), item.slice(eq + 1)])
  }
  return out
}

/**
 * keyValueGroups with one value per key. A repeated key is refused (`refuse`, for metric
 * dimensions, whose values the server only takes as strings) or keeps its last value (`last`, as
 * Python's dimension query for alarm-history-list does).
 */
export function keyValuePairs(values: readonly string[], what: string, repeated: 'refuse' | 'last' = 'refuse'): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, all] of keyValueGroups(values)) {
    if (all.length > 1 && repeated === 'refuse') {
      throw new UsageError(`${what}: key '${key}' is given twice (a dimension has one value)`)
    }
    out.set(key, all[all.length - 1]!)
  }
  return out
}

/** Metric dimensions for a request body; undefined when the option was not given. */
export function parseKeyValues(values: readonly string[] | undefined, what: string): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined
  return Object.fromEntries(keyValuePairs(values, what))
}

/** value_meta for a request body: as Python, a repeated key becomes a list (the server takes any JSON value). */
export function parseValueMeta(values: readonly string[] | undefined): Record<string, string | string[]> | undefined {
  if (!values || values.length === 0) return undefined
  return Object.fromEntries([...keyValueGroups(values)].map(([k, all]) => [k, all.length > 1 ? all : all[0]!]))
}

/**
 * Dimensions for a query (`format_dimensions_query`): `k=v` or a bare `k` (any value of that key);
 * a repeated key keeps the last value. Returned in the API's string form `k:v,k2`.
 */
export function dimensionsQuery(values: readonly string[] | undefined): string | undefined {
  if (!values || values.length === 0) return undefined
  const dims = new Map<string, string>()
  for (const item of splitKeyValueArgs(values)) {
    const eq = item.indexOf('=')
    if (eq < 0) dims.set(item, '')
    else dims.set(item.slice(0, eq), item.slice(eq + 1))
  }
  return dimensionsString(dims)
}

/** `k:v,k2` from ordered pairs; an empty value means the bare key. */
export function dimensionsString(dims: Iterable<readonly [string, string]>): string {
  return [...dims].map(([k, v]) => (v ? `${k}:${v}` : k)).join(',')
}

/** Python's int(): optional sign, digits, optional `_` between digits, surrounding blanks. */
export function parsePyInt(text: string, what: string): number {
  const t = text.trim()
  if (!/^[+-]?\d+(_\d+)*$/.test(t)) throw new UsageError(`argument ${what}: invalid int value: '${text}'`, true)
  return Number(t.replace(/_/g, ''))
}

/** Python's float() for a metric value, but finite only (JSON has no NaN or Infinity). */
export function parsePyFloat(text: string, what: string): number {
  const t = text.trim().replace(/(\d)_(?=\d)/g, '$1')
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) throw new UsageError(`argument ${what}: invalid float value: '${text}'`, true)
  const n = Number(t)
  if (!Number.isFinite(n)) throw new UsageError(`argument ${what}: ${text} is not a finite number`)
  return n
}

/** UTC `YYYY-MM-DDTHH:MM:SSZ` (seconds, no fraction) as the Python client writes start times. */
export function utcSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

/** `--starttime -120` means 120 minutes ago; any other value is sent as given. */
export function translateStartTime(value: string, nowMs: number): string {
  if (!value.startsWith('-')) return value
  const minutes = parsePyInt(value, '<UTC_START_TIME>')
  return utcSeconds(nowMs + minutes * 60_000)
}

// The SDK's own lists (validate.ts, the server's values; a leaf module, so help and refused input load
// no resource); the CLI checks the Python client's spellings against them.
export {
  SEVERITIES, ALARM_STATES as STATES, ALARM_COUNT_GROUP_BY, ALARM_SORT_FIELDS as ALARM_SORT_BY,
  NOTIFICATION_SORT_FIELDS as NOTIFICATION_SORT_BY, ALARM_DEFINITION_SORT_FIELDS as DEFINITION_SORT_BY,
} from '../validate.js'
/** Statistics as the Python client names them in its messages (the SDK's, upper-cased). */
export const STATISTICS: readonly string[] = SDK_STATISTICS.map((s) => s.toUpperCase())
/** The Python client's spellings of <ACTIONS-ENABLED> (a CLI matter, not the API's). */
export const ACTIONS_ENABLED = ['True', 'true', 'False', 'false'] as const

/**
 * One severity, case-insensitive, sent as typed. With `allowList` (list filters) several may be
 * joined with `|`, which the server accepts and Python refuses.
 */
export function checkSeverity(value: string, allowList = false): string {
  const parts = allowList ? value.split('|') : [value]
  if (parts.some((p) => !(SEVERITIES as readonly string[]).includes(p.toUpperCase()))) {
    throw new UsageError(`Invalid severity, not one of [${SEVERITIES.join(', ')}]`)
  }
  return value
}

export function checkState(value: string): string {
  if (!(STATES as readonly string[]).includes(value.toUpperCase())) {
    throw new UsageError(`Invalid state, not one of [${STATES.join(', ')}]`)
  }
  return value
}

/** `avg,max`: each name case-insensitive; the string is sent as typed. */
export function checkStatistics(value: string): string {
  if (value.split(',').some((s) => !(STATISTICS as readonly string[]).includes(s.toUpperCase()))) {
    throw new UsageError(`Invalid type, not one of [${STATISTICS.join(', ')}]`)
  }
  return value
}

export function checkGroupBy(value: string): string {
  if (value.split(',').some((g) => !(ALARM_COUNT_GROUP_BY as readonly string[]).includes(g))) {
    throw new UsageError(`Invalid group-by, one or more values not in [${ALARM_COUNT_GROUP_BY.join(',')}]`)
  }
  return value
}

export function parseActionsEnabled(value: string): boolean {
  if (!(ACTIONS_ENABLED as readonly string[]).includes(value)) {
    throw new UsageError(`Invalid value, not one of [${ACTIONS_ENABLED.join(', ')}]`)
  }
  return value === 'True' || value === 'true'
}

/**
 * `field [asc|desc],…`. Fields are checked lower-cased when `caseInsensitive` (alarms,
 * notifications) and as typed otherwise (alarm definitions), as Python does; unlike Python, a bad
 * direction or an extra word is refused too. The string is sent as typed.
 */
export function checkSortBy(value: string, allowed: readonly string[], caseInsensitive: boolean): string {
  for (const part of value.split(',')) {
    const words = (caseInsensitive ? part.toLowerCase() : part).split(/\s+/).filter(Boolean)
    if (words.length === 0 || words.length > 2) throw new UsageError(`Invalid sort_by value ${part}`)
    if (!allowed.includes(words[0]!)) {
      throw new UsageError(`Sort-by field name ${words[0]} is not in [${allowed.join(', ')}]`)
    }
    const direction = words[1]
    if (direction !== undefined && direction.toLowerCase() !== 'asc' && direction.toLowerCase() !== 'desc') {
      throw new UsageError(`Invalid value ${direction}, must be asc or desc`)
    }
  }
  return value
}

/** Positional id lists of alarm-definition-update: `''` or `[]` is the empty list, else split on `,`. */
export function splitIdList(value: string): string[] {
  return value === '' || value === '[]' ? [] : value.split(',')
}

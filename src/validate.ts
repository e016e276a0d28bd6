/**
 * Client-side checks with the server's own limits (monasca-common's metric validation, the
 * API's schemas). Each throws a MonascaValidationError naming the field before any request is sent.
 */
import { MonascaValidationError } from './errors.js'
import type { MetricInput } from './types.js'

export const LIMITS = {
  metricName: 255,
  dimensionKey: 255,
  dimensionValue: 255,
  valueMetaEntries: 16,
  valueMetaName: 255,
  valueMetaJson: 2048,
  alarmDefinitionName: 255,
  alarmDefinitionDescription: 255,
  actionId: 50,
  lifecycleState: 50,
  link: 512,
  notificationName: 250,
  notificationType: 100,
  notificationAddress: 512,
} as const

// The API's enumerations, exported for the CLI, dashboards and forms (the types are the unions in types.ts).
export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const
export const ALARM_STATES = ['OK', 'ALARM', 'UNDETERMINED'] as const
export const STATISTICS = ['avg', 'min', 'max', 'sum', 'count'] as const
/** What Monasca UI-style consoles set; the API takes any text of ≤ 50 characters. */
export const LIFECYCLE_STATES = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] as const
/** `sort_by` fields of each list that takes one (each may be followed by ` asc` or ` desc`). */
export const ALARM_SORT_FIELDS = [
  'alarm_id', 'alarm_definition_id', 'alarm_definition_name', 'state', 'severity', 'lifecycle_state', 'link',
  'state_updated_timestamp', 'updated_timestamp', 'created_timestamp',
] as const
export const ALARM_DEFINITION_SORT_FIELDS = ['id', 'name', 'severity', 'updated_at', 'created_at'] as const
export const NOTIFICATION_SORT_FIELDS = ['id', 'name', 'type', 'address', 'created_at', 'updated_at'] as const
/** `group_by` fields of `alarms.count`. */
export const ALARM_COUNT_GROUP_BY = [
  'alarm_definition_id', 'name', 'state', 'severity', 'link', 'lifecycle_state', 'metric_name', 'dimension_name', 'dimension_value',
] as const

const METRIC_NAME_FORBIDDEN = /[<>={},"\\;&() ]/
const DIMENSION_FORBIDDEN = /[<>={},"\\;&]/

const fail = (field: string, message: string): never => {
  throw new MonascaValidationError(field, message)
}

/**
 * A short, safe rendering of a bad value for an error message (never a function's source, never a whole object).
 * It lives with the checks, not in errors.ts: every entry re-exports errors.ts whole, and this is no public API.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object'
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'symbol') return 'a symbol'
  return `${typeof value} ${String(value)}`
}

export function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(field, `must be a string, got ${describeValue(value)}`)
  return value as string
}

function checkLength(value: string, field: string, min: number, max: number): void {
  if (value.length < min || value.length > max) {
    fail(field, min === max ? `must be ${min} characters` : `must be ${min}..${max} characters long, got ${value.length}`)
  }
}

export function metricName(value: unknown, field = 'name'): string {
  const name = requireString(value, field)
  checkLength(name, field, 1, LIMITS.metricName)
  const bad = METRIC_NAME_FORBIDDEN.exec(name)
  if (bad) fail(field, `may not contain ${JSON.stringify(bad[0])} (forbidden: < > = { } ( ) , " \\ ; & and space)`)
  return name
}

export function dimensionKey(value: unknown, field: string): string {
  const key = requireString(value, field)
  checkLength(key, field, 1, LIMITS.dimensionKey)
  if (key.startsWith('_')) fail(field, 'may not start with "_"')
  const bad = DIMENSION_FORBIDDEN.exec(key)
  if (bad) fail(field, `may not contain ${JSON.stringify(bad[0])} (forbidden: < > = { } , " \\ ; &)`)
  return key
}

/** A dimension value; `allowEmpty` for queries, where an empty value means "has the key". */
export function dimensionValue(value: unknown, field: string, allowEmpty = false): string {
  const text = requireString(value, field)
  checkLength(text, field, allowEmpty ? 0 : 1, LIMITS.dimensionValue)
  const bad = DIMENSION_FORBIDDEN.exec(text)
  if (bad) fail(field, `may not contain ${JSON.stringify(bad[0])} (forbidden: < > = { } , " \\ ; &)`)
  return text
}

/** Dimensions of a metric being written: a plain object of non-empty strings. */
export function metricDimensions(value: unknown, field: string): void {
  if (value === undefined) return
  if (!isPlainObject(value)) fail(field, `must be an object of string values, got ${describeValue(value)}`)
  for (const [key, v] of Object.entries(value as object)) {
    dimensionKey(key, `${field} key ${JSON.stringify(key)}`)
    dimensionValue(v, `${field}.${key}`)
  }
}

/** Query dimensions, parsed with the API's grammar (`query.ts:parseDimensions`) from the text that will be sent. */
export function queryDimensions(parsed: Record<string, string[]>, field: string): void {
  for (const key of Object.keys(parsed)) {
    dimensionKey(key, `${field} key ${JSON.stringify(key)}`)
    for (const v of parsed[key]!) dimensionValue(v, `${field}.${key}`, true)
  }
}

/** Text that can be percent-encoded: no lone surrogate (encodeURIComponent would throw a URIError). */
export function wellFormed(text: string, field: string): string {
  // A high surrogate not followed by a low one, or a low one not preceded by a high one.
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) {
    fail(field, 'contains a lone surrogate (text that is not valid Unicode)')
  }
  return text
}

/** A list given as one string (`sep`-joined) or an array of strings. */
export function textList(value: unknown, field: string, separator?: string): string[] {
  if (typeof value === 'string') return separator === undefined ? [value] : value.split(separator)
  if (!Array.isArray(value)) fail(field, `must be a string or a list of strings, got ${describeValue(value)}`)
  ;(value as unknown[]).forEach((item, i) => requireString(item, `${field}[${i}]`))
  return [...(value as string[])]
}

/** value_meta: ≤16 entries, names 1..255, and ≤2048 characters as the server's json.dumps writes it. */
export function valueMeta(value: unknown, field: string): void {
  if (value === undefined || value === null) return
  if (!isPlainObject(value)) fail(field, `must be an object, got ${describeValue(value)}`)
  const entries = Object.entries(value as object)
  if (entries.length > LIMITS.valueMetaEntries) fail(field, `has ${entries.length} entries; at most ${LIMITS.valueMetaEntries} are allowed`)
  for (const [key] of entries) {
    if (key.length < 1 || key.length > LIMITS.valueMetaName) fail(field, `entry names must be 1..${LIMITS.valueMetaName} characters long`)
  }
  let size: number
  try {
    size = pythonJsonLength(value)
  } catch (error) {
    // A BigInt, a cycle, or nesting deep enough to overflow the stack: JSON cannot carry it.
    return fail(field, `cannot be sent as JSON (${error instanceof RangeError ? 'nested too deeply' : 'a BigInt or a cycle'})`)
  }
  if (size > LIMITS.valueMetaJson) fail(field, `is ${size} characters as JSON; at most ${LIMITS.valueMetaJson} are allowed`)
}

/** Length of Python's default `json.dumps(value)`: `", "` and `": "` separators, non-ASCII as \\uXXXX. */
export function pythonJsonLength(value: unknown): number {
  const text = JSON.stringify(value, (_k, v: unknown) => v) ?? ''
  let length = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    const code = text.charCodeAt(i)
    if (inString) {
      if (ch === '\\') {
        // An escape both write alike (\n, \", \uXXXX); 0x7f and up, which JSON.stringify leaves
        // as is, Python writes as \uXXXX: counted as 6 below.
        length += 2
        i++
        if (text[i] === 'u') {
          length += 4
          i += 4
        }
        continue
      }
      if (ch === '"') inString = false
      length += code > 0x7e ? 6 : 1
      continue
    }
    if (ch === '"') inString = true
    length += ch === ',' || ch === ':' ? 2 : 1
  }
  return length
}

export function finiteNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(field, `must be a finite number, got ${describeValue(value)}`)
  return value as number
}

export function enumValue<T extends string>(value: unknown, allowed: readonly T[], field: string, caseInsensitive = true): string {
  const text = requireString(value, field)
  const probe = caseInsensitive ? text.toUpperCase() : text
  const ok = allowed.some((a) => (caseInsensitive ? a.toUpperCase() : a) === probe)
  if (!ok) fail(field, `must be one of ${allowed.join(', ')}, got ${describeValue(value)}`)
  return text
}

/** `LOW|HIGH` or ['LOW', 'HIGH']: every member must be a severity. */
export function severityList(value: unknown, field = 'severity'): string {
  const list = textList(value, field, '|')
  for (const s of list) enumValue(s, SEVERITIES, field)
  return list.join('|')
}

export function statisticsList(value: unknown, field = 'statistics'): string {
  const list = textList(value, field, ',')
  if (list.length === 0 || (list.length === 1 && list[0] === '')) fail(field, 'must name at least one of avg, min, max, sum, count')
  for (const s of list) enumValue(s.trim(), STATISTICS, field)
  return list.join(',')
}

/** `field`, `field asc|desc`, comma-joined; fields from the resource's allowed list. */
export function sortBy(value: unknown, allowed: readonly string[], field = 'sort_by'): string {
  const list = textList(value, field, ',')
  for (const item of list) {
    const tokens = item.trim().split(/\s+/)
    if (tokens.length > 2 || !tokens[0]) fail(field, `invalid entry ${describeValue(item)}: use "field" or "field asc|desc"`)
    if (!allowed.includes(tokens[0]!)) fail(field, `cannot sort by ${describeValue(tokens[0])}; allowed: ${allowed.join(', ')}`)
    if (tokens[1] !== undefined && tokens[1] !== 'asc' && tokens[1] !== 'desc') {
      fail(field, `direction must be asc or desc (lower case), got ${describeValue(tokens[1])}`)
    }
  }
  return list.join(',')
}

export function groupBy(value: unknown, allowed: readonly string[] | undefined, field = 'group_by'): string {
  const list = textList(value, field, ',')
  for (const item of list) {
    if (item === '') fail(field, 'has an empty entry')
    if (allowed && !allowed.includes(item)) fail(field, `cannot group by ${describeValue(item)}; allowed: ${allowed.join(', ')}`)
  }
  return list.join(',')
}

/** A non-negative integer (offsets and limits). */
export function nonNegativeInteger(value: unknown, field: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) fail(field, `must be a non-negative integer, got ${describeValue(value)}`)
  return n as number
}

export function limit(value: unknown): number {
  const n = nonNegativeInteger(value, 'limit')
  if (n === 0) fail('limit', 'must be at least 1')
  return n
}

/** Statistics period in seconds: a positive integer. */
export function statisticsPeriod(value: unknown, field = 'period'): number {
  const n = nonNegativeInteger(value, field)
  if (n === 0) fail(field, 'must be at least 1 second')
  return n
}

/** Notification period: 0, or a multiple of 60 seconds (the server's valid periods default to 0 and 60). */
export function notificationPeriod(value: unknown, field = 'period'): number {
  const n = nonNegativeInteger(value, field)
  if (n % 60 !== 0) fail(field, `must be 0 or a multiple of 60 seconds, got ${n}`)
  return n
}

export function stringList(value: unknown, field: string, maxItemLength?: number): string[] {
  if (!Array.isArray(value)) fail(field, `must be an array of strings, got ${describeValue(value)}`)
  const list = value as unknown[]
  const seen = new Set<string>()
  list.forEach((item, i) => {
    const text = requireString(item, `${field}[${i}]`)
    if (maxItemLength !== undefined) checkLength(text, `${field}[${i}]`, 1, maxItemLength)
    if (seen.has(text)) fail(field, `lists ${describeValue(text)} twice`)
    seen.add(text)
  })
  return list as string[]
}

export function boundedString(value: unknown, field: string, max: number, min = 1): string {
  const text = requireString(value, field)
  checkLength(text, field, min, max)
  return text
}

export function booleanValue(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') fail(field, `must be true or false, got ${describeValue(value)}`)
  return value as boolean
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The body must be a plain object. */
export function objectBody(value: unknown, field: string): Record<string, unknown> {
  if (!isPlainObject(value)) fail(field, `must be an object, got ${describeValue(value)}`)
  return value as Record<string, unknown>
}

/** Deepest nesting a request body may have (the server's own bodies are at most a few levels deep). */
const MAX_BODY_DEPTH = 32

/**
 * A request body JSON can carry as given: no BigInt (JSON.stringify throws), no cycle, no NaN or
 * Infinity (they would silently become null), no text with a lone surrogate, and not nested deeper
 * than 32 levels (a stack overflow otherwise).
 */
export function jsonBody(value: unknown, field = 'body'): void {
  const seen = new Set<object>()
  const walk = (v: unknown, path: string, depth: number): void => {
    if (typeof v === 'bigint') fail(path, `is a BigInt (${String(v)}n), which JSON cannot carry: pass a number`)
    if (typeof v === 'number' && !Number.isFinite(v)) fail(path, `must be a finite number, got ${String(v)}`)
    if (typeof v === 'string') wellFormed(v, path)
    if (typeof v !== 'object' || v === null || v instanceof Date) return
    if (depth > MAX_BODY_DEPTH) fail(path, `is nested deeper than ${MAX_BODY_DEPTH} levels`)
    if (seen.has(v)) fail(path, 'refers to itself (a cycle JSON cannot carry)')
    seen.add(v)
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1))
    else for (const key of Object.keys(v)) walk((v as Record<string, unknown>)[key], `${path}.${key}`, depth + 1)
    seen.delete(v)
  }
  walk(value, field, 0)
}

/** One metric checked against the server's limits (monasca-common); a missing timestamp becomes `now`. */
export function metric(value: MetricInput, field: string, now: number = Date.now()): MetricInput {
  const m = objectBody(value, field) as unknown as MetricInput
  metricName(m.name, `${field}.name`)
  metricDimensions(m.dimensions, `${field}.dimensions`)
  finiteNumber(m.value, `${field}.value`)
  if (m.timestamp !== undefined) finiteNumber(m.timestamp, `${field}.timestamp`)
  valueMeta(m.value_meta, `${field}.value_meta`)
  return m.timestamp === undefined ? { ...m, timestamp: now } : m
}

/**
 * Metric validation as monasca-common does it (limits, forbidden characters and the error texts,
 * including the `: for metric <name>` suffix), plus Python-flavoured stringification so that the
 * descriptions read like the real server's.
 */

const DIMENSION_FORBIDDEN = /[<>={},"\\;&]/
const NAME_FORBIDDEN = /[<>={},"\\;&() ]/
const VALUE_META_MAX_NUMBER = 16
const VALUE_META_MAX_JSON = 2048
const VALUE_META_NAME_MAX = 255

/** Length in code points, as Python's len(str). */
export const pyLen = (s: string): number => {
  let n = 0
  for (const _ of s) n++
  return n
}

/** Python's str() of a JSON value, close enough for error messages. */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  return pyRepr(value)
}

/** Python's repr; below REPR_DEPTH levels `...`, so a hostile nesting cannot overflow the stack. */
function pyRepr(value: unknown, depth = 0): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
  if (value && typeof value === 'object' && depth >= REPR_DEPTH) return '...'
  if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v, depth + 1)).join(', ')}]`
  if (value && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v, depth + 1)}`).join(', ')}}`
  }
  return pyStr(value)
}
const REPR_DEPTH = 64

/** Whether a parsed JSON value nests deeper than `limit` (iterative: any depth is safe to ask about). */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!
    if (!v || typeof v !== 'object') continue
    if (depth >= limit) return true
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1])
  }
  return false
}

/**
 * InfluxDB stores int64 nanoseconds since the epoch (about 1677-09-21 to 2262-04-11): a point
 * outside cannot be stored, nor read back as a date. Refused with the words of the Java API's range check.
 */
const TIMESTAMP_MAX_MS = 9_223_372_036_854
export function timestampInRange(ms: number): boolean {
  return ms >= -TIMESTAMP_MAX_MS && ms <= TIMESTAMP_MAX_MS
}

/** len(json.dumps(value)) with Python's defaults: `, ` and `: ` separators, non-ASCII as \uXXXX. */
export function pyJsonLength(value: unknown): number {
  const text = JSON.stringify(value, null, 0) ?? 'null'
  let length = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (inString) {
      if (ch === '\\') {
        length += 2
        i++
        continue
      }
      if (ch === '"') inString = false
      length += text.charCodeAt(i) > 127 ? 6 : 1
      continue
    }
    if (ch === '"') inString = true
    length += ch === ',' || ch === ':' ? 2 : 1
  }
  return length
}

export class MetricValidationError extends Error {}

function fail(message: string): never {
  throw new MetricValidationError(message)
}

export function validateMetricName(name: unknown): asserts name is string {
  if (typeof name !== 'string') fail(`invalid metric name type: ${pyStr(name)} is not a string type `)
  if (pyLen(name) > 255 || name.length < 1) fail(`invalid length for metric name: ${name}`)
  if (NAME_FORBIDDEN.test(name)) fail(`invalid characters in metric name: ${name}`)
}

export function validateDimensionKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') fail(`invalid dimension key type: ${pyStr(key)} is not a string type`)
  const n = pyLen(key)
  if (n > 255 || n < 1) fail(`invalid length (${n}) for dimension key ${key}`)
  if (DIMENSION_FORBIDDEN.test(key) || key.startsWith('_')) fail(`invalid characters in dimension key ${key}`)
}

export function validateDimensionValue(key: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') fail(`invalid dimension value type: ${pyStr(value)} must be a string (from key ${key})`)
  const n = pyLen(value)
  if (n > 255 || n < 1) fail(`invalid length (${n}) for dimension value ${value} from key ${key}`)
  if (DIMENSION_FORBIDDEN.test(value)) fail(`invalid characters in dimension value ${value} from key ${key}`)
}

function validateValueMeta(valueMeta: unknown): void {
  if (valueMeta === null || valueMeta === undefined) return
  if (typeof valueMeta !== 'object' || Array.isArray(valueMeta)) {
    // Python: len() of a non-mapping, then iteritems() fails
    fail(`'${Array.isArray(valueMeta) ? 'list' : typeof valueMeta === 'string' ? 'str' : typeof valueMeta === 'boolean' ? 'bool' : 'int'}' object has no attribute 'items'`)
  }
  // Nesting this deep is far over the 2048-character limit; say so before anything walks it.
  if (nestsDeeperThan(valueMeta, VALUE_META_MAX_JSON / 2)) {
    fail(`valueMeta name value combinations must be ${VALUE_META_MAX_JSON} characters or less: valueMeta nested more than ${VALUE_META_MAX_JSON / 2} levels deep`)
  }
  const entries = Object.entries(valueMeta as Record<string, unknown>)
  if (entries.length > VALUE_META_MAX_NUMBER) {
    fail(`Too many valueMeta entries ${entries.length}, limit is ${VALUE_META_MAX_NUMBER}: valueMeta ${pyRepr(valueMeta)}`)
  }
  for (const [key, value] of entries) {
    if (!key) fail(`valueMeta name cannot be empty: key=${key}, value=${pyStr(value)}`)
    if (pyLen(key) > VALUE_META_NAME_MAX) fail(`valueMeta name too long: ${key} must be ${VALUE_META_NAME_MAX} characters or less`)
  }
  if (pyJsonLength(valueMeta) > VALUE_META_MAX_JSON) {
    fail(`valueMeta name value combinations must be ${VALUE_META_MAX_JSON} characters or less: valueMeta ${pyRepr(valueMeta)}`)
  }
}

const isNumber = (v: unknown): v is number | boolean => typeof v === 'number' || typeof v === 'boolean'

/** One metric, in monasca-common's order; returns the normalised metric. */
export function validateMetric(metric: unknown): {
  name: string
  dimensions: Record<string, string>
  timestamp: number
  value: number
  value_meta: Record<string, unknown>
} {
  if (typeof metric !== 'object' || metric === null || Array.isArray(metric)) {
    fail(Array.isArray(metric) ? 'list indices must be integers or slices, not str' : `'${metric === null ? 'NoneType' : typeof metric === 'string' ? 'str' : typeof metric === 'boolean' ? 'bool' : 'int'}' object is not subscriptable`)
  }
  const m = metric as Record<string, unknown>
  if (!('name' in m)) fail("'name'")
  validateMetricName(m.name)
  const name = m.name
  try {
    if (!('value' in m)) fail("'value'")
    const value = m.value
    if (!isNumber(value)) fail(`invalid value type: ${pyStr(value)} is not a number type for metric`)
    if (!('timestamp' in m)) fail("'timestamp'")
    if (!isNumber(m.timestamp)) fail(`invalid timestamp type: ${pyStr(m.timestamp)} is not a number type for metric`)
    if (!timestampInRange(Number(m.timestamp))) fail(`Timestamp ${pyStr(m.timestamp)} is out of legal range`)
    if ('dimensions' in m) {
      const dims = m.dimensions
      if (typeof dims !== 'object' || dims === null || Array.isArray(dims)) {
        fail(`'${dims === null ? 'NoneType' : Array.isArray(dims) ? 'list' : typeof dims === 'string' ? 'str' : 'int'}' object has no attribute 'items'`)
      }
      for (const [k, v] of Object.entries(dims as Record<string, unknown>)) {
        validateDimensionKey(k)
        validateDimensionValue(k, v)
      }
    }
    if ('value_meta' in m) validateValueMeta(m.value_meta)
    return {
      name,
      dimensions: { ...((m.dimensions as Record<string, string> | undefined) ?? {}) },
      timestamp: Number(m.timestamp),
      value: Number(value),
      value_meta: { ...((m.value_meta as Record<string, unknown> | null | undefined) ?? {}) },
    }
  } catch (e) {
    if (e instanceof MetricValidationError) fail(`${e.message}: for metric ${name}`)
    throw e
  }
}

/** Query-side checks (helpers.validate_query_dimensions / validate_query_name); messages as the server's. */
export function validateQueryDimensions(dimensions: Record<string, string>): void {
  for (const [key, value] of Object.entries(dimensions)) {
    if (key.startsWith('_')) fail(`Dimension key ${key} may not start with '_'`)
    validateDimensionKey(key)
    if (value) for (const v of value.split('|')) validateDimensionValue(key, v)
  }
}

/**
 * Query-string building, shared by every resource: one `Query` per request, whose methods add the
 * parameters several resources share (paging, dimensions, time ranges, flags), each checked first.
 * Monasca's server re-reads the raw query string, so every value is percent-encoded with
 * encodeURIComponent (commas, colons and spaces included; never `+` for a space) and each key is
 * sent once, except where a list is sent as repeated keys.
 */
import { MonascaValidationError } from './errors.js'
import type { DimensionsQuery, PageParams, TimeInput } from './types.js'
import * as V from './validate.js'

/** Ordered query pairs, ready to encode. */
export type QueryPairs = Array<readonly [key: string, value: string]>

/** Builds ordered pairs, dropping undefined/null so optional parameters read naturally. */
export class Query {
  readonly pairs: [string, string][] = []

  /**
   * Add `key=value` when the value is set. Only text, finite numbers and booleans are sent: an
   * object would go out as `[object Object]`, a lone surrogate cannot be encoded at all.
   */
  set(key: string, value: string | number | boolean | undefined | null): this {
    if (value !== undefined && value !== null) this.pairs.push([key, queryText(value, key)])
    return this
  }

  /** Add a caller's text parameter (`name`, `tenant_id`, an id), refusing anything but a string. */
  text(key: string, value: unknown): this {
    if (value !== undefined) this.pairs.push([key, queryText(V.requireString(value, key), key)])
    return this
  }

  /** Add one `key=value` per item (the Python client's `urlencode(doseq=True)`). */
  repeat(key: string, values: string | readonly string[] | undefined): this {
    if (values === undefined) return this
    for (const value of V.textList(values, key)) this.pairs.push([key, queryText(V.requireString(value, key), key)])
    return this
  }

  /** `offset` and `limit`; `integerOffset` for the resources whose offset is a row number. */
  page(params: PageParams, integerOffset = false): this {
    const { offset, limit } = params
    if (offset !== undefined) {
      if (integerOffset) this.set('offset', V.nonNegativeInteger(offset, 'offset'))
      else if (typeof offset === 'number') this.set('offset', V.finiteNumber(offset, 'offset'))
      else this.text('offset', offset)
    }
    if (limit !== undefined) this.set('limit', V.limit(limit))
    return this
  }

  /** Dimensions in the API's `k:v1|v2,k2` form, validated with the server's query rules. */
  dimensions(key: string, value: DimensionsQuery | undefined): this {
    if (value === undefined) return this
    const text = encodeDimensions(value, key)
    V.queryDimensions(parseDimensions(text), key)
    return this.set(key, text)
  }

  /** start_time/end_time, checking that the range is not empty (the server answers 400 otherwise). */
  timeRange(start: TimeInput | undefined, end: TimeInput | undefined, required = false): this {
    if (start === undefined && required) throw new MonascaValidationError('start_time', 'is required')
    const startText = start === undefined ? undefined : encodeTime(start, 'start_time')
    const endText = end === undefined ? undefined : encodeTime(end, 'end_time')
    if (startText !== undefined && endText !== undefined && Date.parse(startText) >= Date.parse(endText)) {
      throw new MonascaValidationError('end_time', 'must be after start_time')
    }
    return this.set('start_time', startText).set('end_time', endText)
  }

  /** A boolean flag; strings `true`/`false` in any case are sent as written. */
  flag(key: string, value: unknown): this {
    if (value === undefined) return this
    if (typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value))) return this.set(key, value)
    throw new MonascaValidationError(key, `must be true or false, got ${V.describeValue(value)}`)
  }
}

function queryText(value: unknown, key: string): string {
  if (typeof value === 'number') return String(V.finiteNumber(value, key))
  if (typeof value === 'boolean') return String(value)
  const text = V.requireString(value, key)
  V.wellFormed(text, key)
  return text
}

/** `a=1&b=x%20y`: encodeURIComponent on keys and values. */
export function encodeQuery(pairs: QueryPairs): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
}

/**
 * Dimensions in the API's query form `k1:v1,k2:v2|v3,k3`. A list value becomes `v1|v2` (OR); an
 * empty, null or empty-list value becomes a bare key ("has this key"). A string is taken as written.
 */
export function encodeDimensions(dimensions: DimensionsQuery, field = 'dimensions'): string {
  if (typeof dimensions === 'string') return dimensions
  if (typeof dimensions !== 'object' || dimensions === null || Array.isArray(dimensions)) {
    throw new MonascaValidationError(field, `must be an object of key → value(s) or a "k:v,k2" string, got ${V.describeValue(dimensions)}`)
  }
  const parts: string[] = []
  for (const [key, value] of Object.entries(dimensions)) {
    if (value === undefined) continue
    const values = value === null ? [] : typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined
    if (values === undefined || values.some((v) => typeof v !== 'string')) {
      throw new MonascaValidationError(`${field}.${key}`, `must be a string, a list of strings or null, got ${V.describeValue(value)}`)
    }
    const joined = values.filter((v) => v !== '').join('|')
    parts.push(joined ? `${key}:${joined}` : key)
  }
  return parts.join(',')
}

/**
 * The inverse of encodeDimensions, following the server's rules: split on `,`, then on the first
 * `:`, then values on `|`. Used by the SDK's own checks, the emulator and the round-trip tests.
 */
export function parseDimensions(text: string): Record<string, string[]> {
  if (typeof text !== 'string') throw new MonascaValidationError('dimensions', `must be a string, got ${V.describeValue(text)}`)
  const result: Record<string, string[]> = {}
  if (text === '') return result
  for (const part of text.split(',')) {
    const colon = part.indexOf(':')
    const key = colon === -1 ? part : part.slice(0, colon)
    const raw = colon === -1 ? '' : part.slice(colon + 1)
    // A key such as `__proto__` is data here, never the object's prototype.
    Object.defineProperty(result, key, { value: raw === '' ? [] : raw.split('|'), enumerable: true, writable: true, configurable: true })
  }
  return result
}

/** ISO-8601 text for a time parameter. A Date becomes `YYYY-MM-DDTHH:MM:SS.mmmZ`; a string is checked and kept. */
export function encodeTime(value: TimeInput, field: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new MonascaValidationError(field, 'is an invalid Date')
    return value.toISOString()
  }
  if (typeof value !== 'string' || !ISO_8601.test(value) || Number.isNaN(Date.parse(value))) {
    throw new MonascaValidationError(field, `must be a Date or an ISO-8601 time such as 2024-05-01T12:00:00Z, got ${V.describeValue(value)}`)
  }
  return value
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * A time for `state_updated_start_time`, which the server parses with `%Y-%m-%dT%H:%M:%S.%fZ`
 * only (anything else is a 500 there): always UTC with fractional seconds and `Z`.
 */
export function encodeStrictUtcTime(value: TimeInput, field: string): string {
  const text = encodeTime(value, field)
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,6}Z$/.test(text)) return text
  return new Date(text).toISOString()
}

/**
 * Query-string building, shared by every resource. Monasca's server re-reads the raw query string,
 * so every value is percent-encoded with encodeURIComponent (commas, colons and spaces included;
 * never `+` for a space) and each key is sent once, except where a list is sent as repeated keys.
 */
import { MonascaValidationError } from './errors.js'
import type { DimensionsQuery, TimeInput } from './types.js'

/** Ordered query pairs, ready to encode. */
export type QueryPairs = Array<readonly [key: string, value: string]>

/** Builds ordered pairs, dropping undefined/null so optional parameters read naturally. */
export class Query {
  readonly pairs: [string, string][] = []

  /** Add `key=value` when the value is set. */
  set(key: string, value: string | number | boolean | undefined | null): this {
    if (value !== undefined && value !== null) this.pairs.push([key, String(value)])
    return this
  }

  /** Add one `key=value` per item (the Python client's `urlencode(doseq=True)`). */
  repeat(key: string, values: string | readonly string[] | undefined): this {
    if (values === undefined) return this
    for (const value of typeof values === 'string' ? [values] : values) this.pairs.push([key, value])
    return this
  }
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
    throw new MonascaValidationError(field, 'must be an object of key → value(s) or a "k:v,k2" string')
  }
  const parts: string[] = []
  for (const [key, value] of Object.entries(dimensions)) {
    if (value === undefined) continue
    const values = value === null ? [] : typeof value === 'string' ? [value] : [...value]
    const joined = values.filter((v) => v !== '').join('|')
    parts.push(joined ? `${key}:${joined}` : key)
  }
  return parts.join(',')
}

/**
 * The inverse of encodeDimensions, following the server's rules: split on `,`, then on the first
 * `:`, then values on `|`. Used by the emulator and by tests that check the round trip.
 */
export function parseDimensions(text: string): Record<string, string[]> {
  const result: Record<string, string[]> = {}
  if (text === '') return result
  for (const part of text.split(',')) {
    const colon = part.indexOf(':')
    const key = colon === -1 ? part : part.slice(0, colon)
    const raw = colon === -1 ? '' : part.slice(colon + 1)
    result[key] = raw === '' ? [] : raw.split('|')
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
    throw new MonascaValidationError(field, `must be a Date or an ISO-8601 time such as 2024-05-01T12:00:00Z, got ${describeValue(value)}`)
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

/** A short, safe rendering of a bad value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object'
  return `${typeof value} ${String(value)}`
}

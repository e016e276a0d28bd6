/**
 * Query-string handling as the real server does it: Falcon's parse_query_string (csv=True, blank
 * values dropped, repeated keys become lists of which get_query_param takes the first, `+` is a
 * space), the `dimensions` grammar, ISO times, limit/offset rules.
 */
import { parseDimensions as parseDimensionGrammar } from '../query.js'
import { unprocessable } from './http.js'

const utf8 = new TextDecoder('utf-8')
const encoder = new TextEncoder()

/** Percent-decode leniently (a bad escape stays literal), `+` as space, invalid UTF-8 replaced. */
export function decodeQueryComponent(raw: string): string {
  const text = raw.replace(/\+/g, ' ')
  if (!text.includes('%')) return text
  const bytes: number[] = []
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (ch === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16))
      i += 2
    } else {
      const cp = text.codePointAt(i)!
      const chunk = String.fromCodePoint(cp)
      bytes.push(...encoder.encode(chunk))
      if (chunk.length === 2) i++
    }
  }
  return utf8.decode(new Uint8Array(bytes))
}

export class Query {
  /** Parameters in request order: key → values (a raw comma split a value into several). */
  readonly params = new Map<string, string[]>()
  /** Decoded (key, value) pairs in request order, for rebuilding links. */
  readonly pairs: Array<[string, string]> = []

  constructor(rawQuery: string) {
    const query = rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery
    if (!query) return
    for (const part of query.split('&')) {
      if (!part) continue
      const eq = part.indexOf('=')
      if (eq <= 0) continue // Falcon drops a key without a value
      const key = decodeQueryComponent(part.slice(0, eq))
      const rawValue = part.slice(eq + 1)
      if (!rawValue) continue // keep_blank=False
      this.pairs.push([key, decodeQueryComponent(rawValue)])
      const values = rawValue.includes(',')
        ? rawValue.split(',').filter(Boolean).map(decodeQueryComponent)
        : [decodeQueryComponent(rawValue)]
      if (values.length === 0) continue
      const existing = this.params.get(key)
      if (existing) existing.push(...values)
      else this.params.set(key, values)
    }
  }

  has(key: string): boolean {
    return this.params.has(key)
  }

  /** get_query_param: the first value. */
  get(key: string): string | undefined {
    return this.params.get(key)?.[0]
  }

  /** Every value (repeated keys and raw-comma splits), then split on encoded commas too. */
  list(key: string): string[] | undefined {
    const values = this.params.get(key)
    return values?.flatMap((v) => v.split(','))
  }

  /** All values as Falcon gives them (no further comma split). */
  values(key: string): string[] | undefined {
    return this.params.get(key)
  }
}

/**
 * `k1:v1,k2:v2|v3,k4` → {k1:'v1', k2:'v2|v3', k4:''}: the SDK's own reading of the grammar (split on
 * the first ':' only), with the OR values kept joined for matchesDimensions. A blank value filters
 * nothing, as Falcon drops blank query values.
 */
export function parseDimensions(query: Query, key = 'dimensions'): Record<string, string> {
  const items = query.list(key)
  if (!items) return {}
  const parsed = parseDimensionGrammar(items.join(','))
  return Object.fromEntries(Object.entries(parsed).map(([name, values]) => [name, values.join('|')]))
}

/** Does a series' dimensions satisfy a query filter (exact OR over `|`; '' means "has the key")? */
export function matchesDimensions(filter: Record<string, string>, dimensions: Record<string, string>): boolean {
  for (const [key, wanted] of Object.entries(filter)) {
    const actual = dimensions[key]
    if (actual === undefined) return false
    if (wanted === '') continue
    if (!wanted.split('|').includes(actual)) return false
  }
  return true
}

const ISO =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i

/** oslo parse_isotime (iso8601): returns epoch ms, or undefined when it does not parse. */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO.exec(text.trim())
  if (!m) return undefined
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s)
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (day > daysInMonth) return undefined
  let ms = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(Number(`0.${frac || '0'}`) * 1000)
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')
    ms -= sign * offset * 60_000
  }
  return ms
}

/** start_time / end_time as the metric endpoints read them (422 on a bad or missing value). */
export function queryTime(query: Query, key: 'start_time' | 'end_time', required: boolean): number | undefined {
  const value = query.get(key)
  if (value === undefined) {
    if (required) throw unprocessable(key === 'start_time' ? 'Missing start time' : 'Missing end time')
    return undefined
  }
  const ms = parseIsoTime(value)
  if (ms === undefined) throw unprocessable(`Unable to parse date string '${value}'`)
  return ms
}

export const PAGE_LIMIT = 10_000

/** Request.limit: digits only, clamped to 10 000; default 10 000. */
export function queryLimit(query: Query): number {
  const raw = query.get('limit')
  if (raw === undefined) return PAGE_LIMIT
  if (!/^\d+$/.test(raw)) throw unprocessable('Limit parameter must be a positive integer', 'Invalid limit')
  return Math.min(Number(raw), PAGE_LIMIT)
}

/** Python int(): optional sign, digits, surrounding spaces and underscores between digits. */
export function pythonInt(text: string): number | undefined {
  const t = text.trim()
  if (!/^[+-]?\d+(?:_\d+)*$/.test(t)) return undefined
  return Number(t.replace(/_/g, ''))
}

/** Integer row offsets (alarms, definitions, notification methods). */
export function integerOffset(query: Query, message: (raw: string) => string): number {
  const raw = query.get('offset')
  if (raw === undefined) return 0
  const value = pythonInt(raw)
  if (value === undefined) throw unprocessable(message(raw))
  return Math.max(0, value)
}

/** Optional boolean like `merge_metrics=true` (case-insensitive; anything else is false). */
export const queryFlag = (query: Query, key: string): boolean => (query.get(key) ?? '').toLowerCase() === 'true'

/** `sort_by` as `field [asc|desc]` items; 422 for unknown fields or a bad shape. */
export function parseSortBy(query: Query, allowed: readonly string[], { allValues = false } = {}): Array<[string, 'asc' | 'desc']> | undefined {
  const raw = allValues ? query.list('sort_by') : query.get('sort_by')?.split(',')
  if (!raw) return undefined
  const result: Array<[string, 'asc' | 'desc']> = []
  for (const item of raw) {
    const parts = item.trim().split(/\s+/).filter(Boolean)
    if (parts.length === 0) continue
    if (parts.length > 2) throw unprocessable(`Invalid sort_by ${item}`)
    const [field, dir = 'asc'] = parts as [string, string?]
    if (!allowed.includes(field)) throw unprocessable(`sort_by field ${field} must be one of [${allowed.join(', ')}]`)
    if (dir !== 'asc' && dir !== 'desc') throw unprocessable(`sort_by value ${dir} must be 'asc' or 'desc'`)
    result.push([field, dir])
  }
  return result
}

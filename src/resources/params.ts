/** Query pieces several resources share: paging, dimensions, time ranges, flags. */
import { MonascaValidationError } from '../errors.js'
import { encodeDimensions, encodeTime, type Query } from '../query.js'
import type { DimensionsQuery, PageParams, TimeInput } from '../types.js'
import * as V from '../validate.js'

export function addPage(query: Query, params: PageParams, integerOffset = false): Query {
  if (params.offset !== undefined) {
    const offset = integerOffset ? String(V.nonNegativeInteger(params.offset, 'offset')) : String(params.offset)
    query.set('offset', offset)
  }
  if (params.limit !== undefined) query.set('limit', V.limit(params.limit))
  return query
}

/** Dimensions in the API's `k:v1|v2,k2` form, validated with the server's query rules. */
export function addDimensions(query: Query, key: string, value: DimensionsQuery | undefined): Query {
  if (value === undefined) return query
  const text = encodeDimensions(value, key)
  V.queryDimensions(text, key)
  return query.set(key, text)
}

/** start_time/end_time, checking that the range is not empty (the server answers 400 otherwise). */
export function addTimeRange(query: Query, start: TimeInput | undefined, end: TimeInput | undefined, required = false): Query {
  if (start === undefined && required) throw new MonascaValidationError('start_time', 'is required')
  const startText = start === undefined ? undefined : encodeTime(start, 'start_time')
  const endText = end === undefined ? undefined : encodeTime(end, 'end_time')
  if (startText !== undefined && endText !== undefined && Date.parse(startText) >= Date.parse(endText)) {
    throw new MonascaValidationError('end_time', 'must be after start_time')
  }
  return query.set('start_time', startText).set('end_time', endText)
}

/** A boolean flag; strings `true`/`false` in any case are sent as written. */
export function flag(value: boolean | string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'boolean') return String(value)
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value
  throw new MonascaValidationError(field, `must be true or false, got ${JSON.stringify(value)}`)
}

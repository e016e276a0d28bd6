/**
 * What the API promises each reply holds, checked before anything becomes data: a reply that is
 * `null`, a number, a string, an array where an object belongs, or an object without the fields that
 * identify it rejects with MonascaResponseError. Only what identifies an object (its id, name or
 * type) and the row lists a caller walks are checked, so servers that add or omit other fields keep working.
 */
import { MonascaResponseError } from '../errors.js'

type Kind = 's' | 'o' | 'a' // string, plain object, array

/** A shape: field → kind. */
export type Shape = Readonly<Record<string, Kind>>

// One constant per shape, so that a bundle keeps only the shapes of the resources it uses.
export const metricShape: Shape = { name: 's', dimensions: 'o' }
export const metricNameShape: Shape = { name: 's' }
export const measurementsShape: Shape = { columns: 'a', measurements: 'a' }
export const statisticsShape: Shape = { columns: 'a', statistics: 'a' }
export const dimensionNameShape: Shape = { dimension_name: 's' }
export const dimensionValueShape: Shape = { dimension_value: 's' }
export const alarmDefinitionShape: Shape = { id: 's' }
export const alarmShape: Shape = { id: 's' }
export const alarmCountShape: Shape = { columns: 'a', counts: 'a' }
export const stateHistoryShape: Shape = { alarm_id: 's', timestamp: 's' }
export const notificationShape: Shape = { id: 's' }
export const notificationTypeShape: Shape = { type: 's' }
export const versionShape: Shape = { id: 's' }

/** What a failed check knows about the request, for the error. */
export interface ReplyContext {
  method: string
  path: string
  status?: number
  requestId?: string | undefined
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const KINDS = { s: 'string', o: 'object', a: 'array' } as const

/** What is wrong with `value` as an object of this shape, or undefined. */
function mismatch(value: unknown, shape: Shape): string | undefined {
  if (!isObject(value)) return 'not an object'
  for (const key in shape) {
    const kind = shape[key]!
    const v = value[key]
    if (kind === 's' ? typeof v !== 'string' : kind === 'a' ? !Array.isArray(v) : !isObject(v)) return `no "${key}" ${KINDS[kind]}`
  }
  return undefined
}

/** The first bytes of what arrived, for the operator (never more than 200 characters). */
function bodyStart(value: unknown): string {
  let text: string
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
  } catch {
    text = String(value)
  }
  return text.slice(0, 200)
}

export function badReply(context: ReplyContext, what: string, body: unknown): MonascaResponseError {
  const { method, status, requestId } = context
  return new MonascaResponseError(`${method} ${context.path || '/'} answered a reply that is not what the API promises (${what})`, { method, status, requestId, bodyStart: bodyStart(body) })
}

/** A single object of the given shape (get, create, update, patch). */
export function checkObject<T>(data: unknown, shape: Shape, context: ReplyContext): T {
  const wrong = mismatch(data, shape)
  if (wrong) throw badReply(context, wrong, data)
  return data as T
}

/** A list envelope: an object whose `elements` is an array of the given shape and `links`, if any, an array. */
export function checkEnvelope<T>(data: unknown, shape: Shape, context: ReplyContext): { elements: T[]; links: Array<{ rel: string; href: string }> } {
  const wrong = mismatch(data, { elements: 'a' })
  if (wrong) throw badReply(context, wrong, data)
  const { elements, links = [] } = data as { elements: unknown[]; links?: unknown }
  if (!Array.isArray(links)) throw badReply(context, 'no "links" array', data)
  for (let i = 0; i < elements.length; i++) {
    const bad = mismatch(elements[i], shape)
    if (bad) throw badReply(context, `element ${i}: ${bad}`, data)
  }
  return { elements: elements as T[], links: links.filter(isObject) as Array<{ rel: string; href: string }> }
}

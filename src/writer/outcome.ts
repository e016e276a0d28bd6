/**
 * What a failed POST /metrics means for the batch: the server refused it (and will again), it
 * refused it for now (retry), it refused part of it (split), or nobody can know whether it was
 * stored (a timeout, a reset after the body went out). Only the writer may replay a write, and only
 * when it knows the server did not take it.
 */
import { MonascaAbortError, MonascaConnectionError, MonascaError, MonascaTimeoutError } from '../errors.js'
import { parseRetryAfter } from '../transport.js'

export type Outcome =
  /** Not taken, worth another try; `retryAfter` in ms when the server said. */
  | { kind: 'retry'; retryAfter?: number }
  /** Not taken because of some of its metrics: bisect it (422, 413). */
  | { kind: 'split'; status: number }
  /** Not taken and never will be. */
  | { kind: 'reject' }
  /** Maybe taken. */
  | { kind: 'unknown' }

/** Statuses the server may answer differently later. */
const TRANSIENT = new Set([408, 425, 429, 500, 502, 503, 504])
/**
 * Low-level codes of failures that happen before a byte of the request left: no connection was
 * made (Node/undici, Bun), the name did not resolve. Everything else is an unknown outcome.
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL', 'EAI_NONAME',
  'UND_ERR_CONNECT_TIMEOUT', 'ConnectionRefused', 'FailedToOpenSocket',
])
const NOT_SENT_MESSAGE = /\b(connection refused|tcp connect error|dns error|failed to lookup address)\b/i

/** Does this error come from the POST itself (and not from Keystone, before the POST was sent)? */
const METRICS_URL = /\/metrics(?:[?#]|$)/

export function classify(error: unknown): Outcome {
  if (!MonascaError.is(error)) return { kind: 'unknown' }
  const url = error.url
  const fromPost = url === undefined || METRICS_URL.test(url)
  if (!fromPost) return { kind: 'retry' } // a token or catalog call failed: the POST never went out
  const status = error.status
  if (typeof status === 'number' && !(error instanceof MonascaConnectionError)) {
    if (status === 422 || status === 413) return { kind: 'split', status }
    if (TRANSIENT.has(status) || status >= 500) return { kind: 'retry', retryAfter: retryAfterOf(error) }
    return status >= 400 ? { kind: 'reject' } : { kind: 'unknown' }
  }
  if (error instanceof MonascaTimeoutError || error instanceof MonascaAbortError) return { kind: 'unknown' }
  if (error instanceof MonascaConnectionError) return neverSent(error) ? { kind: 'retry' } : { kind: 'unknown' }
  // Input refused before sending (e.g. no endpoint): nothing was sent. A reply that is not what
  // the API promises (MonascaResponseError) came after the body went out: unknown.
  return error.code === 'validation' || error.code === 'endpoint_not_found' ? { kind: 'retry' } : { kind: 'unknown' }
}

/** The failure happened before any byte was sent: some code or message in the cause chain says so. */
export function neverSent(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown }
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true
    if (depth > 0 && typeof message === 'string' && NOT_SENT_MESSAGE.test(message)) return true
    current = cause
  }
  return false
}

/** Retry-After as the transport reports it: `retryAfterMs` (set on a 429), or a header kept on the error. */
function retryAfterOf(error: MonascaError): number | undefined {
  const fields = error as unknown as { retryAfterMs?: unknown; retryAfter?: unknown; headers?: { get?(name: string): string | null } }
  if (typeof fields.retryAfterMs === 'number' && Number.isFinite(fields.retryAfterMs)) return Math.max(0, fields.retryAfterMs)
  if (typeof fields.retryAfter === 'string') return parseRetryAfter(fields.retryAfter)
  if (typeof fields.headers?.get === 'function') return parseRetryAfter(fields.headers.get('retry-after'))
  return undefined
}

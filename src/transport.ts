/**
 * Monasca calls on top of the wire: the auth seam (a token per attempt, one resend after a 401), one
 * retry loop with full-jitter backoff and Retry-After inside an overall deadline, and typed errors
 * for every failure. The hot path does per request only what that request needs: a fixed endpoint
 * and a fixed token are used as they are, never awaited.
 */
import type { AuthProvider, EndpointFilter } from './auth/types.js'
import {
  errorClassForStatus,
  MonascaError,
  MonascaConnectionError,
  MonascaValidationError,
  parseErrorBody,
  RateLimitError,
  MonascaAbortError,
  MonascaTimeoutError,
} from './errors.js'
import { encodeQuery, type QueryPairs } from './query.js'
import { VERSION } from './version.js'
import {
  checkCount,
  checkFunction,
  checkHeaders,
  checkHeaderRecord,
  checkPositiveBytes,
  checkSignal,
  checkTimeout,
  DEFAULT_MAX_RESPONSE_BYTES,
  inBrowser,
  scrub,
  send,
  shownUrl as showUrl,
  sleep,
  type FetchLike,
  type HttpMethod,
  type WireReply,
} from './wire.js'

export type { FetchLike, HttpMethod } from './wire.js'

/** Per-call options, accepted as the last argument of every resource method. */
export interface RequestOptions {
  /** Cancels the call, including any backoff wait. */
  signal?: AbortSignal
  /** Milliseconds per attempt (body included); overrides the client's `timeout`. 0 for none. */
  timeout?: number
  /**
   * Milliseconds for the whole call, retries and backoff included; overrides the client's. Default:
   * `timeout × (retries + 1)`. A Retry-After longer than what is left is not waited out.
   */
  totalTimeout?: number
  /** Retries after the first attempt (0 = one attempt); overrides the client's `retries`. */
  retries?: number
  /** Retry POST and PATCH too (they are not idempotent: a retried POST /metrics writes twice). */
  retryNonIdempotent?: boolean
  /** Extra request headers. */
  headers?: Record<string, string>
  /** Largest reply body accepted, in bytes after decompression; overrides the client's. */
  maxResponseBytes?: number
  /** fetch's `keepalive`: the request may outlive the page (browsers cap such bodies at 64 KiB in all). */
  keepalive?: boolean
}

export interface RetryPolicy {
  /** First backoff ceiling in ms; doubles per retry (full jitter: a random wait below the ceiling). */
  baseDelay: number
  /** Largest backoff ceiling in ms. */
  maxDelay: number
  /** A Retry-After longer than this many ms is not waited for: the error is thrown instead. */
  maxRetryAfter: number
}

export interface TransportOptions {
  /** Monasca base URL including `/v2.0`. Without it the endpoint comes from the Keystone catalog. */
  endpoint?: string | URL
  auth: AuthProvider
  /** What the client's options say of the catalog lookup; the rest is the auth provider's default. */
  endpointFilter: Partial<EndpointFilter>
  /** Another fetch implementation (the emulator's handler, a node:http shim, a test stub). */
  fetch?: FetchLike
  /** Milliseconds per attempt, body included. Default 60 000; 0 for none. */
  timeout?: number
  /** Milliseconds per call, retries included. Default `timeout × (retries + 1)`. */
  totalTimeout?: number
  /** Retries of idempotent requests (GET, HEAD, PUT, DELETE). Default 2. */
  retries?: number
  retryPolicy?: Partial<RetryPolicy>
  /** Largest reply body accepted, in bytes after decompression. Default 16 MiB. */
  maxResponseBytes?: number
  /** Replaces the `monasca-client/<version>` user agent (outside browsers, which forbid it). */
  userAgent?: string
  /** Extra headers on every Monasca request. */
  headers?: Record<string, string>
  /** Called once per attempt with the request's facts (never its token). */
  onRequest?: (info: { method: string; url: string; attempt: number }) => void
  /** Called once per answer with its status and request id. */
  onResponse?: (info: { method: string; url: string; status: number; requestId?: string; attempt: number }) => void
}

export interface Request {
  method: HttpMethod
  /** Path below the endpoint (`/metrics`), or an absolute URL for the version document. */
  path: string
  query?: QueryPairs
  body?: unknown
}

export interface Answer<T> {
  data: T
  status: number
  headers: Headers
  requestId?: string
  /** The URL as errors may show it (credentials redacted), for a reply check that fails later. */
  url?: string
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504])
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE'])
const DEFAULT_POLICY: RetryPolicy = { baseDelay: 500, maxDelay: 8_000, maxRetryAfter: 60_000 }
const ABSOLUTE = /^https?:\/\//

/** The client-wide options, checked once (typed errors, before any request). */
function checkTransportOptions(options: Omit<TransportOptions, 'auth' | 'endpointFilter'>): void {
  checkTimeout(options.timeout)
  checkTimeout(options.totalTimeout, 'totalTimeout')
  checkCount(options.retries, 'retries')
  checkPositiveBytes(options.maxResponseBytes, 'maxResponseBytes')
  checkFunction(options.fetch, 'fetch')
  checkFunction(options.onRequest, 'onRequest')
  checkFunction(options.onResponse, 'onResponse')
  checkHeaderRecord(options.headers, 'headers')
  if (options.userAgent !== undefined && typeof options.userAgent !== 'string') throw new MonascaValidationError('userAgent', 'must be a string')
  for (const key of ['baseDelay', 'maxDelay', 'maxRetryAfter'] as const) checkTimeout(options.retryPolicy?.[key], `retryPolicy.${key}`)
}

/** The endpoint as given (a string or a URL object), checked: an http(s) URL without credentials, query or fragment. */
function normaliseEndpoint(endpoint: unknown): string | undefined {
  if (endpoint === undefined) return undefined
  const text = endpoint instanceof URL ? endpoint.href : endpoint
  if (typeof text !== 'string' || !/^https?:\/\/[^/]/.test(text)) {
    const shown = typeof text === 'string' ? JSON.stringify(showUrl(text)) : typeof text
    throw new MonascaValidationError('endpoint', `must be an http(s) URL such as http://monasca:8070/v2.0, got ${shown}`)
  }
  if (/^https?:\/\/[^/]*@/.test(text)) {
    throw new MonascaValidationError('endpoint', 'must not carry credentials (user:password@)')
  }
  if (/[?#]/.test(text)) {
    throw new MonascaValidationError('endpoint', 'must not have a query (?) or fragment (#)')
  }
  return text.replace(/\/+$/, '')
}

const isThenable = <T>(value: T | Promise<T>): value is Promise<T> => typeof (value as { then?: unknown })?.then === 'function'

export class Transport {
  readonly #options: TransportOptions
  readonly #policy: RetryPolicy
  readonly #fixedEndpoint: string | undefined
  readonly #headers: Record<string, string>
  readonly #timeout: number
  readonly #retries: number
  readonly #maxBytes: number
  #endpoint?: Promise<string>
  #tokenHeaders?: { token: string | undefined; headers: Record<string, string> }
  #resolvedEndpoint?: string

  constructor(options: TransportOptions) {
    checkTransportOptions(options)
    this.#options = options
    this.#policy = { ...DEFAULT_POLICY, ...options.retryPolicy }
    this.#fixedEndpoint = normaliseEndpoint(options.endpoint)
    this.#timeout = options.timeout ?? 60_000
    this.#retries = options.retries ?? 2
    this.#maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    // The headers every request shares, built once.
    this.#headers = { accept: 'application/json', ...options.headers }
    if (!inBrowser()) this.#headers['user-agent'] = options.userAgent ?? `monasca-client/${VERSION}`
    checkHeaders(this.#headers)
  }

  /** The Monasca base URL, fixed or resolved once from the catalog. */
  endpoint(signal?: AbortSignal): Promise<string> {
    if (this.#fixedEndpoint !== undefined) return Promise.resolve(this.#fixedEndpoint)
    return this.#catalogEndpoint(signal)
  }

  #catalogEndpoint(signal?: AbortSignal): Promise<string> {
    const { auth, endpointFilter } = this.#options
    if (!auth.getEndpoint) {
      return Promise.reject(new MonascaValidationError('endpoint', 'is required without a Keystone session'))
    }
    // Resolve once; a failure is not cached, so a later call can try again.
    this.#endpoint ??= auth.getEndpoint(endpointFilter, { signal }).then(
      (url) => (this.#resolvedEndpoint = url.replace(/\/+$/, '')),
      (error: unknown) => {
        this.#endpoint = undefined
        throw error
      },
    )
    return this.#endpoint
  }

  async request<T>(request: Request, options: RequestOptions = {}): Promise<Answer<T>> {
    const { method } = request
    const signal = checkSignal(options.signal)
    const timeout = options.timeout === undefined ? this.#timeout : checkTimeout(options.timeout)!
    const retries = options.retries === undefined ? this.#retries : checkCount(options.retries, 'retries')!
    const maxBytes = options.maxResponseBytes === undefined ? this.#maxBytes : checkPositiveBytes(options.maxResponseBytes, 'maxResponseBytes')!
    // The call's deadline: an explicit totalTimeout caps the attempts too; the default only bounds the waits between them.
    const explicitTotal = checkTimeout(options.totalTimeout, 'totalTimeout') ?? this.#options.totalTimeout
    const total = explicitTotal ?? timeout * (retries + 1)
    const deadline = total > 0 ? Date.now() + total : Infinity
    const headers = options.headers === undefined ? this.#headers : { ...this.#headers, ...checkHeaderRecord(options.headers, 'headers') }
    const mayRetry = IDEMPOTENT.has(method) || options.retryNonIdempotent === true

    // Known endpoints (fixed, or the catalog's once resolved) are used as they are, not awaited.
    const base = ABSOLUTE.test(request.path) ? '' : (this.#fixedEndpoint ?? this.#resolvedEndpoint ?? (await this.#catalogEndpoint(signal)))
    const query = request.query && request.query.length > 0 ? `?${encodeQuery(request.query)}` : ''
    const url = `${base}${request.path}${query}`
    const shownUrl = showUrl(url)
    const body = request.body === undefined ? undefined : JSON.stringify(request.body)

    let resentAfter401 = false
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new MonascaAbortError(`${method} ${shownUrl} was aborted`, { method, url: shownUrl, cause: signal.reason })
      // A token already known (fixed, or a session's good one) is used as it is, not awaited.
      const auth = this.#options.auth
      const pending = auth.currentToken?.() ?? auth.getToken(signal ? { signal } : undefined)
      const token = isThenable(pending) ? await pending : pending
      const left = explicitTotal === undefined ? Infinity : deadline - Date.now()
      if (left <= 0) throw new MonascaTimeoutError(`${method} ${shownUrl} ran out of its totalTimeout of ${total} ms`, { method, url: shownUrl })
      const capped = left < timeout || (timeout === 0 && Number.isFinite(left))
      const secrets = token === undefined ? [] : [token]
      // The usual case (shared headers, no body, the same token as last time) reuses one checked record.
      const shared = headers === this.#headers && body === undefined
      const cached = this.#tokenHeaders
      let sendHeaders: Record<string, string>
      if (shared && cached && cached.token === token) sendHeaders = cached.headers
      else {
        sendHeaders = { ...headers }
        if (token !== undefined) sendHeaders['x-auth-token'] = token
        if (body !== undefined) sendHeaders['content-type'] = 'application/json'
        checkHeaders(sendHeaders)
        if (shared) this.#tokenHeaders = { token, headers: sendHeaders }
      }
      this.#options.onRequest?.({ method, url: shownUrl, attempt })

      let failure: MonascaError
      let retryAfter: number | undefined
      let reply: WireReply | undefined
      try {
        reply = await send(this.#options.fetch, {
          method,
          url,
          shownUrl,
          headers: sendHeaders,
          headersChecked: true,
          body,
          signal,
          timeout: capped ? Math.ceil(left) : timeout,
          timeoutNote: capped ? `what was left of totalTimeout ${total} ms` : undefined,
          maxResponseBytes: maxBytes,
          keepalive: options.keepalive,
          secrets,
          service: 'Monasca',
        })
      } catch (error) {
        // Only a connection-family failure (not an abort by the caller) may be retried.
        if (error instanceof MonascaAbortError || !(error instanceof MonascaConnectionError)) throw error
        failure = error
      }
      if (reply) {
        const { status, requestId } = reply
        this.#options.onResponse?.({ method, url: shownUrl, status, requestId, attempt })
        if (status < 400) return { data: reply.data as T, status, headers: reply.headers, requestId, url: shownUrl }
        // Monasca's 401 titled "Forbidden" means a missing role: a new token would not help.
        if (status === 401 && token !== undefined && !resentAfter401 && parseErrorBody(reply.data).title !== 'Forbidden') {
          resentAfter401 = true
          if (await this.#options.auth.invalidate(token)) {
            attempt-- // the resend with a fresh token is not a retry
            continue
          }
        }
        failure = toApiError(reply, method, shownUrl, secrets)
        retryAfter = parseRetryAfter(reply.headers.get('retry-after'))
        if (failure instanceof RateLimitError && retryAfter !== undefined) failure.retryAfterMs = retryAfter
        // Monasca's Kafka 503 says Retry-After too: the metrics writer reads it from the error.
        else if (retryAfter !== undefined && status >= 500) Object.defineProperty(failure, 'retryAfterMs', { value: retryAfter, enumerable: false })
        if (!RETRY_STATUSES.has(status)) throw failure
      }
      if (!mayRetry || attempt >= retries) throw failure!
      if (retryAfter !== undefined && retryAfter > this.#policy.maxRetryAfter) throw failure!
      const ceiling = Math.min(this.#policy.maxDelay, this.#policy.baseDelay * 2 ** attempt)
      const wait = retryAfter ?? Math.random() * ceiling
      // A wait that would end past the deadline is not started: the last error is the answer.
      if (Date.now() + wait >= deadline) throw failure!
      await sleep(wait, signal, method, shownUrl)
    }
  }
}

/** A Monasca error status as a typed error, its texts scrubbed of the token the request carried. */
function toApiError(reply: WireReply, method: string, url: string, secrets: readonly string[]): MonascaError {
  const parsed = parseErrorBody(reply.data)
  const title = scrub(parsed.title, secrets)
  const description = scrub(parsed.description, secrets)
  const { status, requestId } = reply
  const ErrorClass = errorClassForStatus(status)
  const label = title ?? (reply.statusText || `HTTP ${status}`)
  let message = `${label} (HTTP ${status})${description ? `: ${description}` : ''}`
  // A 404 most often means a resource that is not there, or an endpoint that is not the API root.
  if (status === 404) message += `${/[.!?]$/.test(message) ? '' : '.'} ${method} ${url} was not found: check the id or name, and that the endpoint is Monasca's API root ending in /v2.0 (e.g. http://monasca:8070/v2.0)`
  return new ErrorClass(message, { status, title, description, requestId, method, url })
}

/** Retry-After in seconds or as an HTTP date, in ms from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * The wire. One ofetch instance per client does URL joining, JSON bodies and response parsing;
 * this module adds what ofetch does not do the way Monasca needs: the auth seam (token per attempt,
 * one resend after a 401), one retry loop with full-jitter backoff and Retry-After, a fresh timeout
 * signal per attempt composed with the caller's signal, and typed errors for every failure.
 */
import { ofetch, type $Fetch, type FetchResponse } from 'ofetch'
import type { AuthProvider, EndpointFilter } from './auth/types.js'
import {
  errorClassForStatus,
  MonascaAbortError,
  MonascaConnectionError,
  MonascaError,
  MonascaTimeoutError,
  MonascaValidationError,
  parseErrorBody,
  RateLimitError,
  redactUrl,
} from './errors.js'
import { encodeQuery, type QueryPairs } from './query.js'
import { VERSION } from './version.js'

/** Anything shaped like the global fetch: the emulator's handler, a node:http shim, a test stub. */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Per-call options, accepted as the last argument of every resource method. */
export interface RequestOptions {
  /** Cancels the call, including any backoff wait. */
  signal?: AbortSignal
  /** Milliseconds per attempt; overrides the client's `timeout`. */
  timeout?: number
  /** Retries after the first attempt; overrides the client's `retries`. */
  retries?: number
  /** Retry POST and PATCH too (they are not idempotent: a retried POST /metrics writes twice). */
  retryNonIdempotent?: boolean
  /** Extra request headers. */
  headers?: Record<string, string>
  /** fetch's `keepalive`: the request outlives the page (the writer's pagehide flush; 64 KiB of bodies at most). */
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
  endpoint?: string
  auth: AuthProvider
  endpointFilter: EndpointFilter
  /** Another fetch implementation (the emulator's handler, a node:http shim, a test stub). */
  fetch?: FetchLike
  /** Milliseconds per attempt, Keystone requests included. Default 60 000. */
  timeout?: number
  /** Retries of idempotent requests (GET, HEAD, PUT, DELETE). Default 2. */
  retries?: number
  retryPolicy?: Partial<RetryPolicy>
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
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504])
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE'])
const DEFAULT_POLICY: RetryPolicy = { baseDelay: 500, maxDelay: 8_000, maxRetryAfter: 60_000 }
const IN_BROWSER = typeof document !== 'undefined'

export class Transport {
  readonly #options: TransportOptions
  readonly #policy: RetryPolicy
  readonly #fetch: $Fetch
  #endpoint?: Promise<string>

  constructor(options: TransportOptions) {
    this.#options = options
    this.#policy = { ...DEFAULT_POLICY, ...options.retryPolicy }
    const injected = options.fetch
    // Late binding keeps `globalThis.fetch` replaceable (spies, polyfills) after the client exists.
    const fetchImpl: FetchLike = (input, init) => (injected ?? globalThis.fetch)(input, init)
    this.#fetch = ofetch.create({ retry: false, ignoreResponseError: true }, { fetch: fetchImpl as typeof fetch })
  }

  /** The Monasca base URL, fixed or resolved once from the catalog. */
  endpoint(signal?: AbortSignal): Promise<string> {
    if (this.#options.endpoint !== undefined) return Promise.resolve(stripSlash(this.#options.endpoint))
    const { auth, endpointFilter } = this.#options
    if (!auth.getEndpoint) {
      return Promise.reject(new MonascaValidationError('endpoint', 'is required when the client has no Keystone session to look it up in'))
    }
    // Resolve once; a failure is not cached, so a later call can try again.
    this.#endpoint ??= auth.getEndpoint(endpointFilter, { signal }).then(stripSlash, (error: unknown) => {
      this.#endpoint = undefined
      throw error
    })
    return this.#endpoint
  }

  async request<T>(request: Request, options: RequestOptions = {}): Promise<Answer<T>> {
    const { method } = request
    const retries = options.retries ?? this.#options.retries ?? 2
    const mayRetry = IDEMPOTENT.has(method) || options.retryNonIdempotent === true
    const base = /^https?:\/\//.test(request.path) ? '' : await this.endpoint(options.signal)
    const query = request.query && request.query.length > 0 ? `?${encodeQuery(request.query)}` : ''
    const url = `${base}${request.path}${query}`
    // What messages and errors may show; parsing the URL only when it could hold a credential.
    const shownUrl = /@|token|password|secret|key/i.test(url) ? redactUrl(url) : url

    let resentAfter401 = false
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(options.signal, method, shownUrl)
      const token = await this.#options.auth.getToken({ signal: options.signal })
      let failure!: MonascaError // set by the catch below or from the error status
      let retryAfter: number | undefined
      let response: FetchResponse<unknown> | undefined
      try {
        response = await this.#send(request, url, shownUrl, token, options, attempt)
      } catch (error) {
        // #send only throws connection-family errors; an abort by the caller is final.
        if (error instanceof MonascaAbortError || !(error instanceof MonascaConnectionError)) throw error
        failure = error
      }
      if (response) {
        const requestId = response.headers.get('x-openstack-request-id') ?? undefined
        this.#options.onResponse?.({ method, url: shownUrl, status: response.status, requestId, attempt })
        if (response.status < 400) {
          return { data: response._data as T, status: response.status, headers: response.headers, requestId }
        }
        // Monasca's 401 titled "Forbidden" means a missing role: a new token would not help.
        if (response.status === 401 && token !== undefined && !resentAfter401 && parseErrorBody(response._data).title !== 'Forbidden') {
          resentAfter401 = true
          if (await this.#options.auth.invalidate(token)) {
            attempt-- // the resend with a fresh token is not a retry
            continue
          }
        }
        failure = toApiError(response, method, shownUrl, requestId)
        retryAfter = parseRetryAfter(response.headers.get('retry-after'))
        if (failure instanceof RateLimitError && retryAfter !== undefined) failure.retryAfterMs = retryAfter
        // Monasca's Kafka 503 says Retry-After too: the metrics writer reads it from the error.
        else if (retryAfter !== undefined && response.status >= 500) Object.defineProperty(failure, 'retryAfterMs', { value: retryAfter, enumerable: false })
        if (!RETRY_STATUSES.has(response.status)) throw failure
      }
      if (!mayRetry || attempt >= retries) throw failure
      if (retryAfter !== undefined && retryAfter > this.#policy.maxRetryAfter) throw failure
      const ceiling = Math.min(this.#policy.maxDelay, this.#policy.baseDelay * 2 ** attempt)
      await sleep(retryAfter ?? Math.random() * ceiling, options.signal, method, shownUrl)
    }
  }

  async #send(request: Request, url: string, shownUrl: string, token: string | undefined, options: RequestOptions, attempt: number): Promise<FetchResponse<unknown>> {
    const { method } = request
    const headers: Record<string, string> = { accept: 'application/json', ...this.#options.headers, ...options.headers }
    if (!IN_BROWSER) headers['user-agent'] = this.#options.userAgent ?? `monasca-client/${VERSION}`
    if (token !== undefined) headers['x-auth-token'] = token
    if (request.body !== undefined) headers['content-type'] = 'application/json'
    this.#options.onRequest?.({ method, url: shownUrl, attempt })

    const timeout = options.timeout ?? this.#options.timeout ?? 60_000
    const attemptSignal = composeSignal(options.signal, timeout)
    try {
      return await this.#fetch.raw(url, {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: attemptSignal.signal,
        ...(options.keepalive ? { keepalive: true } : {}),
        // Every body goes through our parser: JSON when it is JSON, the text otherwise, never a throw.
        parseResponse: safeJsonParse,
      })
    } catch (error) {
      if (options.signal?.aborted) {
        throw new MonascaAbortError(`${method} ${shownUrl} was aborted`, { method, url: shownUrl, cause: options.signal.reason })
      }
      if (attemptSignal.timedOut()) {
        throw new MonascaTimeoutError(`${method} ${shownUrl} timed out after ${timeout} ms`, { method, url: shownUrl })
      }
      throw new MonascaConnectionError(`${method} ${shownUrl} failed: ${describeCause(error)}`, { method, url: shownUrl, cause: stripCause(error) })
    } finally {
      attemptSignal.dispose()
    }
  }
}

function toApiError(response: FetchResponse<unknown>, method: string, url: string, requestId: string | undefined): MonascaError {
  const { title, description } = parseErrorBody(response._data)
  const status = response.status
  const ErrorClass = errorClassForStatus(status)
  const label = title ?? (response.statusText || `HTTP ${status}`)
  const message = `${label} (HTTP ${status})${description ? `: ${description}` : ''}`
  return new ErrorClass(message, { status, title, description, requestId, method, url })
}

/** Retry-After in seconds or as an HTTP date, in ms from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** A signal for one attempt: aborts on the caller's signal or after `timeout` ms, and can be disposed. */
function composeSignal(caller: AbortSignal | undefined, timeout: number) {
  const controller = new AbortController()
  let timedOut = false
  const onAbort = () => controller.abort(caller?.reason)
  const timer = timeout > 0 && Number.isFinite(timeout)
    ? setTimeout(() => {
        timedOut = true
        controller.abort(new DOMException('The attempt timed out', 'TimeoutError'))
      }, timeout)
    : undefined
  if (caller?.aborted) controller.abort(caller.reason)
  else caller?.addEventListener('abort', onAbort, { once: true })
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      if (timer !== undefined) clearTimeout(timer)
      caller?.removeEventListener('abort', onAbort)
    },
  }
}

/** Wait `ms`, or reject as soon as the signal aborts. */
function sleep(ms: number, signal: AbortSignal | undefined, method: string, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new MonascaAbortError(`${method} ${url} was aborted`, { method, url, cause: signal.reason }))
    const onAbort = () => {
      clearTimeout(timer)
      reject(new MonascaAbortError(`${method} ${url} was aborted`, { method, url, cause: signal?.reason }))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

function throwIfAborted(signal: AbortSignal | undefined, method: string, url: string): void {
  if (signal?.aborted) throw new MonascaAbortError(`${method} ${url} was aborted`, { method, url, cause: signal.reason })
}

function safeJsonParse(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** The low-level reason of a network failure (ofetch wraps it), without request details. */
function stripCause(error: unknown): unknown {
  const cause = (error as { cause?: unknown })?.cause
  return cause ?? error
}

function describeCause(error: unknown): string {
  const cause = stripCause(error) as { message?: unknown; code?: unknown; cause?: { code?: unknown; message?: unknown } }
  const code = cause?.cause?.code ?? cause?.code
  const message = typeof cause?.message === 'string' ? cause.message : String(cause)
  return typeof code === 'string' ? `${message} (${code})` : message
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '')
}

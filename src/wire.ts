/**
 * The wire: the one layer every HTTP exchange goes through, Monasca's and Keystone's alike, on ofetch
 * over the platform's fetch (or the one the caller injects). It owns what must be the same everywhere:
 * the attempt's timeout composed with the caller's signal, redirects kept on their origin, a bounded
 * body read, JSON parsing that never turns a broken reply into data, and errors that carry no
 * credential. ofetch sends; it is asked for the raw response as a stream (no retry, no status
 * errors, no lenient parsing of its own), so that those rules stay here, in one place.
 */
import { createFetch, FetchError, type $Fetch, type FetchOptions } from 'ofetch'
import {
  type MonascaError,
  MonascaAbortError,
  MonascaAPIError,
  MonascaConnectionError,
  MonascaResponseError,
  MonascaTimeoutError,
  MonascaValidationError,
  redactUrl,
} from './errors.js'

/** Anything shaped like the global fetch: the emulator's handler, a node:http shim, a test stub. */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Largest delay a JS timer can hold (2³¹−1 ms, about 24.8 days); beyond it Node fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1
/** Default cap of a response body, decompressed: 16 MiB (a page of 10 000 measurements is ~1 MB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
const MAX_REDIRECTS = 5

/** A page or a web worker: the browser forbids some headers and hides others. */
export function inBrowser(): boolean {
  const scope = globalThis as { document?: unknown; WorkerGlobalScope?: unknown }
  return scope.document !== undefined || scope.WorkerGlobalScope !== undefined
}

export interface WireCall {
  method: HttpMethod
  url: string
  /** The URL as errors may show it (credentials removed). */
  shownUrl: string
  headers: Record<string, string>
  /** The caller already ran checkHeaders on these (the transport caches checked records). */
  headersChecked?: boolean
  body?: string
  /** The caller's signal. */
  signal?: AbortSignal | undefined
  /** Milliseconds for this attempt, body included; 0 for none. */
  timeout: number
  /** How a timeout is described when it is not the plain per-attempt one (`what was left of totalTimeout 3000 ms`). */
  timeoutNote?: string
  maxResponseBytes: number
  keepalive?: boolean
  /** Values that must never show in an error (tokens, passwords, secrets). */
  secrets: readonly string[]
  /** Who answers, for messages: `Monasca` or `Keystone`. */
  service: string
}

export interface WireReply {
  status: number
  statusText: string
  headers: Headers
  /** Parsed JSON; the text for an error status whose body is not JSON; undefined when empty. */
  data: unknown
  requestId: string | undefined
}

// One ofetch per fetch implementation, made on first use (nothing is done at import time).
let onGlobalFetch: $Fetch | undefined
const onFetchLike = new WeakMap<FetchLike, $Fetch>()

function ofetchFor(fetchImpl: FetchLike | undefined): $Fetch {
  // Late binding keeps `globalThis.fetch` replaceable (spies, polyfills) after the client exists.
  if (!fetchImpl) return (onGlobalFetch ??= createFetch({ fetch: (input, init) => globalThis.fetch(input, init) }))
  let made = onFetchLike.get(fetchImpl)
  if (!made) {
    // A caller's fetch gets a plain RequestInit (headers as a Headers), not ofetch's own option keys:
    // the fields the wire sets, copied into one object of a fixed shape.
    const plain = (input: RequestInfo | URL, options?: RequestInit) => {
      const o = options!
      const init: RequestInit = { method: o.method!, headers: o.headers!, redirect: o.redirect! }
      if (o.body !== undefined) init.body = o.body
      if (o.signal) init.signal = o.signal
      if (o.keepalive) init.keepalive = true
      return fetchImpl(input, init)
    }
    onFetchLike.set(fetchImpl, (made = createFetch({ fetch: plain })))
  }
  return made
}

/** One HTTP exchange: send, follow same-origin redirects, read the body within its cap. */
export async function send(fetchImpl: FetchLike | undefined, call: WireCall): Promise<WireReply> {
  if (!call.headersChecked) checkHeaders(call.headers)
  const $fetch = ofetchFor(fetchImpl)
  const attempt = attemptSignal(call.signal, call.timeout)
  let url = call.url
  let method = call.method
  let body = call.body
  try {
    for (let hop = 0; ; hop++) {
      // The raw response with its body unread: the redirect rule, the byte cap and the parsing are the wire's.
      const init: FetchOptions<'stream'> = { method, headers: call.headers, redirect: 'manual', retry: false, ignoreResponseError: true, responseType: 'stream' }
      if (body !== undefined) init.body = body
      if (attempt.signal) init.signal = attempt.signal
      if (call.keepalive) init.keepalive = true
      const response = await $fetch.raw(url, init)
      const { status } = response
      if (response.type === 'opaqueredirect' || (status >= 300 && status < 400 && status !== 304)) {
        await cancel(response)
        const target = redirectTarget(response, url, call)
        if (hop >= MAX_REDIRECTS) throw redirectError(call, status, 'too many redirects')
        // 303 (and 301/302 after a POST, as browsers do) become a GET without a body; 307/308 keep both.
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          method = 'GET'
          body = undefined
        }
        url = target
        continue
      }
      const text = await readText(response, call)
      const requestId = response.headers.get('x-openstack-request-id') ?? undefined
      return { status, statusText: response.statusText, headers: response.headers, data: parseBody(text, status, call), requestId }
    }
  } catch (error) {
    if (error instanceof MonascaAPIError || error instanceof MonascaResponseError || error instanceof MonascaValidationError) throw error
    // ofetch wraps what fetch threw; the platform's own error is what the message and the writer read.
    throw connectionError(error instanceof FetchError ? error.cause : error, call, attempt.timedOut())
  } finally {
    attempt.dispose()
  }
}

/**
 * A token or header value with a line break would land in fetch's own error message: refuse it here,
 * unechoed. A name that is not an HTTP token would fail in `new Headers()`, before any fetch: refuse it
 * here too, as what it is.
 */
export function checkHeaders(headers: Record<string, string>): void {
  for (const name in headers) {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      throw new MonascaValidationError(`headers.${name}`, 'is not a valid HTTP header name (letters, digits and !#$%&\'*+-.^_`|~ only)')
    }
    // eslint-disable-next-line no-control-regex
    if (/[\r\n\0]|[^\u0000-\u00ff]/.test(headers[name]!)) {
      throw new MonascaValidationError(
        name.toLowerCase() === 'x-auth-token' ? 'token' : `headers.${name}`,
        'has a line break, NUL or non-Latin-1 character, which an HTTP header cannot carry (value not shown)',
      )
    }
  }
}

function redirectTarget(response: Response, from: string, call: WireCall): string {
  const location = response.headers.get('location')
  // A browser's manual redirect is opaque: neither the status nor the target can be read.
  let target: URL | undefined
  try {
    if (location !== null && response.type !== 'opaqueredirect') target = new URL(location, from)
  } catch {
    // An invalid Location: the same error as an unreadable one.
  }
  if (!target) throw redirectError(call, response.status, 'to a target that cannot be read')
  if (target.origin !== new URL(from).origin) {
    throw redirectError(call, response.status, `to another origin (${target.origin}); not followed, so the credentials stay with ${new URL(from).origin}`)
  }
  return target.href
}

function redirectError(call: WireCall, status: number, why: string): MonascaAPIError {
  const shown = status ? `HTTP ${status}` : 'a redirect'
  return new MonascaAPIError(`${call.service} redirected ${call.method} ${call.shownUrl} (${shown}) ${why}`, {
    status,
    description: why,
    method: call.method,
    url: call.shownUrl,
  })
}

async function cancel(response: Response): Promise<void> {
  try {
    await response.body?.cancel()
  } catch {
    // Already closed: nothing to release.
  }
}

/** The body as text, decompressed bytes counted as they arrive; over the cap the stream is cancelled. */
async function readText(response: Response, call: WireCall): Promise<string> {
  if (call.method === 'HEAD' || response.status === 204 || response.status === 205 || !response.body) return ''
  const limit = call.maxResponseBytes
  const length = response.headers.get('content-length')
  const declared = Number(length)
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity'
  if (!encoded && declared > limit) {
    await cancel(response)
    throw tooLarge(call, response.status, limit, declared)
  }
  // Known and small enough: the platform's own reader (fetch fails a body shorter than its length).
  if (!encoded && length !== null) {
    try {
      return await response.text()
    } catch (error) {
      throw cutShort(call, response.status, '', error)
    }
  }
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let bytes = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      bytes += value.byteLength
      if (bytes > limit) {
        await reader.cancel().catch(() => undefined)
        throw tooLarge(call, response.status, limit)
      }
      text += decoder.decode(value, { stream: true })
    }
  } catch (error) {
    if (error instanceof MonascaResponseError) throw error
    throw cutShort(call, response.status, text, error)
  }
  return text + decoder.decode()
}

function tooLarge(call: WireCall, status: number, limit: number, declared?: number): MonascaResponseError {
  const size = declared === undefined ? `more than ${limit}` : `${declared}`
  return new MonascaResponseError(
    `${call.method} ${call.shownUrl}: the reply of ${size} bytes exceeds maxResponseBytes (${limit})`,
    { status, method: call.method, url: call.shownUrl },
  )
}

function cutShort(call: WireCall, status: number, received: string, error: unknown): MonascaResponseError {
  // An abort or timeout while the body streams is the attempt's end, not a broken reply.
  if (isAbort(error)) throw error
  return new MonascaResponseError(
    `${call.method} ${call.shownUrl}: the reply (HTTP ${status}) was cut short after ${received.length} characters`,
    { status, method: call.method, url: call.shownUrl, bodyStart: scrub(received, call.secrets) },
  )
}

const isAbort = (error: unknown) => (error as { name?: unknown })?.name === 'AbortError' || (error as { name?: unknown })?.name === 'TimeoutError'

/** JSON, or for an error status the text as is; a 2xx that is not JSON is a MonascaResponseError, never data. */
function parseBody(text: string, status: number, call: WireCall): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    if (status >= 400) return text
    throw new MonascaResponseError(
      `${call.method} ${call.shownUrl}: HTTP ${status} with a body that is not JSON: ${JSON.stringify(scrub(text.slice(0, 80), call.secrets))}`,
      { status, method: call.method, url: call.shownUrl, bodyStart: scrub(text.slice(0, 200), call.secrets) },
    )
  }
}

/**
 * The attempt's signal: the caller's alone when there is no timeout, a timer alone when there is no
 * caller signal, both composed only when both exist; nothing at all when neither does.
 */
function attemptSignal(caller: AbortSignal | undefined, timeout: number) {
  let timedOut = false
  if (!(timeout > 0)) return { signal: caller, timedOut: () => false, dispose: () => {} }
  const controller = new AbortController()
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort(new DOMException('The attempt timed out', 'TimeoutError'))
  }, timeout)
  const onAbort = () => controller.abort(caller?.reason)
  if (caller) {
    if (caller.aborted) onAbort()
    else caller.addEventListener('abort', onAbort, { once: true })
  }
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer)
      caller?.removeEventListener('abort', onAbort)
    },
  }
}

/** A failure with no HTTP answer: abort, timeout, or the network (scrubbed, in plain words). */
function connectionError(error: unknown, call: WireCall, timedOut: boolean): MonascaError {
  const fields = { method: call.method, url: call.shownUrl }
  if (call.signal?.aborted) return new MonascaAbortError(`${call.method} ${call.shownUrl} was aborted`, { ...fields, cause: call.signal.reason })
  if (timedOut) {
    return new MonascaTimeoutError(`${call.service} ${call.method} ${call.shownUrl} timed out after ${call.timeout} ms${call.timeoutNote ? ` (${call.timeoutNote})` : ''}`, fields)
  }
  const cause = (error as { cause?: unknown })?.cause ?? error
  const message = `${call.method} ${call.shownUrl} failed: cannot reach ${call.service}: ${scrub(describeCause(cause), call.secrets)}`
  return new MonascaConnectionError(message, { ...fields, cause: scrubbedCause(cause, call.secrets) })
}

/** What the platform said, with a TLS mismatch put in plain words. */
function describeCause(cause: unknown): string {
  const c = cause as { message?: unknown; code?: unknown; cause?: { code?: unknown; message?: unknown } }
  const code = String(c?.cause?.code ?? c?.code ?? '')
  const inner = String(c?.cause?.message ?? '')
  const message = String(c?.message ?? cause)
  if (/wrong version number|packet length too long|EPROTO|InvalidContentType/i.test(message + inner + code)) {
    return 'the server does not speak TLS at this address (is it http:// rather than https://?)'
  }
  const detail = inner && inner !== message ? `${message}: ${inner}` : message
  return code && !detail.includes(code) ? `${detail} (${code})` : detail
}

/** fetch's own error may quote a header value: kept as the cause only when it holds no secret. */
function scrubbedCause(cause: unknown, secrets: readonly string[]): unknown {
  const c = cause as { message?: unknown; name?: unknown; code?: unknown; cause?: { message?: unknown } }
  const message = String(c?.message ?? cause)
  // The same rule as scrub(): secrets of 1–3 characters are not looked for.
  if (!secrets.some((secret) => secret.length > 3 && (message + String(c?.cause?.message)).includes(secret))) return cause
  // A copy without the secret, keeping the code (ECONNREFUSED…) that callers such as the writer read.
  return Object.assign(new Error(scrub(message, secrets)), { name: String(c?.name), code: c?.code })
}

/** Replace every occurrence of a secret (raw, or as it appears inside a JSON string) with a marker. */
export function scrub(text: string, secrets: readonly string[]): string
export function scrub(text: string | undefined, secrets: readonly string[]): string | undefined
export function scrub(text: string | undefined, secrets: readonly string[]): string | undefined {
  if (text === undefined) return undefined
  let out = text
  for (const secret of secrets) {
    if (!secret) continue
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])) {
      // A secret of 1–3 characters (a test token `t`) is left alone: replacing it would erase ordinary words.
      if (form.length > 3) out = out.split(form).join('[REDACTED]')
    }
  }
  return out.length > 2000 ? `${out.slice(0, 2000)}…` : out
}

/** The URL as messages may show it; parsed only when it could hold a credential. */
export function shownUrl(url: string): string {
  return /@|token|password|secret|key/i.test(url) ? redactUrl(url) : url
}

type NumberRule = { min: number; max?: number; integer?: boolean; what: string }
const MS: NumberRule = { min: 0, max: MAX_TIMER_MS, what: 'a number of milliseconds from 0 (none) to 2147483647 (timers hold no more)' }
const COUNT: NumberRule = { min: 0, integer: true, what: 'a whole number ≥ 0' }
const BYTES: NumberRule = { min: 1, integer: true, what: 'a whole number of bytes > 0' }

function checkNumber(value: unknown, field: string, rule: NumberRule): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !(value >= rule.min && value <= (rule.max ?? Infinity)) || (rule.integer && !Number.isInteger(value))) {
    throw new MonascaValidationError(field, `must be ${rule.what}, got ${describe(value)}`)
  }
  return value
}

/** A number of milliseconds a timer can hold: 0 (none) up to 2³¹−1 (Infinity or more would fire at once in Node). */
export const checkTimeout = (value: unknown, field = 'timeout') => checkNumber(value, field, MS)
export const checkCount = (value: unknown, field: string) => checkNumber(value, field, COUNT)
export const checkPositiveBytes = (value: unknown, field: string) => checkNumber(value, field, BYTES)

export function checkSignal(value: unknown, field = 'signal'): AbortSignal | undefined {
  if (value == null) return undefined
  const s = value as Partial<AbortSignal>
  if (typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function') {
    throw new MonascaValidationError(field, `must be an AbortSignal, got ${describe(value)}`)
  }
  return value as AbortSignal
}

export function checkFunction<F>(value: unknown, field: string): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw new MonascaValidationError(field, `must be a function, got ${describe(value)}`)
  return value as F | undefined
}

export function checkHeaderRecord(value: unknown, field: string): Record<string, string> | undefined {
  if (value === undefined) return undefined
  if (value === null || typeof value !== 'object' || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new MonascaValidationError(field, `must be an object of header names to strings, got ${describe(value)}`)
  }
  return value as Record<string, string>
}

const describe = (value: unknown): string =>
  typeof value === 'number' ? String(value) : typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : value === null ? 'null' : typeof value

/** Wait `ms`, or reject as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined, method: string, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => new MonascaAbortError(`${method} ${url} was aborted`, { method, url, cause: signal?.reason })
    if (signal?.aborted) return reject(aborted())
    const onAbort = () => {
      clearTimeout(timer)
      reject(aborted())
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

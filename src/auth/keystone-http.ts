/**
 * The one place that talks HTTP to Keystone: plain fetch (late-bound), JSON bodies, a timeout per
 * request, and every failure mapped to a MonascaError that carries no credential.
 */
import {
  KeystoneAuthError,
  MonascaAbortError,
  MonascaConnectionError,
  MonascaTimeoutError,
  errorClassForStatus,
  parseErrorBody,
  type MonascaError,
} from '../errors.js'

export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>

export interface KeystoneRequest {
  method: 'GET' | 'POST' | 'DELETE'
  url: string
  headers?: Record<string, string>
  json?: unknown
  /** Strings that must never show up in an error (password, secret, token): scrubbed from Keystone's messages. */
  secrets: string[]
}

export interface KeystoneHttpOptions {
  fetch?: FetchLike | undefined
  /** Milliseconds per request. */
  timeout: number
  signal?: AbortSignal | undefined
}

export interface KeystoneReply {
  status: number
  /** X-Subject-Token, when the response carried one the caller may read. */
  subjectToken: string | undefined
  body: unknown
  /** Server clock (ms since epoch) from the `Date` header, when there is one. */
  serverDate: number | undefined
  /** Local clock when the answer arrived. */
  receivedAt: number
}

const timeoutMarker = Symbol('keystone-timeout')

export async function keystoneRequest(request: KeystoneRequest, options: KeystoneHttpOptions): Promise<KeystoneReply> {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(timeoutMarker), options.timeout)
  const onAbort = () => controller.abort(options.signal?.reason)
  if (options.signal?.aborted) onAbort()
  else options.signal?.addEventListener('abort', onAbort, { once: true })

  const headers: Record<string, string> = { Accept: 'application/json', ...request.headers }
  if (request.json !== undefined) headers['Content-Type'] = 'application/json'
  let response: Response
  let text: string
  try {
    response = await doFetch(request.url, {
      method: request.method,
      headers,
      ...(request.json === undefined ? {} : { body: JSON.stringify(request.json) }),
      signal: controller.signal,
    })
    text = await response.text()
  } catch (error) {
    throw networkError(error, controller.signal, request)
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
  }
  const receivedAt = Date.now()
  const body = parseBody(text)
  const requestId = response.headers.get('x-openstack-request-id') ?? undefined
  if (!response.ok) throw keystoneError(response.status, body, request, requestId)

  const dateHeader = response.headers.get('date')
  const serverDate = dateHeader ? Date.parse(dateHeader) : NaN
  return {
    status: response.status,
    subjectToken: response.headers.get('x-subject-token') ?? undefined,
    body,
    serverDate: Number.isFinite(serverDate) ? serverDate : undefined,
    receivedAt,
  }
}

function parseBody(text: string): unknown {
  if (!text.trim()) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** Replace every occurrence of a secret (raw or as it appears inside a JSON string) with a marker. */
export function scrub(text: string | undefined, secrets: string[]): string | undefined {
  if (text === undefined) return undefined
  let out = text
  for (const secret of secrets) {
    if (!secret) continue
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) out = out.split(form).join('[REDACTED]')
  }
  return out.length > 1000 ? `${out.slice(0, 1000)}…` : out
}

function keystoneError(status: number, body: unknown, request: KeystoneRequest, requestId: string | undefined): MonascaError {
  const parsed = parseErrorBody(body)
  const title = scrub(parsed.title, request.secrets)
  const description = scrub(parsed.description, request.secrets)
  const fields = { status, title, description, requestId, method: request.method, url: request.url }
  const isTokenCall = /\/auth\/tokens(\?|$)/.test(request.url)
  // 401: credentials refused. 404 on /auth/tokens: the token to validate or rescope is unknown,
  // expired or revoked. Both mean "authenticate again", never "retry".
  if (status === 401 || (status === 404 && isTokenCall)) {
    const what = status === 401 ? 'Keystone refused the credentials' : 'Keystone does not accept the token (expired or revoked)'
    const error = new KeystoneAuthError(`${what} (HTTP ${status})${description ? `: ${description}` : ''}`, fields)
    error.authUrl = authUrlOf(request.url)
    return error
  }
  const ErrorClass = errorClassForStatus(status)
  return new ErrorClass(`Keystone ${request.method} failed (HTTP ${status})${description ? `: ${description}` : ''}`, fields)
}

function networkError(error: unknown, signal: AbortSignal, request: KeystoneRequest): MonascaError {
  const fields = { method: request.method, url: request.url }
  if (signal.aborted && signal.reason === timeoutMarker) {
    return new MonascaTimeoutError(`Keystone did not answer ${request.method} ${request.url} in time`, fields)
  }
  if (signal.aborted) return new MonascaAbortError('the Keystone request was aborted', { ...fields, cause: signal.reason })
  // The cause is fetch's own error (network, DNS, CORS): it holds no request body or header.
  return new MonascaConnectionError(`cannot reach Keystone at ${request.url}`, { ...fields, cause: error })
}

/** https://host/identity/v3/auth/tokens → https://host/identity/v3 */
function authUrlOf(url: string): string {
  const index = url.indexOf('/auth/tokens')
  return index === -1 ? url : url.slice(0, index)
}

/**
 * The issued token of a 201. A browser hides response headers that CORS does not expose, so a
 * missing X-Subject-Token there almost always means Keystone's CORS settings.
 */
export function requireSubjectToken(reply: KeystoneReply, request: KeystoneRequest): string {
  if (reply.subjectToken) return reply.subjectToken
  const scope = globalThis as { document?: unknown; WorkerGlobalScope?: unknown }
  const inBrowser = scope.document !== undefined || scope.WorkerGlobalScope !== undefined // a page or a web worker
  const message = inBrowser
    ? 'Keystone issued a token but this page cannot read the X-Subject-Token response header: ' +
      "expose it in Keystone's CORS settings ([cors] expose_headers = X-Subject-Token, sent as " +
      'Access-Control-Expose-Headers) and allow this origin ([cors] allowed_origin)'
    : `Keystone answered HTTP ${reply.status} without an X-Subject-Token header`
  const error = new KeystoneAuthError(message, { status: reply.status, method: request.method, url: request.url })
  error.authUrl = authUrlOf(request.url)
  throw error
}

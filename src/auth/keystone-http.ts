/**
 * Keystone requests on the wire (the same one Monasca's go through): this module only builds the
 * request and turns Keystone's answers into errors that say what to check, in plain words, keeping
 * Keystone's own text and request id, never a credential.
 */
import { KeystoneAuthError, NotFoundError, errorClassForStatus, parseErrorBody, type MonascaError } from '../errors.js'
import { DEFAULT_MAX_RESPONSE_BYTES, inBrowser, scrub, send, shownUrl, type FetchLike } from '../wire.js'

export type { FetchLike } from '../wire.js'

export interface KeystoneRequest {
  method: 'GET' | 'POST' | 'DELETE'
  url: string
  headers?: Record<string, string>
  json?: unknown
  /** Strings that must never show up in an error (password, secret, token): scrubbed from Keystone's messages. */
  secrets: string[]
  /** Who is asking, for a refusal's message: `user "demo" (domain default) for project "demo"`. */
  who?: string
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

export async function keystoneRequest(request: KeystoneRequest, options: KeystoneHttpOptions): Promise<KeystoneReply> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers }
  if (request.json !== undefined) headers['content-type'] = 'application/json'
  const reply = await send(options.fetch, {
    method: request.method,
    url: request.url,
    shownUrl: shownUrl(request.url),
    headers,
    body: request.json === undefined ? undefined : JSON.stringify(request.json),
    signal: options.signal,
    timeout: options.timeout,
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
    secrets: request.secrets,
    service: 'Keystone',
  })
  const receivedAt = Date.now()
  if (reply.status >= 400) throw keystoneError(reply.status, reply.data, request, reply.requestId)
  const dateHeader = reply.headers.get('date')
  const serverDate = dateHeader ? Date.parse(dateHeader) : NaN
  return {
    status: reply.status,
    subjectToken: reply.headers.get('x-subject-token') ?? undefined,
    body: reply.data,
    serverDate: Number.isFinite(serverDate) ? serverDate : undefined,
    receivedAt,
  }
}

function keystoneError(status: number, body: unknown, request: KeystoneRequest, requestId: string | undefined): MonascaError {
  const parsed = parseErrorBody(body)
  const title = scrub(parsed.title, request.secrets)
  const description = scrub(parsed.description, request.secrets)
  const authUrl = authUrlOf(request.url)
  const fields = { status, title, description, requestId, method: request.method, url: request.url, authUrl }
  const said = `${description ? ` Keystone said: ${JSON.stringify(description)}` : ''}${requestId ? ` (request id ${requestId})` : ''}`
  const isTokenCall = /\/auth\/tokens(\?|$)/.test(request.url)
  if (status === 401 && request.method === 'POST' && request.who !== undefined) {
    // Keystone says the same for a wrong password, an unknown user and a project without a role.
    return new KeystoneAuthError(
      `Keystone at ${authUrl} refused the credentials of ${request.who} (HTTP 401). ` +
        `Check the password or secret, the user name and its domain, and that the user has a role on the project.${said}`,
      fields,
    )
  }
  if (status === 401 || (status === 404 && isTokenCall && request.method !== 'POST')) {
    // A token to validate or rescope that is unknown, expired or revoked: authenticate again, never retry.
    const what = status === 401 ? 'refused the token' : 'does not know the token (expired or revoked)'
    return new KeystoneAuthError(`Keystone at ${authUrl} ${what} (HTTP ${status}): authenticate again.${said}`, fields)
  }
  if (status === 404) {
    return new NotFoundError(
      `Keystone at ${authUrl} answered 404 Not Found for ${request.method} ${shownUrl(request.url)}: ` +
        `authUrl should be Keystone's identity root, e.g. http://keystone:5000/v3.${said}`,
      fields,
    )
  }
  const ErrorClass = errorClassForStatus(status)
  return new ErrorClass(`Keystone ${request.method} failed (HTTP ${status})${description ? `: ${description}` : ''}${requestId ? ` (request id ${requestId})` : ''}`, fields)
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
  const message = inBrowser()
    ? 'Keystone issued a token but this page cannot read its X-Subject-Token header: ' +
      "expose it in Keystone's CORS settings ([cors] expose_headers = X-Subject-Token) and allow this origin ([cors] allowed_origin)"
    : `Keystone answered HTTP ${reply.status} without an X-Subject-Token header`
  throw new KeystoneAuthError(message, { status: reply.status, method: request.method, url: request.url, authUrl: authUrlOf(request.url) })
}

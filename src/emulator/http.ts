/** Response builders in the real servers' shapes (Falcon for Monasca, Flask for Keystone). */

/** Thrown inside handlers to answer with an error response; the router turns it into one. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`)
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

export function noContent(headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 204, headers })
}

/** Falcon's HTTPError body: `{"title","description"}` (description left out when absent). */
export function monascaError(status: number, title: string, description?: string, headers?: Record<string, string>): HttpError {
  return new HttpError(status, description === undefined ? { title } : { title, description }, headers)
}

export const unprocessable = (description: string, title = 'Unprocessable Entity') => monascaError(422, title, description)
export const badRequest = (description: string, title = 'Bad Request') => monascaError(400, title, description)
export const conflict = (description: string, title = 'AlreadyExistsException') => monascaError(409, title, description)
/** A bare falcon.HTTPNotFound, as Falcon ≥3 renders it. */
export const notFound = () => new HttpError(404, { title: '404 Not Found' })
/** The 401 Monasca gives for a missing role (helpers.validate_authorization). */
export const forbidden = () =>
  monascaError(401, 'Forbidden', 'The request does not have access to this service', { 'WWW-Authenticate': 'Token' })
export const methodNotAllowed = (allow: string[]) =>
  new HttpError(405, { title: '405 Method Not Allowed' }, { Allow: allow.join(', ') })

/** Keystone's error body: `{"error":{"code","message","title"}}`. */
export function keystoneError(code: number, title: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): HttpError {
  return new HttpError(code, { error: { code, ...extra, message, title } }, headers)
}

export const KEYSTONE_UNAUTHORIZED_MESSAGE = 'The request you have made requires authentication.'

/** Keystone's 401 (also keystonemiddleware's, in front of Monasca), pointing at the Keystone of `base`. */
export function keystoneUnauthorized(base: string, message = KEYSTONE_UNAUTHORIZED_MESSAGE, extra: Record<string, unknown> = {}): HttpError {
  return keystoneError(401, 'Unauthorized', message, extra, { 'WWW-Authenticate': `Keystone uri="${base}/v3"` })
}

/** A path without its trailing slashes (`/` stays `/`). */
export const trimPath = (path: string): string => (path.length > 1 ? path.replace(/\/+$/, '') : path) || '/'

/** Read a JSON body: `empty` when there is none, `ok: false` when it is not JSON (each API words that itself). */
export async function readJson(request: Request): Promise<{ ok: true; value: unknown; empty: boolean } | { ok: false }> {
  let text: string
  try {
    text = await request.text()
  } catch {
    return { ok: false }
  }
  if (text.trim() === '') return { ok: true, value: undefined, empty: true }
  try {
    return { ok: true, value: JSON.parse(text) as unknown, empty: false }
  } catch {
    return { ok: false }
  }
}

/** The Content-Type header as sent ('' when absent): Falcon compares the whole value, parameters included. */
export function contentType(request: Request): string {
  return (request.headers.get('content-type') ?? '').trim()
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Every error the SDK throws is a MonascaError. Subclasses name what went wrong (a status, the
 * network, a timeout, an abort, bad input, Keystone) and carry the request's facts. No error ever
 * holds a token, password or secret: URLs are stored without credentials and headers are not kept.
 */

/** Brand that survives several bundled copies of the SDK in one page (instanceof would not). */
const BRAND = Symbol.for('monasca-client.error')

export interface MonascaErrorFields {
  status?: number
  title?: string
  description?: string
  requestId?: string
  method?: string
  url?: string
  /** The Keystone URL (…/v3) an identity error concerns. */
  authUrl?: string
  cause?: unknown
}

const FIELDS = ['status', 'title', 'description', 'requestId', 'method', 'url', 'authUrl'] as const

export class MonascaError extends Error {
  // Every class names itself: minifiers (ours for the CDN build, and users' bundlers) rename classes.
  override name = 'MonascaError'
  /** Stable machine-readable code, e.g. `not_found`, `timeout`, `validation`. */
  readonly code: string = 'monasca_error'
  /** HTTP status, when the server answered. */
  declare readonly status?: number
  /** Short error title from the server body (`title`, or Keystone's `error.title`). */
  declare readonly title?: string
  /** Longer explanation from the server body (`description`, `message`, `details`). */
  declare readonly description?: string
  /** `x-openstack-request-id` of the response, for the operator's logs. */
  declare readonly requestId?: string
  declare readonly method?: string
  declare readonly url?: string
  /** The Keystone URL (…/v3), on errors of a Keystone request. */
  declare authUrl?: string

  constructor(message: string, fields: MonascaErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause })
    for (const key of FIELDS) {
      const value = fields[key]
      if (value !== undefined) (this as Record<string, unknown>)[key] = key === 'url' ? redactUrl(value as string) : value
    }
    Object.defineProperty(this, BRAND, { value: true })
  }

  /** True for any MonascaError, even one thrown by another copy of this package. */
  static is(value: unknown): value is MonascaError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }

  /** What `JSON.stringify(error)` shows: the facts, never a credential (the cause is left out). */
  toJSON(): Record<string, unknown> {
    // The error's own fields (subclasses' too: field, bodyStart, retryAfterMs…); the cause is not one.
    return { ...(this as object), message: this.message }
  }
}

/** Same check as `MonascaError.is`, as a free function. */
export const isMonascaError = (value: unknown): value is MonascaError => MonascaError.is(value)

/** The server answered with an error status. */
export class MonascaAPIError extends MonascaError {
  override name = 'MonascaAPIError'
  declare readonly status: number
  override readonly code: string = 'api_error'
}
export class BadRequestError extends MonascaAPIError {
  override name = 'BadRequestError'
  override readonly code: string = 'bad_request'
}
/** 401: a missing, invalid or expired token, or (Monasca's quirk) a missing role with title "Forbidden". */
export class AuthenticationError extends MonascaAPIError {
  override name = 'AuthenticationError'
  override readonly code: string = 'unauthorized'
  /** True when Monasca refused for lack of a role rather than for the token (its 401 "Forbidden"). */
  get isForbidden(): boolean {
    return this.title === 'Forbidden'
  }
}
export class PermissionDeniedError extends MonascaAPIError {
  override name = 'PermissionDeniedError'
  override readonly code: string = 'forbidden'
}
export class NotFoundError extends MonascaAPIError {
  override name = 'NotFoundError'
  override readonly code: string = 'not_found'
}
export class ConflictError extends MonascaAPIError {
  override name = 'ConflictError'
  override readonly code: string = 'conflict'
}
export class UnprocessableEntityError extends MonascaAPIError {
  override name = 'UnprocessableEntityError'
  override readonly code: string = 'unprocessable_entity'
}
export class RateLimitError extends MonascaAPIError {
  override name = 'RateLimitError'
  override readonly code: string = 'rate_limited'
  /** Milliseconds the server asked us to wait (Retry-After), when it said. */
  retryAfterMs?: number
}
export class InternalServerError extends MonascaAPIError {
  override name = 'InternalServerError'
  override readonly code: string = 'server_error'
}

/** The request never got an HTTP answer (DNS, refused connection, reset, CORS in a browser). */
export class MonascaConnectionError extends MonascaError {
  override name = 'MonascaConnectionError'
  override readonly code: string = 'connection_error'
}
/** An attempt took longer than the `timeout` option. */
export class MonascaTimeoutError extends MonascaConnectionError {
  override name = 'MonascaTimeoutError'
  override readonly code: string = 'timeout'
}
/** The caller's AbortSignal fired. */
export class MonascaAbortError extends MonascaConnectionError {
  override name = 'MonascaAbortError'
  override readonly code: string = 'aborted'
}

/**
 * The server answered 2xx with something the API does not promise: a body cut short, HTML, a bare
 * string or number, `null`, or JSON of the wrong shape. Never turned into data.
 */
export class MonascaResponseError extends MonascaError {
  override name = 'MonascaResponseError'
  override readonly code: string = 'invalid_response'
  /** The first bytes of the body as received (at most 200 characters), for the operator. */
  readonly bodyStart?: string
  constructor(message: string, fields: MonascaErrorFields & { bodyStart?: string } = {}) {
    super(message, fields)
    if (fields.bodyStart !== undefined) this.bodyStart = fields.bodyStart.slice(0, 200)
  }
}

/** Input refused before any request was sent. `field` names the offending parameter. */
export class MonascaValidationError extends MonascaError {
  override name = 'MonascaValidationError'
  override readonly code: string = 'validation'
  readonly field: string
  constructor(field: string, message: string) {
    super(`${field}: ${message}`)
    this.field = field
  }
}

/** Keystone refused to issue or validate a token (wrong password, revoked token, CORS-hidden header…). */
export class KeystoneAuthError extends AuthenticationError {
  override name = 'KeystoneAuthError'
  override readonly code: string = 'keystone_auth'
}

/** The service catalog has no endpoint for the requested service type, interface and region. */
export class EndpointNotFoundError extends MonascaError {
  override name = 'EndpointNotFoundError'
  override readonly code: string = 'endpoint_not_found'
}

/** A session built on a pre-issued token reached that token's expiry and cannot renew it. */
export class SessionExpiredError extends MonascaError {
  override name = 'SessionExpiredError'
  override readonly code: string = 'session_expired'
  expiresAt?: Date
}

const statusClasses: Record<number, typeof MonascaAPIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
}

/** The class for an HTTP error status. */
export function errorClassForStatus(status: number): typeof MonascaAPIError {
  return statusClasses[status] ?? (status >= 500 ? InternalServerError : MonascaAPIError)
}

/** title/description out of any of the three error body forms met in the field. */
export function parseErrorBody(body: unknown): { title?: string; description?: string } {
  if (typeof body === 'string') {
    const text = pageText(body.trim())
    return text ? { description: text.slice(0, 2000) } : {}
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {}
  const record = body as Record<string, unknown>
  const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined)
  // Python API (falcon): {"title": "...", "description": "..."}
  if ('title' in record || 'description' in record) {
    return dropUndefined({ title: text(record.title), description: text(record.description) })
  }
  // Keystone / keystonemiddleware: {"error": {"code", "title", "message"}}
  const error = record.error
  if (error && typeof error === 'object') {
    const e = error as Record<string, unknown>
    return dropUndefined({ title: text(e.title), description: text(e.message) ?? text(e.details) })
  }
  // Legacy Java API: {"<fault_name>": {"code", "message", "details"}}
  const keys = Object.keys(record)
  if (keys.length === 1) {
    const inner = record[keys[0]!]
    if (inner && typeof inner === 'object') {
      const i = inner as Record<string, unknown>
      const message = text(i.message)
      return dropUndefined({ title: keys[0], description: text(i.details) || message })
    }
  }
  return {}
}

/** An HTML error page (a proxy's, a framework's) read as its title, or its text without tags. */
function pageText(text: string): string {
  if (!/^<(!doctype|html|head|body)/i.test(text)) return text
  return /<title[^>]*>([^<]*)</i.exec(text)?.[1]?.trim() || text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim()
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key]
  return value
}

/** Remove userinfo and credential-looking query parameters from a URL kept in an error. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.username = ''
    parsed.password = ''
    for (const key of [...parsed.searchParams.keys()]) {
      if (/token|password|secret|key/i.test(key)) parsed.searchParams.set(key, 'REDACTED')
    }
    return parsed.toString()
  } catch {
    return url
  }
}

/**
 * A list's `next` link asked again for an offset this iteration had already read (a server that
 * repeats or cycles its offsets): following it would never end, so the iteration stops here.
 */
export class MonascaPaginationError extends MonascaResponseError {
  override name = 'MonascaPaginationError'
  override readonly code: string = 'pagination_loop'
  /** The offset the `next` link repeated. */
  readonly offset: string
  constructor(message: string, fields: MonascaErrorFields & { offset: string }) {
    super(message, fields)
    this.offset = fields.offset
  }
}

/**
 * Injected failures (`emulator.failNext`): a test tells the emulator to answer the next matching
 * requests with an error, in the real server's error shape, so a page or a client can be shown a
 * 500 with its request id, a 503, a slow answer or a dropped connection.
 */
import { HttpError, keystoneError, keystoneUnauthorized, monascaError, trimPath } from './http.js'

export interface FailureSpec {
  /** Only this method (any case). Default: any. */
  method?: string
  /** Only this path: a string is the exact path (trailing slashes ignored), a RegExp is tested on it. Default: any. */
  path?: string | RegExp
  /** HTTP status, 400–599. Default 500. */
  status?: number
  /** How many matching requests fail. Default 1; `Infinity` until `cancel()` or `clearFailures()`. */
  times?: number
  /** The body to answer (JSON). Default: the real server's error body for the status and the service. */
  body?: unknown
  /** Extra response headers (e.g. `Retry-After`). `x-openstack-request-id` is always set. */
  headers?: Record<string, string>
  /** Wait this long before answering (a slow server); the request's signal still aborts it. */
  delayMs?: number
  /**
   * Drop the connection instead of answering: `emulator.fetch` rejects with a TypeError as fetch
   * does, `serveEmulator` destroys the socket.
   */
  network?: boolean
}

export interface FailureHandle {
  /** Matching requests this failure still answers. */
  readonly remaining: number
  /** Requests it has answered so far. */
  readonly hits: number
  /** Stop failing (the requests already answered stay answered). */
  cancel(): void
}

/** Thrown by `emulator.handle` for a `network: true` failure; servers drop the connection on it. */
export class InjectedNetworkFailure extends Error {
  constructor() {
    super('connection dropped by emulator.failNext({ network: true })')
    this.name = 'InjectedNetworkFailure'
  }
}

const MONASCA_TITLES: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Service unavailable',
  502: 'Bad Gateway',
  503: 'Service unavailable',
  504: 'Gateway Timeout',
}
const KEYSTONE_TITLES: Record<number, [string, string]> = {
  400: ['Bad Request', 'The request could not be understood by the server.'],
  403: ['Forbidden', 'You are not authorized to perform the requested action.'],
  404: ['Not Found', 'The resource could not be found.'],
  500: ['Internal Server Error', 'An unexpected error prevented the server from fulfilling your request.'],
  503: ['Service Unavailable', 'The service is temporarily unavailable.'],
}
const DESCRIPTION = 'The emulator was told to fail this request (emulator.failNext)'

interface Armed {
  spec: FailureSpec
  status: number
  remaining: number
  hits: number
}

/** The default error for a status, as the service behind the path would word it. */
function defaultFailure(status: number, path: string, base: string): HttpError {
  const keystone = path === '/v3' || path.startsWith('/v3/')
  if (status === 401) return keystoneUnauthorized(base)
  if (keystone) {
    const [title, message] = KEYSTONE_TITLES[status] ?? [`HTTP ${status}`, DESCRIPTION]
    return keystoneError(status, title, message)
  }
  if (status === 404) return new HttpError(404, { title: '404 Not Found' })
  if (status === 503) return monascaError(503, 'Service unavailable', DESCRIPTION, { 'Retry-After': '60' })
  return monascaError(status, MONASCA_TITLES[status] ?? `HTTP ${status}`, DESCRIPTION)
}

export class Failures {
  private armed: Armed[] = []

  add(spec: FailureSpec): FailureHandle {
    const status = spec.status ?? 500
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new RangeError(`failNext: status must be an integer 400-599, got ${String(spec.status)}`)
    const times = spec.times ?? 1
    if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) throw new RangeError(`failNext: times must be a positive integer or Infinity, got ${String(spec.times)}`)
    if (spec.delayMs !== undefined && !(Number.isFinite(spec.delayMs) && spec.delayMs >= 0)) throw new RangeError(`failNext: delayMs must be a non-negative number, got ${String(spec.delayMs)}`)
    if (spec.path !== undefined && typeof spec.path !== 'string' && !(spec.path instanceof RegExp)) throw new TypeError('failNext: path must be a string or a RegExp')
    const armed: Armed = { spec, status, remaining: times, hits: 0 }
    this.armed.push(armed)
    return {
      get remaining() {
        return armed.remaining
      },
      get hits() {
        return armed.hits
      },
      cancel: () => {
        armed.remaining = 0
        this.armed = this.armed.filter((a) => a !== armed)
      },
    }
  }

  clear(): void {
    for (const a of this.armed) a.remaining = 0
    this.armed = []
  }

  /** The first armed failure matching this request, consumed; undefined when none does. */
  take(method: string, pathname: string): Armed | undefined {
    const path = trimPath(pathname)
    const found = this.armed.find((a) => {
      const { method: m, path: p } = a.spec
      if (m !== undefined && m.toUpperCase() !== method) return false
      if (p === undefined) return true
      if (typeof p === 'string') return trimPath(p) === path
      p.lastIndex = 0
      return p.test(path)
    })
    if (!found) return undefined
    found.remaining -= 1
    found.hits += 1
    if (found.remaining <= 0) this.armed = this.armed.filter((a) => a !== found)
    return found
  }
}

/** Wait `ms`, or reject with an AbortError when the signal fires first. */
export function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const abort = () => {
      clearTimeout(timer)
      reject(new DOMException('This operation was aborted', 'AbortError'))
    }
    if (signal?.aborted) return abort()
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', abort, { once: true })
  })
}

/** The answer of an armed failure (headers without the request id: the router adds it). */
export function failureError(armed: Armed, path: string, base: string): HttpError {
  const fallback = defaultFailure(armed.status, trimPath(path), base)
  const body = armed.spec.body === undefined ? fallback.body : armed.spec.body
  return new HttpError(armed.status, body, { ...fallback.headers, ...(armed.spec.headers ?? {}) })
}

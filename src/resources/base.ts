import { MonascaError, MonascaResponseError, MonascaValidationError } from '../errors.js'
import { offsetFromNextLink, PagePromise, type MergeAcrossPages, type NextOffset, type WithResponse } from '../paginate.js'
import { Query } from '../query.js'
import type { Answer, HttpMethod, RequestOptions, Transport } from '../transport.js'
import { CallPromise } from './call-promise.js'
import { checkEnvelope, checkObject, type ReplyContext, type Shape } from './shapes.js'
import { describeValue, jsonBody } from '../validate.js'

/** One call: the path and the query/body are built when the call runs, so bad input rejects it. */
export interface CallSpec {
  method: HttpMethod
  path: string | (() => string)
  query?: () => Query
  body?: () => unknown
  /** What the reply must hold (none: the body is not looked at, as for a 204). */
  shape?: Shape
  /** Turns the transport's error into a more precise one (e.g. a 422 on an expression). */
  mapError?: (error: unknown) => unknown
}

/** One paged GET: `query` is built (and validated) once; each page repeats it with its own offset. */
export interface ListSpec<T> {
  path: string | (() => string)
  query: () => Query
  shape: Shape
  next?: NextOffset<T>
  merge?: MergeAcrossPages<T>
}

/** One API resource: each method is one typed call into the transport. */
export abstract class Resource {
  protected readonly transport: Transport

  constructor(transport: Transport) {
    this.transport = transport
  }

  /** One request; resolves with the checked body (undefined for 204). Validation errors reject before any request. */
  protected call<T>(spec: CallSpec, options?: RequestOptions): CallPromise<T> {
    return new CallPromise(async (): Promise<WithResponse<T>> => {
      const { path, query, body } = prepare(() => {
        checkOptions(options)
        const body = spec.body?.()
        if (body !== undefined) jsonBody(body)
        return { path: typeof spec.path === 'function' ? spec.path() : spec.path, query: spec.query?.(), body }
      })
      let answer
      try {
        answer = await this.transport.request<unknown>({ method: spec.method, path, query: query?.pairs, body }, options)
      } catch (error) {
        throw spec.mapError ? spec.mapError(error) : error
      }
      const context: ReplyContext = { method: spec.method, path, status: answer.status, requestId: answer.requestId }
      const data = spec.shape ? this.#checked(() => checkObject<T>(answer.data, spec.shape!, context), answer) : (answer.data as T)
      return { data, response: { status: answer.status, headers: answer.headers }, requestId: answer.requestId }
    })
  }

  /** Runs a reply check; a reply that lies gets the URL the transport sent the request to. */
  #checked<R>(check: () => R, answer: Answer<unknown>): R {
    try {
      return check()
    } catch (error) {
      if (!(error instanceof MonascaResponseError)) throw error
      const { method, status, requestId, bodyStart } = error
      throw new MonascaResponseError(error.message, { method, status, requestId, bodyStart, url: answer.url })
    }
  }

  protected paged<T>(spec: ListSpec<T>, options?: RequestOptions): PagePromise<T> {
    let built: { path: string; base: Query } | undefined
    return new PagePromise<T>(
      async (offset, signal) => {
        const { path, base } = (built ??= prepare(() => {
          checkOptions(options)
          return { path: typeof spec.path === 'function' ? spec.path() : spec.path, base: spec.query() }
        }))
        const pairs = offset === undefined ? base.pairs : [...base.pairs.filter(([k]) => k !== 'offset'), ['offset', offset] as [string, string]]
        const answer = await this.transport.request<unknown>({ method: 'GET', path, query: pairs }, signal ? { ...options, signal } : options)
        const envelope = this.#checked(() => checkEnvelope<T>(answer.data, spec.shape, { method: 'GET', path, status: answer.status, requestId: answer.requestId }), answer)
        return { envelope, response: { status: answer.status, headers: answer.headers }, requestId: answer.requestId }
      },
      spec.next ?? offsetFromNextLink,
      spec.merge,
      options?.signal instanceof AbortSignal ? options.signal : undefined,
    )
  }
}

/**
 * Runs the checks and the building of a request. The checks name the field; anything else a bad
 * input makes JavaScript throw (a TypeError reading `null.x`, a RangeError) becomes a
 * MonascaValidationError too, so only typed errors leave the SDK, and always before any request.
 */
function prepare<R>(build: () => R): R {
  try {
    return build()
  } catch (error) {
    if (MonascaError.is(error)) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new MonascaValidationError('params', `could not be read: ${reason.slice(0, 200)}`)
  }
}

/** The per-call options this layer relies on (the rest is the transport's). */
function checkOptions(options: RequestOptions | undefined): void {
  if (options === undefined) return
  if (typeof options !== 'object' || options === null) throw new MonascaValidationError('options', 'must be an object')
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new MonascaValidationError('signal', `must be an AbortSignal, got ${describeValue(options.signal)}`)
  }
}

/** An id as one path segment: percent-encoded, and never empty, `.` or `..` (no path tricks). */
export function segment(id: unknown, field: string): string {
  if (typeof id !== 'string' || id === '' || id === '.' || id === '..') {
    throw new MonascaValidationError(field, `must be a non-empty id other than "." and "..", got ${typeof id === 'string' ? JSON.stringify(id) : typeof id}`)
  }
  try {
    return encodeURIComponent(id)
  } catch {
    throw new MonascaValidationError(field, 'contains a lone surrogate (not valid Unicode)')
  }
}

/**
 * A path with ids in it: each `${id}` becomes one encoded segment (see `segment`), so no id can
 * change the path: `path\`/alarms/${id}/state-history\``.
 */
export function path(strings: TemplateStringsArray, ...ids: unknown[]): string {
  let out = strings[0]!
  for (let i = 0; i < ids.length; i++) out += segment(ids[i], 'id') + strings[i + 1]!
  return out
}

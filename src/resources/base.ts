import { MonascaValidationError } from '../errors.js'
import { offsetFromNextLink, PagePromise, type MergeAcrossPages, type NextOffset, type WithResponse } from '../paginate.js'
import { Query } from '../query.js'
import type { HttpMethod, RequestOptions, Transport } from '../transport.js'
import { CallPromise } from './call-promise.js'
import { checkEnvelope, checkObject, type ReplyContext, type Shape } from './shapes.js'

/** One call: the path and the query/body are built when the call runs, so bad input rejects it. */
export interface CallSpec {
  method: HttpMethod
  path: string | (() => string)
  query?: () => Query
  body?: () => unknown
  /** What the reply must hold (none: the body is not looked at, as for a 204). */
  shape?: Shape
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
      const path = typeof spec.path === 'function' ? spec.path() : spec.path
      const query = spec.query?.()
      const body = spec.body?.()
      const answer = await this.transport.request<unknown>({ method: spec.method, path, query: query?.pairs, body }, options)
      const context: ReplyContext = { method: spec.method, path, status: answer.status, requestId: answer.requestId }
      const data = spec.shape ? checkObject<T>(answer.data, spec.shape, context) : (answer.data as T)
      return { data, response: { status: answer.status, headers: answer.headers }, requestId: answer.requestId }
    })
  }

  protected paged<T>(spec: ListSpec<T>, options?: RequestOptions): PagePromise<T> {
    let base: Query | undefined
    let path: string | undefined
    return new PagePromise<T>(
      async (offset, signal) => {
        path ??= typeof spec.path === 'function' ? spec.path() : spec.path
        base ??= spec.query()
        const pairs = offset === undefined ? base.pairs : [...base.pairs.filter(([k]) => k !== 'offset'), ['offset', offset] as [string, string]]
        const answer = await this.transport.request<unknown>({ method: 'GET', path, query: pairs }, signal ? { ...options, signal } : options)
        const envelope = checkEnvelope<T>(answer.data, spec.shape, { method: 'GET', path, status: answer.status, requestId: answer.requestId })
        return { envelope, response: { status: answer.status, headers: answer.headers }, requestId: answer.requestId }
      },
      spec.next ?? offsetFromNextLink,
      spec.merge,
      options?.signal,
    )
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

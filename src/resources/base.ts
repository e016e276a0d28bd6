import { MonascaValidationError } from '../errors.js'
import { offsetFromNextLink, PagePromise, type MergeAcrossPages, type NextOffset } from '../paginate.js'
import { Query } from '../query.js'
import type { HttpMethod, RequestOptions, Transport } from '../transport.js'
import type { ListEnvelope } from '../types.js'

/** One API resource: each method is one typed call into the transport. */
export abstract class Resource {
  protected readonly transport: Transport

  constructor(transport: Transport) {
    this.transport = transport
  }

  /** One request; resolves with the parsed body (undefined for 204). Validation errors reject before any request. */
  protected async call<T>(method: HttpMethod, path: string | (() => string), build?: () => { query?: Query; body?: unknown }, options?: RequestOptions): Promise<T> {
    const resolvedPath = typeof path === 'function' ? path() : path
    const { query, body } = build ? build() : {}
    const answer = await this.transport.request<T>({ method, path: resolvedPath, query: query?.pairs, body }, options)
    return answer.data
  }

  /**
   * A paged GET. `build` makes the query (validating it) once; each page repeats it with the offset
   * of that page in place of the caller's.
   */
  protected paged<T>(path: string | (() => string), build: () => Query, options: RequestOptions | undefined, next: NextOffset<T> = offsetFromNextLink, merge?: MergeAcrossPages<T>): PagePromise<T> {
    let base: Query | undefined
    let resolvedPath: string | undefined
    return new PagePromise<T>(
      async (offset) => {
        resolvedPath ??= typeof path === 'function' ? path() : path
        base ??= build()
        const pairs = offset === undefined ? base.pairs : [...base.pairs.filter(([k]) => k !== 'offset'), ['offset', offset] as [string, string]]
        const answer = await this.transport.request<ListEnvelope<T>>({ method: 'GET', path: resolvedPath, query: pairs }, options)
        return answer.data
      },
      next,
      merge,
    )
  }
}

/** An id as one path segment: percent-encoded, and never empty, `.` or `..` (no path tricks). */
export function segment(id: unknown, field: string): string {
  if (typeof id !== 'string' || id === '' || id === '.' || id === '..') {
    throw new MonascaValidationError(field, `must be a non-empty id other than "." and "..", got ${typeof id === 'string' ? JSON.stringify(id) : typeof id}`)
  }
  return encodeURIComponent(id)
}

/**
 * List calls return a PagePromise: `await` it for the first page's elements (what the Python client
 * returns), or iterate it with `for await` for every element of every page, holding one page at a
 * time. The next page is asked for with our own parameters plus the `offset` read from the server's
 * `next` link: the server double-encodes everything else in its links, so they are never followed.
 *
 * Iteration never joins anything: a measurement or statistics series longer than a page comes out
 * as one chunk per page (same `id`, `name` and `dimensions`), so memory stays at one page whatever
 * the series' length. `toArray()` joins the chunks into whole series, for callers who can afford it.
 */
import { MonascaPaginationError, MonascaValidationError } from './errors.js'
import type { Link, ListEnvelope } from './types.js'

/** The status and headers of a reply (its body is already read and checked). */
export interface ResponseInfo {
  status: number
  headers: Headers
}

/** A result with the reply it came from: `{ data, response, requestId }`, as `.withResponse()` gives. */
export interface WithResponse<T> {
  data: T
  response: ResponseInfo
  /** `x-openstack-request-id` of the reply, for the operator's logs. */
  requestId?: string | undefined
}

export interface Page<T> {
  elements: T[]
  links: Link[]
  /** The offset that asks for the following page, when there is one. */
  nextOffset?: string
  /** The offset this page was asked for at (undefined: the caller's own first request). */
  offset?: string
  response?: ResponseInfo
  requestId?: string
}

/** What one page request gives back, its envelope already checked. */
export interface PageAnswer<T> {
  envelope: ListEnvelope<T> & { links: Link[] }
  response: ResponseInfo
  requestId?: string | undefined
}

/** How the offset of the page after `page` is found. */
export type NextOffset<T> = (page: ListEnvelope<T>, sentOffset: string | undefined) => string | undefined

/** Fetches one page at the given offset (undefined: the caller's own first offset), on `signal`. */
export type PageFetcher<T> = (offset: string | undefined, signal: AbortSignal | undefined) => Promise<PageAnswer<T>>

/** Joins `next` into `last` (in place) when they are chunks of one series; false when they are not. */
export type MergeAcrossPages<T> = (last: T, next: T) => boolean

export interface ToArrayOptions {
  /** Stop after this many elements (whole series, for measurements and statistics). */
  max?: number
}

export class PagePromise<T> implements Promise<T[]>, AsyncIterable<T> {
  readonly [Symbol.toStringTag] = 'PagePromise'
  readonly #fetchPage: PageFetcher<T>
  readonly #nextOffset: NextOffset<T>
  readonly #merge?: MergeAcrossPages<T>
  readonly #signal?: AbortSignal | undefined
  #first?: Promise<Page<T>>

  constructor(fetchPage: PageFetcher<T>, nextOffset: NextOffset<T>, merge?: MergeAcrossPages<T>, signal?: AbortSignal) {
    this.#fetchPage = fetchPage
    this.#nextOffset = nextOffset
    if (merge) this.#merge = merge
    this.#signal = signal
  }

  /** The first page, with its links and next offset. Fetched once, shared by every consumer. */
  page(): Promise<Page<T>> {
    this.#first ??= this.#load(undefined, this.#signal)
    return this.#first
  }

  /** The first page's elements with the reply they came in: `{ data, response, requestId }`. */
  async withResponse(): Promise<WithResponse<T[]>> {
    const page = await this.page()
    return { data: page.elements, response: page.response!, requestId: page.requestId }
  }

  then<R1 = T[], R2 = never>(
    onFulfilled?: ((elements: T[]) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.page().then((page) => page.elements).then(onFulfilled, onRejected)
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T[] | R> {
    return this.then(undefined, onRejected)
  }

  finally(onFinally?: (() => void) | null): Promise<T[]> {
    return this.then().finally(onFinally)
  }

  /**
   * Every page in turn, starting with the first; stops at a page with no next link or no elements,
   * and throws MonascaPaginationError when a next link asks for an offset already read.
   * `break`/`return()` cancels the page in flight.
   */
  pages(): AsyncIterableIterator<Page<T>> {
    return stoppable((signal) => this.#walk(signal), this.#signal)
  }

  /** Every element of every page; series longer than a page come as one chunk per page. */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return stoppable((signal) => this.#elements(signal), this.#signal)
  }

  /**
   * All elements of all pages in one array (mind the memory), up to `max`. Measurement and
   * statistics chunks of one series are joined into one series here.
   */
  async toArray(options: ToArrayOptions = {}): Promise<T[]> {
    const max = options?.max ?? Number.POSITIVE_INFINITY
    if (typeof max !== 'number' || Number.isNaN(max) || max < 0) {
      throw new MonascaValidationError('max', `must be a number ≥ 0, got ${typeof max === 'number' ? max : typeof max}`)
    }
    const all: T[] = []
    if (max === 0) return all
    const merge = this.#merge
    const iterator = this[Symbol.asyncIterator]()
    try {
      for (;;) {
        const result = await iterator.next()
        if (result.done) break
        const last = all[all.length - 1]
        if (merge && last !== undefined && merge(last, result.value)) continue
        if (all.length >= max) break
        all.push(result.value)
        // Without merging nothing can join the last one: stop without asking for another page.
        if (!merge && all.length >= max) break
      }
    } finally {
      await iterator.return?.()
    }
    return all
  }

  async *#walk(signal: AbortSignal): AsyncGenerator<Page<T>, void, undefined> {
    let page: Page<T> | undefined = await (this.#first ?? this.#load(undefined, signal))
    const asked = new Set<string>()
    if (page.offset !== undefined) asked.add(page.offset)
    while (page !== undefined) {
      const next = page.nextOffset
      const last = next === undefined || page.elements.length === 0
      yield page
      if (last) return
      if (asked.has(next!)) {
        throw new MonascaPaginationError(`the next link asks again for offset ${JSON.stringify(next)}, already read in this iteration: the server's paging loops`, {
          method: 'GET',
          offset: next!,
          ...(page.response ? { status: page.response.status } : {}),
          ...(page.requestId === undefined ? {} : { requestId: page.requestId }),
        })
      }
      asked.add(next!)
      // Let the page go before the next arrives: one page in memory, not two.
      page = undefined
      page = await this.#load(next, signal)
    }
  }

  async *#elements(signal: AbortSignal): AsyncGenerator<T, void, undefined> {
    const pages = this.#walk(signal)
    try {
      for (;;) {
        const result = await pages.next()
        if (result.done) return
        let elements: T[] | undefined = result.value.elements
        for (let i = 0; i < elements.length; i++) yield elements[i]!
        elements = undefined
      }
    } finally {
      await pages.return()
    }
  }

  async #load(offset: string | undefined, signal: AbortSignal | undefined): Promise<Page<T>> {
    const { envelope, response, requestId } = await this.#fetchPage(offset, signal)
    const { elements, links } = envelope
    const nextOffset = this.#nextOffset({ links, elements }, offset)
    const page: Page<T> = { elements, links, response }
    if (nextOffset !== undefined) page.nextOffset = nextOffset
    if (offset !== undefined) page.offset = offset
    if (requestId !== undefined) page.requestId = requestId
    return page
  }
}

/**
 * An async iterator over `run(signal)` whose `return()` (a `break`) aborts `signal` at once, even
 * while a request is in flight or a `next()` is pending; `outer` (the caller's signal) aborts it too.
 * A stop asked for by `return()` ends the iteration quietly; the caller's abort rejects as usual.
 */
export function stoppable<T>(run: (signal: AbortSignal) => AsyncGenerator<T, void, undefined>, outer?: AbortSignal): AsyncIterableIterator<T> {
  const controller = new AbortController()
  let stopped = false
  const follow = () => controller.abort(outer?.reason)
  if (outer?.aborted) follow()
  else outer?.addEventListener('abort', follow, { once: true })
  const release = () => outer?.removeEventListener('abort', follow)
  const generator = run(controller.signal)
  const iterator: AsyncIterableIterator<T> = {
    next: () => generator.next().then(
      (result) => {
        if (result.done) release()
        return result
      },
      (error: unknown) => {
        release()
        if (stopped) return { done: true, value: undefined }
        throw error
      },
    ),
    return: (value?: unknown) => {
      stopped = true
      release()
      controller.abort(new DOMException('The iteration was stopped', 'AbortError'))
      return generator.return(value as undefined).catch(() => ({ done: true as const, value: undefined }))
    },
    [Symbol.asyncIterator]() {
      return iterator
    },
  }
  return iterator
}

/** The `offset` value of the `next` link, decoded once; undefined when there is no next link. */
export function offsetFromNextLink<T>(page: ListEnvelope<T>): string | undefined {
  const next = page.links?.find((link) => link?.rel === 'next')
  if (typeof next?.href !== 'string') return undefined
  const match = /[?&]offset=([^&#]*)/.exec(next.href)
  if (!match) return undefined
  try {
    return decodeURIComponent(match[1]!.replace(/\+/g, '%20'))
  } catch {
    return match[1]
  }
}

/**
 * Integer row offsets counted by us. Notification methods need it: their `next` link carries the
 * last id, which the server itself then refuses. `start` is the caller's own first offset.
 */
export function countedOffset<T>(start: string | number | undefined): NextOffset<T> {
  return (page, sent) => {
    if (!page.links?.some((link) => link?.rel === 'next') || page.elements.length === 0) return undefined
    const from = sent === undefined ? Number(start ?? 0) : Number(sent)
    return String((Number.isFinite(from) ? from : 0) + page.elements.length)
  }
}

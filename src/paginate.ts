/**
 * List calls return a PagePromise: `await` it for the first page's elements (what the Python client
 * returns), or iterate it with `for await` for every element of every page, holding one page at a
 * time. The next page is asked for with our own parameters plus the `offset` read from the server's
 * `next` link: the server double-encodes everything else in its links, so they are never followed.
 */
import type { Link, ListEnvelope } from './types.js'

export interface Page<T> {
  elements: T[]
  links: Link[]
  /** The offset that asks for the following page, when there is one. */
  nextOffset?: string
}

/** How the offset of the page after `page` is found. */
export type NextOffset<T> = (page: ListEnvelope<T>, sentOffset: string | undefined) => string | undefined

/** Fetches one page at the given offset (undefined: the caller's own first offset). */
export type PageFetcher<T> = (offset: string | undefined) => Promise<ListEnvelope<T>>

/** Joins the last element of a page with the first of the next when they are one series. */
export type MergeAcrossPages<T> = (last: T, first: T) => T | undefined

export interface ToArrayOptions {
  /** Stop after this many elements. */
  max?: number
}

export class PagePromise<T> implements Promise<T[]>, AsyncIterable<T> {
  readonly [Symbol.toStringTag] = 'PagePromise'
  readonly #fetchPage: PageFetcher<T>
  readonly #nextOffset: NextOffset<T>
  readonly #merge?: MergeAcrossPages<T>
  #first?: Promise<Page<T>>

  constructor(fetchPage: PageFetcher<T>, nextOffset: NextOffset<T>, merge?: MergeAcrossPages<T>) {
    this.#fetchPage = fetchPage
    this.#nextOffset = nextOffset
    if (merge) this.#merge = merge
  }

  /** The first page, with its links and next offset. Fetched once, shared by every consumer. */
  page(): Promise<Page<T>> {
    this.#first ??= this.#load(undefined)
    return this.#first
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

  /** Every page in turn, starting with the first; stops at a page with no next link or no elements. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let page = await this.page()
    for (;;) {
      yield page
      if (page.nextOffset === undefined || page.elements.length === 0) return
      page = await this.#load(page.nextOffset)
    }
  }

  /** Every element of every page. Series split across pages (measurements, statistics) come out joined. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    let held: T | undefined
    let holding = false
    for await (const page of this.pages()) {
      const elements = page.elements
      let start = 0
      if (holding && this.#merge && elements.length > 0) {
        const merged = this.#merge(held as T, elements[0]!)
        if (merged !== undefined) {
          held = merged
          start = 1
        }
      }
      for (let i = start; i < elements.length; i++) {
        if (holding) yield held as T
        held = elements[i]
        holding = true
      }
      if (!this.#merge && holding) {
        yield held as T
        holding = false
      }
    }
    if (holding) yield held as T
  }

  /** All elements of all pages in one array (mind the memory), up to `max`. */
  async toArray(options: ToArrayOptions = {}): Promise<T[]> {
    const max = options.max ?? Number.POSITIVE_INFINITY
    const all: T[] = []
    if (max <= 0) return all
    for await (const element of this) {
      all.push(element)
      if (all.length >= max) break
    }
    return all
  }

  async #load(offset: string | undefined): Promise<Page<T>> {
    const envelope = await this.#fetchPage(offset)
    const elements = Array.isArray(envelope?.elements) ? envelope.elements : []
    const links = Array.isArray(envelope?.links) ? envelope.links : []
    const nextOffset = this.#nextOffset({ links, elements }, offset)
    return nextOffset === undefined ? { elements, links } : { elements, links, nextOffset }
  }
}

/** The `offset` value of the `next` link, decoded once; undefined when there is no next link. */
export function offsetFromNextLink<T>(page: ListEnvelope<T>): string | undefined {
  const next = page.links?.find((link) => link.rel === 'next')
  if (!next?.href) return undefined
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
    if (!page.links?.some((link) => link.rel === 'next') || page.elements.length === 0) return undefined
    const from = sent === undefined ? Number(start ?? 0) : Number(sent)
    return String((Number.isFinite(from) ? from : 0) + page.elements.length)
  }
}

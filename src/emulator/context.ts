/** What every Monasca handler gets: the request, its parsed query, the caller, and link building. */
import { forbidden } from './http.js'
import { Query } from './query.js'
import type { Caller } from './types.js'

export const ROLES = {
  read: ['monasca-user', 'monasca-read-only-user'],
  write: ['monasca-user'],
  postMetrics: ['monasca-user', 'monasca-agent'],
  delegate: ['admin'],
} as const

/** What the response builders need: absolute links under this server. */
export interface LinkBase {
  href(path: string): string
}

export class Context implements LinkBase {
  readonly query: Query
  readonly method: string

  constructor(
    readonly request: Request,
    readonly url: URL,
    /** Path without trailing slash, e.g. `/v2.0/alarms`. */
    readonly path: string,
    readonly caller: Caller,
    /** scheme://host[:port] used in links. */
    readonly base: string,
    readonly now: number,
  ) {
    this.query = new Query(url.search)
    this.method = request.method.toUpperCase()
  }

  /** helpers.validate_authorization: 401 "Forbidden" unless the caller has one of the roles. */
  authorize(roles: readonly string[]): void {
    if (!this.caller.roles.some((r) => roles.includes(r))) throw forbidden()
  }

  get tenant(): string {
    return this.caller.projectId ?? ''
  }

  /** get_x_tenant_or_tenant_id: `tenant_id` for the delegate role, silently ignored otherwise. */
  metricsTenant(): string {
    const asked = this.query.get('tenant_id')
    if (asked !== undefined && this.caller.roles.some((r) => (ROLES.delegate as readonly string[]).includes(r))) return asked
    return this.tenant
  }

  /** A link to a path under this server. */
  href(path: string): string {
    return `${this.base}${path}`
  }

  /** This request's URL with every parameter re-encoded once (the `self` link). */
  selfLink(): string {
    return this.linkWith(this.query.pairs)
  }

  /** The `next` link: `offset=<value>` first, then the other parameters (original order, offset dropped). */
  nextLink(offset: string, { encodeOffset = true } = {}): string {
    const rest = this.query.pairs.filter(([k]) => k !== 'offset')
    const head = `offset=${encodeOffset ? encodeURIComponent(offset) : offset}`
    const tail = rest.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    return `${this.base}${this.path}?${[head, ...tail].join('&')}`
  }

  private linkWith(pairs: Array<[string, string]>): string {
    const q = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
    return `${this.base}${this.path}${q ? `?${q}` : ''}`
  }
}

export type Links = Array<{ rel: string; href: string }>

/** helpers.paginate: `next` when there are more than `limit` rows, its offset taken from the last kept row. */
export function paginate<T>(ctx: Context, rows: T[], limit: number, offsetOf: (last: T, index: number) => string): { links: Links; elements: T[] } {
  const links: Links = [{ rel: 'self', href: ctx.selfLink() }]
  if (rows.length > limit && limit > 0) {
    const page = rows.slice(0, limit)
    links.push({ rel: 'next', href: ctx.nextLink(offsetOf(page[page.length - 1]!, limit - 1)) })
    return { links, elements: page }
  }
  return { links, elements: limit === 0 ? [] : rows }
}

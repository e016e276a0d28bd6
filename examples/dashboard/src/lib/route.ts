/**
 * Hash routes (`#/alarms?state=ALARM&dim=hostname:web-01`): any static server can serve the app,
 * and every page's state lives in the URL, so back/forward and shared links work.
 */
export interface Route {
  /** First path segment: 'overview', 'alarms', 'alarm', 'definitions', 'notifications', 'explorer', 'login'. */
  page: string
  /** The rest of the path, decoded (an alarm id, 'new'…). */
  id?: string
  params: URLSearchParams
}

export const PAGES = ['overview', 'alarms', 'alarm', 'definitions', 'notifications', 'explorer', 'login'] as const

export function parseHash(hash: string): Route {
  const text = hash.replace(/^#/, '')
  const question = text.indexOf('?')
  const path = question === -1 ? text : text.slice(0, question)
  const params = new URLSearchParams(question === -1 ? '' : text.slice(question + 1))
  const [page = '', ...rest] = path.replace(/^\/+/, '').split('/')
  const known = (PAGES as readonly string[]).includes(page)
  const route: Route = { page: known ? page : 'overview', params }
  if (known && rest.length > 0 && rest.join('/') !== '') route.id = decodeURIComponent(rest.join('/'))
  return route
}

/** `#/page[/id][?params]`, params in insertion order, empty values left out. */
export function formatHash(page: string, params?: URLSearchParams | Record<string, string | string[] | undefined>, id?: string): string {
  const search = new URLSearchParams()
  if (params instanceof URLSearchParams) {
    for (const [key, value] of params) if (value !== '') search.append(key, value)
  } else if (params) {
    for (const [key, value] of Object.entries(params)) {
      for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined && one !== '') search.append(key, one)
    }
  }
  const query = search.toString()
  return `#/${page}${id === undefined ? '' : `/${encodeURIComponent(id)}`}${query ? `?${query}` : ''}`
}

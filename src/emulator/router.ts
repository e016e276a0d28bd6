/**
 * The emulator's router: each route names its path and carries its handlers, one per method, so
 * the table in `routes.ts` is the whole of what the server answers. No Node built-ins.
 */
import { methodNotAllowed, notFound } from './http.js'

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type Service = 'keystone' | 'monasca' | 'other'

/** `{name}` segments of the path, percent-decoded (left as sent when the encoding is broken). */
export type Params = Record<string, string>

export type Handler<C> = (ctx: C, params: Params) => Response | Promise<Response>

export interface Route<C> {
  /** `/v2.0/alarms/{id}`: literal segments and `{name}` placeholders for one segment each. */
  path: string
  /** Match this path and everything under it (Keystone's `/v3`, which routes its own paths). */
  prefix?: boolean
  /** Answered without a token (the health check, Keystone). Default false: the caller must authenticate. */
  public?: boolean
  /** Which service answers, for the request log. Default `monasca`. */
  service?: Service
  /** One handler per method; a method without one is a 405 with `Allow`. */
  handlers: Partial<Record<Method, Handler<C>>>
  /** Answers any method (the route checks for itself). */
  any?: Handler<C>
}

export interface Match<C> {
  route: Route<C>
  /** undefined: the path is routed but not for this method (a 405 on `call`). */
  handler: Handler<C> | undefined
  params: Params
}

interface Compiled<C> {
  route: Route<C>
  pattern: RegExp
  names: string[]
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function compile<C>(route: Route<C>): Compiled<C> {
  const names: string[] = []
  const source = route.path
    .split(/(\{[a-z_]+\})/i)
    .map((part) => {
      const name = /^\{([a-z_]+)\}$/i.exec(part)?.[1]
      if (!name) return escape(part)
      names.push(name)
      return '([^/]+)'
    })
    .join('')
  return { route, names, pattern: new RegExp(route.prefix ? `^${source}(?:/.*)?$` : `^${source}$`) }
}

export class Router<C> {
  private readonly compiled: Compiled<C>[]

  /** Routes are tried in order: put literal paths before the placeholders that would also match them. */
  constructor(routes: Array<Route<C>>) {
    this.compiled = routes.map(compile)
  }

  /** The route for a path (trailing slashes already trimmed), or undefined when none matches. */
  match(method: string, path: string): Match<C> | undefined {
    for (const { route, pattern, names } of this.compiled) {
      const m = pattern.exec(path)
      if (!m) continue
      const params: Params = {}
      names.forEach((name, i) => (params[name] = decodeSegment(m[i + 1]!)))
      const handler = route.any ?? route.handlers[method as Method]
      return { route, handler, params }
    }
    return undefined
  }

  /** Run a match: a 404 for no route, a 405 (with `Allow`) for an unrouted method. */
  static async call<C>(match: Match<C> | undefined, ctx: C): Promise<Response> {
    if (!match) throw notFound()
    if (!match.handler) throw methodNotAllowed(Object.keys(match.route.handlers))
    return match.handler(ctx, match.params)
  }
}

/**
 * Serve an emulator over HTTP with node:http (Node only), with CORS so that a browser page on
 * another origin can call Keystone and Monasca and read X-Subject-Token.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { InjectedNetworkFailure } from './failures.js'
import type { Emulator } from './index.js'
import { type StaticSite, ownsPath, serveStatic, staticSite } from './serve-static.js'

export interface ServeOptions {
  /** Default 0: any free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** Allowed browser origins: `'*'` (default: any origin, echoed back) or a list. */
  corsOrigins?: '*' | string[]
  /**
   * A directory of built files (e.g. `dist/dashboard`) to serve under `dashboardPath`, on the same
   * origin as `/v2.0` and `/v3`, so the page needs no CORS. `/` stays the API's version document.
   */
  dashboard?: string
  /** URL prefix of `dashboard`. Default `/dashboard/`. */
  dashboardPath?: string
}

export interface ServedEmulator {
  /** e.g. `http://127.0.0.1:8070` (no trailing slash). */
  url: string
  port: number
  /** With `dashboard`: the page's URL, e.g. `http://127.0.0.1:8070/dashboard/`. */
  dashboardUrl?: string
  close(): Promise<void>
}

const ALLOW_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK'])
const ALLOW_HEADERS =
  'X-Auth-Token, X-Subject-Token, Content-Type, Accept, X-Requested-With, Origin, X-OpenStack-Request-Id, X-Project-Id, X-Tenant-Id, X-Roles, User-Agent'
const EXPOSE_HEADERS = 'X-Subject-Token, X-OpenStack-Request-Id, X-Auth-Token, Openstack-Auth-Receipt, Date, WWW-Authenticate, Retry-After'

function corsHeaders(req: IncomingMessage, allowed: '*' | string[]): Record<string, string> {
  const origin = req.headers.origin
  if (!origin) return {}
  if (allowed !== '*' && !allowed.includes(origin)) return {}
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': EXPOSE_HEADERS,
    Vary: 'Origin',
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Falcon's 400 body, for requests that cannot even be turned into a URL. */
function badRequest(res: ServerResponse, description: string): void {
  const body = Buffer.from(JSON.stringify({ title: 'Bad Request', description }))
  res.writeHead(400, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) })
  res.end(body)
}

/**
 * The request's URL from the Host header and the request target, or undefined when they do not
 * make one (a Host with spaces, `@`, a path or a bad port; an absolute-form target on another
 * scheme): such a request is the client's fault, a 400, never a 500.
 */
export function requestUrl(host: string | undefined, target: string | undefined): URL | undefined {
  const authority = host ?? 'localhost'
  // An authority is host[:port] only: no userinfo, path, query or whitespace, a numeric port.
  if (!/^(\[[0-9a-f:.]+\]|[^\s/?#@\[\]:\\]+)(:\d{1,5})?$/i.test(authority)) return undefined
  let path = target ?? '/'
  if (!path.startsWith('/')) {
    // Absolute form (`GET http://host/path`): keep the path, as servers do.
    if (!/^https?:\/\//i.test(path)) return undefined
    try {
      const absolute = new URL(path)
      path = `${absolute.pathname}${absolute.search}`
    } catch {
      return undefined
    }
  }
  try {
    const url = new URL(`http://${authority}${path}`)
    return url.port === '' || Number(url.port) <= 65535 ? url : undefined
  } catch {
    return undefined
  }
}

async function bridge(emulator: Emulator, req: IncomingMessage, res: ServerResponse, cors: '*' | string[], site?: StaticSite): Promise<void> {
  const url = requestUrl(req.headers.host, req.url)
  if (!url) {
    badRequest(res, 'The Host header or the request target is not valid')
    return
  }
  if (site && ownsPath(site, url.pathname)) {
    await serveStatic(site, req, res, url.pathname)
    return
  }
  const cross = corsHeaders(req, cors)
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
    const asked = req.headers['access-control-request-headers']
    res.writeHead(200, {
      ...cross,
      ...(Object.keys(cross).length
        ? { 'Access-Control-Allow-Methods': ALLOW_METHODS, 'Access-Control-Allow-Headers': asked || ALLOW_HEADERS, 'Access-Control-Max-Age': '3600' }
        : {}),
      'Content-Length': '0',
    })
    res.end()
    return
  }
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    try {
      headers.set(key, Array.isArray(value) ? value.join(', ') : value)
    } catch {
      // A value node:http lets through but fetch's Headers refuses: the API never reads such a header.
    }
  }
  const method = req.method ?? 'GET'
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) {
    // fetch's Request refuses these; the real server routes none of them.
    const text = Buffer.from(JSON.stringify({ title: '405 Method Not Allowed' }))
    res.writeHead(405, { 'Content-Type': 'application/json', Allow: ALLOW_METHODS, 'Content-Length': String(text.length) })
    res.end(text)
    return
  }
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req)
  const request = new Request(url, {
    method,
    headers,
    ...(body && body.length > 0 ? { body: new Uint8Array(body) } : {}),
  })
  const response = await emulator.handle(request)
  const out: Record<string, string> = {}
  response.headers.forEach((value, key) => {
    out[key.toLowerCase()] = value
  })
  for (const [key, value] of Object.entries(cross)) {
    const k = key.toLowerCase()
    out[k] = k === 'vary' && out.vary ? `${out.vary},${value}` : value
  }
  const payload = Buffer.from(await response.arrayBuffer())
  out['content-length'] = String(payload.length)
  res.writeHead(response.status, out)
  res.end(method === 'HEAD' ? undefined : payload)
}

/** Start an HTTP server for the emulator on 127.0.0.1 (port 0: a free port). */
export function serveEmulator(emulator: Emulator, options: ServeOptions = {}): Promise<ServedEmulator> {
  const host = options.host ?? '127.0.0.1'
  const cors = options.corsOrigins ?? '*'
  const site = options.dashboard === undefined ? undefined : staticSite(options.dashboardPath ?? '/dashboard/', options.dashboard)
  const server = createServer((req, res) => {
    bridge(emulator, req, res, cors, site).catch((error: unknown) => {
      if (error instanceof InjectedNetworkFailure) {
        req.socket.destroy()
        return
      }
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ title: 'Service unavailable', description: error instanceof Error ? error.message : String(error) }))
    })
  })
  server.keepAliveTimeout = 65_000
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      const { port } = server.address() as AddressInfo
      const hostForUrl = host.includes(':') ? `[${host}]` : host
      const url = `http://${hostForUrl}:${port}`
      resolve({
        url,
        port,
        ...(site ? { dashboardUrl: `${url}${site.prefix}` } : {}),
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()))
            server.closeAllConnections()
          }),
      })
    })
  })
}

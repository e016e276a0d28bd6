/**
 * Serve an emulator over HTTP with node:http (Node only), with CORS so that a browser page on
 * another origin can call Keystone and Monasca and read X-Subject-Token.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Emulator } from './index.js'

export interface ServeOptions {
  /** Default 0: any free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** Allowed browser origins: `'*'` (default: any origin, echoed back) or a list. */
  corsOrigins?: '*' | string[]
}

export interface ServedEmulator {
  /** e.g. `http://127.0.0.1:8070` (no trailing slash). */
  url: string
  port: number
  close(): Promise<void>
}

const ALLOW_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'
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

async function bridge(emulator: Emulator, req: IncomingMessage, res: ServerResponse, cors: '*' | string[]): Promise<void> {
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
  const host = req.headers.host ?? 'localhost'
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    headers.set(key, Array.isArray(value) ? value.join(', ') : value)
  }
  const method = req.method ?? 'GET'
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req)
  const request = new Request(`http://${host}${req.url ?? '/'}`, {
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
  const server = createServer((req, res) => {
    bridge(emulator, req, res, cors).catch((error: unknown) => {
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
      resolve({
        url: `http://${hostForUrl}:${port}`,
        port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()))
            server.closeAllConnections()
          }),
      })
    })
  })
}

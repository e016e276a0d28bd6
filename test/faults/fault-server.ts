/**
 * A hostile Monasca (and a small Keystone) on 127.0.0.1, port 0: each path is one fault. Used by the
 * Node suite, the Deno/Bun probe and the Chromium page (which it also serves, same origin).
 */
import { readFileSync, existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { extname, join, normalize, resolve } from 'node:path'

export const SECRET_PASSWORD = 'fault-pw-Never-Shown-7'
const root = resolve(import.meta.dirname, '../..')
const PAGE_SIZE = 10
const ITEMS = 200

export interface FaultServer {
  origin: string
  /** Tokens Keystone issued, in order. */
  issued: string[]
  /** Every Monasca request: path and token. */
  requests: { path: string; token: string | undefined }[]
  /** Another origin, for the redirect case: records what reached it. */
  otherOrigin: string
  otherSeen: { path: string; token: string | undefined }[]
  close(): Promise<void>
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers })
  res.end(text)
}

export async function startFaultServer(): Promise<FaultServer> {
  const sockets = new Set<Socket>()
  const issued: string[] = []
  const requests: FaultServer['requests'] = []
  const otherSeen: FaultServer['otherSeen'] = []
  /** Tokens that have "expired" (Monasca answers 401 to them). */
  const expired = new Set<string>()

  const other = createServer((req, res) => {
    otherSeen.push({ path: req.url!, token: req.headers['x-auth-token'] as string | undefined })
    json(res, 200, { links: [], elements: [{ id: 'from-the-other-origin' }] })
  })

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url!, 'http://x')
    const path = url.pathname
    if (path === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html' })
      return res.end('<!doctype html><meta charset="utf-8"><title>faults</title>')
    }
    if (path.startsWith('/dist/') || path === '/test/faults/runtime-probe.mjs') {
      const file = join(root, normalize(path).replace(/^([/\\])+/, ''))
      if (!file.startsWith(root) || !existsSync(file)) return json(res, 404, {})
      res.writeHead(200, { 'content-type': /\.m?js$/.test(extname(file)) ? 'text/javascript' : 'application/json' })
      return res.end(readFileSync(file))
    }
    if (path === '/v3/auth/tokens' && req.method === 'POST') {
      const auth = JSON.parse(body || '{}')?.auth?.identity?.password?.user
      if (auth?.password !== SECRET_PASSWORD) {
        return json(res, 401, { error: { code: 401, title: 'Unauthorized', message: `The request you have made requires authentication. (got ${body})` } }, { 'x-openstack-request-id': 'req-ks-1' })
      }
      const token = `fault-token-${issued.length + 1}-${Math.random().toString(36).slice(2)}`
      issued.push(token)
      const now = Date.now()
      return json(res, 201, {
        token: {
          expires_at: new Date(now + 3600_000).toISOString(),
          issued_at: new Date(now).toISOString(),
          methods: ['password'],
          user: { id: 'u1', name: 'demo' },
          project: { id: 'p1', name: 'demo' },
          catalog: [{ type: 'monitoring', endpoints: [{ interface: 'public', url: `http://${req.headers.host}/v2.0` }] }],
        },
      }, { 'x-subject-token': token })
    }

    const token = req.headers['x-auth-token'] as string | undefined
    requests.push({ path: req.url!, token })
    switch (path) {
      case '/v2.0/alarms/reset': // connection reset mid-body
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4000' })
        res.write('{"links":[],"elements":[{"id":"a1"},')
        return void setTimeout(() => req.socket.resetAndDestroy(), 20)
      case '/v2.0/alarms/slow-headers': // headers only after 5 s
        return void setTimeout(() => json(res, 200, { id: 'late' }), 5000).unref()
      case '/v2.0/alarms/never': // never answers
        return
      case '/v2.0/alarms/truncated': // JSON cut short: fewer bytes than Content-Length, then close
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' })
        res.write('{"links":[],"elements":[{"id":')
        return void setTimeout(() => req.socket.destroy(), 20)
      case '/v2.0/alarms/text':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' })
        return res.end('hello')
      case '/v2.0/alarms/html-error': {
        const page = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>'
        res.writeHead(502, { 'content-type': 'text/html', 'content-length': String(page.length) })
        return res.end(page)
      }
      case '/v2.0/alarms/html-ok': {
        const page = '<html><body>Sign in to continue</body></html>'
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(page.length) })
        return res.end(page)
      }
      case '/v2.0/alarms/redirect':
        res.writeHead(302, { location: `${otherOrigin}/v2.0/alarms` })
        return res.end()
      case '/v2.0/alarms': {
        // A long pagination (200 alarms, 10 a page); the first token "expires" when page 5 is asked for.
        if (!token || expired.has(token)) return json(res, 401, { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } })
        const offset = Number(url.searchParams.get('offset') ?? 0)
        if (offset >= 5 * PAGE_SIZE && token === issued[0]) {
          expired.add(token)
          return json(res, 401, { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } })
        }
        const elements = Array.from({ length: Math.min(PAGE_SIZE, ITEMS - offset) }, (_, i) => ({ id: `alarm-${offset + i}` }))
        const next = offset + PAGE_SIZE < ITEMS ? [{ rel: 'next', href: `http://${req.headers.host}/v2.0/alarms?offset=${offset + PAGE_SIZE}&limit=${PAGE_SIZE}` }] : []
        return json(res, 200, { links: [{ rel: 'self', href: req.url }, ...next], elements })
      }
      default:
        return json(res, 404, { title: 'Not Found', description: `no fault at ${path}` })
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')))
  })
  for (const s of [server, other]) {
    s.on('connection', (socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
  }
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  await new Promise<void>((ready) => other.listen(0, '127.0.0.1', ready))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`
  return {
    origin,
    issued,
    requests,
    otherOrigin,
    otherSeen,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await Promise.all([server, other].map((s) => new Promise<void>((done) => s.close(() => done()))))
    },
  }
}

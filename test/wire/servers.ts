/** Small HTTP servers on 127.0.0.1, port 0, for the wire and fault suites: every request recorded. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

export interface TestServer {
  /** http://127.0.0.1:<port> */
  origin: string
  seen: Seen[]
  close(): Promise<void>
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string, index: number) => void | Promise<void>

export async function serve(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body })
      Promise.resolve(handler(req, res, body, seen.length - 1)).catch(() => res.destroy())
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

/** Everything a thrown value shows: message, stack, JSON, util.inspect, and its causes. */
export async function everythingShown(error: unknown): Promise<string> {
  const { inspect } = await import('node:util')
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { message?: unknown; stack?: unknown; cause?: unknown }
    parts.push(String(e.message), String(e.stack))
    current = e.cause
  }
  parts.push(JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }))
  return parts.join('\n')
}

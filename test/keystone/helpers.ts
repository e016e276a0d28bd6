/**
 * For the real-Keystone suite: where the servers are, a little admin API, and Monasca (the
 * emulator) served over HTTP behind a keystonemiddleware stand-in that validates every
 * X-Auth-Token at the real Keystone, as Monasca's own middleware does.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Session, identity } from '../../src/auth/index.js'
import { createEmulator } from '../../src/emulator/index.js'

/** Started by `bash scripts/keystone.sh start` (3600 s tokens) and a second instance with 20 s tokens. */
export const KEYSTONE = process.env.KEYSTONE_URL ?? 'http://127.0.0.1:5000'
export const SHORT_KEYSTONE = process.env.KEYSTONE_SHORT_URL ?? 'http://127.0.0.1:5001'
export const ADMIN = { username: 'admin', password: process.env.KS_ADMIN_PASSWORD ?? 'admin-secret', projectName: 'admin' }

export async function reachable(base: string): Promise<boolean> {
  try {
    const response = await fetch(`${base}/v3`, { signal: AbortSignal.timeout(3000) })
    await response.body?.cancel()
    return response.ok
  } catch {
    return false
  }
}

export const adminSession = (base: string) =>
  new Session({ auth: new identity.Password({ authUrl: base, ...ADMIN, userDomainId: 'default', projectDomainId: 'default' }) })

/** A raw Keystone admin call with the admin session's token. */
export async function keystoneApi(admin: Session, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${admin.auth.authUrl}${path}`, {
    method,
    headers: { 'X-Auth-Token': await admin.getToken(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`Keystone ${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`)
  return text ? JSON.parse(text) : undefined
}

/** POST /v3/auth/tokens with a raw body; returns the token and body. */
export async function issueRaw(base: string, auth: unknown): Promise<{ token: string; body: any }> {
  const response = await fetch(`${base}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth }),
  })
  if (response.status !== 201) throw new Error(`token issue failed: HTTP ${response.status}`)
  return { token: response.headers.get('x-subject-token')!, body: await response.json() }
}

export interface MonascaServer {
  /** Base URL including /v2.0. */
  url: string
  /** Every X-Auth-Token the server was shown, in order, and whether Keystone accepted it. */
  seen: { token: string; accepted: boolean }[]
  close(): Promise<void>
}

/** The emulator over HTTP on 127.0.0.1:<free port>, accepting only tokens the given Keystone validates. */
export async function startMonasca(keystoneBase: string): Promise<MonascaServer> {
  const emulator = createEmulator()
  const validator = adminSession(keystoneBase)
  const emulatorTokens = new Map<string, string>()
  const seen: MonascaServer['seen'] = []

  async function projectOf(token: string): Promise<string | undefined> {
    const response = await fetch(`${keystoneBase}/v3/auth/tokens?nocatalog`, {
      headers: { 'X-Auth-Token': await validator.getToken(), 'X-Subject-Token': token },
    })
    if (response.status !== 200) {
      await response.body?.cancel()
      return undefined
    }
    const body = (await response.json()) as { token: { project?: { id: string } } }
    return body.token.project?.id
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const token = req.headers['x-auth-token']
    const projectId = typeof token === 'string' ? await projectOf(token) : undefined
    if (typeof token === 'string') seen.push({ token, accepted: projectId !== undefined })
    if (projectId === undefined) {
      res.writeHead(401, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ title: 'Unauthorized', description: 'Authentication required' }))
      return
    }
    let emulatorToken = emulatorTokens.get(projectId)
    if (!emulatorToken) {
      emulatorToken = emulator.issueToken({ projectId, roles: ['monasca-user'], expiresInSeconds: 86_400 })
      emulatorTokens.set(projectId, emulatorToken)
    }
    const headers = new Headers()
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(key, value)
    headers.set('x-auth-token', emulatorToken)
    const body = chunks.length && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined
    const response = await emulator.fetch(new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body }))
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()))
    res.end(Buffer.from(await response.arrayBuffer()))
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ title: 'Internal Server Error', description: String(error) }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v2.0`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export const unique = (what: string) => `mc-${what}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`

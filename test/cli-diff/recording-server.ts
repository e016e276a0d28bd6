/**
 * A local HTTP server for the differential CLI suite. Each CLI invocation gets its own "run": a URL
 * prefix `/r/<id>` under which the server answers as Monasca (`…/v2.0/…`) and as a minimal Keystone v3
 * (`…/v3`, `…/v3/auth/tokens`, whose catalog points `monitoring` back at the same run), and records
 * every request it receives. Runs keep concurrent invocations apart without relying on timing.
 *
 * Requests outside any `/r/<id>` prefix belong to the default run (used when a real Keystone's
 * catalog points at this server with a fixed URL).
 *
 * Backends: canned answers (./canned.ts) or any `fetch`-shaped handler, such as the emulator's
 * (`createEmulator().fetch`), given per run so each CLI can start from identical state.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createHash } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { cannedMonasca, type CannedReply } from './canned.js'

export interface RecordedRequest {
  method: string
  /** Path below the run prefix, e.g. `/v2.0/metrics` or `/v3/auth/tokens`; not decoded. */
  path: string
  /** Decoded query pairs in the order sent (`+` and `%20` both decode to a space). */
  query: [string, string][]
  rawQuery: string
  /** Lower-cased header names; credentials replaced by a short digest so equality stays checkable. */
  headers: Record<string, string>
  /** Parsed JSON body (credentials digested), the raw text when not JSON, or undefined when empty. */
  body: unknown
  rawBody: string
  /** The X-Auth-Token as sent, only with ServerOptions.keepRawTokens (to validate it at a real Keystone); never print it. */
  rawToken?: string
}

export interface Fault {
  /** Which requests fail; all Monasca requests of the run when absent. */
  method?: string
  path?: string | RegExp
  status: number
  /** JSON body (default `{title, description}` from the fields below); a string is sent as text/plain. */
  body?: unknown
  title?: string
  description?: string
  headers?: Record<string, string>
}

/** A fetch-shaped backend, e.g. the emulator. It sees URLs without the run prefix. */
export type FetchHandler = (request: Request) => Promise<Response>

export interface RunOptions {
  faults?: Fault[]
  /** Answer Monasca (and Keystone) requests with this handler instead of the canned answers. */
  backend?: FetchHandler
  /** Token the minimal Keystone issues (X-Subject-Token). */
  issuedToken?: string
}

export interface Run {
  id: string
  /** `http://127.0.0.1:<port>/r/<id>/v2.0` */
  endpoint: string
  /** `http://127.0.0.1:<port>/r/<id>/v3` */
  authUrl: string
  readonly requests: RecordedRequest[]
  /** Requests to Monasca only (Keystone traffic left out). */
  monascaRequests(): RecordedRequest[]
  keystoneRequests(): RecordedRequest[]
}

export interface RecordingServer {
  url: string
  port: number
  run(options?: RunOptions): Run
  /** The run that receives requests outside any `/r/<id>` prefix. */
  defaultRun: Run
  close(): Promise<void>
}

const CREDENTIAL_HEADERS = new Set(['x-auth-token', 'x-subject-token', 'authorization'])
const CREDENTIAL_FIELDS = new Set(['password', 'id', 'secret'])

/** A short digest: two requests carrying the same secret compare equal, the secret never shows. */
export const digest = (secret: string) => `<redacted ${createHash('sha256').update(secret).digest('hex').slice(0, 8)}>`

/** Replace passwords, token ids and secrets inside Keystone auth bodies by digests. */
function redactAuthBody(value: unknown, inCredential = false): unknown {
  if (Array.isArray(value)) return value.map((v) => redactAuthBody(v, inCredential))
  if (typeof value !== 'object' || value === null) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    const credentialPart = inCredential || k === 'token' || k === 'application_credential'
    if (typeof v === 'string' && (k === 'password' || k === 'secret' || (credentialPart && CREDENTIAL_FIELDS.has(k)))) out[k] = digest(v)
    else out[k] = redactAuthBody(v, credentialPart)
  }
  return out
}

function parseBody(raw: string, isKeystone: boolean): unknown {
  if (raw === '') return undefined
  try {
    const parsed: unknown = JSON.parse(raw)
    return isKeystone ? redactAuthBody(parsed) : parsed
  } catch {
    return raw
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function send(res: ServerResponse, reply: CannedReply) {
  const headers: Record<string, string> = { 'x-openstack-request-id': 'req-cli-diff', ...reply.headers }
  let payload = ''
  if (reply.body !== undefined) {
    if (typeof reply.body === 'string') {
      payload = reply.body
      headers['content-type'] ??= 'text/plain; charset=UTF-8'
    } else {
      payload = JSON.stringify(reply.body)
      headers['content-type'] ??= 'application/json'
    }
  }
  res.writeHead(reply.status, { ...headers, 'content-length': Buffer.byteLength(payload) })
  res.end(payload)
}

function keystoneVersion(authUrl: string) {
  return {
    version: {
      id: 'v3.14',
      status: 'stable',
      updated: '2020-04-07T00:00:00Z',
      links: [{ rel: 'self', href: `${authUrl}/` }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
    },
  }
}

function keystoneToken(run: Run, body: unknown) {
  const methods = ((body as { auth?: { identity?: { methods?: string[] } } })?.auth?.identity?.methods) ?? ['password']
  const now = Date.now()
  const iso = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z')
  const domain = { id: 'default', name: 'Default' }
  return {
    token: {
      methods,
      user: { id: 'u-0001', name: 'admin', domain, password_expires_at: null },
      project: { id: 'p-0001', name: 'admin', domain },
      roles: [{ id: 'r-0001', name: 'admin' }, { id: 'r-0002', name: 'monasca-user' }],
      is_domain: false,
      audit_ids: ['cli-diff'],
      issued_at: iso(now),
      expires_at: iso(now + 3600_000),
      catalog: [
        {
          id: 's-monitoring',
          type: 'monitoring',
          name: 'monasca',
          endpoints: [
            { id: 'e-mon-public', interface: 'public', region: 'RegionOne', region_id: 'RegionOne', url: run.endpoint },
            // Distinct paths per interface and region, so the recorded path shows which one a CLI picked.
            { id: 'e-mon-internal', interface: 'internal', region: 'RegionOne', region_id: 'RegionOne', url: run.endpoint.replace(/\/v2\.0$/, '/internal/v2.0') },
            { id: 'e-mon-two', interface: 'public', region: 'RegionTwo', region_id: 'RegionTwo', url: run.endpoint.replace(/\/v2\.0$/, '/region-two/v2.0') },
          ],
        },
        {
          id: 's-identity',
          type: 'identity',
          name: 'keystone',
          endpoints: [{ id: 'e-id-public', interface: 'public', region: 'RegionOne', region_id: 'RegionOne', url: run.authUrl }],
        },
      ],
    },
  }
}

function matchesFault(f: Fault, method: string, path: string): boolean {
  if (f.method && f.method !== method) return false
  if (f.path === undefined) return true
  return typeof f.path === 'string' ? path === f.path : f.path.test(path)
}

function faultReply(f: Fault): CannedReply {
  const body = f.body !== undefined ? f.body : { title: f.title ?? 'Error', description: f.description ?? '' }
  return { status: f.status, body, ...(f.headers ? { headers: f.headers } : {}) }
}

async function forward(handler: FetchHandler, url: string, method: string, headers: IncomingMessage['headers'], raw: string): Promise<CannedReply> {
  const h = new Headers()
  for (const [k, v] of Object.entries(headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length' && k !== 'connection') h.set(k, v)
  const response = await handler(new Request(url, { method, headers: h, ...(raw === '' || method === 'GET' ? {} : { body: raw }) }))
  const text = await response.text()
  const out: Record<string, string> = {}
  response.headers.forEach((v, k) => {
    if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v
  })
  return { status: response.status, ...(text === '' ? {} : { body: text }), headers: out }
}

export interface ServerOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. A fixed port serves a real Keystone's catalog. */
  port?: number
  /** Options of the default run (requests outside any `/r/<id>` prefix). */
  defaultRun?: RunOptions
  /** Keep each request's raw X-Auth-Token in `rawToken`. */
  keepRawTokens?: boolean
}

export async function startRecordingServer(serverOptions: ServerOptions = {}): Promise<RecordingServer> {
  const runs = new Map<string, { run: Run; options: RunOptions }>()
  let counter = 0
  let base = ''

  const makeRun = (id: string, prefix: string, options: RunOptions): Run => {
    const requests: RecordedRequest[] = []
    const run: Run = {
      id,
      endpoint: `${base}${prefix}/v2.0`,
      authUrl: `${base}${prefix}/v3`,
      requests,
      monascaRequests: () => requests.filter((r) => !r.path.startsWith('/v3')),
      keystoneRequests: () => requests.filter((r) => r.path.startsWith('/v3')),
    }
    runs.set(id, { run, options })
    return run
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base)
    const m = /^\/r\/([^/]+)(\/.*)?$/.exec(url.pathname)
    const entry = runs.get(m ? m[1]! : '') ?? runs.get('')!
    const path = m ? (m[2] ?? '/') : url.pathname
    const { run, options } = entry
    const method = req.method ?? 'GET'
    const raw = await readBody(req)
    const isKeystone = path.startsWith('/v3')

    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) {
      const value = Array.isArray(v) ? v.join(', ') : (v ?? '')
      headers[k] = CREDENTIAL_HEADERS.has(k) ? digest(value) : value
    }
    run.requests.push({
      method,
      path,
      query: [...url.searchParams.entries()],
      rawQuery: url.search.replace(/^\?/, ''),
      headers,
      body: parseBody(raw, isKeystone),
      rawBody: isKeystone ? '' : raw,
      ...(serverOptions.keepRawTokens && typeof req.headers['x-auth-token'] === 'string' ? { rawToken: req.headers['x-auth-token'] } : {}),
    })

    if (options.backend) {
      send(res, await forward(options.backend, `${base}${path}${url.search}`, method, req.headers, raw))
      return
    }
    if (isKeystone) {
      if (method === 'GET' && (path === '/v3' || path === '/v3/')) return send(res, { status: 200, body: keystoneVersion(run.authUrl) })
      if (method === 'POST' && path === '/v3/auth/tokens') {
        const token = options.issuedToken ?? 'issued-by-recording-keystone'
        return send(res, { status: 201, body: keystoneToken(run, parseBody(raw, false)), headers: { 'x-subject-token': token } })
      }
      return send(res, { status: 404, body: { error: { code: 404, title: 'Not Found', message: `No route ${method} ${path}` } } })
    }
    const fault = options.faults?.find((f) => matchesFault(f, method, path))
    if (fault) return send(res, faultReply(fault))
    const monascaPath = path.replace(/^\/(override|internal|region-two)(?=\/v2\.0)/, '').replace(/^\/v2\.0/, '')
    send(res, cannedMonasca(run.endpoint, method, monascaPath, [...url.searchParams.entries()], parseBody(raw, false)))
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A broken backend must show up as a 500 in the comparison, not hang the CLI.
      send(res, { status: 500, body: { title: 'Internal Server Error', description: String(error) } })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(serverOptions.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  base = `http://127.0.0.1:${port}`
  const defaultRun = makeRun('', '', serverOptions.defaultRun ?? {})

  return {
    url: base,
    port,
    defaultRun,
    run(options = {}) {
      counter += 1
      const id = `run${counter}`
      return makeRun(id, `/r/${id}`, options)
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

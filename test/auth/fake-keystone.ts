/**
 * A scripted Keystone v3 for unit tests: a fetch stub that issues numbered tokens, validates them,
 * records every request, and can be told to fail, drift its clock or hide headers.
 */
export interface RecordedRequest {
  method: string
  url: string
  headers: Record<string, string>
  body: any
}

export interface FakeKeystoneOptions {
  /** Token lifetime in seconds. Default 3600. */
  lifetime?: number
  /** Keystone's clock minus the local one, in ms. Default 0. */
  skewMs?: number
  /** Send a Date header. Default true. */
  dateHeader?: boolean
  password?: string
  catalog?: unknown[]
}

export const monitoringCatalog = [
  {
    type: 'identity',
    name: 'keystone',
    endpoints: [{ interface: 'public', region_id: 'RegionOne', region: 'RegionOne', url: 'http://keystone.test/v3/' }],
  },
  {
    type: 'monitoring',
    name: 'monasca',
    endpoints: [
      { interface: 'public', region_id: 'RegionOne', region: 'RegionOne', url: 'http://monasca-public.test/v2.0/' },
      { interface: 'internal', region_id: 'RegionOne', region: 'RegionOne', url: 'http://monasca-internal.test/v2.0' },
      { interface: 'public', region_id: 'RegionTwo', region: 'RegionTwo', url: 'http://monasca-two.test/v2.0' },
    ],
  },
]

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '.000000Z')

export function fakeKeystone(options: FakeKeystoneOptions = {}) {
  const requests: RecordedRequest[] = []
  const issued = new Map<string, { expiresAt: number; issuedAt: number; scoped: boolean }>()
  const failures: { status: number; body: unknown }[] = []
  let counter = 0
  let hideSubjectToken = false
  let gate: Promise<void> | undefined
  const config = { lifetime: options.lifetime ?? 3600, skewMs: options.skewMs ?? 0, dateHeader: options.dateHeader ?? true }
  const password = options.password ?? 'correct-horse'
  const serverNow = () => Date.now() + config.skewMs

  const tokenBody = (expiresAt: number, issuedAt: number, scoped: boolean, methods: string[]) => ({
    token: {
      methods,
      user: { id: 'u1', name: 'alice', domain: { id: 'default', name: 'Default' } },
      audit_ids: ['a1'],
      expires_at: iso(expiresAt),
      issued_at: iso(issuedAt),
      ...(scoped
        ? {
            project: { id: 'p1', name: 'demo', domain: { id: 'default', name: 'Default' } },
            roles: [{ id: 'r1', name: 'monasca-user' }],
            catalog: options.catalog ?? monitoringCatalog,
          }
        : {}),
    },
  })

  const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    const h = new Headers({ 'Content-Type': 'application/json', 'x-openstack-request-id': `req-${requests.length}`, ...headers })
    if (config.dateHeader) h.set('Date', new Date(serverNow()).toUTCString())
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: h })
  }

  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    const text = await request.text()
    const record: RecordedRequest = {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers.entries()),
      body: text ? JSON.parse(text) : undefined,
    }
    requests.push(record)
    if (gate) await gate
    const failure = failures.shift()
    if (failure) return reply(failure.status, failure.body)
    const url = new URL(request.url)
    if (!url.pathname.endsWith('/v3/auth/tokens')) return reply(404, { error: { code: 404, title: 'Not Found', message: 'no route' } })

    if (request.method === 'GET') {
      const subject = request.headers.get('x-subject-token') ?? ''
      const known = issued.get(subject)
      if (!known || known.expiresAt <= serverNow()) {
        return reply(404, { error: { code: 404, title: 'Not Found', message: `Could not find token: ${subject}.` } })
      }
      return reply(200, tokenBody(known.expiresAt, known.issuedAt, known.scoped, ['password']), { 'X-Subject-Token': subject })
    }
    if (request.method === 'POST') {
      const auth = record.body?.auth
      const methods: string[] = auth?.identity?.methods ?? []
      let expiresAt = serverNow() + config.lifetime * 1000
      if (methods.includes('password') && auth.identity.password?.user?.password !== password) {
        return reply(401, { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } })
      }
      if (methods.includes('token')) {
        const original = issued.get(auth.identity.token.id)
        if (!original) return reply(404, { error: { code: 404, title: 'Not Found', message: 'Failed to validate token' } })
        expiresAt = original.expiresAt // rescoping keeps the original expiry
      }
      const token = `tok-${++counter}`
      const scoped = auth?.scope !== undefined && auth.scope !== 'unscoped' || methods.includes('application_credential')
      const issuedAt = serverNow()
      issued.set(token, { expiresAt, issuedAt, scoped })
      return reply(201, tokenBody(expiresAt, issuedAt, scoped, methods), hideSubjectToken ? {} : { 'X-Subject-Token': token })
    }
    if (request.method === 'DELETE') {
      const subject = request.headers.get('x-subject-token') ?? ''
      if (!issued.delete(subject)) return reply(404, { error: { code: 404, title: 'Not Found', message: 'Failed to validate token' } })
      return reply(204, undefined)
    }
    return reply(405, { error: { code: 405, title: 'Method Not Allowed', message: 'nope' } })
  }

  return {
    fetch,
    requests,
    config,
    /** Register a token as if Keystone had issued it earlier (for identity.Token). */
    preIssue(token: string, lifetimeSeconds: number, scoped = true) {
      issued.set(token, { expiresAt: serverNow() + lifetimeSeconds * 1000, issuedAt: serverNow(), scoped })
    },
    failNext(status: number, body: unknown = { error: { code: status, title: 'Boom', message: 'keystone failed' } }) {
      failures.push({ status, body })
    },
    hideSubjectToken() {
      hideSubjectToken = true
    },
    /** Hold every answer until the returned function is called. */
    hold(): () => void {
      let release!: () => void
      gate = new Promise<void>((resolve) => (release = resolve))
      return () => {
        gate = undefined
        release()
      }
    },
    tokenRequests: () => requests.filter((r) => r.method === 'POST' && r.url.endsWith('/auth/tokens')),
  }
}

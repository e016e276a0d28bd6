import { beforeEach, describe, expect, it } from 'vitest'
import { type Harness, T0, harness } from './helpers.js'

let h: Harness
beforeEach(() => {
  h = harness({ tokenLifetimeSeconds: 600, applicationCredentials: [{ id: 'ac1', name: 'ci', secret: 'ac-secret', user: 'demo', project: 'demo' }] })
})

const password = (user = 'demo', pass = 'demo-secret', scope: unknown = { project: { name: 'demo', domain: { id: 'default' } } }) => ({
  auth: { identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password: pass } } }, ...(scope ? { scope } : {}) },
})

async function issue(body: unknown) {
  const r = await h.call('POST', '/v3/auth/tokens', { token: null, body })
  return { ...r, token: r.headers.get('x-subject-token') }
}

describe('Keystone v3 subset', () => {
  it('GET /v3 answers a version document', async () => {
    const r = await h.call('GET', '/v3', { token: null })
    expect(r.status).toBe(200)
    expect(r.body.version).toMatchObject({ id: 'v3.14', status: 'stable', links: [{ rel: 'self', href: 'http://monasca.test/v3/' }] })
  })

  it('password auth with project scope: 201, X-Subject-Token, token body, catalog pointing at this emulator', async () => {
    const r = await issue(password())
    expect(r.status).toBe(201)
    expect(r.token).toMatch(/^gAAAAAB[\w-]{176}$/)
    expect(Object.keys(r.body.token).sort()).toEqual(['audit_ids', 'catalog', 'expires_at', 'is_domain', 'issued_at', 'methods', 'project', 'roles', 'user'])
    expect(r.body.token).toMatchObject({
      methods: ['password'],
      user: { name: 'demo', domain: { id: 'default', name: 'Default' }, password_expires_at: null },
      project: { name: 'demo', id: h.emulator.projectId('demo'), domain: { id: 'default', name: 'Default' } },
      roles: [{ name: 'monasca-user' }],
      issued_at: new Date(T0).toISOString().replace('.000Z', '.000000Z'),
      expires_at: new Date(T0 + 600_000).toISOString().replace('.000Z', '.000000Z'),
    })
    const monitoring = r.body.token.catalog.find((s: { type: string }) => s.type === 'monitoring')
    expect(monitoring.endpoints.find((e: { interface: string }) => e.interface === 'public')).toMatchObject({ url: 'http://monasca.test/v2.0', region_id: 'RegionOne' })
    expect(r.body.token.catalog.find((s: { type: string }) => s.type === 'identity').endpoints[0].url).toBe('http://monasca.test/v3/')
    expect(JSON.stringify(r.body)).not.toContain('demo-secret')
  })

  it('the issued token works on Monasca with the project and roles it carries', async () => {
    const { token } = await issue(password())
    expect((await h.post('/v2.0/metrics', { name: 'm', value: 1, timestamp: T0 }, token!)).status).toBe(204)
    expect(h.emulator.data.metrics(h.emulator.projectId('demo')).map((m) => m.name)).toEqual(['m'])
    const reader = await issue(password('readonly', 'readonly-secret'))
    expect((await h.post('/v2.0/metrics', { name: 'm', value: 1, timestamp: T0 }, reader.token!)).status).toBe(401)
    expect((await h.get('/v2.0/metrics', reader.token!)).status).toBe(200)
  })

  it('leaves the catalog out with ?nocatalog and serves it at /v3/auth/catalog', async () => {
    const r = await h.call('POST', '/v3/auth/tokens?nocatalog', { token: null, body: password() })
    expect(r.status).toBe(201)
    expect(r.body.token.catalog).toBeUndefined()
    const catalog = await h.call('GET', '/v3/auth/catalog', { token: r.headers.get('x-subject-token') })
    expect(catalog.body.catalog.map((s: { type: string }) => s.type).sort()).toEqual(['identity', 'monitoring'])
    expect((await h.call('GET', '/v3/auth/catalog', { token: 'nope' })).status).toBe(401)
  })

  it('scopes by project id too, and an unscoped token has no catalog, roles or project', async () => {
    expect((await issue(password('demo', 'demo-secret', { project: { id: h.emulator.projectId('demo') } }))).status).toBe(201)
    const unscoped = await issue(password('demo', 'demo-secret', null))
    expect(Object.keys(unscoped.body.token).sort()).toEqual(['audit_ids', 'expires_at', 'issued_at', 'methods', 'user'])
    expect((await h.get('/v2.0/metrics', unscoped.token!)).body.title).toBe('Forbidden')
  })

  it('answers 401 with the standard body for a wrong password, unknown user, or a project without roles', async () => {
    for (const body of [password('demo', 'nope'), password('ghost', 'x'), password('demo', 'demo-secret', { project: { name: 'admin', domain: { id: 'default' } } })]) {
      const r = await issue(body)
      expect(r.status).toBe(401)
      expect(r.body).toEqual({ error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } })
      expect(r.headers.get('www-authenticate')).toBe('Keystone uri="http://monasca.test/v3"')
      expect(r.text).not.toContain('nope')
    }
    const bad = await issue({ auth: {} })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatchObject({ code: 400, title: 'Bad Request' })
  })

  it('rescoping with the token method keeps the original expires_at and audit id', async () => {
    const first = await issue(password('admin', 'secret', null))
    h.clock.now += 120_000
    const rescoped = await issue({ auth: { identity: { methods: ['token'], token: { id: first.token } }, scope: { project: { name: 'admin', domain: { id: 'default' } } } } })
    expect(rescoped.status).toBe(201)
    expect(rescoped.body.token.methods).toEqual(['token', 'password'])
    expect(rescoped.body.token.expires_at).toBe(first.body.token.expires_at)
    expect(rescoped.body.token.audit_ids[1]).toBe(first.body.token.audit_ids[0])
    expect(rescoped.body.token.roles.map((r: { name: string }) => r.name).sort()).toEqual(['admin', 'monasca-user'])
  })

  it('application credentials: by id or name, scoped to their project, no explicit scope allowed', async () => {
    const byId = await issue({ auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac1', secret: 'ac-secret' } } } })
    expect(byId.status).toBe(201)
    expect(byId.body.token).toMatchObject({ methods: ['application_credential'], project: { name: 'demo' }, application_credential: { id: 'ac1', name: 'ci', restricted: true } })
    const byName = await issue({ auth: { identity: { methods: ['application_credential'], application_credential: { name: 'ci', user: { name: 'demo', domain: { id: 'default' } }, secret: 'ac-secret' } } } })
    expect(byName.status).toBe(201)
    expect((await issue({ auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac1', secret: 'x' } } } })).status).toBe(401)
    const scoped = await issue({ auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac1', secret: 'ac-secret' } }, scope: { project: { name: 'demo', domain: { id: 'default' } } } } })
    expect(scoped.status).toBe(401)
    expect(scoped.body.error.identity).toEqual({})
  })

  it('creates an application credential over the API and refuses to from an app-cred token', async () => {
    const { token, body } = await issue(password())
    const created = await h.call('POST', `/v3/users/${body.token.user.id}/application_credentials`, { token, body: { application_credential: { name: 'mine' } } })
    expect(created.status).toBe(201)
    const { id, secret } = created.body.application_credential
    const viaCred = await issue({ auth: { identity: { methods: ['application_credential'], application_credential: { id, secret } } } })
    expect(viaCred.status).toBe(201)
    const again = await h.call('POST', `/v3/users/${body.token.user.id}/application_credentials`, { token: viaCred.token, body: { application_credential: { name: 'x' } } })
    expect(again.status).toBe(403)
    expect((await h.call('DELETE', `/v3/users/${body.token.user.id}/application_credentials/${id}`, { token })).status).toBe(204)
    expect((await h.get('/v2.0/metrics', viaCred.token!)).status).toBe(401)
  })

  it('validates with GET/HEAD (?nocatalog), revokes with DELETE, and then refuses the token everywhere', async () => {
    const caller = await issue(password('admin', 'secret'))
    const subject = await issue(password())
    const headers = { 'X-Subject-Token': subject.token! }
    const valid = await h.call('GET', '/v3/auth/tokens', { token: caller.token, headers })
    expect(valid.status).toBe(200)
    expect(valid.headers.get('x-subject-token')).toBe(subject.token)
    expect(valid.body.token.catalog).toBeDefined()
    expect((await h.call('GET', '/v3/auth/tokens?nocatalog', { token: caller.token, headers })).body.token.catalog).toBeUndefined()
    const head = await h.call('HEAD', '/v3/auth/tokens', { token: caller.token, headers })
    expect(head.status).toBe(200)
    expect(head.text).toBe('')
    expect((await h.call('GET', '/v3/auth/tokens', { token: caller.token, headers: { 'X-Subject-Token': 'garbage' } })).body.error).toMatchObject({ code: 404, message: 'Could not recognize Fernet token' })
    expect((await h.call('GET', '/v3/auth/tokens', { token: 'garbage', headers })).status).toBe(401)
    expect((await h.call('DELETE', '/v3/auth/tokens', { token: caller.token, headers })).status).toBe(204)
    expect((await h.call('GET', '/v3/auth/tokens', { token: caller.token, headers })).body.error.message).toBe('Failed to validate token')
    expect((await h.call('DELETE', '/v3/auth/tokens', { token: caller.token, headers })).status).toBe(404)
    expect((await h.get('/v2.0/metrics', subject.token!)).status).toBe(401)
    const rescope = await issue({ auth: { identity: { methods: ['token'], token: { id: subject.token } } } })
    expect(rescope.status).toBe(404)
  })

  it('expires tokens on the emulator clock', async () => {
    const { token } = await issue(password())
    h.clock.now += 599_000
    expect((await h.get('/v2.0/metrics', token!)).status).toBe(200)
    h.clock.now += 1_000
    const expired = await h.get('/v2.0/metrics', token!)
    expect(expired.status).toBe(401)
    expect(expired.body.error.title).toBe('Unauthorized')
  })

  it('test hooks: issueToken and revokeToken (also for static tokens)', async () => {
    const token = h.emulator.issueToken({ projectId: 'p9', roles: ['monasca-read-only-user'], expiresInSeconds: 5 })
    expect((await h.get('/v2.0/metrics', token)).status).toBe(200)
    expect((await h.post('/v2.0/metrics', { name: 'm', value: 1, timestamp: T0 }, token)).status).toBe(401)
    h.clock.now += 5_000
    expect((await h.get('/v2.0/metrics', token)).status).toBe(401)
    expect(h.emulator.revokeToken('user')).toBe(true)
    expect((await h.get('/v2.0/metrics', 'user')).status).toBe(401)
  })

  it('every response carries a Date (from the emulator clock) and a request id', async () => {
    const r = await issue(password())
    expect(r.headers.get('date')).toBe(new Date(T0).toUTCString())
    expect(r.headers.get('x-openstack-request-id')).toMatch(/^req-[0-9a-f-]{36}$/)
  })

  it('logs requests with tokens and passwords redacted, so tests can count Keystone calls', async () => {
    const { token } = await issue(password())
    await h.get('/v2.0/metrics', token!)
    const log = h.emulator.requests
    expect(log.filter((e) => e.service === 'keystone')).toHaveLength(1)
    expect(log.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual(['POST /v3/auth/tokens 201', 'GET /v2.0/metrics 200'])
    const text = JSON.stringify(log)
    expect(text).not.toContain('demo-secret')
    expect(text).not.toContain(token)
    expect(log[1]!.headers['x-auth-token']).toBe('<redacted>')
    h.emulator.clearRequests()
    expect(h.emulator.requests).toEqual([])
  })
})

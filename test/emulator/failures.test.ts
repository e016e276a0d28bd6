/** emulator.failNext: injected failures in the real servers' error shapes, for pages and clients under test. */
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, MonascaError } from '../../src/index.js'
import { createEmulator } from '../../src/emulator/index.js'
import { type ServedEmulator, serveEmulator } from '../../src/emulator/serve.js'
import { harness } from './helpers.js'

let served: ServedEmulator | undefined
afterEach(async () => {
  await served?.close()
  served = undefined
})

describe('emulator.failNext', () => {
  it('answers the next matching request with a 500 in Falcon shape and a request id, then recovers', async () => {
    const h = harness()
    const handle = h.emulator.failNext({ path: '/v2.0/alarms', status: 500 })
    expect(handle.remaining).toBe(1)
    // Another path is not touched.
    expect((await h.get('/v2.0/alarm-definitions')).status).toBe(200)
    const failed = await h.get('/v2.0/alarms')
    expect(failed.status).toBe(500)
    expect(failed.body).toEqual({ title: 'Service unavailable', description: 'The emulator was told to fail this request (emulator.failNext)' })
    expect(failed.headers.get('x-openstack-request-id')).toMatch(/^req-[0-9a-f-]{36}$/)
    expect(failed.headers.get('content-type')).toBe('application/json')
    expect(handle.remaining).toBe(0)
    expect(handle.hits).toBe(1)
    expect((await h.get('/v2.0/alarms')).status).toBe(200)
    expect(h.emulator.requests.map((r) => r.status)).toEqual([200, 500, 200])
  })

  it('matches by method and RegExp, counts times, and takes a body and headers', async () => {
    const h = harness()
    h.emulator.failNext({ method: 'post', path: /^\/v2\.0\/metrics$/, status: 503, times: 2, headers: { 'Retry-After': '0' } })
    expect((await h.get('/v2.0/metrics')).status).toBe(200)
    const metric = { name: 'm', value: 1, timestamp: Date.now() }
    const first = await h.post('/v2.0/metrics', metric)
    expect(first.status).toBe(503)
    expect(first.headers.get('retry-after')).toBe('0')
    expect((await h.post('/v2.0/metrics', metric)).status).toBe(503)
    expect((await h.post('/v2.0/metrics', metric)).status).toBe(204)
    h.emulator.failNext({ status: 409, body: { title: 'Custom', description: 'mine' } })
    const custom = await h.get('/v2.0/alarms')
    expect(custom.status).toBe(409)
    expect(custom.body).toEqual({ title: 'Custom', description: 'mine' })
  })

  it('words Keystone failures as Keystone and 401s as keystonemiddleware', async () => {
    const h = harness()
    h.emulator.failNext({ path: '/v3/auth/tokens', status: 500 })
    const ks = await h.call('POST', '/v3/auth/tokens', { token: null, body: {} })
    expect(ks.status).toBe(500)
    expect(ks.body).toEqual({ error: { code: 500, message: 'An unexpected error prevented the server from fulfilling your request.', title: 'Internal Server Error' } })
    h.emulator.failNext({ status: 401 })
    const unauthorized = await h.get('/v2.0/alarms')
    expect(unauthorized.status).toBe(401)
    expect(unauthorized.body.error.code).toBe(401)
    expect(unauthorized.headers.get('www-authenticate')).toBe('Keystone uri="http://monasca.test/v3"')
  })

  it('with times: Infinity fails until cancelled; clearFailures drops every one', async () => {
    const h = harness()
    const forever = h.emulator.failNext({ path: '/v2.0/alarms', times: Infinity })
    for (let i = 0; i < 3; i++) expect((await h.get('/v2.0/alarms')).status).toBe(500)
    forever.cancel()
    expect((await h.get('/v2.0/alarms')).status).toBe(200)
    h.emulator.failNext({ times: 5 })
    h.emulator.clearFailures()
    expect((await h.get('/v2.0/alarms')).status).toBe(200)
  })

  it('refuses a spec that cannot be answered', () => {
    const h = harness()
    expect(() => h.emulator.failNext({ status: 200 })).toThrow(RangeError)
    expect(() => h.emulator.failNext({ status: 500.5 })).toThrow(/400-599/)
    expect(() => h.emulator.failNext({ times: 0 })).toThrow(/times/)
    expect(() => h.emulator.failNext({ delayMs: -1 })).toThrow(/delayMs/)
  })

  it('delays an answer, and the caller’s signal still aborts it', async () => {
    const h = harness()
    h.emulator.failNext({ path: '/v2.0/alarms', status: 504, delayMs: 60_000 })
    const controller = new AbortController()
    const pending = h.emulator.fetch('http://monasca.test/v2.0/alarms', { headers: { 'X-Auth-Token': 'user' }, signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    h.emulator.failNext({ path: '/v2.0/alarms', status: 504, delayMs: 20 })
    const slow = await h.get('/v2.0/alarms')
    expect(slow.status).toBe(504)
  })

  it('network: true rejects emulator.fetch as fetch does and drops the socket over HTTP', async () => {
    const emulator = createEmulator({ tokens: { t: { projectId: 'p' } } })
    emulator.failNext({ network: true })
    await expect(emulator.fetch('http://x/v2.0/alarms', { headers: { 'X-Auth-Token': 't' } })).rejects.toThrow(TypeError)
    served = await serveEmulator(emulator)
    emulator.failNext({ network: true })
    await expect(fetch(`${served.url}/v2.0/alarms`, { headers: { 'X-Auth-Token': 't' } })).rejects.toThrow(TypeError)
    expect((await fetch(`${served.url}/v2.0/alarms`, { headers: { 'X-Auth-Token': 't' } })).status).toBe(200)
  })

  it('reaches the SDK as a typed error carrying status, title, description and the request id', async () => {
    const emulator = createEmulator({ tokens: { t: { projectId: 'p' } } })
    served = await serveEmulator(emulator)
    const client = createClient({ endpoint: `${served.url}/v2.0`, token: 't', retries: 0 })
    emulator.failNext({ path: '/v2.0/alarms', status: 500 })
    const error = await client.alarms.list().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MonascaError)
    const e = error as MonascaError
    expect(e.status).toBe(500)
    expect(e.title).toBe('Service unavailable')
    expect(e.description).toContain('failNext')
    const logged = emulator.requests.at(-1)!
    expect(logged.status).toBe(500)
    expect(e.requestId).toMatch(/^req-/)
  })
})

describe('the hooks a page test needs besides failNext', () => {
  it('a token issued with a short expiry, or revoked, is then refused with 401', async () => {
    const h = harness()
    const projectId = 'p1'
    const short = h.emulator.issueToken({ projectId, expiresInSeconds: 5 })
    expect((await h.get('/v2.0/alarms', short)).status).toBe(200)
    h.clock.now += 5_000
    expect((await h.get('/v2.0/alarms', short)).status).toBe(401)
    const revoked = h.emulator.issueToken({ projectId })
    expect(h.emulator.revokeToken(revoked)).toBe(true)
    expect((await h.get('/v2.0/alarms', revoked)).status).toBe(401)
  })

  it('tokenLifetimeSeconds shortens the tokens the Keystone password login issues', async () => {
    const h = harness({ tokenLifetimeSeconds: 2 })
    const login = await h.call('POST', '/v3/auth/tokens', {
      token: null,
      body: { auth: { identity: { methods: ['password'], password: { user: { name: 'demo', domain: { id: 'default' }, password: 'demo-secret' } } }, scope: { project: { name: 'demo', domain: { id: 'default' } } } } },
    })
    const token = login.headers.get('x-subject-token')!
    expect((await h.get('/v2.0/alarms', token)).status).toBe(200)
    h.clock.now += 2_000
    expect((await h.get('/v2.0/alarms', token)).status).toBe(401)
  })

  it('expireTokens ends every issued session at once (no need to know the token); static tokens stay', async () => {
    const h = harness()
    const login = await h.call('POST', '/v3/auth/tokens', {
      token: null,
      body: { auth: { identity: { methods: ['password'], password: { user: { name: 'demo', domain: { id: 'default' }, password: 'demo-secret' } } }, scope: { project: { name: 'demo', domain: { id: 'default' } } } } },
    })
    const session = login.headers.get('x-subject-token')!
    const minted = h.emulator.issueToken({ projectId: 'p1' })
    expect((await h.get('/v2.0/alarms', session)).status).toBe(200)
    expect(h.emulator.expireTokens()).toBe(2)
    expect((await h.get('/v2.0/alarms', session)).status).toBe(401)
    expect((await h.get('/v2.0/alarms', minted)).status).toBe(401)
    expect((await h.get('/v2.0/alarms', 'user')).status).toBe(200)
    expect(h.emulator.expireTokens()).toBe(0)
  })

  it('setAlarmState changes an alarm while a reader polls, with a history entry', async () => {
    const emulator = createEmulator({ seed: 'demo' })
    const demo = emulator.projectId('demo')
    const alarm = emulator.data.alarms(demo).find((a) => a.state === 'OK')!
    const before = emulator.data.stateHistory(demo).length
    emulator.setAlarmState(alarm.id, 'ALARM', 'forced by a test')
    expect(emulator.data.alarms(demo).find((a) => a.id === alarm.id)!.state).toBe('ALARM')
    const history = emulator.data.stateHistory(demo)
    expect(history).toHaveLength(before + 1)
    expect(history.at(-1)).toMatchObject({ alarm_id: alarm.id, old_state: 'OK', new_state: 'ALARM', reason: 'forced by a test' })
  })
})

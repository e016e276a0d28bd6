import { describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { T0, harness } from './helpers.js'

describe('the fetch contract', () => {
  it('works detached, with any origin, a relative path, a URL object or a Request', async () => {
    const emulator = createEmulator({ tokens: { t: { projectId: 'p' } } })
    const f = emulator.fetch
    const headers = { 'X-Auth-Token': 't' }
    expect((await f('https://anything.example:1234/v2.0', { headers })).status).toBe(200)
    expect((await f('/v2.0', { headers })).status).toBe(200)
    expect((await f(new URL('http://x/v2.0'), { headers })).status).toBe(200)
    const r = await f(new Request('http://host.example/v2.0', { headers }))
    expect((await r.json()).links[0].href).toBe('http://host.example/v2.0')
  })

  it('uses baseUrl for links and the catalog when given', async () => {
    const emulator = createEmulator({ baseUrl: 'https://public.example/', tokens: { t: { projectId: 'p' } } })
    const r = await emulator.fetch('http://internal:1/v2.0', { headers: { 'X-Auth-Token': 't' } })
    expect((await r.json()).links[0].href).toBe('https://public.example/v2.0')
  })

  it('rejects with an AbortError when the signal is already aborted', async () => {
    const emulator = createEmulator()
    await expect(emulator.fetch('/v3', { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
  })
})

describe('routing, versions and authentication', () => {
  it('answers / and /v2.0 with the version documents (token needed), an unknown version with 422', async () => {
    const h = harness()
    const root = await h.get('/')
    expect(root.body).toEqual({
      links: [{ rel: 'self', href: 'http://monasca.test/' }],
      elements: [{ id: 'v2.0', links: [{ rel: 'self', href: 'http://monasca.test/v2.0' }], status: 'CURRENT', updated: '2013-03-06T00:00:00.000Z' }],
    })
    expect(Object.keys((await h.get('/v2.0')).body).sort()).toEqual(['id', 'links', 'status', 'updated'])
    expect((await h.get('/v9')).body).toEqual({ title: 'Invalid version', description: 'No versions found matching v9' })
    expect((await h.call('GET', '/v2.0', { token: null })).status).toBe(401)
  })

  it('serves /healthcheck without a token (HEAD 204, GET 200)', async () => {
    const h = harness()
    expect((await h.call('HEAD', '/healthcheck', { token: null })).status).toBe(204)
    const get = await h.call('GET', '/healthcheck', { token: null })
    expect(get.body).toEqual({ kafka: 'OK', alarms_database: 'OK', metrics_database: 'OK' })
  })

  it('answers a missing or unknown token with keystonemiddleware\'s 401', async () => {
    const h = harness()
    for (const token of [null, 'unknown']) {
      const r = await h.call('GET', '/v2.0/alarms', { token })
      expect(r.status).toBe(401)
      expect(r.body).toEqual({ error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } })
      expect(r.headers.get('www-authenticate')).toBe('Keystone uri="http://monasca.test/v3"')
    }
  })

  it('answers a token without any Monasca role with 401 Forbidden', async () => {
    expect((await harness().get('/v2.0/alarms', 'noroles')).body.title).toBe('Forbidden')
  })

  it('answers unknown paths with 404 {"title":"404 Not Found"} and unrouted verbs with 405 and Allow', async () => {
    const h = harness()
    expect((await h.get('/v2.0/nothing')).body).toEqual({ title: '404 Not Found' })
    expect((await h.get('/v2.0/logs')).status).toBe(404)
    const post = await h.call('POST', '/v2.0/alarms', { body: {} })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET')
    expect((await h.call('DELETE', '/v2.0/metrics')).headers.get('allow')).toBe('GET, POST')
  })

  it('strips trailing slashes like Falcon', async () => {
    const h = harness()
    expect((await h.get('/v2.0/alarm-definitions/')).status).toBe(200)
  })

  it('trusts X-Tenant-Id/X-Roles only when trustTenantHeaders is set', async () => {
    const headers = { 'X-Tenant-Id': 'p7', 'X-Roles': 'monasca-user' }
    expect((await harness().call('GET', '/v2.0/metrics', { token: null, headers })).status).toBe(401)
    const h = harness({ trustTenantHeaders: true })
    expect((await h.call('POST', '/v2.0/metrics', { token: null, headers, body: { name: 'm', value: 1, timestamp: T0 } })).status).toBe(204)
    expect(h.emulator.data.metrics('p7')).toHaveLength(1)
    expect((await h.call('POST', '/v2.0/metrics', { token: null, headers: { 'X-Tenant-Id': 'p7', 'X-Roles': 'monasca-read-only-user' }, body: { name: 'm', value: 1, timestamp: T0 } })).status).toBe(401)
  })
})

describe('test hooks', () => {
  it('setAlarmState writes history; addMetrics feeds the evaluator; data reads every resource', async () => {
    const h = harness()
    await h.post('/v2.0/notification-methods', { name: 'n', type: 'EMAIL', address: 'a@b' })
    await h.post('/v2.0/alarm-definitions', { name: 'd', expression: 'max(x) > 5' })
    h.emulator.addMetrics('p1', [{ name: 'x', timestamp: T0, value: 1 }])
    const [alarm] = h.emulator.data.alarms('p1')
    expect(alarm).toMatchObject({ state: 'OK', projectId: 'p1' })
    h.emulator.setAlarmState(alarm!.id, 'ALARM', 'forced')
    expect(h.emulator.data.alarms()[0]!.state).toBe('ALARM')
    expect(h.emulator.data.stateHistory('p1').at(-1)).toMatchObject({ old_state: 'OK', new_state: 'ALARM', reason: 'forced' })
    expect(h.emulator.data.alarmDefinitions('p1').map((d) => d.name)).toEqual(['d'])
    expect(h.emulator.data.notificationMethods('p2')).toEqual([])
    expect(h.emulator.data.metrics('p1')[0]!.measurements).toEqual([[T0, 1, {}]])
    expect(() => h.emulator.setAlarmState('nope', 'OK')).toThrow()
  })

  it('onRequest sees every request', async () => {
    const seen: string[] = []
    const h = harness({ onRequest: (e) => seen.push(`${e.service} ${e.status}`) })
    await h.get('/v2.0')
    await h.call('GET', '/v3', { token: null })
    expect(seen).toEqual(['monasca 200', 'keystone 200'])
  })
})

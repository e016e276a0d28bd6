/** The recording server on its own: runs kept apart, credentials never recorded, faults, catalog, backends. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { digest, startRecordingServer, type RecordingServer } from './recording-server.js'

describe('recording server', () => {
  let server: RecordingServer
  beforeAll(async () => {
    server = await startRecordingServer()
  })
  afterAll(async () => {
    await server.close()
  })

  it('records each run apart, with the decoded query in order and the token digested', async () => {
    const a = server.run()
    const b = server.run()
    const response = await fetch(`${a.endpoint}/metrics?name=cpu&dimensions=hostname%3Ah1%2Cpath%3A%2Fvar+log&limit=2`, { headers: { 'X-Auth-Token': 'secret-token' } })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { elements: unknown[] }).elements.length).toBeGreaterThan(0)
    await fetch(`${b.endpoint}/alarms/state-history/`)
    expect(a.requests).toHaveLength(1)
    expect(a.requests[0]!.path).toBe('/v2.0/metrics')
    expect(a.requests[0]!.query).toEqual([['name', 'cpu'], ['dimensions', 'hostname:h1,path:/var log'], ['limit', '2']])
    expect(a.requests[0]!.headers['x-auth-token']).toBe(digest('secret-token'))
    expect(JSON.stringify(a.requests)).not.toContain('secret-token')
    expect(b.requests.map((r) => r.path)).toEqual(['/v2.0/alarms/state-history/'])
  })

  it('issues Keystone tokens with a catalog pointing back at the run, and never records the password', async () => {
    const run = server.run({ issuedToken: 'issued-1' })
    const body = { auth: { identity: { methods: ['password'], password: { user: { name: 'u', domain: { id: 'default' }, password: 'pw-123' } } }, scope: { project: { name: 'p', domain: { id: 'default' } } } } }
    const response = await fetch(`${run.authUrl}/auth/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    expect(response.status).toBe(201)
    expect(response.headers.get('x-subject-token')).toBe('issued-1')
    const token = ((await response.json()) as { token: { catalog: { type: string; endpoints: { interface: string; region_id: string; url: string }[] }[] } }).token
    const monitoring = token.catalog.find((s) => s.type === 'monitoring')!.endpoints
    expect(monitoring.find((e) => e.interface === 'public' && e.region_id === 'RegionOne')!.url).toBe(run.endpoint)
    expect(new Set(monitoring.map((e) => e.url)).size).toBe(monitoring.length)
    expect(JSON.stringify(run.requests)).not.toContain('pw-123')
    expect(run.keystoneRequests()).toHaveLength(1)
    expect(run.monascaRequests()).toHaveLength(0)
  })

  it('answers with the configured fault, Monasca-shaped or as given', async () => {
    const run = server.run({ faults: [{ method: 'GET', path: /^\/v2\.0\/alarms\//, status: 404, title: 'Not Found', description: 'gone' }, { status: 500, body: 'boom' }] })
    const notFound = await fetch(`${run.endpoint}/alarms/x`)
    expect(notFound.status).toBe(404)
    expect(await notFound.json()).toEqual({ title: 'Not Found', description: 'gone' })
    const text = await fetch(`${run.endpoint}/metrics`)
    expect(text.status).toBe(500)
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await text.text()).toBe('boom')
  })

  it('shapes statistics and counts after the query, echoes bodies of writes', async () => {
    const run = server.run()
    const stats = (await (await fetch(`${run.endpoint}/metrics/statistics?name=cpu&statistics=MAX,count&start_time=x`)).json()) as { elements: { columns: string[] }[] }
    expect(stats.elements[0]!.columns).toEqual(['timestamp', 'max', 'count'])
    const count = (await (await fetch(`${run.endpoint}/alarms/count?group_by=state,severity`)).json()) as { columns: string[] }
    expect(count.columns).toEqual(['count', 'state', 'severity'])
    const patched = (await (await fetch(`${run.endpoint}/notification-methods/n1`, { method: 'PATCH', body: JSON.stringify({ period: 60 }) })).json()) as { id: string; period: number }
    expect(patched).toMatchObject({ id: 'n1', period: 60 })
  })

  it('hands requests to a backend without the run prefix', async () => {
    const seen: string[] = []
    const run = server.run({
      backend: async (request) => {
        seen.push(`${request.method} ${new URL(request.url).pathname} ${await request.text()}`)
        return new Response(JSON.stringify({ ok: true }), { status: 201, headers: { 'content-type': 'application/json' } })
      },
    })
    const response = await fetch(`${run.endpoint}/metrics`, { method: 'POST', body: '{"name":"x"}' })
    expect(response.status).toBe(201)
    expect(seen).toEqual(['POST /v2.0/metrics {"name":"x"}'])
    expect(run.requests[0]!.body).toEqual({ name: 'x' })
  })
})

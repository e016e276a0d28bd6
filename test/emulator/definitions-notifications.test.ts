import { beforeEach, describe, expect, it } from 'vitest'
import { BASE, type Harness, harness, q } from './helpers.js'

let h: Harness
beforeEach(() => {
  h = harness()
})

const DEFINITION_KEYS = ['actions_enabled', 'alarm_actions', 'deterministic', 'description', 'expression', 'id', 'links', 'match_by', 'name', 'ok_actions', 'severity', 'undetermined_actions']

async function notification(name = 'email', extra: Record<string, unknown> = {}) {
  const r = await h.post('/v2.0/notification-methods', { name, type: 'email', address: 'ops@example.com', ...extra })
  expect(r.status).toBe(201)
  return r.body.id as string
}

async function definition(body: Record<string, unknown>) {
  return h.post('/v2.0/alarm-definitions', { name: 'cpu high', expression: 'avg(cpu{hostname=h1}) > 10', ...body })
}

describe('notification methods', () => {
  it('creates (201, type upper-cased, period default 0) and reads, lists, updates, patches and deletes', async () => {
    const created = await h.post('/v2.0/notification-methods', { name: 'ops', type: 'eMail', address: 'ops@example.com' })
    expect(created.status).toBe(201)
    const id = created.body.id
    expect(created.body).toEqual({
      id,
      links: [{ rel: 'self', href: `${BASE}/v2.0/notification-methods/${id}` }],
      name: 'ops',
      type: 'EMAIL',
      address: 'ops@example.com',
      period: 0,
    })
    expect((await h.get(`/v2.0/notification-methods/${id}`)).body).toEqual(created.body)
    const put = await h.call('PUT', `/v2.0/notification-methods/${id}`, { body: { name: 'hook', type: 'WEBHOOK', address: 'http://mytest.test:4533/webhook', period: 60 } })
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({ name: 'hook', type: 'WEBHOOK', period: 60 })
    const patch = await h.call('PATCH', `/v2.0/notification-methods/${id}`, { body: { period: '0' } })
    expect(patch.body).toMatchObject({ name: 'hook', address: 'http://mytest.test:4533/webhook', period: 0 })
    expect((await h.call('DELETE', `/v2.0/notification-methods/${id}`)).status).toBe(204)
    expect((await h.get(`/v2.0/notification-methods/${id}`)).body).toEqual({ title: '404 Not Found' })
  })

  it.each([
    ['missing name', { type: 'EMAIL', address: 'a@b' }],
    ['missing type', { name: 'n', address: 'a@b' }],
    ['missing address', { name: 'n', type: 'EMAIL' }],
    ['name > 250', { name: 'n'.repeat(251), type: 'EMAIL', address: 'a@b' }],
    ['address > 512', { name: 'n', type: 'WEBHOOK', address: `http://h/${'a'.repeat(510)}` }],
    ['email without domain', { name: 'n', type: 'EMAIL', address: 'name@' }],
    ['ftp webhook', { name: 'n', type: 'WEBHOOK', address: 'ftp://example.com' }],
    ['webhook without //', { name: 'n', type: 'WEBHOOK', address: 'localhost:123' }],
    ['unknown type', { name: 'n', type: 'random', address: 'a@b' }],
    ['period 1.2', { name: 'n', type: 'EMAIL', address: 'a@b', period: 1.2 }],
    ['period random', { name: 'n', type: 'EMAIL', address: 'a@b', period: 'random' }],
    ['period 10', { name: 'n', type: 'EMAIL', address: 'a@b', period: 10 }],
  ])('refuses %s with 400', async (_, body) => {
    const r = await h.post('/v2.0/notification-methods', body)
    expect(r.status).toBe(400)
    expect(r.body.title).toBe('Bad Request')
    expect(typeof r.body.description).toBe('string')
  })

  it('words its 400s as the server does', async () => {
    expect((await h.post('/v2.0/notification-methods', { name: 'n', type: 'random', address: 'a@b' })).body.description).toBe('Not a valid notification method type RANDOM ')
    expect((await h.post('/v2.0/notification-methods', { name: 'n', type: 'EMAIL', address: 'a@b', period: 10 })).body.description).toBe(
      '10 is not in the configured list of valid periods: [0, 60]',
    )
    expect((await h.post('/v2.0/notification-methods', { name: 'n', type: 'WEBHOOK', address: 'localhost:123' })).body.description).toBe(
      'Address localhost:123 does not have network location',
    )
  })

  it('requires period on PUT, refuses a duplicate name with 409, and 404s unknown ids', async () => {
    const id = await notification('a')
    await notification('b')
    const put = await h.call('PUT', `/v2.0/notification-methods/${id}`, { body: { name: 'a', type: 'EMAIL', address: 'x@y' } })
    expect(put.body).toEqual({ title: 'Bad Request', description: 'Period is required' })
    const dup = await h.post('/v2.0/notification-methods', { name: 'b', type: 'EMAIL', address: 'x@y' })
    expect(dup.status).toBe(409)
    expect(dup.body.title).toBe('AlreadyExistsException')
    for (const method of ['GET', 'DELETE', 'PATCH', 'PUT']) {
      const r = await h.call(method, '/v2.0/notification-methods/00000000-0000-0000-0000-000000000000', method === 'GET' || method === 'DELETE' ? {} : { body: { name: 'z', type: 'EMAIL', address: 'x@y', period: 0 } })
      expect(r.status, method).toBe(404)
    }
  })

  it('lists with integer offsets and sort_by; the next link carries the last UUID as the real server does', async () => {
    const ids = [await notification('c'), await notification('a'), await notification('b')]
    const byName = await h.get(`/v2.0/notification-methods${q({ sort_by: 'name desc' })}`)
    expect(byName.body.elements.map((n: { name: string }) => n.name)).toEqual(['c', 'b', 'a'])
    const page = await h.get(`/v2.0/notification-methods${q({ sort_by: 'name', limit: 2 })}`)
    expect(page.body.elements.map((n: { name: string }) => n.name)).toEqual(['a', 'b'])
    const next = new URL(page.body.links[1].href).searchParams.get('offset')
    expect(ids).toContain(next)
    expect((await h.get(`/v2.0/notification-methods${q({ sort_by: 'name', offset: next! })}`)).status).toBe(422)
    expect((await h.get(`/v2.0/notification-methods${q({ sort_by: 'name', offset: 2, limit: 2 })}`)).body.elements.map((n: { name: string }) => n.name)).toEqual(['c'])
    expect((await h.get('/v2.0/notification-methods?sort_by=random')).status).toBe(422)
  })

  it('can emit integer next offsets instead (notificationNextOffset: "integer")', async () => {
    h = harness({ notificationNextOffset: 'integer' })
    await notification('a')
    await notification('b')
    const page = await h.get('/v2.0/notification-methods?limit=1')
    expect(new URL(page.body.links[1].href).searchParams.get('offset')).toBe('1')
  })

  it('lists the configured types sorted and upper-case', async () => {
    expect((await h.get('/v2.0/notification-methods/types')).body.elements).toEqual([{ type: 'EMAIL' }, { type: 'PAGERDUTY' }, { type: 'WEBHOOK' }])
    h = harness({ notificationTypes: ['slack', 'email'] })
    expect((await h.get('/v2.0/notification-methods/types')).body.elements).toEqual([{ type: 'EMAIL' }, { type: 'SLACK' }])
    expect((await h.post('/v2.0/notification-methods', { name: 'n', type: 'WEBHOOK', address: 'http://h' })).status).toBe(400)
  })
})

describe('alarm definitions', () => {
  it('creates with defaults and the exact key set (no expression_data)', async () => {
    const r = await definition({ match_by: ['hostname'] })
    expect(r.status).toBe(201)
    expect(Object.keys(r.body).sort()).toEqual([...DEFINITION_KEYS].sort())
    expect(r.body).toMatchObject({
      name: 'cpu high',
      description: '',
      expression: 'avg(cpu{hostname=h1}) > 10',
      deterministic: false,
      match_by: ['hostname'],
      severity: 'LOW',
      actions_enabled: true,
      alarm_actions: [],
      ok_actions: [],
      undetermined_actions: [],
      links: [{ rel: 'self', href: `${BASE}/v2.0/alarm-definitions/${r.body.id}` }],
    })
    expect((await h.get(`/v2.0/alarm-definitions/${r.body.id}`)).body).toEqual(r.body)
  })

  it('computes deterministic from the expression', async () => {
    expect((await definition({ expression: 'count(log.error{},deterministic) > 0' })).body.deterministic).toBe(true)
    expect((await definition({ name: 'mixed', expression: 'count(log.error{},deterministic) > 0 and avg(x) > 1' })).body.deterministic).toBe(false)
  })

  it('refuses a bad expression with 422 "Invalid alarm expression" and the parser message', async () => {
    const r = await definition({ expression: 'avg(cpu{hostname=h1}) > ' })
    expect(r.status).toBe(422)
    expect(r.body.title).toBe('Invalid alarm expression')
    expect(r.body.description).toMatch(/^parser failed on expression 'avg\(cpu\{hostname=h1\}\) > ' at column 25: /)
    expect((await definition({ expression: 'avg(x, 61) > 1' })).body.description).toBe("parser failed on expression 'avg(x, 61) > 1' at column 8: Period 61 must be a multiple of 60")
  })

  it.each([
    ['name > 255', { name: 'n'.repeat(256) }],
    ['description > 255', { description: 'd'.repeat(256) }],
    ['severity INVALID', { severity: 'INVALID' }],
    ['alarm action id > 50', { alarm_actions: ['a'.repeat(51)] }],
    ['ok action id > 50', { ok_actions: ['a'.repeat(51)] }],
    ['undetermined action id > 50', { undetermined_actions: ['a'.repeat(51)] }],
    ['duplicate action', { alarm_actions: ['x', 'x'] }],
    ['missing expression', { expression: undefined }],
    ['bad match_by key', { match_by: ['a=b'] }],
  ])('refuses %s with 422', async (_, body) => {
    const r = await definition(body)
    expect(r.status).toBe(422)
  })

  it('requires existing notification methods in each action list', async () => {
    const r = await definition({ ok_actions: ['00000000-0000-0000-0000-000000000000'] })
    expect(r.status).toBe(422)
    expect(r.body.description).toBe('Non-existent notification id 00000000-0000-0000-0000-000000000000 submitted for OK notification action')
    const id = await notification()
    expect((await definition({ alarm_actions: [id], ok_actions: [id], undetermined_actions: [id] })).status).toBe(201)
  })

  it('refuses a duplicate name with 409', async () => {
    await definition({})
    const r = await definition({})
    expect(r.status).toBe(409)
    expect(r.body).toEqual({ title: 'AlreadyExistsException', description: 'An alarm definition with the name cpu high already exists' })
  })

  it('PUT needs every field, keeps match_by and the sub-expression metrics; PATCH merges', async () => {
    const id = (await definition({ match_by: ['hostname'] })).body.id
    const full = {
      name: 'renamed', description: 'd', expression: 'max(cpu{hostname=h1}, 120) >= 20 times 2', match_by: ['hostname'], severity: 'high',
      alarm_actions: [], ok_actions: [], undetermined_actions: [], actions_enabled: false,
    }
    const { ok_actions, ...noOk } = full
    expect((await h.call('PUT', `/v2.0/alarm-definitions/${id}`, { body: noOk })).status).toBe(422)
    const put = await h.call('PUT', `/v2.0/alarm-definitions/${id}`, { body: full })
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({ name: 'renamed', severity: 'HIGH', actions_enabled: false, expression: full.expression })
    const matchBy = await h.call('PUT', `/v2.0/alarm-definitions/${id}`, { body: { ...full, match_by: ['service'] } })
    expect(matchBy.body).toEqual({ title: 'InvalidUpdateException', description: 'match_by must not change' })
    expect((await h.call('PATCH', `/v2.0/alarm-definitions/${id}`, { body: { match_by: [] } })).status).toBe(422)
    expect((await h.call('PATCH', `/v2.0/alarm-definitions/${id}`, { body: { expression: 'avg(mem{hostname=h1}) > 1' } })).body.description).toBe(
      'metrics in subexpression must not change',
    )
    expect((await h.call('PATCH', `/v2.0/alarm-definitions/${id}`, { body: { expression: 'avg(cpu{hostname=h1}) > 1 or avg(x) > 2' } })).body.description).toBe(
      'number of subexpressions must not change',
    )
    expect((await h.call('PATCH', `/v2.0/alarm-definitions/${id}`, { body: { alarm_actions: ['nope'] } })).status).toBe(422)
    const patched = await h.call('PATCH', `/v2.0/alarm-definitions/${id}`, { body: { description: 'patched' } })
    expect(patched.body).toMatchObject({ name: 'renamed', description: 'patched', severity: 'HIGH' })
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      const r = await h.call(method, '/v2.0/alarm-definitions/00000000-0000-0000-0000-000000000000', method === 'GET' || method === 'DELETE' ? {} : { body: { ...full, name: 'unused name' } })
      expect(r.status, method).toBe(404)
    }
    expect((await h.call('DELETE', `/v2.0/alarm-definitions/${id}`)).status).toBe(204)
    expect((await h.call('DELETE', '/v2.0/alarm-definitions')).body).toEqual({ title: 'Bad Request', description: 'Alarm definition ID not provided' })
  })

  it('deleting a notification method removes it from every action list', async () => {
    const keep = await notification('keep')
    const drop = await notification('drop')
    const id = (await definition({ alarm_actions: [keep, drop], ok_actions: [drop] })).body.id
    expect((await h.call('DELETE', `/v2.0/notification-methods/${drop}`)).status).toBe(204)
    expect((await h.get(`/v2.0/alarm-definitions/${id}`)).body).toMatchObject({ alarm_actions: [keep], ok_actions: [] })
  })

  it('lists with name, dimensions (against the expression), severity (| list) filters, sort_by and integer offsets', async () => {
    await h.post('/v2.0/alarm-definitions', { name: 'b', expression: 'avg(cpu{hostname=h1, service=web}) > 1', severity: 'HIGH' })
    await h.post('/v2.0/alarm-definitions', { name: 'a', expression: 'avg(cpu{hostname=h2}) > 1', severity: 'LOW' })
    await h.post('/v2.0/alarm-definitions', { name: 'c', expression: 'avg(mem) > 1', severity: 'CRITICAL' })
    const names = async (query: string) => (await h.get(`/v2.0/alarm-definitions${query}`)).body.elements.map((d: { name: string }) => d.name)
    expect(await names(q({ name: 'a' }))).toEqual(['a'])
    expect(await names(q({ dimensions: 'hostname:h1' }))).toEqual(['b'])
    expect(await names(q({ dimensions: 'hostname:h1,service:web' }))).toEqual(['b'])
    expect(await names(q({ severity: 'low|critical', sort_by: 'name' }))).toEqual(['a', 'c'])
    expect(await names(q({ sort_by: 'severity' }))).toEqual(['c', 'b', 'a']) // alphabetical: CRITICAL < HIGH < LOW
    expect(await names(q({ sort_by: 'name desc' }))).toEqual(['c', 'b', 'a'])
    const page = await h.get(`/v2.0/alarm-definitions${q({ sort_by: 'name', offset: 1, limit: 1 })}`)
    expect(page.body.elements.map((d: { name: string }) => d.name)).toEqual(['b'])
    expect(new URL(page.body.links[1].href).searchParams.get('offset')).toBe('2')
    expect((await h.get('/v2.0/alarm-definitions?severity=LOW|INVALID')).body.title).toBe('Invalid Severity')
    expect((await h.get('/v2.0/alarm-definitions?sort_by=random')).status).toBe(422)
    expect((await h.get('/v2.0/alarm-definitions?offset=abc')).body.description).toBe('Offset value abc must be an integer')
  })

  it('keeps tenants apart', async () => {
    const id = (await definition({})).body.id
    expect((await h.get(`/v2.0/alarm-definitions/${id}`, 'other')).status).toBe(404)
    expect((await h.get('/v2.0/alarm-definitions', 'other')).body.elements).toEqual([])
    expect((await h.post('/v2.0/alarm-definitions', { name: 'cpu high', expression: 'max(x) > 1' }, 'other')).status).toBe(201)
  })

  it('refuses writes from a read-only user with 401 Forbidden', async () => {
    const r = await h.post('/v2.0/alarm-definitions', { name: 'x', expression: 'max(x) > 1' }, 'reader')
    expect(r.status).toBe(401)
    expect(r.body.title).toBe('Forbidden')
    expect((await h.get('/v2.0/alarm-definitions', 'reader')).status).toBe(200)
  })
})

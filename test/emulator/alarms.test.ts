import { beforeEach, describe, expect, it } from 'vitest'
import { BASE, type Harness, T0, harness, metric, q } from './helpers.js'

let h: Harness
beforeEach(() => {
  h = harness()
})

const ALARM_KEYS = ['alarm_definition', 'created_timestamp', 'id', 'lifecycle_state', 'link', 'links', 'metrics', 'state', 'state_updated_timestamp', 'updated_timestamp']
const HISTORY_KEYS = ['alarm_id', 'id', 'metrics', 'new_state', 'old_state', 'reason', 'reason_data', 'sub_alarms', 'timestamp']

async function define(expression: string, extra: Record<string, unknown> = {}) {
  const r = await h.post('/v2.0/alarm-definitions', { name: `def ${expression}`, expression, ...extra })
  expect(r.status).toBe(201)
  return r.body.id as string
}
const alarms = async (query = '') => (await h.get(`/v2.0/alarms${query}`)).body.elements as Array<Record<string, any>>
const history = async (alarmId: string) => (await h.get(`/v2.0/alarms/${alarmId}/state-history`)).body.elements as Array<Record<string, any>>

describe('alarms come alive from posted metrics', () => {
  it('max(x) > 14: no alarm before data, created UNDETERMINED then ALARM, with history, reason and sub_alarms', async () => {
    const defId = await define('max(test.metric) > 14')
    expect(await alarms()).toEqual([])
    await h.post('/v2.0/metrics', metric('test.metric', { hostname: 'h1' }, 20))
    const [alarm] = await alarms()
    expect(Object.keys(alarm!).sort()).toEqual(ALARM_KEYS)
    expect(alarm).toMatchObject({
      state: 'ALARM',
      lifecycle_state: null,
      link: null,
      alarm_definition: { id: defId, name: 'def max(test.metric) > 14', severity: 'LOW', links: [{ rel: 'self', href: `${BASE}/v2.0/alarm-definitions/${defId}` }] },
      metrics: [{ name: 'test.metric', dimensions: { hostname: 'h1' } }],
      created_timestamp: new Date(T0).toISOString().replace('.000', ''),
    })
    const [entry] = await history(alarm!.id)
    expect(Object.keys(entry!).sort()).toEqual(HISTORY_KEYS)
    expect(entry).toMatchObject({
      alarm_id: alarm!.id,
      old_state: 'UNDETERMINED',
      new_state: 'ALARM',
      reason: 'Thresholds were exceeded for the sub-alarms: max(test.metric) > 14.0 with the values: [20.0]',
      reason_data: '{}',
      metrics: [{ id: null, name: 'test.metric', dimensions: { hostname: 'h1' } }],
      sub_alarms: [
        {
          sub_alarm_expression: { function: 'MAX', metric_name: 'test.metric', dimensions: {}, operator: 'GT', threshold: 14, period: 60, periods: 1, deterministic: false },
          sub_alarm_state: 'ALARM',
          current_values: [20],
        },
      ],
    })
    expect(entry!.id).toBe(String(Date.parse(entry!.timestamp)))
  })

  it('deterministic: created OK on first data, then ALARM', async () => {
    await define('count(log.error, deterministic) > 2')
    await h.post('/v2.0/metrics', metric('log.error', {}, 1))
    expect((await alarms())[0]!.state).toBe('OK')
    expect(await history((await alarms())[0]!.id)).toEqual([])
    h.clock.now += 10_000
    await h.post('/v2.0/metrics', [metric('log.error', {}, 1, h.clock.now), metric('log.error', {}, 1, h.clock.now)])
    expect((await alarms())[0]!.state).toBe('ALARM')
  })

  it('last(): created OK, then ALARM, then OK again (tempest test_alarm_transitions)', async () => {
    await define('last(Mixed.Case) > 14')
    await h.post('/v2.0/metrics', metric('Mixed.Case', {}, 1))
    const id = (await alarms())[0]!.id
    expect((await alarms())[0]!.state).toBe('OK')
    h.clock.now += 1000
    await h.post('/v2.0/metrics', metric('Mixed.Case', {}, 15, h.clock.now))
    h.clock.now += 1000
    await h.post('/v2.0/metrics', metric('Mixed.Case', {}, 2, h.clock.now))
    expect((await history(id)).map((e) => `${e.old_state}->${e.new_state}`)).toEqual(['OK->ALARM', 'ALARM->OK'])
  })

  it('match_by splits alarms per dimension values; metrics without the key are left out', async () => {
    await define('avg(cpu) > 50', { match_by: ['hostname'] })
    await define('avg(disk) > 90', { match_by: ['hostname', 'device'] })
    await h.post('/v2.0/metrics', [
      metric('cpu', { hostname: 'a' }, 60),
      metric('cpu', { hostname: 'b' }, 10),
      metric('cpu', { service: 'x' }, 10),
      metric('disk', { hostname: 'a', device: 'sda' }, 95),
      metric('disk', { hostname: 'a', device: 'sdb' }, 50),
    ])
    const all = await alarms(q({ sort_by: 'alarm_definition_name,state' }))
    expect(all.map((a) => `${a.metrics[0].name}:${JSON.stringify(a.metrics[0].dimensions)}:${a.state}`)).toEqual([
      'cpu:{"hostname":"b"}:OK',
      'cpu:{"hostname":"a"}:ALARM',
      'disk:{"hostname":"a","device":"sdb"}:OK',
      'disk:{"hostname":"a","device":"sda"}:ALARM',
    ])
  })

  it('applies function, period and times: every one of the last N periods must breach; a gap is UNDETERMINED', async () => {
    await define('avg(load, 120) > 5 times 2')
    await h.post('/v2.0/metrics', [metric('load', {}, 9, T0 - 200_000), metric('load', {}, 1, T0 - 10_000), metric('load', {}, 9, T0)])
    // windows (T0-240s, T0-120s] avg 9 and (T0-120s, T0] avg 5: the second does not breach
    expect((await alarms())[0]!.state).toBe('OK')
    h.clock.now = T0 + 30_000
    await h.post('/v2.0/metrics', metric('load', {}, 20, h.clock.now))
    expect((await alarms())[0]!.state).toBe('ALARM')
    h.clock.now = T0 + 1_000_000
    h.emulator.evaluate()
    const [alarm] = await alarms()
    expect(alarm!.state).toBe('UNDETERMINED')
    expect((await history(alarm!.id)).at(-1)!.reason).toMatch(/^No data was present for the sub-alarms: avg\(load, 120\) > 5\.0 times 2/)
  })

  it('combines sub-expressions: AND needs both, OR either', async () => {
    await define('avg(a) > 1 and avg(b) > 1')
    await define('avg(a) > 1 or avg(b) > 1')
    await h.post('/v2.0/metrics', [metric('a', {}, 5), metric('b', {}, 0)])
    const states = Object.fromEntries((await alarms()).map((x) => [x.alarm_definition.name, x.state]))
    expect(states).toEqual({ 'def avg(a) > 1 and avg(b) > 1': 'OK', 'def avg(a) > 1 or avg(b) > 1': 'ALARM' })
  })

  it('a definition created after the data evaluates the recent series at once', async () => {
    await h.post('/v2.0/metrics', metric('late', {}, 100))
    await define('max(late) > 10')
    expect((await alarms()).map((a) => a.state)).toEqual(['ALARM'])
  })

  it('deleting a definition deletes its alarms', async () => {
    const defId = await define('max(x) > 1')
    await h.post('/v2.0/metrics', metric('x', {}, 5))
    expect(await alarms()).toHaveLength(1)
    await h.call('DELETE', `/v2.0/alarm-definitions/${defId}`)
    expect(await alarms()).toEqual([])
  })
})

describe('alarm API', () => {
  let ids: string[]
  beforeEach(async () => {
    await define('max(cpu) > 50', { match_by: ['hostname'], severity: 'HIGH' })
    await define('max(mem) > 50', { match_by: ['hostname'], severity: 'LOW' })
    await h.post('/v2.0/metrics', [
      metric('cpu', { hostname: 'h1', unique: '1' }, 60),
      metric('cpu', { hostname: 'h2' }, 10),
      metric('mem', { hostname: 'h1' }, 10),
    ])
    ids = (await alarms()).map((a) => a.id)
  })

  it('filters by definition, metric name, metric_dimensions (| and key-only), state (any case), severity, lifecycle_state, link', async () => {
    const defs = (await h.get('/v2.0/alarm-definitions')).body.elements
    const cpuDef = defs.find((d: { expression: string }) => d.expression.includes('cpu')).id
    expect(await alarms(q({ alarm_definition_id: cpuDef }))).toHaveLength(2)
    expect(await alarms(q({ metric_name: 'mem' }))).toHaveLength(1)
    expect(await alarms(q({ metric_dimensions: 'hostname:h1' }))).toHaveLength(2)
    expect(await alarms(q({ metric_dimensions: 'hostname:h1,unique:1' }))).toHaveLength(1)
    expect(await alarms(q({ metric_dimensions: 'hostname:h1|h2' }))).toHaveLength(3)
    expect(await alarms(q({ metric_dimensions: 'unique' }))).toHaveLength(1)
    expect(await alarms(q({ state: 'ok' }))).toHaveLength(2)
    expect(await alarms(q({ severity: 'HIGH|critical' }))).toHaveLength(2)
    expect((await h.get('/v2.0/alarms?state=BAD')).body).toEqual({ title: 'Invalid State', description: "State BAD must be one of ['ALARM', 'OK', 'UNDETERMINED']" })
    expect((await h.get('/v2.0/alarms?severity=LOW|BAD')).status).toBe(422)
    expect((await h.get(`/v2.0/alarms${q({ metric_dimensions: `${'k'.repeat(256)}:v` })}`)).status).toBe(422)
    await h.call('PATCH', `/v2.0/alarms/${ids[0]}`, { body: { lifecycle_state: 'OPEN', link: 'http://x' } })
    expect(await alarms(q({ lifecycle_state: 'OPEN' }))).toHaveLength(1)
    expect(await alarms(q({ link: 'http://x' }))).toHaveLength(1)
  })

  it('sorts by rank for severity and state, with integer offsets and next = offset + limit', async () => {
    expect((await alarms(q({ sort_by: 'severity desc,state' }))).map((a) => `${a.alarm_definition.severity}/${a.state}`)).toEqual(['HIGH/OK', 'HIGH/ALARM', 'LOW/OK'])
    expect((await alarms(q({ sort_by: 'state desc' })))[0]!.state).toBe('ALARM')
    const page = await h.get(`/v2.0/alarms${q({ offset: 1, limit: 1 })}`)
    expect(page.body.elements.map((a: { id: string }) => a.id)).toEqual([[...ids].sort()[1]])
    expect(new URL(page.body.links[1].href).searchParams.get('offset')).toBe('2')
    expect((await h.get('/v2.0/alarms?sort_by=not_valid_field')).status).toBe(422)
    expect((await h.get('/v2.0/alarms?offset=x')).body.description).toBe('Offset value x must be an integer')
  })

  it('PUT needs state, lifecycle_state and link; PATCH keeps what is missing; both write history', async () => {
    const id = ids[0]!
    const missing = await h.call('PUT', `/v2.0/alarms/${id}`, { body: { state: 'OK', lifecycle_state: 'OPEN' } })
    expect(missing.body).toEqual({ title: 'Unprocessable Entity', description: "Field 'link' is required" })
    expect((await h.call('PUT', `/v2.0/alarms/${id}`, { body: { state: 'ok', lifecycle_state: 'OPEN', link: 'l' } })).status).toBe(422)
    const before = (await h.get(`/v2.0/alarms/${id}`)).body.state
    const target = before === 'ALARM' ? 'OK' : 'ALARM'
    h.clock.now += 5000
    const put = await h.call('PUT', `/v2.0/alarms/${id}`, { body: { state: target, lifecycle_state: 'ACKNOWLEDGED', link: 'http://pagerduty.com/' } })
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({ state: target, lifecycle_state: 'ACKNOWLEDGED', link: 'http://pagerduty.com/' })
    const patch = await h.call('PATCH', `/v2.0/alarms/${id}`, { body: { link: 'http://other/', lifecycle_state: null } })
    expect(patch.body).toMatchObject({ state: target, lifecycle_state: 'ACKNOWLEDGED', link: 'http://other/' })
    const last = (await history(id)).at(-1)!
    expect(last).toMatchObject({ old_state: before, new_state: target, reason: 'Alarm state updated via API', sub_alarms: [] })
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      const r = await h.call(method, '/v2.0/alarms/00000000-0000-0000-0000-000000000000', method === 'GET' || method === 'DELETE' ? {} : { body: { state: 'OK', lifecycle_state: 'x', link: 'y' } })
      expect(r.status, method).toBe(404)
    }
    expect((await h.call('DELETE', `/v2.0/alarms/${id}`)).status).toBe(204)
    expect((await h.get(`/v2.0/alarms/${id}`)).status).toBe(404)
  })

  it('refuses a read-only user\'s DELETE with 401 Forbidden but lets it read', async () => {
    expect((await h.call('DELETE', `/v2.0/alarms/${ids[0]}`, { token: 'reader' })).status).toBe(401)
    expect((await h.get('/v2.0/alarms', 'reader')).body.elements).toHaveLength(3)
    expect((await h.get('/v2.0/alarms', 'other')).body.elements).toEqual([])
    expect((await h.get(`/v2.0/alarms/${ids[0]}`, 'other')).status).toBe(404)
  })

  it('state_updated_start_time needs fractional seconds and Z (else 500, as the server)', async () => {
    expect(await alarms(q({ state_updated_start_time: new Date(T0 - 1000).toISOString() }))).toHaveLength(3)
    expect(await alarms(q({ state_updated_start_time: new Date(T0 + 1000).toISOString() }))).toHaveLength(0)
    expect((await h.get(`/v2.0/alarms${q({ state_updated_start_time: '2026-01-15T12:00:00Z' })}`)).status).toBe(500)
  })

  it('counts, grouped and filtered, ordered by the group columns, with nulls for an empty result', async () => {
    expect((await h.get('/v2.0/alarms/count')).body).toEqual({ links: [{ rel: 'self', href: `${BASE}/v2.0/alarms/count` }], columns: ['count'], counts: [[3]] })
    expect((await h.get('/v2.0/alarms/count?group_by=state')).body.counts).toEqual([[1, 'ALARM'], [2, 'OK']])
    const both = await h.get(`/v2.0/alarms/count${q({ group_by: 'state,severity' })}`)
    expect(both.body.columns).toEqual(['count', 'state', 'severity'])
    expect(both.body.counts).toEqual([[1, 'ALARM', 'HIGH'], [1, 'OK', 'HIGH'], [1, 'OK', 'LOW']])
    expect((await h.get('/v2.0/alarms/count?group_by=state,severity')).body.counts).toEqual(both.body.counts)
    expect((await h.get(`/v2.0/alarms/count${q({ metric_dimensions: 'hostname:h1' })}`)).body.counts).toEqual([[2]])
    expect((await h.get(`/v2.0/alarms/count${q({ state: 'UNDETERMINED', group_by: 'state,name' })}`)).body.counts).toEqual([[0, null, null]])
    expect((await h.get('/v2.0/alarms/count?group_by=dimension_name')).body.counts).toEqual([[3, 'hostname'], [1, 'unique']])
    const limited = await h.get('/v2.0/alarms/count?group_by=state,severity&limit=1&offset=1')
    expect(limited.body.counts).toEqual([[1, 'OK', 'HIGH']])
    expect(new URL(limited.body.links[1].href).searchParams.get('offset')).toBe('2')
    expect((await h.get('/v2.0/alarms/count?group_by=not_allowed')).status).toBe(422)
    expect((await h.get('/v2.0/alarms/count?offset=not_an_int')).body.description).toBe('Offset must be a valid integer, was not_an_int')
  })

  it('lists state history across alarms with dimensions, inclusive end_time, and epoch-ms or ISO offsets', async () => {
    for (const [i, id] of ids.entries()) {
      h.clock.now = T0 + (i + 1) * 1000
      h.emulator.setAlarmState(id, 'UNDETERMINED', 'test')
    }
    const all = (await h.get('/v2.0/alarms/state-history')).body.elements
    expect(all.length).toBeGreaterThanOrEqual(4)
    const times = all.map((e: { timestamp: string }) => e.timestamp)
    expect([...times].sort()).toEqual(times)
    expect((await h.get(`/v2.0/alarms/state-history${q({ dimensions: 'hostname:h2' })}`)).body.elements.every((e: any) => e.metrics[0].dimensions.hostname === 'h2')).toBe(true)
    const second = all[1]
    expect((await h.get(`/v2.0/alarms/state-history${q({ start_time: second.timestamp })}`)).body.elements).toHaveLength(all.length - 1)
    expect((await h.get(`/v2.0/alarms/state-history${q({ end_time: second.timestamp })}`)).body.elements).toHaveLength(2)
    const page = await h.get('/v2.0/alarms/state-history?limit=2')
    const offset = new URL(page.body.links[1].href).searchParams.get('offset')!
    expect(offset).toBe(page.body.elements[1].id)
    expect((await h.get(`/v2.0/alarms/state-history${q({ offset, limit: 1 })}`)).body.elements[0]).toEqual(all[2])
    expect((await h.get(`/v2.0/alarms/state-history${q({ offset: all[1].timestamp, limit: 1 })}`)).body.elements[0]).toEqual(all[2])
    expect((await h.get('/v2.0/alarms/unknown-id/state-history')).body.elements).toEqual([])
    expect((await h.get(`/v2.0/alarms/state-history${q({ dimensions: '_bad:v' })}`)).status).toBe(422)
    expect((await h.get(`/v2.0/alarms/state-history${q({ start_time: 'yesterday' })}`)).status).toBe(422)
  })

  it('serves the Python client\'s trailing-slash history path', async () => {
    expect((await h.get('/v2.0/alarms/state-history/')).status).toBe(200)
  })
})

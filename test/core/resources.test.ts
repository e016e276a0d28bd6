import { describe, expect, it } from 'vitest'
import { createClient, type Client } from '../../src/index.js'
import { captureFetch, json, type CapturedRequest } from '../helpers/capture.js'

const ENDPOINT = 'http://monasca.test:8070/v2.0'

/** A reply of the shape each endpoint promises: a page for lists, counts for count, an object for the rest. */
function validReply(request: CapturedRequest): Response {
  if (request.method === 'DELETE' || (request.method === 'POST' && request.path.endsWith('/metrics'))) return new Response(null, { status: 204 })
  if (request.path.endsWith('/alarms/count')) return json({ links: [], columns: ['count'], counts: [[0]] })
  const lists = /\/(metrics(\/.*)?|alarm-definitions|alarms|state-history|notification-methods|types)$/
  if (request.method === 'GET' && lists.test(request.path)) return json({ links: [], elements: [] })
  return json({ id: 'x1', links: [] }, request.method === 'POST' ? 201 : 200)
}

function setup(body?: unknown, status = 200) {
  const { fetch, calls } = captureFetch((r) => (status === 204 ? new Response(null, { status }) : body === undefined ? validReply(r) : json(body, status)))
  const client = createClient({ endpoint: ENDPOINT, token: 'tok-secret', fetch, retries: 0 })
  return { client, calls }
}

interface Expected {
  method: string
  path: string
  query?: Record<string, string | string[]>
  body?: unknown
}

/** Every resource method, with the exact request it must send. */
const cases: Array<[string, (c: Client) => Promise<unknown>, Expected]> = [
  ['metrics.create one', (c) => c.metrics.create({ name: 'cpu.idle_perc', dimensions: { hostname: 'h1' }, timestamp: 1700000000000, value: 97.5, value_meta: { rc: '0' } }),
    { method: 'POST', path: '/v2.0/metrics', body: { name: 'cpu.idle_perc', dimensions: { hostname: 'h1' }, timestamp: 1700000000000, value: 97.5, value_meta: { rc: '0' } } }],
  ['metrics.create many, tenant', (c) => c.metrics.create([{ name: 'a', timestamp: 1, value: 1 }, { name: 'b', timestamp: 2, value: 2 }], { tenant_id: 'p 2' }),
    { method: 'POST', path: '/v2.0/metrics', query: { tenant_id: 'p 2' }, body: [{ name: 'a', timestamp: 1, value: 1 }, { name: 'b', timestamp: 2, value: 2 }] }],
  ['metrics.list', (c) => c.metrics.list({ name: 'cpu.idle_perc', dimensions: { hostname: ['h1', 'h2'], service: null }, start_time: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), end_time: '2024-01-03T00:00:00Z', offset: '17', limit: 50, tenant_id: 't' }),
    { method: 'GET', path: '/v2.0/metrics', query: { name: 'cpu.idle_perc', dimensions: 'hostname:h1|h2,service', start_time: '2024-01-02T03:04:05.000Z', end_time: '2024-01-03T00:00:00Z', offset: '17', limit: '50', tenant_id: 't' } }],
  ['metrics.listNames', (c) => c.metrics.listNames({ dimensions: 'hostname:h1', limit: 2 }),
    { method: 'GET', path: '/v2.0/metrics/names', query: { dimensions: 'hostname:h1', limit: '2' } }],
  ['metrics.listMeasurements', (c) => c.metrics.listMeasurements({ name: 'http_status', start_time: '2024-01-01T00:00:00Z', dimensions: { url: 'http://h:80/x y' }, merge_metrics: true, group_by: ['hostname', 'service'], offset: '0_2024-01-01T00:01:00.000Z', limit: 10 }),
    { method: 'GET', path: '/v2.0/metrics/measurements', query: { name: 'http_status', dimensions: 'url:http://h:80/x y', start_time: '2024-01-01T00:00:00Z', merge_metrics: 'true', group_by: 'hostname,service', offset: '0_2024-01-01T00:01:00.000Z', limit: '10' } }],
  ['metrics.listStatistics', (c) => c.metrics.listStatistics({ name: 'cpu.system_perc', start_time: '2024-01-01T00:00:00Z', end_time: '2024-01-02T00:00:00Z', statistics: ['avg', 'max'], period: 600, group_by: '*' }),
    { method: 'GET', path: '/v2.0/metrics/statistics', query: { name: 'cpu.system_perc', start_time: '2024-01-01T00:00:00Z', end_time: '2024-01-02T00:00:00Z', group_by: '*', statistics: 'avg,max', period: '600' } }],
  ['metrics.listDimensionNames', (c) => c.metrics.listDimensionNames({ metric_name: ['cpu.idle_perc', 'mem.free_mb'], limit: 5 }),
    { method: 'GET', path: '/v2.0/metrics/dimensions/names', query: { metric_name: ['cpu.idle_perc', 'mem.free_mb'], limit: '5' } }],
  ['metrics.listDimensionValues', (c) => c.metrics.listDimensionValues({ dimension_name: 'hostname', metric_name: 'cpu.idle_perc', start_time: '2024-01-01T00:00:00Z' }),
    { method: 'GET', path: '/v2.0/metrics/dimensions/names/values', query: { dimension_name: 'hostname', metric_name: 'cpu.idle_perc', start_time: '2024-01-01T00:00:00Z' } }],
  ['alarmDefinitions.create', (c) => c.alarmDefinitions.create({ name: 'High CPU', expression: 'avg(cpu.user_perc{hostname=h1}) > 90 times 3', match_by: ['hostname'], severity: 'HIGH', alarm_actions: ['n1'] }),
    { method: 'POST', path: '/v2.0/alarm-definitions', body: { name: 'High CPU', expression: 'avg(cpu.user_perc{hostname=h1}) > 90 times 3', match_by: ['hostname'], severity: 'HIGH', alarm_actions: ['n1'] } }],
  ['alarmDefinitions.get', (c) => c.alarmDefinitions.get('ad/1'), { method: 'GET', path: '/v2.0/alarm-definitions/ad%2F1' }],
  ['alarmDefinitions.list', (c) => c.alarmDefinitions.list({ name: 'x', dimensions: { service: 'web' }, severity: ['LOW', 'high'], sort_by: ['severity asc', 'name desc', 'id'], offset: 20, limit: 10 }),
    { method: 'GET', path: '/v2.0/alarm-definitions', query: { name: 'x', dimensions: 'service:web', severity: 'LOW|high', sort_by: 'severity asc,name desc,id', offset: '20', limit: '10' } }],
  ['alarmDefinitions.update', (c) => c.alarmDefinitions.update('ad1', { name: 'n', description: 'd', expression: 'max(x) > 1', severity: 'LOW', match_by: [], alarm_actions: [], ok_actions: [], undetermined_actions: [], actions_enabled: false }),
    { method: 'PUT', path: '/v2.0/alarm-definitions/ad1', body: { name: 'n', description: 'd', expression: 'max(x) > 1', severity: 'LOW', match_by: [], alarm_actions: [], ok_actions: [], undetermined_actions: [], actions_enabled: false } }],
  ['alarmDefinitions.patch', (c) => c.alarmDefinitions.patch('ad1', { severity: 'critical', actions_enabled: true }),
    { method: 'PATCH', path: '/v2.0/alarm-definitions/ad1', body: { severity: 'critical', actions_enabled: true } }],
  ['alarmDefinitions.delete', (c) => c.alarmDefinitions.delete('ad1'), { method: 'DELETE', path: '/v2.0/alarm-definitions/ad1' }],
  ['alarms.get', (c) => c.alarms.get('a1'), { method: 'GET', path: '/v2.0/alarms/a1' }],
  ['alarms.list', (c) => c.alarms.list({ alarm_definition_id: 'ad1', metric_name: 'cpu', metric_dimensions: { hostname: 'h1' }, state: 'ok', severity: 'LOW|HIGH', lifecycle_state: 'OPEN', link: 'http://l', state_updated_start_time: new Date(Date.UTC(2024, 4, 1)), sort_by: 'state desc', offset: 1, limit: 1 }),
    { method: 'GET', path: '/v2.0/alarms', query: { alarm_definition_id: 'ad1', metric_name: 'cpu', metric_dimensions: 'hostname:h1', state: 'ok', severity: 'LOW|HIGH', lifecycle_state: 'OPEN', link: 'http://l', state_updated_start_time: '2024-05-01T00:00:00.000Z', sort_by: 'state desc', offset: '1', limit: '1' } }],
  ['alarms.update', (c) => c.alarms.update('a1', { state: 'OK', lifecycle_state: 'OPEN', link: 'http://x' }),
    { method: 'PUT', path: '/v2.0/alarms/a1', body: { state: 'OK', lifecycle_state: 'OPEN', link: 'http://x' } }],
  ['alarms.patch', (c) => c.alarms.patch('a1', { state: 'ALARM' }), { method: 'PATCH', path: '/v2.0/alarms/a1', body: { state: 'ALARM' } }],
  ['alarms.delete', (c) => c.alarms.delete('a1'), { method: 'DELETE', path: '/v2.0/alarms/a1' }],
  ['alarms.count', (c) => c.alarms.count({ state: 'ALARM', group_by: ['state', 'severity'], limit: 5 }),
    { method: 'GET', path: '/v2.0/alarms/count', query: { state: 'ALARM', group_by: 'state,severity', limit: '5' } }],
  ['alarms.history', (c) => c.alarms.history('a1', { offset: '1424451007004', limit: 3 }),
    { method: 'GET', path: '/v2.0/alarms/a1/state-history', query: { offset: '1424451007004', limit: '3' } }],
  ['alarms.historyList', (c) => c.alarms.historyList({ dimensions: { hostname: 'h1' }, start_time: '2024-01-01T00:00:00Z', end_time: '2024-01-02T00:00:00Z' }),
    { method: 'GET', path: '/v2.0/alarms/state-history', query: { dimensions: 'hostname:h1', start_time: '2024-01-01T00:00:00Z', end_time: '2024-01-02T00:00:00Z' } }],
  ['alarms.watch', async (c) => {
    const watch = c.alarms.watch({ dimensions: { hostname: 'h1' }, start_time: '2024-01-01T00:00:00Z', limit: 5 }, { interval: 60_000 })
    const first = watch.next() // one poll, then a wait that return() cuts short
    await new Promise((resolve) => setTimeout(resolve, 20))
    await watch.return()
    return first
  }, { method: 'GET', path: '/v2.0/alarms/state-history', query: { dimensions: 'hostname:h1', start_time: '2024-01-01T00:00:00.000Z', limit: '5' } }],
  ['notifications.create', (c) => c.notifications.create({ name: 'ops', type: 'EMAIL', address: 'ops@example.com', period: 60 }),
    { method: 'POST', path: '/v2.0/notification-methods', body: { name: 'ops', type: 'EMAIL', address: 'ops@example.com', period: 60 } }],
  ['notifications.get', (c) => c.notifications.get('n1'), { method: 'GET', path: '/v2.0/notification-methods/n1' }],
  ['notifications.list', (c) => c.notifications.list({ sort_by: 'name desc', offset: 10, limit: 10 }),
    { method: 'GET', path: '/v2.0/notification-methods', query: { sort_by: 'name desc', offset: '10', limit: '10' } }],
  ['notifications.update', (c) => c.notifications.update('n1', { name: 'ops', type: 'WEBHOOK', address: 'https://hook.example/x', period: 0 }),
    { method: 'PUT', path: '/v2.0/notification-methods/n1', body: { name: 'ops', type: 'WEBHOOK', address: 'https://hook.example/x', period: 0 } }],
  ['notifications.patch', (c) => c.notifications.patch('n1', { period: 60 }), { method: 'PATCH', path: '/v2.0/notification-methods/n1', body: { period: 60 } }],
  ['notifications.delete', (c) => c.notifications.delete('n1'), { method: 'DELETE', path: '/v2.0/notification-methods/n1' }],
  ['notificationTypes.list', (c) => c.notificationTypes.list(), { method: 'GET', path: '/v2.0/notification-methods/types' }],
  ['versions.get', (c) => c.versions.get(), { method: 'GET', path: '/v2.0' }],
]

function decodedQuery(pairs: Array<[string, string]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of pairs) {
    const prev = out[k]
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]
  }
  return out
}

describe('every resource method sends its exact request', () => {
  it.each(cases)('%s', async (_name, call, expected) => {
    const { client, calls } = setup()
    await call(client)
    expect(calls).toHaveLength(1)
    const [sent] = calls
    expect(sent!.method).toBe(expected.method)
    expect(sent!.path).toBe(expected.path)
    expect(decodedQuery(sent!.query)).toEqual(expected.query ?? {})
    expect(sent!.body).toEqual(expected.body)
    expect(sent!.headers.get('x-auth-token')).toBe('tok-secret')
    if (expected.body === undefined) expect(sent!.headers.get('content-type')).toBeNull()
    else expect(sent!.headers.get('content-type')).toBe('application/json')
  })

  it('covers every method of every resource', () => {
    const client = setup().client
    const methods = (['metrics', 'alarmDefinitions', 'alarms', 'notifications', 'notificationTypes', 'versions'] as const).flatMap((r) =>
      Object.getOwnPropertyNames(Object.getPrototypeOf(client[r])).filter((m) => m !== 'constructor').map((m) => `${r}.${m}`))
    const covered = new Set(cases.map(([name]) => name.split(' ')[0]))
    // metrics.writer() sends nothing itself: it makes a batching writer, whose requests test/writer checks.
    const factories = new Set(['metrics.writer'])
    expect(methods.filter((m) => !covered.has(m) && !factories.has(m))).toEqual([])
  })

  it('encodes spaces as %20, never +, and escapes commas and colons inside values', async () => {
    const { client, calls } = setup()
    await client.metrics.list({ dimensions: { path: '/var log', url: 'http://h:1/a+b' } })
    expect(calls[0]!.rawQuery).toBe('dimensions=path%3A%2Fvar%20log%2Curl%3Ahttp%3A%2F%2Fh%3A1%2Fa%2Bb')
    expect(calls[0]!.rawQuery).not.toContain('+')
  })

  it('adds a millisecond timestamp of now to a metric written without one', async () => {
    const { client, calls } = setup(undefined, 204)
    const before = Date.now()
    await client.metrics.create({ name: 'm', value: 1 })
    const body = calls[0]!.body as { timestamp: number }
    expect(Number.isInteger(body.timestamp)).toBe(true)
    expect(body.timestamp).toBeGreaterThanOrEqual(before)
    expect(body.timestamp).toBeLessThanOrEqual(Date.now())
  })

  it('resolves with the response body and undefined for a 204', async () => {
    const { fetch } = captureFetch((req) => (req.method === 'DELETE' ? new Response(null, { status: 204 }) : json({ id: 'n1', name: 'ops' })))
    const client = createClient({ endpoint: ENDPOINT, token: 't', fetch })
    await expect(client.notifications.get('n1')).resolves.toEqual({ id: 'n1', name: 'ops' })
    await expect(client.notifications.delete('n1')).resolves.toBeUndefined()
  })

  it('joins the endpoint without doubling or losing a slash', async () => {
    const { fetch, calls } = captureFetch()
    await createClient({ endpoint: `${ENDPOINT}/`, token: 't', fetch }).metrics.list()
    expect(calls[0]!.url).toBe(`${ENDPOINT}/metrics`)
  })

  it('sends the user agent monasca-client/<version>', async () => {
    const { client, calls } = setup()
    await client.metrics.listNames()
    expect(calls[0]!.headers.get('user-agent')).toMatch(/^monasca-client\/\S+$/)
  })
})

/**
 * The SDK against the emulator, injected as `fetch`: the same calls as the request-level tests, now
 * answered by a faithful server with state, paging, errors and Keystone.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import {
  AuthenticationError,
  ConflictError,
  createClient,
  KeystoneAuthError,
  NotFoundError,
  UnprocessableEntityError,
  type Client,
} from '../../src/index.js'

const ENDPOINT = 'http://monasca.emulator/v2.0'
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0)

let emulator: ReturnType<typeof createEmulator>
let monasca: Client
let now = T0

beforeEach(() => {
  now = T0
  emulator = createEmulator({
    clock: () => now,
    tokens: {
      'user-token': { projectId: 'p-one', roles: ['monasca-user'] },
      'other-token': { projectId: 'p-two', roles: ['monasca-user'] },
      'reader-token': { projectId: 'p-one', roles: ['monasca-read-only-user'] },
      'admin-token': { projectId: 'p-admin', roles: ['admin', 'monasca-user'] },
    },
  })
  monasca = createClient({ endpoint: ENDPOINT, token: 'user-token', fetch: emulator.fetch, retries: 0 })
})

const at = (minutes: number) => T0 - 60 * 60_000 + minutes * 60_000

async function writeSeries(client: Client, host: string, values: number[], name = 'cpu.idle_perc') {
  await client.metrics.create(values.map((value, i) => ({ name, dimensions: { hostname: host, service: 'web' }, timestamp: at(i), value })))
}

describe('metrics against the emulator', () => {
  it('writes, lists and filters series with dimension objects', async () => {
    await writeSeries(monasca, 'h1', [1, 2])
    await writeSeries(monasca, 'h2', [3])
    await monasca.metrics.create({ name: 'mem.free_mb', dimensions: { hostname: 'h1' }, timestamp: at(1), value: 512 })
    const all = await monasca.metrics.list()
    expect(all.map((m) => `${m.name}/${m.dimensions.hostname}`).sort()).toEqual(['cpu.idle_perc/h1', 'cpu.idle_perc/h2', 'mem.free_mb/h1'])
    expect(await monasca.metrics.list({ dimensions: { hostname: ['h2', 'h9'] } })).toHaveLength(1)
    expect(await monasca.metrics.list({ dimensions: { service: null } })).toHaveLength(2)
    expect((await monasca.metrics.listNames()).map((n) => n.name)).toEqual(['cpu.idle_perc', 'mem.free_mb'])
    expect((await monasca.metrics.listDimensionValues({ dimension_name: 'hostname' })).map((v) => v.dimension_value)).toEqual(['h1', 'h2'])
    expect((await monasca.metrics.listDimensionNames({ metric_name: 'cpu.idle_perc' })).map((v) => v.dimension_name)).toEqual(['hostname', 'service'])
  })

  it('iterates every page of a long list, one page at a time', async () => {
    for (let i = 0; i < 7; i++) await monasca.metrics.create({ name: `m${i}`, dimensions: { k: 'v' }, timestamp: at(i), value: i })
    const firstPage = await monasca.metrics.list({ limit: 3 })
    expect(firstPage).toHaveLength(3)
    const all = await monasca.metrics.list({ limit: 3 }).toArray()
    expect(all.map((m) => m.name)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6'])
    const names: string[] = []
    for await (const n of monasca.metrics.listNames({ limit: 2 })) names.push(n.name)
    expect(names).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6'])
  })

  it('answers 409 MultipleMetrics, and merges or groups on request', async () => {
    await writeSeries(monasca, 'h1', [1, 2, 3])
    await writeSeries(monasca, 'h2', [10, 20])
    const error = await monasca.metrics.listMeasurements({ name: 'cpu.idle_perc', start_time: new Date(at(0)) }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConflictError)
    expect((error as ConflictError).title).toBe('MultipleMetrics')
    const [merged] = await monasca.metrics.listMeasurements({ name: 'cpu.idle_perc', start_time: new Date(at(0)), merge_metrics: true })
    expect(merged!.measurements.map((m) => m[1]).sort((a, b) => a - b)).toEqual([1, 2, 3, 10, 20])
    const grouped = await monasca.metrics.listMeasurements({ name: 'cpu.idle_perc', start_time: new Date(at(0)), group_by: 'hostname' })
    expect(grouped.map((s) => s.dimensions)).toEqual([{ hostname: 'h1' }, { hostname: 'h2' }])
  })

  it('pages measurements and joins a series that spans pages', async () => {
    await writeSeries(monasca, 'h1', [1, 2, 3, 4, 5, 6, 7])
    const pages = []
    for await (const page of monasca.metrics.listMeasurements({ name: 'cpu.idle_perc', start_time: new Date(at(0)), limit: 3 }).pages()) pages.push(page)
    expect(pages.length).toBeGreaterThan(1)
    const series = await monasca.metrics.listMeasurements({ name: 'cpu.idle_perc', start_time: new Date(at(0)), limit: 3 }).toArray()
    expect(series).toHaveLength(1)
    expect(series[0]!.measurements.map((m) => m[1])).toEqual([1, 2, 3, 4, 5, 6, 7])
  })

  it('computes statistics per period', async () => {
    await writeSeries(monasca, 'h1', [2, 4, 6, 8])
    const [stats] = await monasca.metrics.listStatistics({ name: 'cpu.idle_perc', start_time: new Date(at(0)), statistics: ['avg', 'min', 'max', 'sum', 'count'], period: 86_400 })
    expect(stats!.columns).toEqual(['timestamp', 'avg', 'min', 'max', 'sum', 'count'])
    expect(stats!.statistics[0]!.slice(1)).toEqual([5, 2, 8, 20, 4])
  })

  it('keeps projects apart; tenant_id works only for the delegate role', async () => {
    const other = createClient({ endpoint: ENDPOINT, token: 'other-token', fetch: emulator.fetch })
    const admin = createClient({ endpoint: ENDPOINT, token: 'admin-token', fetch: emulator.fetch })
    await writeSeries(monasca, 'mine', [1])
    expect(await other.metrics.list()).toEqual([])
    expect(await other.metrics.list({ tenant_id: 'p-one' })).toEqual([]) // silently ignored without the role
    expect(await admin.metrics.list({ tenant_id: 'p-one' })).toHaveLength(1)
  })

  it('refuses writes from a read-only user with 401 "Forbidden"', async () => {
    const reader = createClient({ endpoint: ENDPOINT, token: 'reader-token', fetch: emulator.fetch })
    expect(await reader.metrics.list()).toEqual([])
    const error = await reader.metrics.create({ name: 'm', value: 1 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect((error as AuthenticationError).isForbidden).toBe(true)
  })

  it('rejects an unknown token with 401', async () => {
    const stranger = createClient({ endpoint: ENDPOINT, token: 'nobody', fetch: emulator.fetch })
    const error = await stranger.metrics.list().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect((error as AuthenticationError).isForbidden).toBe(false)
  })
})

describe('alarms come alive against the emulator', () => {
  it('definition → metrics → alarm per match_by group → state change with history → count', async () => {
    const method = await monasca.notifications.create({ name: 'ops', type: 'EMAIL', address: 'ops@example.com' })
    const definition = await monasca.alarmDefinitions.create({
      name: 'cpu low', expression: 'avg(cpu.idle_perc) < 10', match_by: ['hostname'], severity: 'HIGH', alarm_actions: [method.id],
    })
    expect(definition).toMatchObject({ name: 'cpu low', match_by: ['hostname'], severity: 'HIGH', alarm_actions: [method.id], deterministic: false })
    now = T0 + 60_000
    await monasca.metrics.create([
      { name: 'cpu.idle_perc', dimensions: { hostname: 'busy' }, timestamp: now - 30_000, value: 2 },
      { name: 'cpu.idle_perc', dimensions: { hostname: 'calm' }, timestamp: now - 30_000, value: 90 },
    ])
    emulator.evaluate() // the real threshold engine evaluates every minute
    const alarms = await monasca.alarms.list({ alarm_definition_id: definition.id, sort_by: 'state' })
    expect(alarms).toHaveLength(2)
    const byHost = Object.fromEntries(alarms.map((a) => [a.metrics[0]!.dimensions.hostname, a]))
    expect(byHost.busy!.state).toBe('ALARM')
    expect(byHost.calm!.state).toBe('OK')

    const history = await monasca.alarms.history(byHost.busy!.id)
    expect(history.at(-1)).toMatchObject({ alarm_id: byHost.busy!.id, new_state: 'ALARM' })
    expect(typeof history.at(-1)!.reason_data).toBe('string')

    const count = await monasca.alarms.count({ group_by: 'state' })
    expect(count.columns).toEqual(['count', 'state'])
    expect(count.counts).toEqual([[1, 'ALARM'], [1, 'OK']])

    const patched = await monasca.alarms.patch(byHost.busy!.id, { lifecycle_state: 'ACKNOWLEDGED', link: 'https://t/1' })
    expect(patched).toMatchObject({ lifecycle_state: 'ACKNOWLEDGED', link: 'https://t/1', state: 'ALARM' })
    await monasca.alarms.delete(byHost.calm!.id)
    await expect(monasca.alarms.get(byHost.calm!.id)).rejects.toBeInstanceOf(NotFoundError)
  })

  it('enforces the definition rules of the real server', async () => {
    const body = { name: 'dup', expression: 'max(x{a=b}) > 1', match_by: ['hostname'] }
    const definition = await monasca.alarmDefinitions.create(body)
    await expect(monasca.alarmDefinitions.create(body)).rejects.toBeInstanceOf(ConflictError)
    await expect(monasca.alarmDefinitions.patch(definition.id, { match_by: ['service'] })).rejects.toBeInstanceOf(UnprocessableEntityError)
    await expect(monasca.alarmDefinitions.create({ name: 'x', expression: 'max(x) > 1', ok_actions: ['no-such-method'] })).rejects.toBeInstanceOf(UnprocessableEntityError)
    const replaced = await monasca.alarmDefinitions.update(definition.id, {
      name: 'dup2', description: 'd', expression: 'max(x{a=b}) > 5', severity: 'LOW', match_by: ['hostname'],
      alarm_actions: [], ok_actions: [], undetermined_actions: [], actions_enabled: false,
    })
    expect(replaced).toMatchObject({ name: 'dup2', expression: 'max(x{a=b}) > 5', actions_enabled: false })
    expect((await monasca.alarmDefinitions.list({ name: 'dup2' })).map((d) => d.id)).toEqual([definition.id])
    await monasca.alarmDefinitions.delete(definition.id)
    await expect(monasca.alarmDefinitions.get(definition.id)).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('notification methods against the emulator', () => {
  it('CRUD, 409 on a duplicate name, paging past the broken next link', async () => {
    for (let i = 0; i < 5; i++) await monasca.notifications.create({ name: `n${i}`, type: 'WEBHOOK', address: `http://hooks.test/${i}` })
    await expect(monasca.notifications.create({ name: 'n0', type: 'EMAIL', address: 'a@b' })).rejects.toBeInstanceOf(ConflictError)
    const all = await monasca.notifications.list({ limit: 2, sort_by: 'name' }).toArray()
    expect(all.map((n) => n.name)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4'])
    const updated = await monasca.notifications.update(all[0]!.id, { name: 'n0', type: 'EMAIL', address: 'ops@example.com', period: 60 })
    expect(updated).toMatchObject({ type: 'EMAIL', period: 60 })
    expect((await monasca.notificationTypes.list()).map((t) => t.type)).toEqual(['EMAIL', 'PAGERDUTY', 'WEBHOOK'])
    expect(await monasca.versions.get()).toMatchObject({ id: 'v2.0', status: 'CURRENT' })
  })
})

describe('the emulator Keystone with the three ways to connect', () => {
  it('username and password, no endpoint: the catalog gives it', async () => {
    const client = createClient({ authUrl: 'http://monasca.emulator/v3', username: 'demo', password: 'demo-secret', projectName: 'demo', fetch: emulator.fetch })
    expect(await client.endpoint()).toBe('http://monasca.emulator/v2.0')
    await client.metrics.create({ name: 'via.keystone', value: 1 })
    expect((await client.metrics.listNames()).map((n) => n.name)).toContain('via.keystone')
  })

  it('a token issued before, validated at Keystone', async () => {
    const token = emulator.issueToken({ projectId: emulator.projectId('demo'), roles: ['monasca-user'] })
    const client = createClient({ token, authUrl: 'http://monasca.emulator/v3', projectName: 'demo', fetch: emulator.fetch })
    expect(await client.notificationTypes.list()).toHaveLength(3)
  })

  it('a wrong password is a KeystoneAuthError without the password in it', async () => {
    const client = createClient({ authUrl: 'http://monasca.emulator/v3', username: 'demo', password: 'not-the-password', projectName: 'demo', fetch: emulator.fetch })
    const error = await client.metrics.list().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeystoneAuthError)
    expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain('not-the-password')
  })
})

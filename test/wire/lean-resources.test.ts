/**
 * The lean entry in Octokit's shape (#8): `monasca-client/core`'s client carries only the resources
 * the page names, while the main entry's client keeps every resource (alarms.watch and
 * metrics.writer included), so existing code does not change.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, MonascaValidationError } from '../../src/index.js'
import { Alarms, AlarmsWithWatch, AlarmDefinitions, createClient as createCoreClient, Metrics, MetricsWithWriter, Notifications, NotificationTypes, Versions } from '../../src/core.js'
import { sendJson, serve, type TestServer } from './servers.js'

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
const never = async (): Promise<Response> => {
  throw new Error('no request may be sent')
}

describe('monasca-client/core: resources by name', () => {
  it('without resources the client is the auth and the endpoint only', async () => {
    const client = createCoreClient({ endpoint: 'http://monasca.test/v2.0/', token: 't', fetch: never })
    expect(Object.keys(client).sort()).toEqual(['auth', 'endpoint'])
    await expect(client.endpoint()).resolves.toBe('http://monasca.test/v2.0')
  })

  it('a named resource is built on the client wire, under the name given', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { links: [], elements: [{ id: 'a1', state: 'ALARM' }] }, { 'x-openstack-request-id': 'req-1' }))
    servers.push(server)
    const client = createCoreClient({ endpoint: `${server.origin}/v2.0`, token: 'tok-lean', resources: { alarms: Alarms, firing: Alarms } })
    expect(client.alarms).toBeInstanceOf(Alarms)
    expect(client.firing).not.toBe(client.alarms)
    expect('watch' in client.alarms).toBe(false)
    expect(await client.alarms.list({ state: 'ALARM' })).toEqual([{ id: 'a1', state: 'ALARM' }])
    expect(server.seen[0]!.url).toBe('/v2.0/alarms?state=ALARM')
    expect(server.seen[0]!.headers['x-auth-token']).toBe('tok-lean')
    // The lean resources check input and replies as the main entry's do.
    await expect(client.alarms.list({ state: 'BURNING' as never })).rejects.toBeInstanceOf(MonascaValidationError)
    expect(server.seen).toHaveLength(1)
  })

  it('every resource class is exported, and the extras come with their own classes', () => {
    const client = createCoreClient({
      endpoint: 'http://monasca.test/v2.0', token: 't', fetch: never,
      resources: { metrics: MetricsWithWriter, plainMetrics: Metrics, alarms: AlarmsWithWatch, alarmDefinitions: AlarmDefinitions, notifications: Notifications, notificationTypes: NotificationTypes, versions: Versions },
    })
    expect(typeof client.alarms.watch).toBe('function')
    expect(typeof client.metrics.writer).toBe('function')
    expect('writer' in client.plainMetrics).toBe(false)
    expect(client.alarmDefinitions).toBeInstanceOf(AlarmDefinitions)
    expect(client.versions).toBeInstanceOf(Versions)
  })

  it.each([
    [{ auth: Alarms }, 'resources.auth'],
    [{ endpoint: Alarms }, 'resources.endpoint'],
    [{ alarms: 'Alarms' }, 'resources.alarms'],
    [{ alarms: null }, 'resources.alarms'],
  ])('resources %o is refused before any request', (resources, field) => {
    let error: unknown
    try {
      createCoreClient({ endpoint: 'http://monasca.test/v2.0', token: 't', fetch: never, resources: resources as never })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(MonascaValidationError)
    expect((error as MonascaValidationError).field).toBe(field)
    expect((error as Error).message).toMatch(/must be a resource class such as Alarms/)
  })

  it("the main entry's client keeps every resource, alarms.watch and metrics.writer included", () => {
    const client = createClient({ endpoint: 'http://monasca.test/v2.0', token: 't', fetch: never })
    expect(client.alarms).toBeInstanceOf(AlarmsWithWatch)
    expect(typeof client.alarms.watch).toBe('function')
    expect(typeof client.metrics.writer).toBe('function')
    for (const name of ['alarmDefinitions', 'notifications', 'notificationTypes', 'versions'] as const) expect(client[name]).toBeDefined()
  })
})

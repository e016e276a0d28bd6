/**
 * The writer against the emulator over its fetch handler: what the writer says was acknowledged is
 * what the server stored, once; invalid metrics never reach it; tenants are written apart.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { createClient, type Client, type MetricInput } from '../../src/index.js'

const ENDPOINT = 'http://monasca.emulator/v2.0'
let emulator: ReturnType<typeof createEmulator>
let monasca: Client

beforeEach(() => {
  emulator = createEmulator({
    tokens: {
      'user-token': { projectId: 'p-one', roles: ['monasca-user'] },
      'admin-token': { projectId: 'p-admin', roles: ['admin', 'monasca-user'] },
    },
  })
  monasca = createClient({ endpoint: ENDPOINT, token: 'user-token', fetch: emulator.fetch })
})

const metric = (i: number, host = 'h1'): MetricInput => ({ name: 'writer.test', dimensions: { hostname: host, i: String(i) }, timestamp: Date.now() - 1000, value: i })
const stored = (project?: string) =>
  emulator.data.metrics(project).flatMap((s) => s.measurements.map(([, value]) => `${s.projectId}:${s.dimensions.hostname}:${value}`)).sort()

describe('writer against the emulator', () => {
  it('stores each acknowledged metric exactly once, in batches of batchSize', async () => {
    const writer = monasca.metrics.writer({ batchSize: 7, flushInterval: 60_000 })
    for (let i = 0; i < 50; i++) expect(writer.add(metric(i))).toBe(true)
    const result = await writer.close()
    expect(result).toEqual({ acked: 50, dropped: 0, unsent: [], spooled: 0 })
    expect(stored()).toEqual(Array.from({ length: 50 }, (_, i) => `p-one:h1:${i}`).sort())
    const posts = emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/metrics'))
    expect(posts).toHaveLength(Math.ceil(50 / 7))
    expect(writer.stats()).toMatchObject({ added: 50, acked: 50, buffered: 0, requests: 8, closed: true })
  })

  it('throws for an invalid metric before anything is buffered, or drops it as invalid when asked', async () => {
    const strict = monasca.metrics.writer()
    expect(() => strict.add([metric(1), { name: 'bad name', value: 1 }])).toThrow(/metrics\[1\]\.name/)
    expect(strict.stats().added).toBe(0)
    await strict.close()

    const drops: Array<[number, string]> = []
    const lenient = monasca.metrics.writer({ invalid: 'drop', onDrop: (m, d) => drops.push([m.length, d.reason]) })
    expect(lenient.add([metric(1), { name: 'x', value: Number.NaN }, metric(2)])).toBe(true)
    expect(await lenient.close()).toMatchObject({ acked: 2, dropped: 1, unsent: [] })
    expect(drops).toEqual([[1, 'invalid']])
    expect(stored()).toEqual(['p-one:h1:1', 'p-one:h1:2'])
  })

  it('writes metrics tagged with a tenant into that project, batched apart', async () => {
    const admin = createClient({ endpoint: ENDPOINT, token: 'admin-token', fetch: emulator.fetch })
    const writer = admin.metrics.writer({ flushInterval: 60_000 })
    writer.add([metric(1, 'own'), metric(2, 'own')])
    writer.add([metric(3, 'delegated')], { tenantId: 'p-one' })
    writer.add(metric(4, 'own'))
    expect(await writer.flush()).toEqual({ acked: 4, dropped: 0 })
    expect(stored('p-admin')).toEqual(['p-admin:own:1', 'p-admin:own:2', 'p-admin:own:4'])
    expect(stored('p-one')).toEqual(['p-one:delegated:3'])
    const posts = emulator.requests.filter((r) => r.method === 'POST').map((r) => [new URL(r.url).searchParams.get('tenant_id'), JSON.parse(r.body!).length])
    expect(posts).toEqual([[null, 3], ['p-one', 1]])
    await writer.close()
  })

  it('a writer with tenantId writes everything there; flush() waits for the acknowledgements', async () => {
    const admin = createClient({ endpoint: ENDPOINT, token: 'admin-token', fetch: emulator.fetch })
    const writer = admin.metrics.writer({ tenantId: 'p-one', flushInterval: 60_000 })
    writer.add([metric(5), metric(6)])
    expect(stored()).toEqual([])
    expect(await writer.flush()).toEqual({ acked: 2, dropped: 0 })
    expect(stored()).toEqual(['p-one:h1:5', 'p-one:h1:6'])
    await writer[Symbol.asyncDispose]()
    expect(() => writer.add(metric(7))).toThrow(/closed/)
  })
})

/**
 * End to end: a real MeterProvider and PeriodicExportingMetricReader export through
 * MonascaMetricExporter and the metrics writer into the emulator; what it stored is read back with
 * the SDK and compared with what was recorded (the expectations apply the README's rules by hand).
 */
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import type { ResourceMetrics, ViewOptions } from '@opentelemetry/sdk-metrics'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { createClient, MonascaValidationError, type Client, type MetricInput } from '../../src/index.js'
import { MonascaExportError, MonascaMetricExporter } from '../../src/otel/index.js'
import type { ExportResult, MonascaMetricExporterOptions } from '../../src/otel/index.js'
import { fnv1a } from '../../src/otel/names.js'
import type { DropDetail } from '../../src/otel/index.js'
import { exponentialView, instrumented } from './sdk.js'

const ENDPOINT = 'http://monasca.emulator/v2.0'
let emulator: ReturnType<typeof createEmulator>
let client: Client
const cleanups: Array<() => Promise<unknown>> = []

beforeEach(() => {
  emulator = createEmulator({ tokens: { t: { projectId: 'p1', roles: ['monasca-user'] } } })
  client = createClient({ endpoint: ENDPOINT, token: 't', fetch: emulator.fetch })
})
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

/** A provider whose periodic reader exports through a MonascaMetricExporter; results are recorded. */
function pipeline(options: Partial<MonascaMetricExporterOptions> = {}, interval = 60_000, views: ViewOptions[] = []) {
  const exporter = new MonascaMetricExporter({ client, ...options })
  const results: ExportResult[] = []
  const exportOnce = exporter.export.bind(exporter)
  exporter.export = (metrics, done) => exportOnce(metrics, (result) => (results.push(result), done(result)))
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: interval, exportTimeoutMillis: Math.min(interval, 30_000) })
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'shop', 'host.name': 'web-01', 'process.pid': 99 }), readers: [reader], views })
  cleanups.push(() => provider.shutdown())
  return { exporter, provider, reader, results, meter: provider.getMeter('e2e') }
}

interface Stored {
  dimensions: Record<string, string>
  values: number[]
  meta: Array<Record<string, unknown>>
}

/** Every series of `name` with its values in time order, read through the SDK's own client. */
async function readBack(name: string): Promise<Stored[]> {
  const series = await client.metrics.listMeasurements({ name, start_time: new Date(Date.now() - 3_600_000), group_by: '*' }).toArray()
  return series
    .map((s) => ({ dimensions: s.dimensions, values: s.measurements.map((m) => m[1]), meta: s.measurements.map((m) => m[2]) }))
    .sort((a, b) => JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions)))
}

const RESOURCE = { service: 'shop', hostname: 'web-01' }
const posts = () => emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/metrics'))

describe('MonascaMetricExporter → writer → emulator', () => {
  it('counters (deltas per collection), up-down counters (levels) and gauges, read back as recorded', async () => {
    const { provider, meter, results } = pipeline()
    const requests = meter.createCounter('http.requests', { unit: '{request}', description: 'Requests served' })
    const inflight = meter.createUpDownCounter('http.inflight')
    const temperature = meter.createGauge('room.temperature', { unit: 'Cel' })
    requests.add(3, { route: '/cart' })
    requests.add(1, { route: '/pay' })
    inflight.add(5)
    temperature.record(21.5, { room: 'a' })
    await provider.forceFlush()
    requests.add(4, { route: '/cart' })
    inflight.add(-2)
    temperature.record(22, { room: 'a' })
    await provider.forceFlush()

    expect(results.map((r) => r.code)).toEqual([0, 0])
    expect(await readBack('http.requests')).toEqual([
      { dimensions: { ...RESOURCE, route: '/cart' }, values: [3, 4], meta: [{ unit: '{request}', description: 'Requests served' }, { unit: '{request}', description: 'Requests served' }] },
      { dimensions: { ...RESOURCE, route: '/pay' }, values: [1], meta: [{ unit: '{request}', description: 'Requests served' }] },
    ])
    expect((await readBack('http.inflight')).map((s) => s.values)).toEqual([[5, 3]])
    expect(await readBack('room.temperature')).toEqual([{ dimensions: { ...RESOURCE, room: 'a' }, values: [21.5, 22], meta: [{ unit: 'Cel' }, { unit: 'Cel' }] }])
  })

  it('histograms: count, sum, min, max and cumulative buckets by le', async () => {
    const { provider, meter, results } = pipeline()
    const latency = meter.createHistogram('http.latency', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100, 1000] } })
    const recorded = [4, 8, 50, 70, 90, 400, 5000]
    for (const v of recorded) latency.record(v, { route: '/cart' })
    await provider.forceFlush()
    expect(results.map((r) => r.code)).toEqual([0])
    const dims = { ...RESOURCE, route: '/cart' }
    expect((await readBack('http.latency.count')).map((s) => [s.dimensions, s.values])).toEqual([[dims, [recorded.length]]])
    expect((await readBack('http.latency.sum'))[0]!.values).toEqual([recorded.reduce((a, b) => a + b)])
    expect((await readBack('http.latency.min'))[0]!.values).toEqual([Math.min(...recorded)])
    expect((await readBack('http.latency.max'))[0]!.values).toEqual([Math.max(...recorded)])
    const buckets = Object.fromEntries((await readBack('http.latency.bucket')).map((s) => [s.dimensions['le'], s.values]))
    expect(buckets).toEqual({
      '10': [recorded.filter((v) => v <= 10).length],
      '100': [recorded.filter((v) => v <= 100).length],
      '1000': [recorded.filter((v) => v <= 1000).length],
      '+Inf': [recorded.length],
    })
  })

  it('exponential histograms: the stored cumulative bucket counts agree with the recorded values at every bound', async () => {
    const { provider, meter, results } = pipeline({}, 60_000, [exponentialView])
    const sizes = meter.createHistogram('payload.bytes', { unit: 'By' })
    const recorded = [0, 3, 7, 7, 90, 1500, 1501, 65_000, 1_000_000]
    for (const v of recorded) sizes.record(v)
    await provider.forceFlush()
    expect(results.map((r) => r.code)).toEqual([0])
    expect((await readBack('payload.bytes.count'))[0]!.values).toEqual([recorded.length])
    expect((await readBack('payload.bytes.max'))[0]!.values).toEqual([1_000_000])
    const buckets = await readBack('payload.bytes.bucket')
    expect(buckets.length).toBeGreaterThan(3)
    for (const b of buckets) {
      const le = b.dimensions['le'] === '+Inf' ? Infinity : Number(b.dimensions['le'])
      expect(b.values, `le=${b.dimensions['le']}`).toEqual([recorded.filter((v) => v <= le).length])
    }
  })

  it('attributes with forbidden characters and long values arrive under the stated rules, and nothing got a 422', async () => {
    const { provider, meter, results } = pipeline()
    const longUrl = 'https://shop.example/' + 'p/'.repeat(200) + '?q=1'
    const otherLongUrl = 'https://shop.example/' + 'p/'.repeat(200) + '?q=2'
    const c = meter.createCounter('clicks total')
    c.add(1, { 'ui{element}': 'button "buy", big', _private: 'x', url: longUrl, list: ['a', 'b'], blank: '' })
    c.add(2, { url: otherLongUrl })
    await provider.forceFlush()
    expect(results.map((r) => r.code)).toEqual([0])
    // The name lost its space; keys and values lost their forbidden characters; long values were cut with a hash.
    const cut = (v: string) => `${v.replace(/[=&]/g, '_').slice(0, 246)}~${fnv1a(v)}`
    expect(await readBack('clicks_total')).toEqual(
      [
        { dimensions: { ...RESOURCE, ui_element_: 'button _buy__ big', private: 'x', url: cut(longUrl), list: 'a/b', blank: '(empty)' }, values: [1], meta: [{}] },
        { dimensions: { ...RESOURCE, url: cut(otherLongUrl) }, values: [2], meta: [{}] },
      ].sort((a, b) => JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions))),
    )
    expect(emulator.requests.every((r) => r.status !== 422)).toBe(true)
  })

  it('the periodic reader exports on its own, with the exporter’s temporality (deltas for counters)', async () => {
    const { meter } = pipeline({}, 100)
    const jobs = meter.createCounter('jobs.done')
    jobs.add(2)
    await waitFor(async () => (await readBack('jobs.done')).length === 1)
    jobs.add(5)
    await waitFor(async () => (await readBack('jobs.done'))[0]!.values.length === 2)
    expect((await readBack('jobs.done'))[0]!.values).toEqual([2, 5])
  })
})

describe('export results, flush and shutdown', () => {
  /** One collection from a real SDK, to hand to export() directly. */
  async function collection(record: (meter: ReturnType<typeof instrumented>['meter']) => void): Promise<ResourceMetrics> {
    const sdk = instrumented()
    record(sdk.meter)
    const collected = await sdk.collect()
    await sdk.shutdown()
    return collected
  }
  const exportNow = (exporter: MonascaMetricExporter, metrics: ResourceMetrics) => new Promise<ExportResult>((done) => exporter.export(metrics, done))

  it('a value that cannot be made valid goes to the writer’s drop path as invalid: the export fails, the rest is stored, no 422', async () => {
    const drops: Array<[string[], DropDetail['reason']]> = []
    const exporter = new MonascaMetricExporter({ client, writer: { onDrop: (metrics, detail) => drops.push([metrics.map((m) => m.name), detail.reason]) } })
    cleanups.push(() => exporter.shutdown())
    const result = await exportNow(exporter, await collection((meter) => {
      meter.createGauge('g.bad').record(NaN)
      meter.createGauge('g.good').record(7)
    }))
    expect(result.code).toBe(1)
    expect(result.error).toBeInstanceOf(MonascaExportError)
    expect((result.error as MonascaExportError).dropped).toEqual({ invalid: 1 })
    expect(result.error!.message).toBe('1 of 2 metrics were dropped (1 invalid)')
    expect(drops).toEqual([[['g.bad'], 'invalid']])
    expect((await readBack('g.good'))[0]!.values).toEqual([7])
    expect(emulator.data.metrics().map((m) => m.name)).toEqual(['g.good'])
    expect(emulator.requests.some((r) => r.status === 422)).toBe(false)
    expect(exporter.stats()).toMatchObject({ added: 2, acked: 1, dropped: 1 })
  })

  it.each([
    ['answers 503 every time', 'retries-exhausted', () => Promise.resolve(new Response('{"title":"Service Unavailable","description":"kafka"}', { status: 503, headers: { 'content-type': 'application/json' } }))],
    ['cannot be reached', 'unconfirmed', () => Promise.reject(new TypeError('fetch failed'))],
  ] as const)('a server that %s: the writer drops the metrics as %s and the export says failure', async (_what, reason, fetch) => {
    const down = createClient({ endpoint: ENDPOINT, token: 't', fetch })
    const reasons: string[] = []
    const exporter = new MonascaMetricExporter({ client: down, writer: { maxRetries: 1, baseDelay: 1, maxDelay: 1, onDrop: (_m, d) => reasons.push(d.reason) } })
    cleanups.push(() => exporter.shutdown())
    const result = await exportNow(exporter, await collection((meter) => meter.createCounter('c').add(1)))
    expect(result.code).toBe(1)
    expect(reasons).toEqual([reason])
    expect((result.error as MonascaExportError).dropped).toEqual({ [reason]: 1 })
    expect(result.error!.message).toBe(`1 of 1 metrics were dropped (1 ${reason})`)
  })

  it('a server that never answers: shutdown() gives up at its deadline and hands the metrics to onUnsent', async () => {
    const hanging = createClient({ endpoint: ENDPOINT, token: 't', fetch: () => new Promise<Response>(() => {}) })
    const unsent: MetricInput[][] = []
    const exporter = new MonascaMetricExporter({ client: hanging, shutdownDeadline: 50, onUnsent: (m) => unsent.push(m) })
    const pending = exportNow(exporter, await collection((meter) => meter.createCounter('stuck').add(1, { k: 'v' })))
    const closed = await exporter.close()
    // The export waiting on that metric settles as failed: nothing was dropped, one was never sent.
    const result = await pending
    expect(result.code).toBe(1)
    expect(result.error).toMatchObject({ name: 'MonascaExportError', dropped: {}, unsent: 1, message: '1 metric was not sent before the writer closed (given to onUnsent, or kept in the spool)' })
    expect(closed.unsent.map((m) => [m.name, m.value, m.dimensions])).toEqual([['stuck', 1, { service: 'checkout', hostname: 'web-01', k: 'v' }]])
    expect(unsent).toEqual([closed.unsent])
    // Shut down: the same result again, and further exports fail without touching the writer.
    expect(await exporter.close()).toBe(closed)
    const late = await exportNow(exporter, await collection((meter) => meter.createCounter('late').add(1)))
    expect(late.code).toBe(1)
    expect(late.error!.message).toMatch(/shut down/)
  })

  it('forceFlush() sends what the writer holds; shutdown() closes the writer with everything acknowledged', async () => {
    const exporter = new MonascaMetricExporter({ client, writer: { flushInterval: 60_000 } })
    exporter.export(await collection((meter) => meter.createCounter('flushed').add(9)), () => {})
    expect(await exporter.flush()).toEqual({ acked: 1, dropped: 0 })
    await exporter.forceFlush()
    expect((await readBack('flushed'))[0]!.values).toEqual([9])
    await exporter.shutdown()
    expect(exporter.stats()).toMatchObject({ acked: 1, closed: true })
    expect(posts()).toHaveLength(1)
  })

  it.each([
    ['reject', 'the exporter', { added: 2, dropped: 0, buffered: 2 }],
    ['drop-newest', 'the writer', { added: 3, dropped: 1, buffered: 2 }],
  ] as const)('overflow: %s: what does not fit is reported once as overflow (by %s), and the export fails', async (overflow, _who, stats) => {
    const hanging = createClient({ endpoint: ENDPOINT, token: 't', fetch: () => new Promise<Response>(() => {}) })
    const drops: Array<[number, string]> = []
    const exporter = new MonascaMetricExporter({ client: hanging, writer: { overflow, maxBuffered: 2, onDrop: (m, d) => drops.push([m.length, d.reason]) }, shutdownDeadline: 10 })
    cleanups.push(() => exporter.shutdown())
    const collected = await collection((meter) => {
      const c = meter.createCounter('many')
      for (let i = 0; i < 3; i++) c.add(1, { i })
    })
    const result = exportNow(exporter, collected)
    // Added in slices no larger than the buffer: two fit, the third does not.
    expect(drops).toEqual([[1, 'overflow']])
    expect(exporter.stats()).toMatchObject(stats)
    // The server never answers: at shutdown the two buffered are unsent, and the export settles as failed.
    expect((await exporter.close()).unsent).toHaveLength(2)
    expect((await result).code).toBe(1)
  })

  it('bad options are typed errors before anything is made', () => {
    expect(() => new MonascaMetricExporter({} as never)).toThrow(/client/)
    expect(() => new MonascaMetricExporter({ client, prefix: 'a b' })).toThrow(/prefix/)
    expect(() => new MonascaMetricExporter({ client, temporality: 'hourly' as never })).toThrow(/temporality/)
    expect(() => new MonascaMetricExporter({ client, onUnsent: 5 as never })).toThrow(/onUnsent/)
    expect(() => new MonascaMetricExporter({ client, writer: 'fast' as never })).toThrow(/writer/)
    expect(() => new MonascaMetricExporter({ client, writer: { onDrop: 'log' as never } })).toThrow(/writer\.onDrop/)
    expect(() => new MonascaMetricExporter({ client, shutdownDeadline: Number.NaN })).toThrow(/shutdownDeadline/)
    // The writer's own checks run too, when the exporter makes it.
    expect(() => new MonascaMetricExporter({ client, writer: { batchSize: -1 } })).toThrow(MonascaValidationError)
  })
})

async function waitFor(check: () => Promise<boolean>, timeout = 15_000): Promise<void> {
  const end = Date.now() + timeout
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}

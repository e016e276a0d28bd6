/**
 * examples/otel.mjs as a person runs it, against a served emulator: what it says it recorded is what
 * the emulator stored (read back with the SDK), and `monasca metric-list` shows the series.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { serveEmulator } from '../../src/emulator/serve.js'
import { createClient, type Client } from '../../src/index.js'
import { describeWithSystemPart } from '../helpers/env.js'

const root = resolve(import.meta.dirname, '../..')
const run = promisify(execFile)
const emulator = createEmulator()
let served: Awaited<ReturnType<typeof serveEmulator>>
let client: Client
let stdout: string

beforeAll(async () => {
  served = await serveEmulator(emulator, { port: 0 })
  client = createClient({ authUrl: `${served.url}/v3`, username: 'demo', password: 'demo-secret', projectName: 'demo', fetch: emulator.fetch })
  const env = { ...process.env, MONASCA_URL: served.url, OTEL_METRIC_EXPORT_INTERVAL: '250', EXAMPLE_SECONDS: '1.5' }
  ;({ stdout } = await run(process.execPath, [join(root, 'examples/otel.mjs')], { cwd: root, env, timeout: 60_000 }))
}, 90_000)
afterAll(() => served?.close())

const line = (label: string) => {
  const found = stdout.split('\n').find((l) => l.startsWith(label))
  if (!found) throw new Error(`no line "${label}" in:\n${stdout}`)
  return found.slice(24).trim()
}
const since = () => new Date(Date.now() - 600_000)
const series = (name: string) => client.metrics.listMeasurements({ name, start_time: since(), group_by: '*' }).toArray()
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

describe('examples/otel.mjs against the emulator', () => {
  it('stores, per route and status, as many requests as it recorded (deltas add up), with the allow-listed dimensions only', async () => {
    const recorded = JSON.parse(line('requests recorded')) as Record<string, number>
    expect(Object.keys(recorded).length).toBeGreaterThan(1)
    const stored: Record<string, number> = {}
    for (const s of await series('shop.http.requests')) {
      expect(s.dimensions).toEqual({ region: 'RegionOne', service: 'shop', hostname: hostname(), 'deployment.environment.name': 'demo', route: s.dimensions.route, status: s.dimensions.status })
      stored[`${s.dimensions.route} ${s.dimensions.status}`] = sum(s.measurements.map((m) => m[1]))
      expect(s.measurements[0]![2]).toEqual({ unit: '{request}', description: 'HTTP requests served' })
    }
    expect(stored).toEqual(recorded)
  })

  it('stores the histogram (counts add up to the durations recorded, +Inf equals count) and the queue level it ended at', async () => {
    const durations = Number(line('durations recorded'))
    const counts = await series('shop.http.duration.count')
    expect(sum(counts.flatMap((s) => s.measurements.map((m) => m[1])))).toBe(durations)
    const inf = (await series('shop.http.duration.bucket')).filter((s) => s.dimensions.le === '+Inf')
    expect(sum(inf.flatMap((s) => s.measurements.map((m) => m[1])))).toBe(durations)
    const [queue] = await series('shop.queue.depth')
    expect(queue!.dimensions.queue).toBe('emails')
    expect(queue!.measurements.at(-1)![1]).toBe(Number(line('queue depth at the end')))
    const [heap] = await series('shop.memory.heap')
    expect(heap!.measurements.every((m) => m[1] > 1_000_000)).toBe(true)
  })

  it('says how many metrics were acknowledged: every one the emulator stored, none dropped, nothing got a 422', async () => {
    const [, acked, dropped] = /^(\d+) acknowledged, (\d+) dropped/.exec(line('metrics posted'))!
    const stored = emulator.data.metrics(emulator.projectId('demo')).reduce((n, s) => n + s.measurements.length, 0)
    expect(Number(acked)).toBe(stored)
    expect(Number(dropped)).toBe(0)
    expect(emulator.requests.some((r) => r.status === 422)).toBe(false)
  })

  const cli = join(root, 'dist/bin/monasca.js')
  const osEnv = () => ({
    ...process.env, OS_AUTH_URL: `${served.url}/v3`, OS_USERNAME: 'demo', OS_PASSWORD: 'demo-secret', OS_PROJECT_NAME: 'demo',
    OS_USER_DOMAIN_ID: 'default', OS_PROJECT_DOMAIN_ID: 'default',
  })
  it('monasca metric-list --dimensions service=shop (as the example prints) lists its series', async () => {
    expect(stdout).toContain('monasca metric-list --dimensions service=shop')
    expect(stdout).toContain(`${served.url}/dashboard/#/explorer?metric=shop.http.requests&fn=sum&period=60&group=route&range=1h`)
    if (!existsSync(cli)) throw new Error('dist/bin/monasca.js is missing: run npm run build first')
    const { stdout: table } = await run(process.execPath, [cli, 'metric-list', '-j', '--dimensions', 'service=shop'], { env: osEnv(), timeout: 30_000 })
    const names = new Set((JSON.parse(table) as Array<{ name: string }>).map((m) => m.name))
    expect([...names].sort()).toEqual(['shop.http.duration.bucket', 'shop.http.duration.count', 'shop.http.duration.max', 'shop.http.duration.min', 'shop.http.duration.sum', 'shop.http.requests', 'shop.memory.heap', 'shop.queue.depth'])
  })

  describeWithSystemPart('python3-monascaclient', existsSync('/usr/bin/monasca'), () => {
    it('the Python client’s metric-statistics, as printed by the example, shows the largest duration', async () => {
      const { stdout: table } = await run('/usr/bin/monasca', ['metric-statistics', '-j', 'shop.http.duration.max', 'MAX', '-10', '--period', '60', '--merge_metrics', '--dimensions', 'service=shop'], { env: osEnv(), timeout: 30_000 })
      const [element] = JSON.parse(table) as Array<{ columns: string[]; statistics: Array<[string, number]> }>
      const stored = (await series('shop.http.duration.max')).flatMap((s) => s.measurements.map((m) => m[1]))
      expect(Math.max(...element!.statistics.map((row) => row[1]))).toBe(Math.max(...stored))
    }, 60_000)
  })
})

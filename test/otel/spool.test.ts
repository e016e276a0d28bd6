/**
 * Node: the exporter's writer with the on-disk spool. An exporter that shuts down while Monasca
 * answers 503 (its Kafka is down) leaves what it accepted in the spool; the next process's exporter
 * on the same directory sends it first: nothing recorded is lost across the restart. A 503 says the
 * batch was not stored, so it is sent again without a duplicate risk (no `replayUnknown` needed).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { createClient } from '../../src/index.js'
import { spool } from '../../src/node/index.js'
import { MonascaMetricExporter } from '../../src/otel/index.js'
import type { ExportResult } from '../../src/otel/index.js'
import { instrumented } from './sdk.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

it('metrics accepted while Monasca answered 503 are sent by the next exporter on the same spool', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'otel-spool-'))
  dirs.push(directory)
  const endpoint = 'http://monasca.emulator/v2.0'

  // First process: every POST gets 503 with Retry-After 60 s; shutdown comes first and keeps the metrics on disk.
  const unavailable = () => Promise.resolve(new Response('{"title":"Service Unavailable","description":"kafka"}', { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '60' } }))
  const down = createClient({ endpoint, token: 't', fetch: unavailable })
  const unsent: unknown[] = []
  const first = new MonascaMetricExporter({ client: down, writer: { spool: spool({ directory, fsync: 'always' }) }, shutdownDeadline: 50, onUnsent: (m) => unsent.push(...m) })
  const sdk = instrumented()
  const orders = sdk.meter.createCounter('shop.orders')
  orders.add(2, { payment: 'card' })
  orders.add(1, { payment: 'cash' })
  const collection = await sdk.collect()
  await sdk.shutdown()
  const result = new Promise<ExportResult>((done) => first.export(collection, done))
  const closed = await first.close()
  expect(closed).toMatchObject({ acked: 0, dropped: 0, unsent: [], spooled: 2 })
  expect(unsent).toEqual([])
  expect((await result).error).toMatchObject({ unsent: 2 })

  // Next process: a working Monasca. The spool recorded the 503 (refused, not in flight), so the next
  // writer sends the batch once, with the default replayUnknown (off) and no duplicate risk.
  const emulator = createEmulator({ tokens: { t: { projectId: 'p1', roles: ['monasca-user'] } } })
  const working = createClient({ endpoint, token: 't', fetch: emulator.fetch })
  const risks: number[] = []
  const next = new MonascaMetricExporter({ client: working, writer: { spool: spool({ directory }), onDuplicateRisk: (m) => risks.push(m.length) } })
  expect(await next.close()).toMatchObject({ acked: 2, dropped: 0, unsent: [], spooled: 0 })
  expect(risks).toEqual([])
  const stored = emulator.data.metrics('p1').map((m) => [m.name, m.dimensions['payment'], m.measurements.map((x) => x[1])])
  expect(stored.sort()).toEqual([['shop.orders', 'card', [2]], ['shop.orders', 'cash', [1]]])
})

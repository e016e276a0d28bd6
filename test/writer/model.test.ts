/**
 * The writer's promise, as a model-based property test (fast-check commands) under fake timers:
 * random interleavings of add / flush / time passing against a scripted server (2xx, 422 for
 * poisoned metrics, 429 with Retry-After in seconds or as a date, Kafka's 503, 500, 401, a refused
 * connection, resets before and after the server stored the body, hangs), then close() with a
 * deadline. Every run checks that acked ⊎ dropped ⊎ unsent = added as multisets, that nothing was
 * stored twice unless onDuplicateRisk was told (and never without replayUnknown), that a poisoned
 * metric alone is dropped as unprocessable, the bounds (buffered ≤ maxBuffered, in flight ≤
 * maxInFlight) and the send order. A third property runs the same with the Node spool (real files):
 * what close() left on disk is drained by a second writer on the same directory, and across both
 * every metric has one fate, and the second writer sees a duplicate risk exactly for the recovered
 * metrics the first one had to warn about: a batch the server refused (429, 503, 500, a 422 being
 * bisected, a refused connection) never comes back as of unknown outcome.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClient, MonascaValidationError, type MetricInput } from '../../src/index.js'
import { spool } from '../../src/node/spool.js'
import type { DropReason, MetricsWriter, WriterCloseResult, WriterOptions } from '../../src/writer/index.js'
import { idOf, POISON, scriptedServer, STEPS, type ScriptedServer, type Step } from './scripted-server.js'

const TENANTS = [undefined, 'tenant-a', 'tenant-b'] as const

interface Config {
  options: WriterOptions & { batchSize: number; maxBuffered: number; maxInFlight: number; overflow: 'reject' | 'drop-oldest' | 'drop-newest'; replayUnknown: boolean }
  deadline: number
  retryAfterSeconds: number
}

/** What the test knows: the ids the writer accepted, and what each hook said about them. */
class World {
  readonly server: ScriptedServer
  readonly writer: MetricsWriter
  readonly added = new Map<string, { seq: number; tenant: string; poisoned: boolean }>()
  readonly acked: string[] = []
  readonly dropped: Array<[string, DropReason]> = []
  readonly risky = new Set<string>()
  readonly flushes: Array<Promise<unknown>> = []
  readonly errors: unknown[] = []
  result?: WriterCloseResult
  next = 0

  /** `directory`: write through a spool there (fsync 'never': no timers, the files are still written). */
  constructor(readonly config: Config, script: Step[], readonly directory?: string) {
    this.server = scriptedServer(script, config.retryAfterSeconds)
    const client = createClient({ endpoint: 'http://monasca.test/v2.0', token: 'user-token', fetch: this.server.fetch })
    this.writer = client.metrics.writer({
      ...config.options,
      ...(directory === undefined ? {} : { spool: spool({ directory, fsync: 'never' }) }),
      onAck: (metrics) => this.acked.push(...metrics.map(idOf)),
      onDrop: (metrics, { reason }) => this.dropped.push(...metrics.map((m): [string, DropReason] => [idOf(m), reason])),
      onDuplicateRisk: (metrics) => metrics.forEach((m) => this.risky.add(idOf(m))),
      onError: (error) => this.errors.push(error),
    })
  }

  metric(poisoned: boolean): MetricInput {
    const id = String(this.next++)
    return { name: 'model.metric', dimensions: { id, ...(poisoned ? { [POISON]: 'yes' } : {}) }, timestamp: 1_700_000_000_000 + this.next, value: this.next }
  }

  checkBounds(): void {
    const stats = this.writer.stats()
    expect(stats.buffered).toBeLessThanOrEqual(this.config.options.maxBuffered)
    expect(stats.inFlight).toBeLessThanOrEqual(this.config.options.maxInFlight)
    expect(stats.added).toBe(this.added.size)
  }

  async finish(): Promise<void> {
    let result: WriterCloseResult | undefined
    void this.writer.close({ deadline: this.config.deadline }).then((r) => (result = r))
    for (let i = 0; i < 200 && result === undefined; i++) await vi.advanceTimersByTimeAsync(2_000)
    expect(result, 'close() resolved by its deadline').toBeDefined()
    this.result = result
    await Promise.all(this.flushes)
  }

  /**
   * With a spool: a second writer on the same directory and a server that takes everything drains
   * what the first one left. Across both, every metric has one fate; the second one warns of a
   * duplicate risk for exactly the recovered metrics the first one warned about (in flight at the
   * deadline, or replayed after an unknown outcome), never for one the server refused.
   */
  async handOver(): Promise<void> {
    const { result, config } = this
    expect(result!.unsent, 'with a spool nothing is handed back').toEqual([])
    const server = scriptedServer([])
    const client = createClient({ endpoint: 'http://monasca.test/v2.0', token: 'user-token', fetch: server.fetch })
    const acked: string[] = []
    const dropped: Array<[string, DropReason]> = []
    const risky = new Set<string>()
    const writer = client.metrics.writer({
      ...config.options,
      spool: spool({ directory: this.directory!, fsync: 'never' }),
      onAck: (metrics) => acked.push(...metrics.map(idOf)),
      onDrop: (metrics, { reason }) => dropped.push(...metrics.map((m): [string, DropReason] => [idOf(m), reason])),
      onDuplicateRisk: (metrics) => metrics.forEach((m) => risky.add(idOf(m))),
    })
    let second: WriterCloseResult | undefined
    void writer.close({ deadline: 600_000 }).then((r) => (second = r))
    for (let i = 0; i < 400 && second === undefined; i++) await vi.advanceTimersByTimeAsync(2_000)
    expect(second, 'the second writer drained the spool').toMatchObject({ unsent: [], spooled: 0 })
    expect(writer.stats().recovered).toBe(result!.spooled)
    const recovered = [...acked, ...dropped.map(([id]) => id)]
    expect(recovered.length).toBe(result!.spooled)
    for (const id of recovered) {
      expect(risky.has(id), `recovered metric ${id}: a duplicate risk now (${risky.has(id)}) exactly when the first writer warned (${this.risky.has(id)})`).toBe(this.risky.has(id))
    }
    // The second server takes everything but a poisoned metric.
    for (const [id, reason] of dropped) {
      if (reason === 'unconfirmed') expect(config.options.replayUnknown, `recovered metric ${id} dropped as unconfirmed`).toBe(false)
      else expect([reason, this.added.get(id)!.poisoned], `recovered metric ${id} dropped`).toEqual(['unprocessable', true])
    }
    // The two writers as one: the usual checks, with the second server's stores added in.
    this.acked.push(...acked)
    this.dropped.push(...dropped)
    for (const id of risky) this.risky.add(id)
    for (const [id, times] of server.stored) this.server.stored.set(id, (this.server.stored.get(id) ?? 0) + times)
    this.result = { ...result!, acked: this.acked.length, dropped: this.dropped.length, spooled: 0 }
    this.handedOver = true
  }

  handedOver = false

  checkPromise(): void {
    const { result, server, config } = this
    const unsent = result!.unsent.map(idOf)
    // Exactly one fate per accepted metric; nothing for a metric the writer refused.
    const fates = new Map<string, number>()
    for (const id of [...this.acked, ...this.dropped.map(([id]) => id), ...unsent]) fates.set(id, (fates.get(id) ?? 0) + 1)
    for (const id of this.added.keys()) expect(fates.get(id), `metric ${id} has one fate`).toBe(1)
    for (const id of fates.keys()) expect(this.added.has(id), `metric ${id} was accepted`).toBe(true)
    if (!this.handedOver) {
      const stats = this.writer.stats()
      expect([stats.added, stats.acked, stats.dropped, stats.buffered]).toEqual([this.added.size, this.acked.length, this.dropped.length, 0])
      expect([result!.acked, result!.dropped, result!.spooled]).toEqual([this.acked.length, this.dropped.length, 0])
      expect(Object.values(stats.droppedBy).reduce((a, b) => a + b, 0)).toBe(this.dropped.length)
    }

    const acked = new Set(this.acked)
    for (const [id, times] of server.stored) {
      // Stored twice, or stored although the writer did not see an acknowledgement: only with a warning.
      if (times > 1 || !acked.has(id)) expect(this.risky.has(id), `metric ${id} stored ${times}× (acked: ${acked.has(id)}) without onDuplicateRisk`).toBe(true)
      if (!config.options.replayUnknown) expect(times, `metric ${id} replayed without replayUnknown`).toBe(1)
    }
    for (const id of acked) expect(server.stored.get(id) ?? 0, `acked metric ${id} is stored`).toBeGreaterThan(0)
    for (const [id, reason] of this.dropped) {
      const poisoned = this.added.get(id)!.poisoned
      if (reason === 'unprocessable') expect(poisoned, `metric ${id} dropped as unprocessable is poisoned`).toBe(true)
      expect(['unprocessable', 'rejected', 'overflow', 'retries-exhausted', 'unconfirmed']).toContain(reason)
    }
    for (const id of acked) expect(this.added.get(id)!.poisoned).toBe(false)
    expect(server.maxConcurrent).toBeLessThanOrEqual(config.options.maxInFlight)
    // Batches start in order: per tenant, metrics reach the server first in the order they were added.
    const ascending = (ids: string[]) => {
      const seqs = ids.map((id) => this.added.get(id)!.seq)
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    }
    for (const [, ids] of server.firstSeen) ascending(ids)
    // One request at a time: a batch being retried is not overtaken, so acknowledgements come in order.
    if (config.options.maxInFlight === 1 && !this.handedOver) {
      for (const tenant of new Set([...this.added.values()].map((a) => a.tenant))) ascending(this.acked.filter((id) => this.added.get(id)!.tenant === tenant))
    }
  }
}

class AddCommand implements fc.AsyncCommand<object, World> {
  constructor(readonly count: number, readonly tenant: number, readonly poison: number[]) {}
  check = () => true
  async run(_: object, world: World): Promise<void> {
    const metrics = Array.from({ length: this.count }, (_, i) => world.metric(this.poison.includes(i)))
    const tenantId = TENANTS[this.tenant]
    const { maxBuffered, overflow } = world.config.options
    if (metrics.length > maxBuffered) {
      expect(() => world.writer.add(metrics, { tenantId })).toThrow(MonascaValidationError)
      return
    }
    const before = world.writer.stats().buffered
    const taken = world.writer.add(metrics, { tenantId })
    if (taken || overflow !== 'reject') {
      metrics.forEach((m, i) => world.added.set(idOf(m), { seq: Number(idOf(m)), tenant: tenantId ?? '', poisoned: this.poison.includes(i) }))
    }
    // Backpressure says no only when the buffer is full.
    if (!taken) expect(before + metrics.length).toBeGreaterThan(maxBuffered)
    if (!taken && overflow === 'drop-newest') expect(world.dropped.slice(-metrics.length).map(([id]) => id)).toEqual(metrics.map(idOf))
    world.checkBounds()
  }
  toString = () => `add(${this.count}${this.tenant ? `, tenant ${this.tenant}` : ''}${this.poison.length ? `, poison ${this.poison}` : ''})`
}

class AdvanceCommand implements fc.AsyncCommand<object, World> {
  constructor(readonly ms: number) {}
  check = () => true
  async run(_: object, world: World): Promise<void> {
    await vi.advanceTimersByTimeAsync(this.ms)
    world.checkBounds()
  }
  toString = () => `advance(${this.ms})`
}

class FlushCommand implements fc.AsyncCommand<object, World> {
  check = () => true
  async run(_: object, world: World): Promise<void> {
    world.flushes.push(world.writer.flush())
    world.checkBounds()
  }
  toString = () => 'flush()'
}

const commands = [
  fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 2 }), fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 2 }))
    .map(([count, tenant, poison]) => new AddCommand(count, tenant, poison)),
  fc.integer({ min: 0, max: 4_000 }).map((ms) => new AdvanceCommand(ms)),
  fc.constant(new FlushCommand()),
]

const step: fc.Arbitrary<Step> = fc.oneof({ arbitrary: fc.constant<Step>('ok'), weight: 6 }, { arbitrary: fc.constantFrom(...STEPS), weight: 4 })

function configArb(replay: fc.Arbitrary<boolean>): fc.Arbitrary<Config> {
  return fc.record({
    options: fc.record({
      batchSize: fc.integer({ min: 1, max: 8 }),
      maxBatchBytes: fc.integer({ min: 120, max: 2_000 }),
      flushInterval: fc.integer({ min: 0, max: 1_500 }),
      maxBuffered: fc.integer({ min: 4, max: 40 }),
      overflow: fc.constantFrom('reject' as const, 'drop-oldest' as const, 'drop-newest' as const),
      maxInFlight: fc.integer({ min: 1, max: 4 }),
      maxRetries: fc.integer({ min: 0, max: 6 }),
      maxRetryTime: fc.integer({ min: 0, max: 90_000 }),
      baseDelay: fc.integer({ min: 0, max: 1_000 }),
      maxRetryAfter: fc.integer({ min: 0, max: 120_000 }),
      timeout: fc.integer({ min: 200, max: 3_000 }),
      replayUnknown: replay,
    }),
    deadline: fc.integer({ min: 0, max: 30_000 }),
    retryAfterSeconds: fc.integer({ min: 0, max: 5 }),
  })
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 })
})
afterEach(() => {
  vi.useRealTimers()
})

async function run(config: Config, script: Step[], cmds: Iterable<fc.AsyncCommand<object, World>>): Promise<void> {
  vi.clearAllTimers()
  const world = new World(config, script)
  await fc.asyncModelRun(() => ({ model: {}, real: world }), cmds)
  await world.finish()
  world.checkPromise()
}

async function runSpooled(config: Config, script: Step[], cmds: Iterable<fc.AsyncCommand<object, World>>): Promise<void> {
  vi.clearAllTimers()
  const directory = mkdtempSync(join(tmpdir(), 'writer-model-'))
  try {
    const world = new World(config, script, directory)
    await fc.asyncModelRun(() => ({ model: {}, real: world }), cmds)
    await world.finish()
    await world.handOver()
    world.checkPromise()
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
}

const RUNS = Number(process.env.WRITER_MODEL_RUNS ?? 5_000)
/** Real files per run: a tenth as many. */
const SPOOLED_RUNS = Math.max(1, Math.round(RUNS / 10))

describe('the writer loses nothing and replays only what is safe (model-based)', () => {
  it(`without replayUnknown: no metric is ever stored twice (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(configArb(fc.constant(false)), fc.array(step, { maxLength: 10 }), fc.commands(commands, { maxCommands: 30 }), run),
      { numRuns: RUNS },
    )
  }, 600_000)

  it(`with replayUnknown: a metric stored twice was always told to onDuplicateRisk (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(configArb(fc.constant(true)), fc.array(step, { maxLength: 10 }), fc.commands(commands, { maxCommands: 30 }), run),
      { numRuns: RUNS },
    )
  }, 600_000)

  it(`with a spool, closed and drained by a second writer: a refused batch never comes back as unknown (${SPOOLED_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(configArb(fc.boolean()), fc.array(step, { maxLength: 10 }), fc.commands(commands, { maxCommands: 30 }), runSpooled),
      { numRuns: SPOOLED_RUNS },
    )
  }, 600_000)
})

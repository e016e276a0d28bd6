/**
 * The writer's rules one at a time, against the scripted server under fake timers: when it sends,
 * how long it waits, what it replays, how a 422 is bisected, backpressure and overflow, close and its
 * deadline, the pagehide flush, and that its timers never hold a Node process open.
 */
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClient, MonascaValidationError, type MetricInput } from '../../src/index.js'
import { createWriter, type DropReason, type MetricsWriter, type WriterOptions, type WriterSpool } from '../../src/writer/index.js'
import { classify, neverSent } from '../../src/writer/outcome.js'
import { utf8Length } from '../../src/writer/size.js'
import { idOf, POISON, scriptedServer, type Step } from './scripted-server.js'

const T0 = 1_700_000_000_000
let next = 0
const metric = (poisoned = false): MetricInput => {
  const id = String(next++)
  return { name: 'unit.metric', dimensions: { id, ...(poisoned ? { [POISON]: 'yes' } : {}) }, timestamp: T0, value: next }
}
const metrics = (n: number) => Array.from({ length: n }, () => metric())

interface Log {
  acked: string[]
  dropped: Array<[string, DropReason]>
  risky: string[]
  retries: Array<{ attempt: number; delay: number }>
  errors: unknown[]
}

function setup(script: Step[], options: WriterOptions = {}, retryAfterSeconds = 1) {
  const server = scriptedServer(script, retryAfterSeconds)
  const client = createClient({ endpoint: 'http://monasca.test/v2.0', token: 'unit-test-token', fetch: server.fetch })
  const log: Log = { acked: [], dropped: [], risky: [], retries: [], errors: [] }
  const writer = client.metrics.writer({
    flushInterval: 0,
    onAck: (m) => log.acked.push(...m.map(idOf)),
    onDrop: (m, d) => log.dropped.push(...m.map((x): [string, DropReason] => [idOf(x), d.reason])),
    onDuplicateRisk: (m) => log.risky.push(...m.map(idOf)),
    onRetry: (d) => log.retries.push({ attempt: d.attempt, delay: d.delay }),
    onError: (e) => log.errors.push(e),
    ...options,
  })
  return { server, writer, log }
}

async function closeAll(writer: MetricsWriter, deadline = 10_000) {
  const closing = writer.close({ deadline })
  await vi.advanceTimersByTimeAsync(deadline + 1)
  return closing
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 })
  next = 0
})
afterEach(() => {
  vi.useRealTimers()
})

describe('batching', () => {
  it('sends a batch when it holds batchSize metrics, and the rest after flushInterval', async () => {
    const { server, writer } = setup([], { batchSize: 3, flushInterval: 500 })
    writer.add(metrics(7))
    await vi.advanceTimersByTimeAsync(0)
    expect(server.requests).toBe(2)
    await vi.advanceTimersByTimeAsync(499)
    expect(server.requests).toBe(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.requests).toBe(3)
    expect(server.stored.size).toBe(7)
  })

  it('starts a new batch before one would pass maxBatchBytes (UTF-8 JSON)', async () => {
    const one = utf8Length(JSON.stringify(metric()))
    const { server, writer } = setup([], { batchSize: 100, maxBatchBytes: 2 + one * 3 + 2, flushInterval: 1_000 })
    writer.add(metrics(7))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(server.requests).toBe(3) // 3 + 3 + 1
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4)
  })

  it('batches metrics of different tenants apart', async () => {
    const { server, writer } = setup([], { batchSize: 10, flushInterval: 1_000 })
    writer.add(metrics(2), { tenantId: 'a' })
    writer.add(metrics(2))
    writer.add(metrics(1), { tenantId: 'a' })
    await writer.flush()
    expect(Object.fromEntries(server.firstSeen)).toEqual({ a: ['0', '1', '4'], '': ['2', '3'] })
  })

  it('flush() resolves with what became of the metrics waiting when it was called', async () => {
    const { writer } = setup([], { batchSize: 2, flushInterval: 60_000 })
    writer.add([metric(), metric(true), metric()])
    const flushed = writer.flush()
    writer.add(metric())
    await vi.advanceTimersByTimeAsync(0)
    expect(await flushed).toEqual({ acked: 2, dropped: 1 })
  })
})

describe('retries and replays', () => {
  it('waits out Retry-After in seconds on a 429, then sends the same batch', async () => {
    const { server, writer, log } = setup(['429', 'ok'], {}, 3)
    writer.add(metrics(2))
    await vi.advanceTimersByTimeAsync(0)
    expect(log.retries).toEqual([{ attempt: 1, delay: 3_000 }])
    await vi.advanceTimersByTimeAsync(2_999)
    expect(server.requests).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.requests).toBe(2)
    expect(log.acked).toEqual(['0', '1'])
    expect(log.risky).toEqual([])
  })

  it('reads a Retry-After date as the time until then, and caps it at maxRetryAfter', async () => {
    const dated = setup(['429-date', 'ok'], {}, 5)
    dated.writer.add(metric())
    await vi.advanceTimersByTimeAsync(0)
    expect(dated.log.retries[0]!.delay).toBeGreaterThan(4_000)
    expect(dated.log.retries[0]!.delay).toBeLessThanOrEqual(5_000)
    const capped = setup(['429', 'ok'], { maxRetryAfter: 1_500 }, 60)
    capped.writer.add(metric())
    await vi.advanceTimersByTimeAsync(0)
    expect(capped.log.retries[0]!.delay).toBe(1_500)
  })

  it('waits out the Retry-After of Monasca’s Kafka 503 (60 s), capped at maxRetryAfter', async () => {
    const { server, writer, log } = setup(['503', 'ok'], { maxRetryAfter: 90_000 })
    writer.add(metric())
    await vi.advanceTimersByTimeAsync(59_999)
    expect([server.requests, log.retries]).toEqual([1, [{ attempt: 1, delay: 60_000 }]])
    await vi.advanceTimersByTimeAsync(1)
    expect(log.acked).toEqual(['0'])
    const capped = setup(['503', 'ok'], { maxRetryAfter: 5_000 })
    capped.writer.add(metric())
    await vi.advanceTimersByTimeAsync(5_000)
    expect(capped.log.retries).toEqual([{ attempt: 1, delay: 5_000 }])
    expect(capped.log.acked).toEqual(['1'])
  })

  it('retries Monasca’s Kafka 503 and a 500 with backoff until acknowledged, without a duplicate risk', async () => {
    const { server, writer, log } = setup(['503-no-retry-after', '500', '503-no-retry-after', 'ok'], { baseDelay: 100 })
    writer.add(metrics(3))
    await vi.advanceTimersByTimeAsync(10_000)
    expect(server.requests).toBe(4)
    expect(log.acked).toEqual(['0', '1', '2'])
    expect(log.retries.map((r) => r.attempt)).toEqual([1, 2, 3])
    log.retries.forEach((r, i) => expect(r.delay).toBeLessThan(100 * 2 ** i))
    expect(log.risky).toEqual([])
  })

  it('replays a refused connection (nothing was sent) without telling onDuplicateRisk', async () => {
    const { server, writer, log } = setup(['refused', 'refused', 'ok'])
    writer.add(metric())
    await vi.advanceTimersByTimeAsync(10_000)
    expect(server.stored.get('0')).toBe(1)
    expect([log.acked, log.risky]).toEqual([['0'], []])
  })

  it('does not replay a reset after the body went out: onDuplicateRisk is told and the batch is dropped as unconfirmed', async () => {
    const { server, writer, log } = setup(['reset-after', 'ok'])
    writer.add(metrics(2))
    await vi.advanceTimersByTimeAsync(10_000)
    expect(server.requests).toBe(1)
    expect(log.risky).toEqual(['0', '1'])
    expect(log.dropped).toEqual([['0', 'unconfirmed'], ['1', 'unconfirmed']])
    expect(writer.stats().duplicateRisks).toBe(1)
  })

  it('replays an unknown outcome only with replayUnknown, and says so', async () => {
    const risks: boolean[] = []
    const { server, writer, log } = setup(['reset-after', 'ok'], { replayUnknown: true, onDuplicateRisk: (_m, d) => risks.push(d.replayed) })
    writer.add(metric())
    await vi.advanceTimersByTimeAsync(10_000)
    expect(server.stored.get('0')).toBe(2)
    expect(log.acked).toEqual(['0'])
    expect(risks).toEqual([true])
  })

  it('treats a timeout (a hang) as an unknown outcome', async () => {
    const { server, writer, log } = setup(['hang-stored', 'ok'], { timeout: 1_000 })
    writer.add(metric())
    await vi.advanceTimersByTimeAsync(1_000)
    expect(log.dropped).toEqual([['0', 'unconfirmed']])
    expect(server.stored.get('0')).toBe(1)
  })

  it('drops a batch as retries-exhausted after maxRetries', async () => {
    const { server, writer, log } = setup(['500'], { maxRetries: 2, baseDelay: 10 })
    writer.add(metric())
    await vi.advanceTimersByTimeAsync(10_000)
    expect(server.requests).toBe(3)
    expect(log.dropped).toEqual([['0', 'retries-exhausted']])
  })

  it('drops a batch the server will refuse again (401) as rejected, once', async () => {
    const { server, writer, log } = setup(['401'])
    writer.add(metrics(2))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(server.requests).toBe(1)
    expect(log.dropped.map(([, r]) => r)).toEqual(['rejected', 'rejected'])
  })

  it('classifies failures by whether the server could have taken the body', () => {
    const conn = (code: string) => Object.assign(new Error('x'), { code })
    expect(neverSent({ cause: { cause: conn('ECONNREFUSED') } })).toBe(true)
    expect(neverSent({ cause: conn('ECONNRESET') })).toBe(false)
    expect(neverSent({ cause: new Error('error sending request: tcp connect error: Connection refused (os error 111)') })).toBe(true)
    expect(classify(new Error('not ours'))).toEqual({ kind: 'unknown' })
    expect(classify(new MonascaValidationError('endpoint', 'is required'))).toEqual({ kind: 'retry' })
  })
})

describe('what the writer tells its spool', () => {
  /** A spool in memory that logs the calls: `+` sending, `-` refused, `=` settled. */
  function loggingSpool() {
    const calls: string[] = []
    let id = 0
    const spool: WriterSpool = {
      recover: async () => [],
      append: (list) => list.map(() => ++id),
      sending: (ids) => void calls.push(`+${ids}`),
      refused: (ids) => void calls.push(`-${ids}`),
      settle: (ids) => void calls.push(`=${ids}`),
      close: async () => {},
    }
    return { spool, calls }
  }

  const cases: Array<[string, Step[], WriterOptions, string[]]> = [
    ['a 503 and a 429 are refusals: not in flight while waiting', ['503-no-retry-after', '429', 'ok'], {}, ['+1,2', '-1,2', '+1,2', '-1,2', '+1,2', '=1,2']],
    ['a refused connection sent nothing', ['refused', 'ok'], {}, ['+1,2', '-1,2', '+1,2', '=1,2']],
    ['a reset after the body went out stays in flight until dropped', ['reset-after'], {}, ['+1,2', '=1,2']],
    ['after an unknown outcome a later 503 is no refusal of the earlier attempt', ['reset-before', '503-no-retry-after', 'ok'], { replayUnknown: true }, ['+1,2', '+1,2', '+1,2', '=1,2']],
  ]
  for (const [name, script, options, expected] of cases) {
    it(name, async () => {
      const { spool, calls } = loggingSpool()
      const { writer } = setup(script, { spool, baseDelay: 10, ...options })
      writer.add(metrics(2))
      await vi.advanceTimersByTimeAsync(5_000)
      expect(calls).toEqual(expected)
    })
  }

  it('a 422 refuses the whole batch while its halves wait', async () => {
    const { spool, calls } = loggingSpool()
    const { writer, log } = setup(['ok'], { spool })
    writer.add([metric(), metric(true), metric(), metric()])
    await vi.advanceTimersByTimeAsync(5_000)
    expect(log.dropped).toEqual([['1', 'unprocessable']])
    expect(calls).toEqual(['+1,2,3,4', '-1,2,3,4', '+1,2', '-1,2', '+1', '=1', '+2', '=2', '+3,4', '=3,4'])
  })
})

describe('422 isolation', () => {
  it('bisects a 422 batch so only the poisoned metrics are dropped, in at most k·⌈log₂ n⌉ + 1 requests', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 64 }), fc.uniqueArray(fc.nat(63), { maxLength: 4 }), async (n, bad) => {
        vi.clearAllTimers()
        const poisoned = bad.filter((i) => i < n)
        const { server, writer, log } = setup([], { batchSize: 64, flushInterval: 1_000 })
        const batch = Array.from({ length: n }, (_, i) => metric(poisoned.includes(i)))
        writer.add(batch)
        await writer.flush()
        const badIds = poisoned.map((i) => idOf(batch[i]!)).sort()
        expect(log.dropped.map(([id]) => id).sort()).toEqual(badIds)
        expect(log.dropped.every(([, r]) => r === 'unprocessable')).toBe(true)
        expect(log.acked).toHaveLength(n - poisoned.length)
        expect(server.requests).toBeLessThanOrEqual(poisoned.length * 2 * Math.ceil(Math.log2(Math.max(2, n))) + 1)
      }),
      { numRuns: 300 },
    )
  })
})

describe('backpressure and overflow', () => {
  it('reject: add() returns false when full and keeps nothing; ready() resolves once a batch’s worth is free', async () => {
    const { writer, log } = setup(['hang', 'ok'], { maxBuffered: 4, batchSize: 2, timeout: 1_000, replayUnknown: true })
    expect(writer.add(metrics(4))).toBe(true)
    expect(writer.add(metric())).toBe(false)
    expect(writer.stats()).toMatchObject({ added: 4, buffered: 4 })
    let ready = false
    void writer.ready().then(() => (ready = true))
    await vi.advanceTimersByTimeAsync(999)
    expect(ready).toBe(false)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(ready).toBe(true)
    expect(log.acked).toEqual(['0', '1', '2', '3'])
    expect(() => writer.add(metrics(5))).toThrow(/can never fit maxBuffered/)
  })

  it('drop-oldest reports the oldest waiting metrics as overflow; drop-newest the new ones', async () => {
    const oldest = setup(['hang'], { maxBuffered: 3, batchSize: 1, overflow: 'drop-oldest' })
    oldest.writer.add(metrics(3)) // 0 in flight, 1 and 2 waiting
    await vi.advanceTimersByTimeAsync(0)
    expect(oldest.writer.add(metric())).toBe(true)
    expect(oldest.log.dropped).toEqual([['1', 'overflow']])
    const newest = setup(['hang'], { maxBuffered: 3, batchSize: 1, overflow: 'drop-newest' })
    newest.writer.add(metrics(3))
    expect(newest.writer.add(metric())).toBe(false)
    expect(newest.log.dropped).toEqual([['7', 'overflow']])
    expect(newest.writer.stats()).toMatchObject({ added: 4, dropped: 1, buffered: 3 })
  })

  it('keeps at most maxInFlight requests going', async () => {
    const { server, writer } = setup(['slow-ok'], { maxInFlight: 3, batchSize: 1 })
    writer.add(metrics(10))
    await vi.advanceTimersByTimeAsync(0)
    expect(writer.stats().inFlight).toBe(3)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(server.maxConcurrent).toBe(3)
    expect(server.stored.size).toBe(10)
  })
})

describe('close', () => {
  it('returns what the deadline left: waiting and in-flight metrics are unsent, the in-flight ones with a duplicate risk', async () => {
    const { writer, log } = setup(['hang'], { batchSize: 2, timeout: 60_000 })
    writer.add(metrics(5))
    const result = await closeAll(writer, 2_000)
    expect(result.unsent.map(idOf)).toEqual(['0', '1', '2', '3', '4'])
    expect(result).toMatchObject({ acked: 0, dropped: 0, spooled: 0 })
    expect(log.risky).toEqual(['0', '1'])
    expect(() => writer.add(metric())).toThrow(/closed/)
    expect(await writer.close()).toBe(result)
  })

  it('keeps retrying until the deadline: 503 twice then 204 within it acknowledges everything', async () => {
    const { writer } = setup(['503-no-retry-after', '503-no-retry-after', 'ok'], { baseDelay: 200 })
    writer.add(metrics(3))
    expect(await closeAll(writer, 5_000)).toEqual({ acked: 3, dropped: 0, unsent: [], spooled: 0 })
    // 503 with Retry-After 60 forever: at the deadline everything is handed back, nothing dropped.
    const down = setup(['503'], { batchSize: 2 })
    down.writer.add(metrics(5))
    const result = await closeAll(down.writer, 5_000)
    expect(result.unsent.map(idOf)).toEqual(['3', '4', '5', '6', '7'])
    expect([result.acked, result.dropped, down.log.risky]).toEqual([0, 0, []])
  })

  it('validates its options with typed errors', () => {
    const transport = { request: () => Promise.resolve({ data: undefined, status: 204, headers: new Headers() }) }
    for (const bad of [{ batchSize: 0 }, { maxInFlight: 17 }, { flushInterval: Number.NaN }, { overflow: 'sometimes' }, { onDrop: 'x' }, { replayUnknown: 'yes' }, { tenantId: '' }] as WriterOptions[]) {
      expect(() => createWriter(transport, bad)).toThrow(MonascaValidationError)
    }
    expect(() => createWriter({} as never)).toThrow(MonascaValidationError)
    return expect(createWriter(transport).close({ deadline: -1 })).rejects.toThrow(MonascaValidationError)
  })

  it('a hook that throws goes to onError and changes nothing', async () => {
    const errors: unknown[] = []
    const { writer } = setup([], { onAck: () => { throw new Error('hook failed') }, onError: (e) => errors.push(e) })
    writer.add(metric())
    expect(await closeAll(writer)).toMatchObject({ acked: 1, unsent: [] })
    expect(errors).toEqual([new Error('hook failed')])
  })
})

describe('pagehide (a simulated page)', () => {
  it('sends what fits 64 KiB with keepalive and reports the rest unsent', async () => {
    const page = new EventTarget()
    vi.stubGlobal('document', {})
    vi.stubGlobal('addEventListener', page.addEventListener.bind(page))
    vi.stubGlobal('removeEventListener', page.removeEventListener.bind(page))
    try {
      const seen: Array<{ keepalive?: boolean; bytes: number }> = []
      const transport = {
        request: (req: { body?: unknown }, options?: { keepalive?: boolean }) => {
          seen.push({ keepalive: options?.keepalive, bytes: utf8Length(JSON.stringify(req.body)) })
          return new Promise<never>(() => {})
        },
      }
      let hidden: { sent: number; unsent: MetricInput[] } | undefined
      const big = (i: number): MetricInput => ({ name: 'page.metric', dimensions: { id: String(i) }, timestamp: T0, value: i, value_meta: { pad: 'x'.repeat(1_000) } })
      const writer = createWriter(transport as never, { flushInterval: 60_000, batchSize: 1000, onPageHide: (d) => (hidden = d) })
      writer.add(Array.from({ length: 100 }, (_, i) => big(i)))
      expect(seen).toEqual([])
      page.dispatchEvent(new Event('pagehide'))
      expect(seen).toHaveLength(1)
      expect(seen[0]!.keepalive).toBe(true)
      expect(seen[0]!.bytes).toBeLessThanOrEqual(65_536)
      expect(hidden!.sent + hidden!.unsent.length).toBe(100)
      expect(hidden!.sent).toBeGreaterThan(50)
      expect(hidden!.unsent.map(idOf)).toEqual(Array.from({ length: 100 - hidden!.sent }, (_, i) => String(hidden!.sent + i)))
    } finally {
      vi.unstubAllGlobals()
    }
  })
})

describe('Node timers', () => {
  it('are unref’d while the writer runs, so an idle writer never holds the process open', () => {
    vi.useRealTimers()
    const created: Array<ReturnType<typeof setTimeout>> = []
    const real = globalThis.setTimeout
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      const t = real(fn, ms)
      created.push(t)
      return t
    }) as typeof setTimeout)
    try {
      const transport = { request: () => new Promise<never>(() => {}) }
      const writer = createWriter(transport as never, { flushInterval: 5_000 })
      writer.add(metric())
      expect(created).toHaveLength(1)
      expect(created[0]!.hasRef()).toBe(false)
      void writer.close({ deadline: 1 })
      expect(created.at(-1)!.hasRef()).toBe(true) // a closing writer holds on, until its deadline
    } finally {
      spy.mockRestore()
      for (const t of created) clearTimeout(t)
    }
  })
})

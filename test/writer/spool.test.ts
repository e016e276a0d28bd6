/**
 * The Node spool: metrics a process accepted survive its crash and are sent by the next writer on
 * the same directory. Unit tests of the files (cap, corrupt tails, lock, settled records never sent
 * again), then a loop that SIGKILLs a writing child process mid-batch again and again, and a final
 * writer that drains the directory: nothing accepted is lost, nothing is stored twice (without
 * replayUnknown), and with replayUnknown a metric stored twice was announced by onDuplicateRisk.
 * A batch the server refused (a 503) is known not to be stored: after a close or a kill while it
 * waits for its retry, the next writer sends it without a duplicate risk, replayUnknown or not.
 */
import { spawn } from 'node:child_process'
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type MetricInput } from '../../src/index.js'
import { spool } from '../../src/node/index.js'
import type { DropReason, SpooledMetric, WriterOptions } from '../../src/writer/index.js'

let root: string
let server: Server
let endpoint: string
const stored = new Map<string, number>()
/** How the server answers: store and 204, never answer, or refuse like Monasca with Kafka down (503, Retry-After 60 s, nothing stored). */
let answer: 'ok' | 'hang' | '503' = 'ok'

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'monasca-spool-'))
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk))
    req.on('error', () => {}) // a child killed mid-body
    req.on('end', () => {
      if (answer === 'hang' || !req.complete) return
      if (answer === '503') {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '60' })
        return void res.end('{"title":"Service Unavailable","description":"kafka"}')
      }
      let metrics: MetricInput[]
      try {
        metrics = JSON.parse(body) as MetricInput[]
      } catch {
        return void res.writeHead(400).end() // cut short by a kill: never stored
      }
      // The server takes the body as soon as it has it all; a little latency before the answer, so
      // that kills land while batches are in flight.
      for (const m of metrics) stored.set(m.dimensions!.id!, (stored.get(m.dimensions!.id!) ?? 0) + 1)
      setTimeout(() => {
        res.statusCode = 204
        res.end()
      }, Math.random() * 15)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2.0`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  rmSync(root, { recursive: true, force: true })
})

const metric = (id: string): MetricInput => ({ name: 'spool.metric', dimensions: { id }, timestamp: 1_700_000_000_000, value: 1 })
const ids = (list: MetricInput[]) => list.map((m) => m.dimensions!.id!)

function writerOn(directory: string, extra: Record<string, unknown> = {}, writerOptions: WriterOptions = {}) {
  const log = { acked: [] as string[], dropped: [] as Array<[string, DropReason]>, risky: [] as string[], corrupt: [] as unknown[] }
  const client = createClient({ endpoint, token: 'spool-token' })
  const writer = client.metrics.writer({
    spool: spool({ directory, fsync: 'always', ...extra }),
    flushInterval: 5,
    onAck: (m) => log.acked.push(...ids(m)),
    onDrop: (m, d) => (d.reason === 'corrupt' ? log.corrupt.push(d.error) : log.dropped.push(...m.map((x): [string, DropReason] => [x.dimensions!.id!, d.reason]))),
    onDuplicateRisk: (m) => log.risky.push(...ids(m)),
    ...writerOptions,
  })
  return { writer, log }
}

describe('spool files', () => {
  it('keeps what a closed writer could not send, and the next writer sends it (and nothing acknowledged)', async () => {
    stored.clear()
    const dir = join(root, 'handover')
    const first = writerOn(dir)
    first.writer.add([metric('a1'), metric('a2')])
    await first.writer.flush()
    answer = 'hang'
    first.writer.add([metric('b1'), metric('b2'), metric('b3')])
    const result = await first.writer.close({ deadline: 200 })
    answer = 'ok'
    expect(result).toMatchObject({ acked: 2, unsent: [], spooled: 3 })
    const second = writerOn(dir)
    expect(await second.writer.close()).toMatchObject({ acked: 0, spooled: 0 })
    // b* were in flight when the first writer closed: the second one cannot know whether they were stored.
    expect(second.log.risky.sort()).toEqual(['b1', 'b2', 'b3'])
    expect(second.log.dropped).toEqual([['b1', 'unconfirmed'], ['b2', 'unconfirmed'], ['b3', 'unconfirmed']])
    expect(stored.get('a1')).toBe(1)
  })

  it('sends metrics that never left before a restart, without a duplicate risk', async () => {
    stored.clear()
    // maxInFlight 1 and a hanging server: c1 is in flight, c2..c4 wait.
    answer = 'hang'
    const client = createClient({ endpoint, token: 'spool-token' })
    const w = client.metrics.writer({ spool: spool({ directory: join(root, 'waiting2') }), batchSize: 1, flushInterval: 0 })
    w.add([metric('c1'), metric('c2'), metric('c3'), metric('c4')])
    expect(await w.close({ deadline: 100 })).toMatchObject({ spooled: 4, unsent: [] })
    answer = 'ok'
    const next = writerOn(join(root, 'waiting2'))
    expect((await next.writer.close()).acked).toBe(3)
    expect(next.log.acked).toEqual(['c2', 'c3', 'c4'])
    expect(next.log.risky).toEqual(['c1'])
    expect(next.writer.stats().recovered).toBe(4)
  })

  it('a batch the server refused (503) and the writer closed while waiting to retry is sent by the next writer once, without a duplicate risk', async () => {
    stored.clear()
    const dir = join(root, 'refused')
    answer = '503'
    let retried!: () => void
    const refused = new Promise<void>((resolve) => (retried = resolve))
    const first = writerOn(dir, {}, { onRetry: () => retried() })
    first.writer.add([metric('r1'), metric('r2')])
    await refused // the 503 is in: the batch waits 60 s for its retry
    expect(await first.writer.close({ deadline: 50 })).toMatchObject({ acked: 0, dropped: 0, unsent: [], spooled: 2 })
    expect(first.log.risky).toEqual([]) // nothing was in flight at the deadline
    answer = 'ok'
    const second = writerOn(dir) // replayUnknown off
    expect(await second.writer.close()).toMatchObject({ acked: 2, dropped: 0, unsent: [], spooled: 0 })
    expect(second.log.acked).toEqual(['r1', 'r2'])
    expect(second.log.risky).toEqual([])
    expect(second.log.dropped).toEqual([])
    expect([stored.get('r1'), stored.get('r2')]).toEqual([1, 1])
    expect(second.writer.stats()).toMatchObject({ recovered: 2, duplicateRisks: 0 })
  })

  it('halves of a 422 batch not yet sent at close are sent by the next writer without a duplicate risk', async () => {
    stored.clear()
    const dir = join(root, 'bisected')
    // The first writer's transport answers 422 once and then hangs: the halves wait behind the first one.
    let calls = 0
    const unprocessable = new Response('{"title":"Unprocessable Entity","description":"bad dimension"}', { status: 422, headers: { 'content-type': 'application/json' } })
    const client = createClient({
      endpoint, token: 'spool-token',
      fetch: (input, init) => (calls++ === 0 ? Promise.resolve(unprocessable) : new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))),
    })
    const risky: string[] = []
    const first = client.metrics.writer({ spool: spool({ directory: dir, fsync: 'always' }), flushInterval: 0, onDuplicateRisk: (m) => risky.push(...ids(m)) })
    first.add([metric('h1'), metric('h2'), metric('h3'), metric('h4')])
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(await first.close({ deadline: 50 })).toMatchObject({ acked: 0, dropped: 0, unsent: [], spooled: 4 })
    expect(risky).toEqual(['h1', 'h2']) // the first half was in flight at the deadline: unknown
    answer = 'ok'
    const second = writerOn(dir)
    expect(await second.writer.close()).toMatchObject({ acked: 2, spooled: 0 })
    expect(second.log.risky).toEqual(['h1', 'h2'])
    expect(second.log.dropped).toEqual([['h1', 'unconfirmed'], ['h2', 'unconfirmed']])
    expect(second.log.acked).toEqual(['h3', 'h4']) // refused by the 422 and never sent again: safe
  })

  it('reads its records in order: refused after sending is not in flight, sent again it is, and a compaction keeps that', async () => {
    const dir = join(root, 'order')
    const first = spool({ directory: dir })
    await first.recover(() => {})
    expect(first.append([{ metric: metric('o1') }, { metric: metric('o2') }, { metric: metric('o3') }, { metric: metric('o4') }])).toEqual([1, 2, 3, 4])
    first.sending([1, 2, 3])
    first.refused([1, 2, 3]) // a 503: not taken
    first.sending([3]) // the retry of o3 goes out, and the process stops
    await first.close()
    const view = (list: SpooledMetric[]) => list.map((m) => [m.metric.dimensions!.id, m.inFlight ?? false])
    const second = spool({ directory: dir })
    expect(view(await second.recover(() => {}))).toEqual([['o1', false], ['o2', false], ['o3', true], ['o4', false]])
    second.refused([3])
    await second.close()
    const third = spool({ directory: dir }) // reads the compacted file written by the second
    expect(view(await third.recover(() => {}))).toEqual([['o1', false], ['o2', false], ['o3', false], ['o4', false]])
    await third.close()
  })

  it('skips and reports a torn tail and a garbled record, and sends the intact ones', async () => {
    stored.clear()
    const dir = join(root, 'corrupt')
    const direct = spool({ directory: dir })
    await direct.recover(() => {})
    expect(direct.append([{ metric: metric('d1') }, { metric: metric('d2') }, { metric: metric('d3') }])).toEqual([1, 2, 3])
    await direct.close()
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.spool'))!)
    const garbled = readFileSync(file, 'utf8').replace('"d1"', '"dX"') // the checksum no longer matches
    const torn = 'a 00000000 {"i":99,"m":{"na'
    writeFileSync(file, `${garbled}${torn}`) // and a record cut short by a crash
    const next = writerOn(dir)
    const result = await next.writer.close()
    expect(next.log.corrupt.map(String)).toEqual([expect.stringMatching(/Skipped \d+ unreadable bytes/), expect.stringMatching(new RegExp(`Skipped ${torn.length} unreadable bytes`))])
    expect(next.writer.stats().corruptBytes).toBeGreaterThan(torn.length)
    expect(result).toMatchObject({ acked: 2, dropped: 0, unsent: [], spooled: 0 })
    expect(next.log.acked).toEqual(['d2', 'd3'])
    expect(next.log.risky).toEqual([])
  })

  it('drops what passes the size cap as overflow, and refuses a directory another live process holds', async () => {
    const dir = join(root, 'cap')
    answer = 'hang'
    const { writer, log } = writerOn(dir, { maxBytes: 600 })
    for (let i = 0; i < 10; i++) writer.add(metric(`e${i}`))
    expect(log.dropped.length).toBeGreaterThan(0)
    expect(log.dropped.every(([, r]) => r === 'overflow')).toBe(true)
    expect(() => spool({ directory: dir })).not.toThrow() // the same process may reopen its own directory
    writeFileSync(join(dir, 'writer.lock'), `${process.ppid}\n`)
    expect(() => spool({ directory: dir })).toThrow(/in use by process/)
    await writer.close({ deadline: 0 })
    answer = 'ok'
  })
})

describe('SIGKILL mid-batch, again and again', () => {
  let child: string
  beforeAll(async () => {
    child = join(root, 'child.mjs')
    await build({ entryPoints: [join(import.meta.dirname, 'spool-child.ts')], bundle: true, platform: 'node', format: 'esm', outfile: child, logLevel: 'silent' })
  })

  /** Starts the child, waits until it printed `line`, then a random while, and SIGKILLs it. */
  async function runAndKill(env: Record<string, string>, line = 'ready', wait = () => 60 + Math.random() * 200): Promise<void> {
    const proc = spawn(process.execPath, [child], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((resolve, reject) => {
      let out = ''
      proc.stdout!.on('data', (chunk: Buffer) => {
        out += chunk
        if (out.split('\n').includes(line)) resolve()
      })
      proc.once('exit', (code) => reject(new Error(`child exited early with ${code}`)))
    })
    await new Promise((resolve) => setTimeout(resolve, wait()))
    const exited = new Promise((resolve) => proc.once('exit', resolve))
    proc.kill('SIGKILL')
    await exited
  }

  it('killed while a refused (503) batch waits for its retry: the next writer sends everything once, without a duplicate risk', async () => {
    stored.clear()
    const dir = join(root, 'kill-refused')
    const accepted = join(root, 'accepted-refused')
    const risky = join(root, 'risky-refused')
    writeFileSync(accepted, '')
    writeFileSync(risky, '')
    answer = '503'
    // One request at a time: after the 503 the writer waits 60 s and sends nothing; it is killed then.
    await runAndKill({ SPOOL_DIR: dir, ENDPOINT: endpoint, RUN: 'k', ACCEPTED: accepted, RISKY: risky, REPLAY: '0', IN_FLIGHT: '1' }, 'retrying', () => 50)
    answer = 'ok'
    const last = writerOn(dir) // replayUnknown off
    expect(await last.writer.close({ deadline: 20_000 })).toMatchObject({ dropped: 0, unsent: [], spooled: 0 })
    const acceptedIds = readFileSync(accepted, 'utf8').split('\n').filter(Boolean)
    expect(acceptedIds.length).toBeGreaterThan(0)
    expect(readFileSync(risky, 'utf8')).toBe('')
    expect(last.log.risky).toEqual([])
    expect(last.log.dropped).toEqual([])
    expect(acceptedIds.filter((id) => stored.get(id) !== 1), 'stored other than once').toEqual([])
    expect(last.log.acked.sort()).toEqual([...acceptedIds].sort())
  }, 60_000)

  for (const replay of [false, true]) {
    it(`nothing accepted is lost; ${replay ? 'a duplicate only where onDuplicateRisk was told (replayUnknown)' : 'nothing is stored twice'}`, async () => {
      stored.clear()
      answer = 'ok'
      const dir = join(root, `kill-${replay}`)
      const accepted = join(root, `accepted-${replay}`)
      const risky = join(root, `risky-${replay}`)
      writeFileSync(accepted, '')
      writeFileSync(risky, '')
      const kills = Number(process.env.SPOOL_KILLS ?? 12)
      for (let run = 0; run < kills; run++) {
        await runAndKill({ SPOOL_DIR: dir, ENDPOINT: endpoint, RUN: String(run), ACCEPTED: accepted, RISKY: risky, REPLAY: replay ? '1' : '0' })
      }
      // A last writer on the same directory drains it.
      const last = writerOn(dir, {}, { replayUnknown: replay })
      const result = await last.writer.close({ deadline: 20_000 })
      appendFileSync(risky, last.log.risky.map((id) => `${id}\n`).join(''))
      expect(result).toMatchObject({ unsent: [], spooled: 0 })
      if (replay) expect(last.log.dropped).toEqual([])

      const acceptedIds = readFileSync(accepted, 'utf8').split('\n').filter(Boolean)
      const riskyIds = new Set(readFileSync(risky, 'utf8').split('\n').filter(Boolean))
      expect(acceptedIds.length).toBeGreaterThan(kills * 10)
      const lost = acceptedIds.filter((id) => !stored.has(id) && !riskyIds.has(id))
      expect(lost, 'accepted, never stored, never announced').toEqual([])
      const twice = [...stored].filter(([, n]) => n > 1).map(([id]) => id)
      if (replay) {
        expect(twice.filter((id) => !riskyIds.has(id)), 'stored twice without onDuplicateRisk').toEqual([])
        expect(acceptedIds.filter((id) => !stored.has(id)), 'with replayUnknown everything accepted is stored').toEqual([])
      } else {
        expect(twice, 'stored twice').toEqual([])
      }
      // Most of it went through plainly: the unknowns are the few batches in flight at each kill.
      expect(acceptedIds.filter((id) => stored.get(id) === 1).length).toBeGreaterThan(acceptedIds.length * 0.8)
      expect(existsSync(join(dir, 'writer.lock'))).toBe(false)
      if (process.env.SPOOL_REPORT) console.log({ replay, kills, accepted: acceptedIds.length, announced: riskyIds.size, storedTwice: twice.length })
    }, 120_000)
  }
})

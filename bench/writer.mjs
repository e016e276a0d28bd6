// The metrics writer: throughput against a server that adds 50 ms per request, and memory against
// one that never answers.
//   npm run build && node bench/writer.mjs [rounds=5] [metrics=100000]
// Throughput: 100 000 metrics in batches of 1000, maxInFlight 1 and 4, against a hand-rolled loop
// that POSTs the same batches with fetch (same server, same run, interleaved; ratios per round).
// Memory: 1 000 000 metrics offered to a server that never answers, with overflow 'reject' and
// 'drop-oldest': what the writer holds stays at maxBuffered and the heap stays flat.
import { spawn } from 'node:child_process'
import { createClient } from '../dist/index.js'


/** The server runs in its own process, so its work does not share the writer's event loop. */
async function startServer(mode) {
  const source = `
    const { createServer } = require('node:http')
    const server = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        if (${JSON.stringify(mode)} === 'never') return
        setTimeout(() => { res.statusCode = 204; res.end() }, 50)
      })
    })
    server.keepAliveTimeout = 60_000
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'))
  `
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] })
  process.once('exit', () => child.kill())
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))))
  return { endpoint: `http://127.0.0.1:${port}/v2.0`, stop: () => child.kill() }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const metric = (i) => ({ name: 'bench.cpu', dimensions: { hostname: `host-${i % 50}`, service: 'bench' }, timestamp: 1_700_000_000_000 + i, value: i })

async function main() {
  const rounds = Number(process.argv[2] ?? 5)
  const total = Number(process.argv[3] ?? 100_000)
  const batch = 1000
  console.log(`writer bench: Node ${process.version}, ${process.platform}, ${rounds} rounds, ${total} metrics in batches of ${batch}`)

  const slow = await startServer('slow')
  const client = createClient({ endpoint: slow.endpoint, token: 'bench-token' })

  // The writer: add() one metric at a time, waiting on ready() when the buffer says no.
  async function viaWriter(maxInFlight) {
    const writer = client.metrics.writer({ batchSize: batch, maxInFlight, maxBuffered: 10_000, flushInterval: 1000 })
    const start = performance.now()
    for (let i = 0; i < total; i++) {
      const m = metric(i)
      while (!writer.add(m)) await writer.ready()
    }
    const result = await writer.close({ deadline: 120_000 })
    const ms = performance.now() - start
    if (result.acked !== total) throw new Error(`writer acknowledged ${result.acked} of ${total}`)
    return ms
  }
  // The baseline: the same batches, serialised and POSTed with fetch, `inFlight` at a time.
  async function viaFetch(inFlight) {
    const start = performance.now()
    let next = 0
    const post = async () => {
      while (next < total) {
        const from = next
        next += batch
        const body = JSON.stringify(Array.from({ length: Math.min(batch, total - from) }, (_, k) => metric(from + k)))
        const response = await fetch(`${slow.endpoint}/metrics`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': 'bench-token' }, body })
        await response.arrayBuffer()
        if (response.status !== 204) throw new Error(`status ${response.status}`)
      }
    }
    await Promise.all(Array.from({ length: inFlight }, post))
    return performance.now() - start
  }

  await viaWriter(4) // warm up (JIT, sockets)
  await viaFetch(4)
  const rows = []
  for (const inFlight of [1, 4]) {
    const writerMs = []
    const fetchMs = []
    const ratios = []
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so that a load spike falls on both alike.
      let w
      let f
      if (r % 2) {
        f = await viaFetch(inFlight)
        w = await viaWriter(inFlight)
      } else {
        w = await viaWriter(inFlight)
        f = await viaFetch(inFlight)
      }
      writerMs.push(w)
      fetchMs.push(f)
      ratios.push(f / w)
    }
    const floor = Math.ceil(total / batch / inFlight) * 50
    rows.push({
      maxInFlight: inFlight,
      'writer metrics/s': Math.round(total / (median(writerMs) / 1000)),
      'fetch loop metrics/s': Math.round(total / (median(fetchMs) / 1000)),
      'writer / fetch loop (throughput)': Number(median(ratios).toFixed(3)),
      'writer / 50 ms floor': Number((floor / median(writerMs)).toFixed(3)),
      'median writer ms': Math.round(median(writerMs)),
    })
  }
  slow.stop()
  console.table(rows)

  // Memory: a server that never answers; 1 000 000 metrics offered.
  const never = await startServer('never')
  const stuck = createClient({ endpoint: never.endpoint, token: 'bench-token', timeout: 600_000 })
  const offered = 1_000_000
  const cap = 10_000
  const memory = []
  for (const overflow of ['reject', 'drop-oldest']) {
    const heaps = []
    for (let r = 0; r < rounds; r++) {
      let dropped = 0
      let maxBuffered = 0
      const writer = stuck.metrics.writer({ batchSize: batch, maxBuffered: cap, overflow, maxInFlight: 1, flushInterval: 100, onDrop: (m) => (dropped += m.length) })
      let refused = 0
      globalThis.gc()
      const base = process.memoryUsage().heapUsed
      let atCap = 0
      for (let i = 0; i < offered; i++) {
        if (!writer.add(metric(i))) refused++
        if (i === cap * 2) {
          globalThis.gc()
          atCap = process.memoryUsage().heapUsed
        }
        if (i % 10_000 === 0) maxBuffered = Math.max(maxBuffered, writer.stats().buffered)
      }
      globalThis.gc()
      const end = process.memoryUsage().heapUsed
      const stats = writer.stats()
      maxBuffered = Math.max(maxBuffered, stats.buffered)
      if (maxBuffered > cap) throw new Error(`buffered ${maxBuffered} > cap ${cap}`)
      const result = await writer.close({ deadline: 0 })
      if (result.acked + result.dropped + result.unsent.length + refused !== offered) throw new Error('metrics unaccounted for')
      heaps.push({ atCap: atCap - base, end: end - base, growth: end - atCap, dropped, refused, unsent: result.unsent.length, maxBuffered })
    }
    const m = (key) => median(heaps.map((h) => h[key]))
    memory.push({
      overflow,
      offered,
      'max buffered (cap 10 000)': Math.max(...heaps.map((h) => h.maxBuffered)),
      'heap at cap MB': Number((m('atCap') / 1e6).toFixed(2)),
      'heap after 1M MB': Number((m('end') / 1e6).toFixed(2)),
      'growth 20k→1M MB': Number((m('growth') / 1e6).toFixed(2)),
      refused: m('refused'),
      dropped: m('dropped'),
      unsent: m('unsent'),
    })
  }
  never.stop()
  // The baseline for "what 10 000 metrics cost": the same objects held in a plain array.
  globalThis.gc()
  const before = process.memoryUsage().heapUsed
  const held = Array.from({ length: cap }, (_, i) => metric(i))
  globalThis.gc()
  const plain = process.memoryUsage().heapUsed - before
  console.table(memory)
  console.log(`10 000 metric objects in a plain array: ${(plain / 1e6).toFixed(2)} MB (held: ${held.length})`)
  process.exit(0)
}

if (typeof globalThis.gc !== 'function') {
  // Heap figures need a gc between readings: run again with --expose-gc.
  const child = spawn(process.execPath, ['--expose-gc', ...process.argv.slice(1)], { stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 1))
} else {
  await main()
}

// Memory of iterating one long series: 1 000 000 measurements of one series over 100 pages.
//   npm run build && node --expose-gc bench/series-memory.mjs [rounds=5] [pages=100] [rows=10000]
// Prints, per round and as medians: the heap one page holds (awaiting the first page), the peak
// heap while iterating every page (`for await`, chunks), and their ratio (target ≤ 2). For contrast,
// `toArray()` (whole merged series) over a tenth of the pages. Heap is measured after a full GC at
// each sample, so it is what is *held*, not garbage waiting to be collected.
import { createClient } from '../dist/index.js'

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc bench/series-memory.mjs')
  process.exit(2)
}
const rounds = Number(process.argv[2] ?? 5)
const pages = Number(process.argv[3] ?? 100)
const rows = Number(process.argv[4] ?? 10_000)
const T0 = Date.UTC(2024, 0, 1)
const endpoint = 'http://bench.invalid/v2.0'

/** One page of the series as the server writes it; built per request, never kept. */
function pageBody(index) {
  const parts = []
  for (let r = 0; r < rows; r++) {
    const at = new Date(T0 + (index * rows + r) * 1000).toISOString()
    parts.push(`["${at}",${(r % 100) / 3},{}]`)
  }
  const next = index + 1 < pages ? `,{"rel":"next","href":"${endpoint}/metrics/measurements?offset=0_p${index + 1}"}` : ''
  return `{"links":[{"rel":"self","href":"${endpoint}/metrics/measurements"}${next}],"elements":[{"id":"0","name":"cpu","dimensions":{"hostname":"h1"},"columns":["timestamp","value","value_meta"],"measurements":[${parts.join(',')}]}]}`
}

const fetch = async (input) => {
  const offset = new URL(typeof input === 'string' ? input : input.url).searchParams.get('offset')
  const index = offset === null ? 0 : Number(offset.slice(3))
  return new Response(pageBody(index), { headers: { 'content-type': 'application/json' } })
}
const client = createClient({ endpoint, token: 'bench', fetch })
const params = { name: 'cpu', start_time: new Date(T0).toISOString(), dimensions: { hostname: 'h1' }, limit: rows }

const held = () => {
  globalThis.gc()
  globalThis.gc()
  return process.memoryUsage().heapUsed
}
const mb = (bytes) => (bytes / 1048576).toFixed(1)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function onePage() {
  const base = held()
  const first = await client.metrics.listMeasurements(params)
  const growth = held() - base
  if (first[0].measurements.length !== rows) throw new Error('short page')
  return growth
}

async function iterate() {
  const base = held()
  let peak = 0
  let count = 0
  let chunks = 0
  for await (const chunk of client.metrics.listMeasurements(params)) {
    count += chunk.measurements.length
    chunks++
    peak = Math.max(peak, held() - base)
  }
  if (count !== pages * rows) throw new Error(`saw ${count} rows`)
  return { peak, chunks }
}

/** The same iteration sampled without forcing GC: what the heap reaches with garbage in it. */
async function iterateUncollected() {
  const base = held()
  let peak = 0
  for await (const chunk of client.metrics.listMeasurements(params)) {
    if (chunk.measurements.length === 0) throw new Error('empty chunk')
    peak = Math.max(peak, process.memoryUsage().heapUsed - base)
  }
  return peak
}

/** toArray() over the first `pagesToRead` pages (a server that stops there): whole series are held. */
async function whole(pagesToRead) {
  const short = createClient({ endpoint, token: 'bench', fetch: async (input) => {
    const offset = new URL(typeof input === 'string' ? input : input.url).searchParams.get('offset')
    const index = offset === null ? 0 : Number(offset.slice(3))
    const body = pageBody(index)
    return new Response(index + 1 >= pagesToRead ? body.replace(/,\{"rel":"next"[^}]*\}/, '') : body, { headers: { 'content-type': 'application/json' } })
  } })
  const base = held()
  const all = await short.metrics.listMeasurements(params).toArray()
  const growth = held() - base
  const count = all.reduce((n, s) => n + s.measurements.length, 0)
  if (all.length !== 1 || count !== pagesToRead * rows) throw new Error(`toArray gave ${all.length} series, ${count} rows`)
  return growth
}

console.log(`series-memory: ${pages} pages × ${rows} rows of one series (${pages * rows} measurements), ${rounds} rounds, Node ${process.version}`)
const results = []
for (let round = 0; round < rounds; round++) {
  const page = await onePage()
  const { peak, chunks } = await iterate()
  const loose = await iterateUncollected()
  const merged = await whole(Math.max(1, Math.round(pages / 10)))
  results.push({ page, peak, loose, merged, ratio: peak / page })
  console.log(`  round ${round + 1}: one page ${mb(page)} MB, iteration peak ${mb(peak)} MB over ${chunks} chunks (${(peak / page).toFixed(2)}×), same without forced GC ${mb(loose)} MB, toArray of ${Math.round(pages / 10)} pages ${mb(merged)} MB`)
}
const ratio = median(results.map((r) => r.ratio))
console.log(`median: one page ${mb(median(results.map((r) => r.page)))} MB, iteration peak ${mb(median(results.map((r) => r.peak)))} MB, ratio ${ratio.toFixed(2)}× (target ≤ 2×); without forced GC ${mb(median(results.map((r) => r.loose)))} MB; toArray of ${Math.round(pages / 10)} pages ${mb(median(results.map((r) => r.merged)))} MB`)

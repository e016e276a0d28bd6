// Per-request cost of the SDK over a raw fetch of the same URL, against one local server.
//   npm run build && node bench/request-overhead.mjs [requests=2000] [rounds=5]
// Prints medians per request and the ratio SDK / raw fetch (a ratio, never an absolute claim).
import { createServer } from 'node:http'
import { createClient } from '../dist/index.js'

const requests = Number(process.argv[2] ?? 2000)
const rounds = Number(process.argv[3] ?? 5)
const body = JSON.stringify({ links: [{ rel: 'self', href: 'x' }], elements: Array.from({ length: 20 }, (_, i) => ({ name: `metric.${i}` })) })
const server = createServer((_req, res) => {
  res.setHeader('content-type', 'application/json')
  res.end(body)
})
await new Promise((ready) => server.listen(0, '127.0.0.1', ready))
const endpoint = `http://127.0.0.1:${server.address().port}/v2.0`
const client = createClient({ endpoint, token: 'bench-token' })

const raw = async () => {
  const response = await fetch(`${endpoint}/metrics/names?limit=20`, { headers: { 'x-auth-token': 'bench-token', accept: 'application/json' } })
  return (await response.json()).elements
}
const sdk = () => client.metrics.listNames({ limit: 20 })

async function time(fn) {
  const start = process.hrtime.bigint()
  for (let i = 0; i < requests; i++) await fn()
  return Number(process.hrtime.bigint() - start) / 1e3 / requests // µs per request
}

await time(raw) // warm up both paths (JIT, sockets)
await time(sdk)
const results = { raw: [], sdk: [] }
for (let r = 0; r < rounds; r++) {
  results.raw.push(await time(raw))
  results.sdk.push(await time(sdk))
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const rawUs = median(results.raw)
const sdkUs = median(results.sdk)
console.log(`requests per round: ${requests}, rounds: ${rounds}`)
console.log(`raw fetch   ${rawUs.toFixed(1)} µs/request (baseline)`)
console.log(`SDK         ${sdkUs.toFixed(1)} µs/request`)
console.log(`ratio SDK / raw fetch: ${(sdkUs / rawUs).toFixed(2)} (overhead ${(sdkUs - rawUs).toFixed(1)} µs/request)`)
server.close()

// Per-request cost of the SDK against the same local server (a child process), as ratios in one run:
// SDK vs ofetch called with the same timeout (our own cost; target ≤ 1.10), vs a bare fetch that arms
// its own timeout signal, vs a bare fetch; sequential and 16 in flight; Debian's Python client
// (python3-monascaclient, sequential) doing the same call. Medians of ROUNDS rounds.
//   npm run build && node bench/request-overhead.mjs [requests per batch=300] [rounds=21]
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ofetch } from 'ofetch'
import { createClient } from '../dist/index.js'
import { machine, median, startServer } from './_util.mjs'

const requests = Number(process.argv[2] ?? 300)
const rounds = Number(process.argv[3] ?? 21)
const TIMEOUT = 60_000
const server = await startServer()
const endpoint = `${server.origin}/v2.0`
const url = `${endpoint}/metrics/names?limit=20`
const headers = { 'x-auth-token': 'bench-token', accept: 'application/json' }
/** The four variants over one fetch (the platform's, or a stub): bare, with its own timeout signal, ofetch, the SDK. */
function variantsOver(doFetch, sdkEndpoint) {
  const client = createClient({ endpoint: sdkEndpoint, token: 'bench-token', timeout: TIMEOUT, ...(doFetch === fetch ? {} : { fetch: doFetch }) })
  const $fetch = doFetch === fetch ? ofetch : ofetch.create({}, { fetch: doFetch })
  return {
    'bare fetch': async () => (await (await doFetch(url, { headers })).json()).elements,
    'fetch + own timeout signal': async () => {
      const controller = new AbortController()
      const timer = setTimeout(() => controller.abort(), TIMEOUT)
      try {
        return (await (await doFetch(url, { headers, signal: controller.signal })).json()).elements
      } finally {
        clearTimeout(timer)
      }
    },
    'ofetch, same timeout': async () => (await $fetch(url, { headers, timeout: TIMEOUT })).elements,
    SDK: () => client.metrics.listNames({ limit: 20 }),
  }
}
const variants = variantsOver(fetch, endpoint)

async function timeOf(fn, inFlight) {
  const start = process.hrtime.bigint()
  let next = 0
  const worker = async () => {
    while (next < requests) {
      next++
      await fn()
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  return Number(process.hrtime.bigint() - start) / 1e3 / requests // µs per request
}

// Variants interleaved in small batches, in a new order each round, so that the load of a shared
// machine falls on all of them alike; ratios are taken per round, then their median.
const results = {}
const ratios = {}
for (const inFlight of [1, 16]) {
  for (const fn of Object.values(variants)) await timeOf(fn, inFlight) // warm up: JIT, sockets
  const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]))
  const perRound = { ofetch: [], timeoutFetch: [], bare: [] }
  for (let r = 0; r < rounds; r++) {
    const order = Object.keys(variants).sort(() => Math.random() - 0.5)
    const round = {}
    for (const name of order) round[name] = await timeOf(variants[name], inFlight)
    for (const name of order) samples[name].push(round[name])
    perRound.ofetch.push(round.SDK / round['ofetch, same timeout'])
    perRound.timeoutFetch.push(round.SDK / round['fetch + own timeout signal'])
    perRound.bare.push(round.SDK / round['bare fetch'])
  }
  results[inFlight] = Object.fromEntries(Object.entries(samples).map(([name, xs]) => [name, median(xs)]))
  ratios[inFlight] = Object.fromEntries(Object.entries(perRound).map(([name, xs]) => [name, median(xs)]))
}

// In process, with a fetch stub that answers at once: the CPU each layer adds, without the network's noise.
const stubBody = await (await fetch(url, { headers })).text()
const stub = async () => new Response(stubBody, { headers: { 'content-type': 'application/json', 'content-length': String(stubBody.length) } })
const stubVariants = variantsOver(stub, 'http://stub.test/v2.0')
const stubSamples = Object.fromEntries(Object.keys(stubVariants).map((name) => [name, []]))
const stubRatios = []
for (const fn of Object.values(stubVariants)) for (let i = 0; i < 2000; i++) await fn()
for (let r = 0; r < rounds; r++) {
  const round = {}
  for (const name of Object.keys(stubVariants).sort(() => Math.random() - 0.5)) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < 2000; i++) await stubVariants[name]()
    round[name] = Number(process.hrtime.bigint() - start) / 1e3 / 2000
    stubSamples[name].push(round[name])
  }
  stubRatios.push(round.SDK / round['ofetch, same timeout'])
}

let python
const script = fileURLToPath(new URL('./request-python.py', import.meta.url))
if (existsSync('/usr/lib/python3/dist-packages/monascaclient')) {
  const pyRequests = Math.min(requests, 500)
  python = Number(execFileSync('/usr/bin/python3', [script, endpoint, String(pyRequests), String(rounds)], { encoding: 'utf8' }).trim())
}
server.stop()

console.log(`machine: ${machine()}`)
console.log(`requests per round: ${requests}, rounds: ${rounds}, medians in µs per request (GET /metrics/names, 20 names)`)
for (const [inFlight, row] of Object.entries(results)) {
  console.log(`\n${inFlight === '1' ? 'sequential' : `${inFlight} in flight`}`)
  for (const [name, us] of Object.entries(row)) console.log(`  ${name.padEnd(28)} ${us.toFixed(1).padStart(8)} µs`)
  const ratio = ratios[inFlight]
  console.log(`  ratio SDK / ofetch (same timeout)        ${ratio.ofetch.toFixed(2)}   (target ≤ 1.10; median of per-round ratios)`)
  console.log(`  ratio SDK / fetch + own timeout signal   ${ratio.timeoutFetch.toFixed(2)}`)
  console.log(`  ratio SDK / bare fetch                   ${ratio.bare.toFixed(2)}`)
}
console.log('\nin process, fetch stubbed (2000 calls a round): the CPU each layer costs')
for (const [name, xs] of Object.entries(stubSamples)) console.log(`  ${name.padEnd(34)} ${median(xs).toFixed(1).padStart(8)} µs`)
console.log(`  ratio SDK / ofetch (same timeout)        ${median(stubRatios).toFixed(2)}`)
console.log(`  the timeout signal alone costs          ${(median(stubSamples['fetch + own timeout signal']) - median(stubSamples['bare fetch'])).toFixed(1)} µs`)
if (python !== undefined) {
  console.log(`\nPython monascaclient (sequential)  ${python.toFixed(1).padStart(8)} µs   ratio Python / SDK ${(python / results[1].SDK).toFixed(2)}`)
} else {
  console.log('\nPython monascaclient: not installed (apt-get install python3-monascaclient)')
}

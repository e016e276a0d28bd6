// The writer in Deno, Bun and Node, from the built ESM entry: retries after a 429, an unknown
// outcome after a timeout, a refused connection told apart from it. Prints one JSON line.
import { createClient } from '../../dist/index.js'

const [endpoint, closedEndpoint] = typeof Deno !== 'undefined' ? Deno.args : process.argv.slice(2)
const runtime = typeof Deno !== 'undefined' ? 'deno' : typeof Bun !== 'undefined' ? 'bun' : 'node'
const metric = (i) => ({ name: 'runtime.metric', dimensions: { runtime, i: String(i) }, timestamp: Date.now(), value: i })

async function run(base, options, count) {
  const risks = []
  const drops = []
  const client = createClient({ endpoint: base, token: `writer-token-${runtime}` })
  const writer = client.metrics.writer({
    batchSize: 3, flushInterval: 10, baseDelay: 10, ...options,
    onDuplicateRisk: (m) => risks.push(m.length),
    onDrop: (m, d) => drops.push([m.length, d.reason]),
  })
  for (let i = 0; i < count; i++) writer.add(metric(i))
  const result = await writer.close({ deadline: 10_000 })
  return { acked: result.acked, unsent: result.unsent.length, drops, risks, requests: writer.stats().requests }
}

const report = {
  runtime,
  // The server answers the first POST with 429 (Retry-After: 0), then 204.
  retried: await run(endpoint, {}, 7),
  // The server never answers /hang: a timeout is an unknown outcome, dropped as unconfirmed.
  timedOut: await run(endpoint.replace('/v2.0', '/hang/v2.0'), { timeout: 300 }, 1),
  // Nothing listens: refused, so nothing was sent; retried, then given up without a duplicate risk.
  refused: await run(closedEndpoint, { maxRetries: 1 }, 1),
}
console.log(JSON.stringify(report))

// A cold client (password, endpoint from the catalog) and 100 concurrent first calls: how many token
// requests reach Keystone (one is right) and the time to the first and to the last response.
// Keystone answers after 20 ms, as a local one does. Medians of ROUNDS fresh clients.
//   npm run build && node bench/request-cold.mjs [rounds=7]
import { createClient } from '../dist/index.js'
import { machine, median, startServer } from './_util.mjs'

const rounds = Number(process.argv[2] ?? 7)
const server = await startServer('20')
const tokenRequests = async () => (await (await fetch(`${server.origin}/stats`)).json()).tokenRequests
const first = []
const last = []
const tokens = []
for (let r = 0; r < rounds; r++) {
  const before = await tokenRequests()
  const client = createClient({ authUrl: `${server.origin}/v3`, username: 'bench', password: 'bench-secret', projectName: 'bench' })
  const start = performance.now()
  let firstAt
  await Promise.all(
    Array.from({ length: 100 }, () =>
      client.metrics.listNames({ limit: 20 }).then(() => {
        firstAt ??= performance.now() - start
      }),
    ),
  )
  last.push(performance.now() - start)
  first.push(firstAt)
  tokens.push((await tokenRequests()) - before)
}
server.stop()
console.log(`machine: ${machine()}`)
console.log(`100 concurrent first calls on a cold password client, ${rounds} rounds (Keystone answers after 20 ms)`)
console.log(`  token requests per cold client: ${[...new Set(tokens)].join(', ')} (target 1)`)
console.log(`  time to first response: median ${median(first).toFixed(1)} ms`)
console.log(`  time to all 100:        median ${median(last).toFixed(1)} ms`)

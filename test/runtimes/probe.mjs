// Runs in Deno, Bun and Node against the built ESM entry; prints one JSON line of what it saw.
import { createClient, isMonascaError, VERSION } from '../../dist/index.js'

const endpoint = typeof Deno !== 'undefined' ? Deno.args[0] : process.argv[2]
const runtime = typeof Deno !== 'undefined' ? 'deno' : typeof Bun !== 'undefined' ? 'bun' : 'node'
const client = createClient({ endpoint, token: `token-from-${runtime}` })

const types = await client.notificationTypes.list()
const names = []
for await (const { name } of client.metrics.listNames({ limit: 2 })) names.push(name)
let error
try {
  await client.alarms.get('missing')
} catch (e) {
  error = { name: e.name, status: e.status, title: e.title, branded: isMonascaError(e) }
}
let validation
try {
  await client.metrics.create({ name: 'bad name', value: 1 })
} catch (e) {
  validation = { name: e.name, field: e.field }
}
console.log(JSON.stringify({ runtime, VERSION, types, names, error, validation }))

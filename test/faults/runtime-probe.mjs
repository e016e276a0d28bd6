// The timeout and truncated-body faults against the built ESM entry, in Node, Deno, Bun or Chromium.
// `probe(origin)` resolves to a plain report; run as a script it prints that report as one JSON line.
import * as sdk from '../../dist/index.js'

const TOKEN = 'probe-token-Secret-42'

export async function probe(origin) {
  const client = sdk.createClient({ endpoint: `${origin}/v2.0`, token: TOKEN, retries: 0, timeout: 300 })
  const outcome = async (fault) => {
    const started = Date.now()
    try {
      return { resolved: await client.alarms.get(fault) }
    } catch (e) {
      const shown = `${e.message}\n${e.stack}\n${JSON.stringify(e)}`
      return { name: e.name, status: e.status ?? null, branded: sdk.isMonascaError(e), leaks: shown.includes(TOKEN), withinTimeout: Date.now() - started < 3000 }
    }
  }
  return {
    never: await outcome('never'),
    slowHeaders: await outcome('slow-headers'),
    truncated: await outcome('truncated'),
    text: await outcome('text'),
  }
}

const runtime = typeof Deno !== 'undefined' ? 'deno' : typeof Bun !== 'undefined' ? 'bun' : typeof process !== 'undefined' ? 'node' : 'browser'
const origin = runtime === 'deno' ? Deno.args[0] : runtime === 'browser' ? undefined : process.argv[2]
if (origin) console.log(JSON.stringify({ runtime, ...(await probe(origin)) }))

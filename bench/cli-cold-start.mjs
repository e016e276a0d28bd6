#!/usr/bin/env node
// Cold start of `monasca metric-list`: ours (node dist/bin/monasca.js) against Debian's Python CLI
// (/usr/bin/monasca, python3-monascaclient), both talking to the same local server that answers
// GET /v2.0/metrics with a two-metric page. Every run is a fresh process, runs are interleaved
// (baseline, ours, python, rotating the order) so machine load hits all alike, and the medians are
// reported with the ratio ours/python (target ≤ 0.12, issue #8) and each against `node -e ''`, the
// cost of starting Node at all, measured in the same run. "ours, undici" is the same bin with
// MONASCA_CLI_UNDICI=1, i.e. Node's own Headers/Response globals (which load undici), to show what the
// CLI's stand-ins (src/cli/web-globals.ts) save.
//
//   node bench/cli-cold-start.mjs [--runs 15] [--warmup 2] [--compare other/dist/bin/monasca.js]   (npm run bench)
// --compare adds another build of the bin (e.g. main's) as a subject of the same run.
//
// Not a test: wall time depends on the machine. Needs `npx vite build` (dist/bin/monasca.js).
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, warmup: { type: 'string', default: '2' }, compare: { type: 'string' } } })
const RUNS = Number(values.runs)
const WARMUP = Number(values.warmup)
const OURS = fileURLToPath(new URL('../dist/bin/monasca.js', import.meta.url))
const PYTHON = '/usr/bin/monasca'

for (const [path, hint] of [[OURS, 'run npx vite build'], [PYTHON, 'apt-get install python3-monascaclient']]) {
  if (!existsSync(path)) {
    console.error(`${path} is missing: ${hint}`)
    process.exit(1)
  }
}

const page = JSON.stringify({
  links: [{ rel: 'self', href: 'http://127.0.0.1/v2.0/metrics' }],
  elements: [
    { id: '0', name: 'cpu.idle_perc', dimensions: { hostname: 'devstack', service: 'monitoring' } },
    { id: '1', name: 'http_status', dimensions: { hostname: 'devstack', url: 'http://localhost:8774/v2.0' } },
  ],
})
const server = createServer((req, res) => {
  const ok = req.method === 'GET' && req.url?.startsWith('/v2.0/metrics')
  res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' })
  res.end(ok ? page : JSON.stringify({ title: 'Not Found', description: req.url }))
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const endpoint = `http://127.0.0.1:${server.address().port}/v2.0`

const home = mkdtempSync(join(tmpdir(), 'cli-cold-start-'))
const env = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, XDG_CACHE_HOME: join(home, '.cache'), LANG: 'C.UTF-8', PYTHONWARNINGS: 'ignore' }
const cliArgs = ['--os-auth-type', 'admin_token', '--os-token', 'bench-token', '--os-endpoint', endpoint, 'metric-list']

const subjects = {
  "node -e ''": [process.execPath, ['-e', '']],
  ours: [process.execPath, [OURS, ...cliArgs]],
  'ours, undici': [process.execPath, [OURS, ...cliArgs], { MONASCA_CLI_UNDICI: '1' }],
  python: [PYTHON, cliArgs],
  ...(values.compare ? { compare: [process.execPath, [values.compare, ...cliArgs]] } : {}),
}

/** Wall time of one process from spawn to exit, in ms; fails loudly if a CLI did not print its table. */
function time(name) {
  const [command, args, extraEnv] = subjects[name]
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = performance.now() - started
      if (code !== 0 || (name !== "node -e ''" && !out.includes('cpu.idle_perc'))) reject(new Error(`${name} failed (exit ${code}): ${out.slice(0, 400)}`))
      else resolve(ms)
    })
  })
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const names = Object.keys(subjects)
const samples = Object.fromEntries(names.map((n) => [n, []]))
try {
  for (let i = 0; i < WARMUP + RUNS; i++) {
    // Rotate the order so no subject always runs right after another.
    const order = names.map((_, k) => names[(i + k) % names.length])
    for (const name of order) {
      // Requests are answered by this process, so runs are awaited one at a time.
      const ms = await time(name)
      if (i >= WARMUP) samples[name].push(ms)
    }
  }
} finally {
  server.close()
  rmSync(home, { recursive: true, force: true })
}

const med = Object.fromEntries(names.map((n) => [n, median(samples[n])]))
const base = med["node -e ''"]
const fmt = (ms) => `${ms.toFixed(0).padStart(6)} ms`
console.log(`cold start of \`monasca metric-list\` against a local server: median of ${RUNS} interleaved runs after ${WARMUP} warm-up`)
console.log(`  node -e ''        ${fmt(base)}   (baseline: starting Node)`)
console.log(`  ours              ${fmt(med.ours)}   ${(med.ours / base).toFixed(2)}× baseline`)
console.log(`  ours, undici      ${fmt(med['ours, undici'])}   ${(med['ours, undici'] / base).toFixed(2)}× baseline (Node's web globals; ours saves ${(med['ours, undici'] - med.ours).toFixed(0)} ms)`)
if (values.compare) console.log(`  compare           ${fmt(med.compare)}   ${(med.compare / base).toFixed(2)}× baseline, ${(med.compare / med.python).toFixed(3)} of python (${values.compare})`)
console.log(`  python (Debian)   ${fmt(med.python)}   ${(med.python / base).toFixed(2)}× baseline`)
const ratio = med.ours / med.python
// Load from other jobs drifts during a run; the ratio within each round (ours and python run back to back) drifts less.
const roundRatio = median(samples.ours.map((ms, i) => ms / samples.python[i]))
console.log(`  ours / python     ${ratio.toFixed(3)}       target ≤ 0.12: ${ratio <= 0.12 ? 'met' : 'NOT met'}`)
console.log(`  per-round ours / python, median   ${roundRatio.toFixed(3)}`)
console.log(`  (ours − baseline) / (python − baseline)  ${((med.ours - base) / (med.python - base)).toFixed(3)}   (the CLIs' own work, Node's and Python's start left out)`)
console.log(`  ours − baseline   ${fmt(med.ours - base)}   (what the CLI itself costs beyond starting Node)`)

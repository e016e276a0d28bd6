/**
 * The `--tour` of monasca-emulator (Node only): once the server listens, show the SDK and our CLI
 * working against it over HTTP, through the emulator's Keystone, as a newcomer would use them.
 * A failing step is reported and the tour goes on; the server keeps serving either way.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { type Client, createClient } from '../index.js'

export interface TourOptions {
  /** The served root, e.g. `http://127.0.0.1:8070` (Keystone at /v3, Monasca at /v2.0). */
  root: string
  /** Path of our built CLI, `dist/bin/monasca.js`. */
  cliPath: string
  /** Where the tour's lines go (default: stdout). */
  write?: (text: string) => void
  /** Milliseconds per SDK request and per CLI run (default 30 000). */
  timeoutMs?: number
  /** Aborting stops the tour: a CLI child still running is killed (the server is stopping). */
  signal?: AbortSignal
}

export interface TourResult {
  /** Steps that failed, by name (empty when everything worked). */
  failures: string[]
}

/** The line that ends the tour: tests and scripts wait for it. */
export const TOUR_DONE = 'Tour finished:'

const DEMO = { username: 'demo', password: 'demo-secret', projectName: 'demo' } as const
/** The demo series the tour looks at: web-02 is overloaded right now. */
const SERIES = { name: 'cpu.user_perc', dimensions: { hostname: 'web-02' } } as const
/** alarm-list columns that fit an 80-100 column terminal (the full table has twelve). */
const ALARM_COLUMNS = ['alarm_definition_name', 'metric_name', 'metric_dimensions', 'severity', 'state']
const WIDTH = 96

export async function runTour(options: TourOptions): Promise<TourResult> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text))
  const timeoutMs = options.timeoutMs ?? 30_000
  const failures: string[] = []
  const print = (...lines: string[]) => write(`${lines.join('\n')}\n`)

  print('', "── The SDK: createClient({ authUrl, username: 'demo', password, projectName: 'demo' })", label('authUrl (Keystone)', `${options.root}/v3`))
  try {
    print(...(await sdkLines(createClient({ authUrl: `${options.root}/v3`, ...DEMO, timeout: timeoutMs }))))
  } catch (error) {
    failures.push('SDK session')
    print(`  ✗ the SDK session failed: ${describe(error)}`)
  }

  const cliArgs = ['--os-auth-url', `${options.root}/v3`, '--os-username', DEMO.username, '--os-password', DEMO.password, '--os-project-name', DEMO.projectName, '--no-cache']
  print('', `── Our CLI: node ${options.cliPath} --os-auth-url ${options.root}/v3 \\`, `     --os-username demo --os-password ${DEMO.password} --os-project-name demo --no-cache …`)
  const commands: Array<{ args: string[]; note?: string; shape?: (out: string) => string }> = [
    {
      args: ['alarm-list', '--state', 'ALARM'],
      note: `(${ALARM_COLUMNS.length} of its 12 columns, to fit)`,
      shape: (out) => pickColumns(out, ALARM_COLUMNS),
    },
    { args: ['metric-statistics', SERIES.name, 'avg', '-180', '--dimensions', 'hostname=web-02', '--period', '300', '--chart'] },
  ]
  if (!existsSync(options.cliPath)) {
    failures.push('CLI')
    print(`  ✗ our CLI is not built (${options.cliPath} is missing): run npm run build`)
  } else {
    for (const command of commands) {
      print('', `$ monasca ${command.args.join(' ')}${command.note ? `   ${command.note}` : ''}`)
      if (options.signal?.aborted) break
      const run = await runNode(options.cliPath, [...cliArgs, ...command.args], timeoutMs, options.signal)
      if (run.code === 0) {
        print((command.shape ? command.shape(run.stdout) : run.stdout).trimEnd())
      } else {
        failures.push(`monasca ${command.args[0]}`)
        const why = run.stderr.trim() || run.stdout.trim() || 'no output'
        print(`  ✗ monasca ${command.args[0]} ${run.code === null ? `was stopped (${run.signal ?? 'timeout'})` : `exited ${run.code}`}: ${why.split('\n').slice(-3).join(' / ')}`)
      }
    }
  }
  print('', `${TOUR_DONE} ${failures.length === 0 ? 'the SDK and the CLI work against this emulator.' : `${failures.length} step(s) failed (${failures.join(', ')}; see ✗ above). The server keeps running.`}`)
  return { failures }
}

/** A few meaningful reads, one labelled line each. */
const label = (name: string, value: string) => `  ${name.padEnd(LABEL)} ${value}`
const LABEL = 28

async function sdkLines(client: Client): Promise<string[]> {
  const lines = [label('endpoint (from the catalog)', await client.endpoint())]

  const count = await client.alarms.count({ group_by: 'state' })
  const state = count.columns.indexOf('state')
  const total = count.columns.indexOf('count')
  lines.push(label('alarms by state', count.counts.map((row) => `${row[state]} ${row[total]}`).join(', ') || 'none'))

  const names = (await client.metrics.listNames()).map((m) => m.name)
  lines.push(...wrap(label(`metric names (${names.length})`, names.join(', ')), LABEL + 3))

  const now = Date.now()
  const [measured] = await client.metrics.listMeasurements({ ...SERIES, start_time: new Date(now - 5 * 60_000) })
  const latest = (measured?.measurements ?? []).slice(-5).map(([t, v]) => `${t.slice(11, 16)} ${v}`)
  lines.push(label(`web-02 ${SERIES.name} now`, latest.join('  ') || 'no measurements in the last 5 minutes'))

  const [stats] = await client.metrics.listStatistics({ ...SERIES, statistics: ['avg', 'min', 'max', 'count'], start_time: new Date(now - 24 * 3600_000), period: 86_400 })
  const rows = stats?.statistics ?? []
  if (rows.length === 0) {
    lines.push(label(`web-02 ${SERIES.name}, 24 h`, 'no statistics'))
  } else {
    const column = (name: string) => rows.map((row) => Number(row[stats!.columns.indexOf(name)]))
    const counts = column('count')
    const n = counts.reduce((a, b) => a + b, 0)
    const avg = column('avg').reduce((sum, v, i) => sum + v * counts[i]!, 0) / n
    lines.push(label(`web-02 ${SERIES.name}, 24 h`, `avg ${avg.toFixed(2)}  min ${Math.min(...column('min'))}  max ${Math.max(...column('max'))}  (${n} measurements)`))
  }
  return lines
}

/** Keep some columns of a +---+ table, found by header name; other text comes back unchanged. */
export function pickColumns(table: string, keep: readonly string[]): string {
  const lines = table.replace(/\n+$/, '').split('\n')
  const border = lines[0] ?? ''
  if (!/^\+[-+]+\+$/.test(border) || lines.length < 2) return table
  const cuts = [...border].flatMap((ch, i) => (ch === '+' ? [i] : []))
  const header = lines[1]!
  const wanted = cuts.slice(0, -1).flatMap((start, i) => (keep.includes(header.slice(start + 1, cuts[i + 1]).trim()) ? [i] : []))
  if (wanted.length === 0) return table
  return `${lines
    .map((line) => {
      const sep = line.startsWith('+') ? '+' : '|'
      return sep + wanted.map((i) => line.slice(cuts[i]! + 1, cuts[i + 1]) + sep).join('')
    })
    .join('\n')}\n`
}

function wrap(line: string, indent: number): string[] {
  const out: string[] = []
  let current = ''
  for (const word of line.split(/(?<=, )/)) {
    if (current && current.length + word.trimEnd().length > WIDTH) {
      out.push(current.trimEnd())
      current = ' '.repeat(indent)
    }
    current += word
  }
  return [...out, current.trimEnd()]
}

interface NodeRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Run a Node script as a child without blocking this process (it serves the requests the child makes). */
function runNode(script: string, args: string[], timeoutMs: number, signal?: AbortSignal): Promise<NodeRun> {
  // The user's OS_* / MONASCA_* settings would point the CLI elsewhere: the tour speaks to this emulator only.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(OS_|MONASCA_)/.test(key)))
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs)
    // Never outlive the server: killed as soon as the tour is stopped.
    const stop = () => child.kill('SIGTERM')
    signal?.addEventListener('abort', stop, { once: true })
    child.once('error', (error) => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', stop)
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}${error.message}` })
    })
    child.once('close', (code, killedBy) => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', stop)
      resolve({ code, signal: killedBy, stdout, stderr })
    })
  })
}

/** An error's class and message (SDK errors carry no secrets in their messages). */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

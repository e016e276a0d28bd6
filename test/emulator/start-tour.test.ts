/**
 * `npm start` = monasca-emulator --demo --tour: the tour's SDK lines and CLI tables must say what the
 * SDK reads from the same server. Builds nothing: the suite runs after `npm run build`.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Client, createClient } from '../../src/index.js'

const BIN = 'dist/bin/monasca-emulator.js'
const CLI = 'dist/bin/monasca.js'
const built = existsSync(BIN) && existsSync(CLI)

describe('the built bins', () => {
  it('are there (npm run build makes them)', () => {
    expect(existsSync(BIN), `${BIN} is missing: run npm run build first`).toBe(true)
    expect(existsSync(CLI), `${CLI} is missing: run npm run build first (the tour runs it)`).toBe(true)
  })
})

describe.runIf(built)('monasca-emulator --tour (what npm start runs)', () => {
  let child: ChildProcess
  let out = ''
  let root = ''
  let sdk: Client

  beforeAll(async () => {
    child = spawn(process.execPath, [BIN, '--tour', '--port', '0', '--tick-seconds', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes('Press Ctrl+C')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`the bin exited ${code} before the tour ended:\n${out}\n${err}`)))
    })
    root = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!
    sdk = createClient({ authUrl: `${root}/v3`, username: 'demo', password: 'demo-secret', projectName: 'demo' })
  }, 60_000)

  afterAll(async () => {
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      process.kill(child.pid, 'SIGTERM')
      await exited
    }
  })

  /** The value after a tour label, e.g. `  alarms by state   ALARM 3, OK 14`. */
  const field = (label: string) => {
    const line = out.split('\n').find((l) => l.startsWith(`  ${label}`))
    expect(line, `the tour prints "${label}"`).toBeDefined()
    return line!.slice(2 + label.length).trim()
  }

  /** The table printed after the `$ monasca <command>` line, as rows of trimmed cells (continuation lines dropped). */
  const cliTable = (command: string) => {
    const lines = out.split('\n')
    const start = lines.findIndex((l) => l.startsWith(`$ monasca ${command}`))
    expect(start, `the tour runs monasca ${command}`).toBeGreaterThan(-1)
    const table: string[] = []
    for (const line of lines.slice(start + 1)) {
      if (!/^[+|]/.test(line)) break
      table.push(line)
    }
    const cells = table.filter((l) => l.startsWith('|')).map((l) => l.slice(1, -1).split('|').map((c) => c.trim()))
    const [header, ...rows] = cells
    return { header: header!, rows: rows.filter((r) => r[0] !== '') }
  }

  it('ends with the success marker, then how to connect', () => {
    expect(out).toContain('Tour finished: the SDK and the CLI work against this emulator.')
    expect(out).not.toContain('✗')
    expect(out.indexOf('Tour finished')).toBeLessThan(out.indexOf('TypeScript SDK:'))
    expect(out).toContain(`node dist/bin/monasca.js --os-auth-url ${root}/v3`)
  })

  it('shows the endpoint the Keystone catalog gives the SDK', async () => {
    expect(field('authUrl (Keystone)')).toBe(`${root}/v3`)
    expect(field('endpoint (from the catalog)')).toBe(await sdk.endpoint())
    expect(await sdk.endpoint()).toBe(`${root}/v2.0`)
  })

  it('prints the alarm counts per state that the server reports', async () => {
    const count = await sdk.alarms.count({ group_by: 'state' })
    const expected = Object.fromEntries(count.counts.map((row) => [row[count.columns.indexOf('state')], Number(row[count.columns.indexOf('count')])]))
    const printed = Object.fromEntries(field('alarms by state').split(', ').map((pair) => [pair.split(' ')[0], Number(pair.split(' ')[1])]))
    expect(printed).toEqual(expected)
    expect(Object.keys(printed).sort()).toEqual(['ALARM', 'OK', 'UNDETERMINED'])
  })

  it('prints every metric name', async () => {
    const lines = out.split('\n')
    const first = lines.findIndex((l) => l.startsWith('  metric names ('))
    const continued = lines.slice(first + 1)
    const end = continued.findIndex((l) => !/^ {20,}\S/.test(l))
    const text = [lines[first]!.replace(/^ {2}metric names \(\d+\)/, ''), ...continued.slice(0, end)].join(' ')
    const names = (await sdk.metrics.listNames()).map((m) => m.name)
    expect(text.split(',').map((n) => n.trim())).toEqual(names)
    expect(lines[first]).toContain(`(${names.length})`)
  })

  it("prints web-02's latest measurements and a 24 h summary the server agrees with", async () => {
    const latest = field('web-02 cpu.user_perc now').split(/\s{2,}/)
    expect(latest.length).toBeGreaterThan(0)
    const [series] = await sdk.metrics.listMeasurements({ name: 'cpu.user_perc', dimensions: { hostname: 'web-02' }, start_time: new Date(Date.now() - 15 * 60_000) })
    const values = new Map(series!.measurements.map(([t, v]) => [t.slice(11, 16), v]))
    for (const pair of latest) {
      const [time, value] = pair.split(' ')
      expect(values.get(time!), `measurement at ${time}`).toBe(Number(value))
    }
    const summary = /avg ([\d.]+)\s+min ([\d.]+)\s+max ([\d.]+)\s+\((\d+) measurements\)/.exec(field('web-02 cpu.user_perc, 24 h'))
    expect(summary).not.toBeNull()
    const [stats] = await sdk.metrics.listStatistics({ name: 'cpu.user_perc', dimensions: { hostname: 'web-02' }, statistics: ['max'], start_time: new Date(Date.now() - 24 * 3600_000), period: 86_400 })
    // The incident of the last 40 minutes holds the maximum, whatever the exact window edge.
    expect(Number(summary![3])).toBe(Math.max(...stats!.statistics.map((row) => Number(row[1]))))
    expect(Number(summary![2])).toBeLessThanOrEqual(Number(summary![1]))
  })

  it("prints the CLI's alarm-list: one row per alarm in ALARM, as the SDK lists them", async () => {
    const { header, rows } = cliTable('alarm-list --state ALARM')
    expect(header).toEqual(['alarm_definition_name', 'metric_name', 'metric_dimensions', 'severity', 'state'])
    const alarms = await sdk.alarms.list({ state: 'ALARM' })
    expect(rows).toHaveLength(alarms.length)
    expect(rows.map((r) => r[4])).toEqual(alarms.map(() => 'ALARM'))
    expect(rows.map((r) => r[0]).sort()).toEqual(alarms.map((a) => a.alarm_definition.name).sort())
    expect(Number(field('alarms by state').match(/ALARM (\d+)/)![1])).toBe(rows.length)
  })

  it("prints the CLI's chart of web-02's CPU", () => {
    const lines = out.split('\n')
    const start = lines.findIndex((l) => l.startsWith('$ monasca metric-statistics cpu.user_perc'))
    expect(start).toBeGreaterThan(-1)
    expect(lines[start + 1]).toMatch(/^cpu\.user_perc {2}\{hostname: web-02, service: web\} {2}avg$/)
    expect(lines.slice(start + 2, start + 8).join('\n')).toMatch(/min [\d.]+ {2}max [\d.]+ {2}last [\d.]+ {2}\d+ points/)
  })

  it('stops on SIGTERM sent to its pid, with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    process.kill(child.pid!, 'SIGTERM')
    expect(await exited).toBe(0)
  })
})

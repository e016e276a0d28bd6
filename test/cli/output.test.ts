/** What the commands print, against the emulator (tables, -j, --all, --chart) and scripted errors. */
import { beforeEach, describe, expect, it } from 'vitest'
import { createEmulator, type Emulator } from '../../src/emulator/index.js'
import { captureFetch, json } from '../helpers/capture.js'
import { runCli } from './run.js'

const NOW = Date.UTC(2024, 0, 2, 3, 0, 0)
let emulator: Emulator
const run = (argv: string[], extra: Parameters<typeof runCli>[1] = {}) => runCli(argv, { fetch: emulator.fetch, now: NOW, ...extra })

beforeEach(() => {
  emulator = createEmulator({ tokens: { t: { projectId: 'p1' } }, clock: () => NOW })
  emulator.addMetrics('p1', [
    { name: 'cpu', dimensions: { hostname: 'h1', service: 'web' }, timestamp: NOW - 120_000, value: 1.5, value_meta: { note: 'x' } },
    { name: 'cpu', dimensions: { hostname: 'h1', service: 'web' }, timestamp: NOW - 60_000, value: 30 },
    { name: 'disk', dimensions: { hostname: 'h1' }, timestamp: NOW - 60_000, value: 7 },
    { name: 'load', dimensions: { hostname: 'h2' }, timestamp: NOW - 60_000, value: 2 },
    { name: 'mem', dimensions: { hostname: 'h2' }, timestamp: NOW - 60_000, value: 3 },
    { name: 'net', dimensions: { hostname: 'h3' }, timestamp: NOW - 60_000, value: 4 },
  ])
})

describe('tables', () => {
  it('metric-list: name | dimensions with one k: v line per dimension', async () => {
    const out = await run(['metric-list', '--name', 'cpu'])
    expect(out.code).toBe(0)
    expect(out.stdout).toBe(
      [
        '+------+--------------+',
        '| name | dimensions   |',
        '+------+--------------+',
        '| cpu  | hostname: h1 |',
        '|      | service: web |',
        '+------+--------------+',
        '',
      ].join('\n'),
    )
  })

  it('measurement-list: timestamps, values as {:12.3f}, value_meta as k: v', async () => {
    const out = await run(['measurement-list', 'cpu', '-10'])
    const lines = out.stdout.split('\n')
    expect(lines[1]).toMatch(/^\| name \| dimensions +\| timestamp +\| value +\| value_meta \|$/)
    expect(lines[3]).toContain('|        1.500 | note: x    |')
    expect(lines[4]).toContain('|       30.000 |            |')
    expect(lines[3]).toContain('2024-01-02T02:58:00')
  })

  it('metric-statistics: columns taken from the first series', async () => {
    const out = await run(['metric-statistics', 'cpu', 'avg,max', '-10', '--period', '600'])
    expect(out.stdout.split('\n')[1]).toMatch(/^\| name \| dimensions +\| timestamp +\| avg +\| max +\|$/)
    expect(out.stdout).toContain('|       15.750 |       30.000 |')
  })

  it('an empty list prints one empty line, like the Python client', async () => {
    const out = await run(['metric-list', '--name', 'nothing'])
    expect(out).toMatchObject({ code: 0, stdout: '\n', stderr: '' })
  })

  it('alarm definitions: create prints the response as ASCII JSON, list shows match_by one key per line', async () => {
    const created = await run(['alarm-definition-create', 'höhe', 'avg(cpu) > 10', '--match-by', 'hostname,service'])
    expect(created.code).toBe(0)
    expect(created.stdout).toContain('"name": "h\\u00f6he"')
    const id = JSON.parse(created.stdout).id as string
    const list = await run(['alarm-definition-list'])
    expect(list.stdout).toMatch(/\| höhe +\| [0-9a-f-]+ \| avg\(cpu\) > 10 \| hostname +\| True +\|\n\| +\| +\| +\| service +\| +\|/)
    expect(list.stdout).not.toContain("b'")
    const show = await run(['alarm-definition-show', id])
    expect(show.stdout).toMatch(/\| name +\| "höhe" +\|/)
    expect(show.stdout).toMatch(/\| match_by +\| \[ +\|\n\| +\| +"hostname", +\|/)
  })

  it('notification-show: JSON-quoted fields, links as k:v', async () => {
    const created = await run(['notification-create', 'ops', 'EMAIL', 'ops@example.com'])
    const id = JSON.parse(created.stdout).id as string
    const show = await run(['notification-show', id])
    expect(show.stdout).toMatch(/\| address +\| "ops@example.com" +\|/)
    expect(show.stdout).toMatch(/\| links +\| href:http:\/\/monasca\.test\/v2\.0\/notification-methods\/[0-9a-f-]+,rel:self \|/)
  })

  it('-j prints the elements as indented JSON, non-ASCII kept', async () => {
    const out = await run(['metric-list', '--name', 'cpu', '-j'])
    const parsed = JSON.parse(out.stdout)
    expect(parsed).toHaveLength(1)
    expect(parsed[0]).toMatchObject({ name: 'cpu', dimensions: { hostname: 'h1', service: 'web' } })
    expect(out.stdout).toBe(JSON.stringify(parsed, null, 2) + '\n')
  })
})

describe('--all', () => {
  it('follows every page and prints a table per --limit rows', async () => {
    const out = await run(['metric-name-list', '--limit', '2', '--all'])
    expect(out.code).toBe(0)
    const names = [...out.stdout.matchAll(/^\| (\w+) +\|$/gm)].map((m) => m[1]).filter((n) => n !== 'Name')
    expect(names).toEqual(['cpu', 'disk', 'load', 'mem', 'net'])
    expect(out.stdout.match(/\| Name +\|/g)).toHaveLength(3)
    const pages = emulator.requests.filter((r) => r.url.includes('/metrics/names'))
    expect(pages.length).toBeGreaterThanOrEqual(3)
  })

  it('with -j streams one JSON array of every element', async () => {
    const out = await run(['metric-list', '--limit', '2', '--all', '-j'])
    const parsed = JSON.parse(out.stdout) as Array<{ name: string }>
    expect(parsed.map((m) => m.name).sort()).toEqual(['cpu', 'disk', 'load', 'mem', 'net'])
    expect(out.stdout).toBe(JSON.stringify(parsed, null, 2) + '\n')
  })

  it('draws progress on stderr only when it is a terminal', async () => {
    const quiet = await run(['metric-list', '--limit', '1', '--all'])
    expect(quiet.stderr).toBe('')
    const tty = await run(['metric-list', '--limit', '1', '--all'], { stderrIsTTY: true })
    expect(tty.stderr).toContain('monasca: 1 fetched')
    expect(tty.stderr.endsWith('\r\x1b[2K')).toBe(true)
  })

  it('an empty result prints [] with -j', async () => {
    const out = await run(['metric-list', '--name', 'none', '--all', '-j'])
    expect(out.stdout).toBe('[]\n')
  })
})

describe('--chart', () => {
  it('draws each series with min, max, last and the time range', async () => {
    const out = await run(['measurement-list', 'cpu', '-10', '--chart'], { columns: 40 })
    const lines = out.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe('cpu  {hostname: h1, service: web}')
    expect(lines.slice(1, 5).join('')).toMatch(/[▁▂▃▄▅▆▇█]/)
    expect(lines[5]).toMatch(/min 1\.5 +max 30 +last 30 +2 points +2024-01-02T02:58:00(\.000)?Z → 2024-01-02T02:59:00(\.000)?Z/)
  })

  it('draws one chart per statistic', async () => {
    const out = await run(['metric-statistics', 'cpu', 'avg,max', '-10', '--period', '60', '--chart'])
    expect(out.stdout).toContain('cpu  {hostname: h1, service: web}  avg')
    expect(out.stdout).toContain('cpu  {hostname: h1, service: web}  max')
  })
})

describe('errors', () => {
  it('prints <Title> (HTTP nnn) (Request-ID: …) and the description on stderr, exit 1', async () => {
    const out = await run(['alarm-show', '0cd2bb3a-0000-4000-8000-000000000000'])
    expect(out.code).toBe(1)
    expect(out.stdout).toBe('')
    // The emulator answers as Monasca does: title "404 Not Found", no description; like the Python
    // client we then show the HTTP reason.
    expect(out.stderr).toMatch(/^Not Found \(HTTP 404\) \(Request-ID: (req-[0-9a-f-]+)\)\n  Request: GET \S+\/v2\.0\/alarms\/0cd2bb3a-0000-4000-8000-000000000000 \(request id \1\)\n$/)
    const { fetch } = captureFetch(() => json({ title: 'Not Found', description: 'no such alarm' }, 404, { 'x-openstack-request-id': 'req-1' }))
    const described = await runCli(['alarm-show', 'a'], { fetch })
    expect(described.stderr).toBe('Not Found (HTTP 404) (Request-ID: req-1)\nno such alarm\n  Request: GET http://monasca.test/v2.0/alarms/a (request id req-1)\n')
  })

  it('falls back to the HTTP reason without a title and leaves out a missing description', async () => {
    const { fetch } = captureFetch(() => new Response('boom', { status: 500, headers: { 'content-type': 'text/plain' } }))
    const out = await runCli(['metric-list'], { fetch })
    expect(out.code).toBe(1)
    expect(out.stderr).toMatch(/^Internal Server Error \(HTTP 500\)/)
    const { fetch: fetch2 } = captureFetch(() => json({ other: 1 }, 404))
    const out2 = await runCli(['notification-list'], { fetch: fetch2 })
    expect(out2.stderr).toBe('Not Found (HTTP 404)\n  Request: GET http://monasca.test/v2.0/notification-methods\n')
    expect(out2.stderr).not.toContain('None')
  })

  it('never shows the token in an error', async () => {
    const { fetch } = captureFetch(() => json({ title: 'Unauthorized', description: 'bad token' }, 401))
    const out = await runCli(['metric-list'], { fetch, token: 'secret-token-value' })
    expect(out.code).toBe(1)
    expect(out.stderr).toContain('Unauthorized (HTTP 401)\nbad token')
    expect(out.stderr).not.toContain('secret-token-value')
  })
})

/** The comparison itself: it must pass identical runs and report every difference it is not told to allow. */
import { describe, expect, it } from 'vitest'
import type { CliCase } from './cases.js'
import { compareCase, parseOutput, type Observed } from './compare.js'
import type { RecordedRequest } from './recording-server.js'

const T0 = Date.parse('2026-01-01T12:00:00Z')

function req(over: Partial<RecordedRequest> = {}): RecordedRequest {
  return { method: 'GET', path: '/v2.0/metrics', query: [], rawQuery: '', headers: { 'x-auth-token': '<redacted aaaa>' }, body: undefined, rawBody: '', ...over }
}

function side(cli: 'python' | 'ours', over: { requests?: RecordedRequest[]; stdout?: string; stderr?: string; code?: number; prefix?: string } = {}): Observed {
  return {
    result: { cli, code: over.code ?? 0, stdout: over.stdout ?? '', stderr: over.stderr ?? '', startedAt: T0, endedAt: T0 + 1500 },
    requests: over.requests ?? [req()],
    runPrefix: over.prefix ?? (cli === 'python' ? '/r/run1' : '/r/run2'),
  }
}

const TABLE_PY = `+------+--------------------+
| name | dimensions         |
+------+--------------------+
| cpu  | hostname: devstack |
|      | service: mon       |
| mem  | hostname: h2       |
+------+--------------------+
`
const TABLE_OURS_WIDER = `+------+----------------------+
| name | dimensions           |
+------+----------------------+
| cpu  | hostname: devstack   |
|      | service: mon         |
| mem  | hostname: h2         |
+------+----------------------+
`

const plain: CliCase = { name: 't', argv: ['metric-list'] }

describe('compareCase', () => {
  it('passes identical runs, and reports a layout difference when the cells are the same', () => {
    expect(compareCase(plain, side('python', { stdout: TABLE_PY }), side('ours', { stdout: TABLE_PY }))).toEqual([])
    expect(compareCase(plain, side('python', { stdout: TABLE_PY }), side('ours', { stdout: TABLE_OURS_WIDER }))).toEqual([
      'stdout layout (same cells) differs at line 1: python "+------+--------------------+" ours "+------+----------------------+"',
    ])
  })

  it('reports a different query value, a missing parameter and a different path', () => {
    const py = side('python', { requests: [req({ query: [['name', 'cpu'], ['limit', '5']] })] })
    expect(compareCase(plain, py, side('ours', { requests: [req({ query: [['name', 'cpu'], ['limit', '6']] })] }))).toHaveLength(1)
    expect(compareCase(plain, py, side('ours', { requests: [req({ query: [['name', 'cpu']] })] }))).toHaveLength(1)
    expect(compareCase(plain, py, side('ours', { requests: [req({ path: '/v2.0/metrics/', query: [['limit', '5'], ['name', 'cpu']] })] }))[0]).toMatch(/ours sent GET \/v2.0\/metrics\//)
  })

  it('treats the query as a multiset but keeps repeated keys', () => {
    const py = side('python', { requests: [req({ query: [['metric_name', 'a'], ['metric_name', 'b'], ['limit', '2']] })] })
    expect(compareCase(plain, py, side('ours', { requests: [req({ query: [['limit', '2'], ['metric_name', 'b'], ['metric_name', 'a']] })] }))).toEqual([])
    expect(compareCase(plain, py, side('ours', { requests: [req({ query: [['limit', '2'], ['metric_name', 'b']] })] }))).toHaveLength(1)
  })

  it("allows the state-history trailing slash only on that route", () => {
    const py = side('python', { requests: [req({ path: '/v2.0/alarms/state-history/' })] })
    expect(compareCase(plain, py, side('ours', { requests: [req({ path: '/v2.0/alarms/state-history' })] }))).toEqual([])
    const other = side('python', { requests: [req({ path: '/v2.0/alarms/' })] })
    expect(compareCase(plain, other, side('ours', { requests: [req({ path: '/v2.0/alarms' })] }))).toHaveLength(1)
  })

  it('compares Monasca bodies with key order, and checks Content-Type and the token', () => {
    const body = (b: unknown, ct = 'application/json', token = '<redacted aaaa>') => [req({ method: 'POST', body: b, headers: { 'content-type': ct, 'x-auth-token': token } })]
    const py = side('python', { requests: body({ name: 'a', value: 1 }) })
    expect(compareCase(plain, py, side('ours', { requests: body({ name: 'a', value: 1 }) }))).toEqual([])
    expect(compareCase(plain, py, side('ours', { requests: body({ value: 1, name: 'a' }) }))[0]).toMatch(/body/)
    expect(compareCase(plain, py, side('ours', { requests: body({ name: 'a', value: 1 }, 'text/plain') }))[0]).toMatch(/Content-Type/)
    expect(compareCase(plain, py, side('ours', { requests: body({ name: 'a', value: 1 }, 'application/json', '<redacted bbbb>') }))[0]).toMatch(/X-Auth-Token/)
  })

  it('normalises a relative start time inside the invocation window, not outside it', () => {
    const c: CliCase = { name: 't', argv: ['metric-list', '--starttime', '-60'] }
    const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z')
    const py = side('python', { requests: [req({ query: [['start_time', at(T0 - 3600_000)]] })] })
    expect(compareCase(c, py, side('ours', { requests: [req({ query: [['start_time', at(T0 + 1000 - 3600_000)]] })] }))).toEqual([])
    expect(compareCase(c, py, side('ours', { requests: [req({ query: [['start_time', at(T0 - 7200_000)]] })] }))).toHaveLength(1)
  })

  it('reports different table cells, columns, exit codes and stderr', () => {
    const changed = TABLE_PY.replace('service: mon  ', 'service: other')
    expect(compareCase(plain, side('python', { stdout: TABLE_PY }), side('ours', { stdout: changed }))[0]).toMatch(/row 1 column "dimensions"/)
    expect(compareCase(plain, side('python', { stdout: TABLE_PY }), side('ours', { stdout: TABLE_PY.replace('| name |', '| Name |') }))[0]).toMatch(/columns/)
    expect(compareCase(plain, side('python', { code: 0 }), side('ours', { code: 1 }))).toEqual(['exit code: python 0 ours 1'])
    expect(compareCase(plain, side('python', { code: 1, stderr: 'Not Found (HTTP 404) (Request-ID: req-1)\nno such' }), side('ours', { code: 1, stderr: 'Not Found (HTTP 404)\nno such\n' }))).toEqual([])
    expect(compareCase(plain, side('python', { code: 1, stderr: 'Not Found (HTTP 404)\nno such' }), side('ours', { code: 1, stderr: 'Not Found (HTTP 404)\nsomething else' }))).toHaveLength(1)
  })

  it('compares JSON output as printed (value, key order, spelling), with the run prefix of links replaced', () => {
    const printed = (run: string, v = '1.0') => `[\n  {\n    "id": "1",\n    "value": ${v},\n    "href": "http://h/r/${run}/v2.0/x"\n  }\n]\n`
    const py = side('python', { stdout: printed('run1') })
    expect(compareCase(plain, py, side('ours', { stdout: printed('run2') }))).toEqual([])
    expect(compareCase(plain, py, side('ours', { stdout: printed('run2', '1') }))).toHaveLength(1)
    expect(compareCase(plain, py, side('ours', { stdout: JSON.stringify([{ id: '1', value: 1.0, href: 'http://h/r/run2/v2.0/x' }]) }))).toHaveLength(1)
  })

  it('holds ours to the deviation it declares', () => {
    const c: CliCase = { name: 't', argv: ['alarm-list', '--state', 'X'], deviations: ['invalid-input'] }
    const py = side('python', { requests: [], stdout: 'Invalid state, not one of [UNDETERMINED, ALARM, OK]\n' })
    expect(compareCase(c, py, side('ours', { requests: [], code: 2, stderr: 'monasca alarm-list: error: Invalid state' }))).toEqual([])
    const sentAnyway = compareCase(c, py, side('ours', { code: 0, stdout: TABLE_PY }))
    expect(sentAnyway.join('\n')).toMatch(/non-zero exit/)
    expect(sentAnyway.join('\n')).toMatch(/no request/)
  })

  it("maps Python's b'...' cells for no-bytes and still compares the rest", () => {
    const c: CliCase = { name: 't', argv: ['alarm-definition-list'], deviations: ['no-bytes'] }
    const py = `+---+----------------------+\n| n | match_by             |\n+---+----------------------+\n| a | b'hostname\\nservice' |\n+---+----------------------+\n`
    const ours = `+---+----------+\n| n | match_by |\n+---+----------+\n| a | hostname |\n|   | service  |\n+---+----------+\n`
    expect(compareCase(c, side('python', { stdout: py }), side('ours', { stdout: ours }))).toEqual([])
    expect(compareCase(c, side('python', { stdout: py }), side('ours', { stdout: ours.replace('| a |', '| z |') }))).toHaveLength(1)
  })
})

describe('help-additions', () => {
  const help = (options: string) => `usage: monasca alarm-patch [-h] [-j] <ALARM_ID>\n\npositional arguments:\n  <ALARM_ID>            The ID of the alarm.\n\noptions:\n  -h, --help            show this help message and exit\n  -j, --json            output raw json response\n${options}`
  const PY = help('  --state <ALARM_STATE>\n                        ALARM_STATE is one of [UNDETERMINED, ALARM, OK].\n  --link <LINK>         URL\n')
  const c: CliCase = { name: 't', argv: ['alarm-patch', '--help'], deviations: ['help-additions'] }
  const run = (ours: string) => compareCase(c, side('python', { requests: [], stdout: PY }), side('ours', { requests: [], stdout: ours }))

  it('accepts the same options with extra notes and --all/--chart', () => {
    expect(run(`${PY}  --all                 every page\n\nUnlike the Python client, ...\n`)).toEqual([])
  })

  it('reports a missing option, a different metavar and an unknown extra option', () => {
    expect(run(help('  --link <LINK>         URL\n'))[0]).toMatch(/lacks \["--state <ALARM_STATE>"\]/)
    expect(run(help('  --state <STATE>\n  --link <LINK>         URL\n')).join()).toMatch(/lacks/)
    expect(run(`${PY}  --color               paint\n`)[0]).toMatch(/options Python has not/)
  })
})

describe('parseOutput', () => {
  it('groups continuation lines into logical rows and keeps text lines', () => {
    expect(parseOutput(`Invalid value x, must be asc or desc\n${TABLE_PY}`)).toEqual([
      { text: 'Invalid value x, must be asc or desc' },
      { header: ['name', 'dimensions'], rows: [['cpu', 'hostname: devstack\nservice: mon'], ['mem', 'hostname: h2']] },
    ])
  })

  it("slices cells by the border positions, so a '|' inside a cell stays in it", () => {
    const t = `+----------+\n| severity |\n+----------+\n| LOW|HIGH |\n+----------+\n`
    expect(parseOutput(t)).toEqual([{ header: ['severity'], rows: [['LOW|HIGH']] }])
  })
})

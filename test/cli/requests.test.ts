/**
 * Each command line sends the request the Python client sends: method, path, decoded query (as a
 * multiset: the SDK owns the order) and JSON body. Expectations were read off Debian's
 * python3-monascaclient 2.6.0 against a recording server, except the documented differences (a
 * metric-create-raw list, several severities joined with |, a body state sent upper-cased).
 */
import { describe, expect, it } from 'vitest'
import { captureFetch, json } from '../helpers/capture.js'
import { runCli } from './run.js'

interface Expected {
  method: string
  path: string
  query?: Array<[string, string]>
  body?: unknown
}

const sorted = (pairs: Array<[string, string]>) => [...pairs].sort(([a, x], [b, y]) => (a === b ? x.localeCompare(y) : a.localeCompare(b)))

const CASES: Array<[string[], Expected]> = [
  [['metric-list', '--name', 'cpu', '--dimensions', 'hostname=h1,service', '--limit', '5', '--offset', '3', '--starttime', '2024-01-01T00:00:00Z', '--endtime', '2024-01-02T00:00:00Z', '--tenant-id', 't1'],
    { method: 'GET', path: '/v2.0/metrics', query: [['name', 'cpu'], ['dimensions', 'hostname:h1,service'], ['limit', '5'], ['offset', '3'], ['start_time', '2024-01-01T00:00:00Z'], ['end_time', '2024-01-02T00:00:00Z'], ['tenant_id', 't1']] }],
  [['metric-list', '--starttime', '-90'], { method: 'GET', path: '/v2.0/metrics', query: [['start_time', '2024-01-02T01:34:05Z']] }],
  [['metric-list', '--dim', 'a=1', '--dimensions', 'b=2,c'], { method: 'GET', path: '/v2.0/metrics', query: [['dimensions', 'a:1,b:2,c']] }],
  [['metric-name-list', '--dimensions', 'a=1', '--limit', '2', '--tenant-id', 'p'], { method: 'GET', path: '/v2.0/metrics/names', query: [['dimensions', 'a:1'], ['limit', '2'], ['tenant_id', 'p']] }],
  [['dimension-name-list', '--metric-name', 'cpu', '--metric-name', 'mem', '--offset', 'x'], { method: 'GET', path: '/v2.0/metrics/dimensions/names', query: [['metric_name', 'cpu'], ['metric_name', 'mem'], ['offset', 'x']] }],
  [['dimension-value-list', 'hostname', '--metric-name', 'cpu'], { method: 'GET', path: '/v2.0/metrics/dimensions/names/values', query: [['dimension_name', 'hostname'], ['metric_name', 'cpu']] }],
  [['measurement-list', 'cpu', '2024-01-01T00:00:00Z', '--merge_metrics', '--group_by', '*', '--endtime', '2024-01-02T00:00:00Z', '--limit', '10'],
    { method: 'GET', path: '/v2.0/metrics/measurements', query: [['name', 'cpu'], ['start_time', '2024-01-01T00:00:00Z'], ['end_time', '2024-01-02T00:00:00Z'], ['limit', '10'], ['merge_metrics', 'True'], ['group_by', '*']] }],
  [['measurement-list', 'cpu', '-60', '--dimensions', 'hostname=h1'], { method: 'GET', path: '/v2.0/metrics/measurements', query: [['name', 'cpu'], ['dimensions', 'hostname:h1'], ['start_time', '2024-01-02T02:04:05Z']] }],
  [['metric-statistics', 'cpu', 'avg,MAX', '2024-01-01T00:00:00Z', '--period', '60', '--group_by', 'hostname', '--tenant-id', 't'],
    { method: 'GET', path: '/v2.0/metrics/statistics', query: [['name', 'cpu'], ['start_time', '2024-01-01T00:00:00Z'], ['period', '60'], ['statistics', 'avg,MAX'], ['group_by', 'hostname'], ['tenant_id', 't']] }],
  [['metric-create', 'cpu', '1.5', '--dimensions', 'a=b,c=d', '--value-meta', 'x=y', '--time', '1700000000000', '--project-id', 'p1'],
    { method: 'POST', path: '/v2.0/metrics', query: [['tenant_id', 'p1']], body: { name: 'cpu', dimensions: { a: 'b', c: 'd' }, timestamp: 1700000000000, value: 1.5, value_meta: { x: 'y' } } }],
  [['metric-create', 'cpu', '-3'], { method: 'POST', path: '/v2.0/metrics', body: { name: 'cpu', timestamp: Date.UTC(2024, 0, 2, 3, 4, 5, 678), value: -3 } }],
  [['metric-create-raw', '{"name":"m","value":1,"timestamp":1700000000000}'], { method: 'POST', path: '/v2.0/metrics', body: { name: 'm', value: 1, timestamp: 1700000000000 } }],
  [['metric-create-raw', '[{"name":"m","value":1,"timestamp":1},{"name":"n","value":2,"timestamp":2}]'],
    { method: 'POST', path: '/v2.0/metrics', body: [{ name: 'm', value: 1, timestamp: 1 }, { name: 'n', value: 2, timestamp: 2 }] }],
  [['notification-create', 'n1', 'EMAIL', 'a@b.c', '--period', '60'], { method: 'POST', path: '/v2.0/notification-methods', body: { name: 'n1', type: 'EMAIL', address: 'a@b.c', period: 60 } }],
  [['notification-create', 'n1', 'pagerduty', 'key'], { method: 'POST', path: '/v2.0/notification-methods', body: { name: 'n1', type: 'pagerduty', address: 'key' } }],
  [['notification-show', 'n-1'], { method: 'GET', path: '/v2.0/notification-methods/n-1' }],
  [['notification-list', '--sort-by', 'name desc,id', '--limit', '3'], { method: 'GET', path: '/v2.0/notification-methods', query: [['limit', '3'], ['sort_by', 'name desc,id']] }],
  [['notification-delete', 'n-1'], { method: 'DELETE', path: '/v2.0/notification-methods/n-1' }],
  [['notification-update', 'n-1', 'n', 'WEBHOOK', 'http://h', '0'], { method: 'PUT', path: '/v2.0/notification-methods/n-1', body: { name: 'n', type: 'WEBHOOK', address: 'http://h', period: 0 } }],
  [['notification-patch', 'n-1', '--period', '0'], { method: 'PATCH', path: '/v2.0/notification-methods/n-1', body: { period: 0 } }],
  [['notification-patch', 'n-1'], { method: 'PATCH', path: '/v2.0/notification-methods/n-1', body: {} }],
  [['notification-type-list'], { method: 'GET', path: '/v2.0/notification-methods/types' }],
  [['alarm-definition-create', 'ad1', 'avg(cpu) > 1', '--severity', 'low', '--match-by', 'hostname,service', '--alarm-actions', 'a1', '--alarm-actions', 'a2', '--description', 'd'],
    { method: 'POST', path: '/v2.0/alarm-definitions', body: { name: 'ad1', description: 'd', expression: 'avg(cpu) > 1', alarm_actions: ['a1', 'a2'], severity: 'low', match_by: ['hostname', 'service'] } }],
  [['alarm-definition-show', 'd-1'], { method: 'GET', path: '/v2.0/alarm-definitions/d-1' }],
  [['alarm-definition-list', '--severity', 'HIGH', '--sort-by', 'name desc', '--dimensions', 'a=b', '--name', 'x'],
    { method: 'GET', path: '/v2.0/alarm-definitions', query: [['name', 'x'], ['dimensions', 'a:b'], ['severity', 'HIGH'], ['sort_by', 'name desc']] }],
  [['alarm-definition-delete', 'd-1'], { method: 'DELETE', path: '/v2.0/alarm-definitions/d-1' }],
  [['alarm-definition-update', 'd-1', 'n', 'd', 'max(cpu) > 9', 'a1,a2', '[]', '', 'true', 'hostname', 'LOW'],
    { method: 'PUT', path: '/v2.0/alarm-definitions/d-1', body: { name: 'n', description: 'd', expression: 'max(cpu) > 9', alarm_actions: ['a1', 'a2'], ok_actions: [], undetermined_actions: [], actions_enabled: true, match_by: ['hostname'], severity: 'LOW' } }],
  [['alarm-definition-patch', 'd-1', '--alarm-actions', 'a,b', '--ok-actions', 'c', '--actions-enabled', 'False', '--severity', 'critical'],
    { method: 'PATCH', path: '/v2.0/alarm-definitions/d-1', body: { alarm_actions: ['a', 'b'], ok_actions: ['c'], actions_enabled: false, severity: 'critical' } }],
  [['alarm-list', '--state', 'alarm', '--metric-dimensions', 'a=b,c', '--sort-by', 'state desc', '--limit', '10', '--severity', 'LOW|HIGH', '--alarm-definition-id', 'd', '--metric-name', 'cpu', '--lifecycle-state', 'OPEN', '--link', 'l', '--state-updated-start-time', '2024-01-01T00:00:00.000Z'],
    { method: 'GET', path: '/v2.0/alarms', query: [['alarm_definition_id', 'd'], ['metric_name', 'cpu'], ['metric_dimensions', 'a:b,c'], ['state', 'alarm'], ['severity', 'LOW|HIGH'], ['state_updated_start_time', '2024-01-01T00:00:00.000Z'], ['lifecycle_state', 'OPEN'], ['link', 'l'], ['limit', '10'], ['sort_by', 'state desc']] }],
  [['alarm-show', 'a-1'], { method: 'GET', path: '/v2.0/alarms/a-1' }],
  [['alarm-update', 'a-1', 'OK', 'OPEN', 'http://l'], { method: 'PUT', path: '/v2.0/alarms/a-1', body: { state: 'OK', lifecycle_state: 'OPEN', link: 'http://l' } }],
  [['alarm-patch', 'a-1', '--state', 'ok', '--link', 'l'], { method: 'PATCH', path: '/v2.0/alarms/a-1', body: { state: 'OK', link: 'l' } }],
  [['alarm-delete', 'a-1'], { method: 'DELETE', path: '/v2.0/alarms/a-1' }],
  [['alarm-count', '--group-by', 'state,severity', '--state', 'OK', '--offset', '2'], { method: 'GET', path: '/v2.0/alarms/count', query: [['state', 'OK'], ['group_by', 'state,severity'], ['offset', '2']] }],
  [['alarm-history', 'a-1', '--limit', '3'], { method: 'GET', path: '/v2.0/alarms/a-1/state-history', query: [['limit', '3']] }],
]

function answer(method: string, path: string): Response {
  if (method === 'DELETE' || (method === 'POST' && path.endsWith('/metrics'))) return new Response(null, { status: 204 })
  if (path.endsWith('/count')) return json({ links: [], columns: ['count'], counts: [[3]] })
  if (method === 'GET' && /\/(alarms|alarm-definitions|notification-methods)\/[^/]+$/.test(path) && !path.endsWith('/types')) return json({ id: 'x' })
  if (method === 'GET') return json({ links: [], elements: [] })
  return json({ id: 'x' })
}

describe('requests match the Python client', () => {
  for (const [argv, expected] of CASES) {
    it(argv.join(' '), async () => {
      const { fetch, calls } = captureFetch((r) => answer(r.method, r.path))
      const run = await runCli(argv, { fetch })
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      expect(calls).toHaveLength(1)
      const call = calls[0]!
      expect(call.method).toBe(expected.method)
      expect(call.path).toBe(expected.path)
      expect(sorted(call.query)).toEqual(sorted(expected.query ?? []))
      expect(call.body).toEqual(expected.body)
      if (expected.body !== undefined) expect(call.headers.get('content-type')).toBe('application/json')
    })
  }

  it('alarm-history-list sends key=value dimensions (the last of a repeated key) and a relative start', async () => {
    const { fetch, calls } = captureFetch(() => json({ links: [], elements: [] }))
    const run = await runCli(['alarm-history-list', '--dimensions', 'a=b,a=c,h=', '--starttime', '-1', '--endtime', '2030-01-01T00:00:00Z'], { fetch })
    expect(run.code).toBe(0)
    expect(calls[0]!.path).toMatch(/^\/v2\.0\/alarms\/state-history\/?$/)
    expect(sorted(calls[0]!.query)).toEqual(sorted([['dimensions', 'a:c,h'], ['start_time', '2024-01-02T03:03:05Z'], ['end_time', '2030-01-01T00:00:00Z']]))
  })
})

describe('invalid input: stderr, exit 2, nothing sent', () => {
  const INVALID: Array<[string[], RegExp]> = [
    [['alarm-list', '--state', 'bogus'], /Invalid state, not one of \[OK, ALARM, UNDETERMINED\]/],
    [['alarm-count', '--group-by', 'bogus'], /Invalid group-by/],
    [['alarm-definition-list', '--severity', 'urgent'], /Invalid severity/],
    [['alarm-definition-list', '--sort-by', 'name sideways'], /Invalid value sideways, must be asc or desc/],
    [['notification-list', '--sort-by', 'colour'], /Sort-by field name colour is not in/],
    [['alarm-definition-update', 'd', 'n', 'd', 'e', '', '', '', 'yes', '', 'LOW'], /Invalid value, not one of \[True, true, False, false\]/],
    [['alarm-update', 'a', 'RED', 'OPEN', 'l'], /Invalid state/],
    [['metric-statistics', 'cpu', 'avg,median', '-5'], /Invalid type, not one of \[AVG, MIN, MAX, SUM, COUNT\]/],
    [['metric-create', 'cpu', 'abc'], /argument <METRIC_VALUE>: invalid float value: 'abc'/],
    [['metric-create', 'cpu', '1', '--dimensions', 'hostname'], /Malformed parameter\(hostname\)\. Use the key=value format\./],
    [['metric-create-raw', 'not json'], /invalid loads value/],
    [['metric-create-raw', '[1, 2]'], /JSON object or a list of objects/],
    [['notification-create', 'n', 'EMAIL', 'a', '--period', 'x'], /invalid int value: 'x'/],
    [['measurement-list', 'cpu'], /the following arguments are required: <UTC_START_TIME>/],
    [['metric-list', '--bogus'], /unrecognized arguments: --bogus/],
    [['metric-list', 'extra'], /unrecognized arguments: extra/],
    [['metric-list', '--name'], /argument --name: expected one argument/],
    [['alarm-list', '--s', 'x'], /ambiguous option: --s could match --state, --severity/],
    [['alarm-history-list', '--dimensions', 'hostname'], /Malformed parameter\(hostname\)/],
  ]
  for (const [argv, message] of INVALID) {
    it(argv.join(' '), async () => {
      const { fetch, calls } = captureFetch()
      const run = await runCli(argv, { fetch })
      expect(run.code).toBe(2)
      expect(run.stdout).toBe('')
      expect(run.stderr).toMatch(message)
      expect(run.stderr).toContain(`monasca ${argv[0]}: error:`)
      expect(calls).toHaveLength(0)
    })
  }

  it('reports what the SDK refuses before sending, with exit 2', async () => {
    const { fetch, calls } = captureFetch()
    const run = await runCli(['metric-list', '--limit', '0'], { fetch })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/limit/)
    expect(calls).toHaveLength(0)
  })

  it('prints the usage line for a malformed command line only', async () => {
    const missing = await runCli(['notification-create', 'n'])
    expect(missing.stderr).toMatch(/^usage: monasca notification-create \[-h\]/)
    const badValue = await runCli(['alarm-list', '--state', 'x'])
    expect(badValue.stderr).not.toMatch(/usage:/)
  })
})

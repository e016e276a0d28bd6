// @vitest-environment happy-dom
/** Routes, formatting, counts, series for the charts, notification checks, failures, the expression check. */
import { describe, expect, it } from 'vitest'
import { countMatrix, worstByDimension } from '../../examples/dashboard/src/lib/counts.js'
import { describeFailure, fieldOfServerError } from '../../examples/dashboard/src/lib/errors.js'
import { checkExpression } from '../../examples/dashboard/src/lib/expression.js'
import { formatDimensions, formatDuration, formatTime, formatValue, periodFor, rangeFromParams, safeHref, timeAgo, toLocalInput } from '../../examples/dashboard/src/lib/format.js'
import { checkAddress, periodChoices } from '../../examples/dashboard/src/lib/notify.js'
import { formatHash, parseHash } from '../../examples/dashboard/src/lib/route.js'
import { align, fromStatistics, medianStep, seriesLabels, stateBands, withGaps } from '../../examples/dashboard/src/lib/series.js'
import { watchInterval } from '../../examples/dashboard/src/watch.js'
import { InternalServerError, KeystoneAuthError, MonascaConnectionError, MonascaTimeoutError, SessionExpiredError, validateExpression } from '../../src/index.js'

describe('routes', () => {
  it('reads the page, the id and the parameters of a hash; unknown pages are the overview', () => {
    const route = parseHash('#/alarm/a%2Fb?x=1&x=2')
    expect([route.page, route.id, route.params.getAll('x')]).toEqual(['alarm', 'a/b', ['1', '2']])
    expect(parseHash('').page).toBe('overview')
    expect(parseHash('#/nope/1').page).toBe('overview')
    expect(parseHash('#/nope/1').id).toBeUndefined()
    expect(parseHash('#main').page).toBe('overview')
  })
  it('writes hashes that read back the same, without empty values', () => {
    expect(formatHash('alarms', { state: 'ALARM', dim: ['a:1', 'b:2'], metric: '', x: undefined })).toBe('#/alarms?state=ALARM&dim=a%3A1&dim=b%3A2')
    expect(formatHash('alarm', {}, 'id with space')).toBe('#/alarm/id%20with%20space')
    const hash = formatHash('explorer', new URLSearchParams('metric=cpu&group=hostname'))
    expect(parseHash(hash).params.toString()).toBe('metric=cpu&group=hostname')
  })
})

describe('formatting', () => {
  const now = Date.parse('2026-12-01T12:00:00Z')
  it('says how long ago, both ways', () => {
    expect(timeAgo(now - 2000, now)).toBe('just now')
    expect(timeAgo(now - 42_000, now)).toBe('42 s ago')
    expect(timeAgo(new Date(now - 5 * 60_000), now)).toBe('5 min ago')
    expect(timeAgo('2026-12-01T09:00:00Z', now)).toBe('3 h ago')
    expect(timeAgo(now - 2 * 86_400_000, now)).toBe('2 d ago')
    expect(timeAgo(now + 120_000, now)).toBe('in 2 min')
    expect(timeAgo('garbage', now)).toBe('—')
  })
  it('formats durations, values, times and dimensions', () => {
    expect([formatDuration(45_000), formatDuration(12 * 60_000), formatDuration(200 * 60_000), formatDuration(52 * 3600_000)]).toEqual(['45 s', '12 min', '3 h 20 min', '2 d 4 h'])
    expect([formatValue(0), formatValue(-0), formatValue(1234.5678), formatValue(97.456), formatValue(0.12345), formatValue(null), formatValue(NaN)]).toEqual(['0', '0', '1,235', '97.46', '0.123', '—', '—'])
    expect(formatTime(new Date(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02 03:04:05')
    expect(formatTime(null)).toBe('—')
    expect(formatDimensions({ service: 'web', hostname: 'web-01' })).toBe('hostname=web-01, service=web')
    expect(toLocalInput(new Date(2026, 11, 1, 9, 5))).toBe('2026-12-01T09:05')
  })
  it('links an alarm\'s link only when it is http(s)', () => {
    expect(safeHref('https://tickets.example/42')).toBe('https://tickets.example/42')
    expect(safeHref('http://wiki/runbook')).toBe('http://wiki/runbook')
    expect(safeHref('javascript:alert(1)')).toBeUndefined()
    expect(safeHref(' JavaScript:alert(1)')).toBeUndefined()
    expect(safeHref('data:text/html,<script>')).toBeUndefined()
    expect(safeHref('TICKET-42')).toBeUndefined()
    expect(safeHref(null)).toBeUndefined()
  })
  it('reads a time range from presets or absolute times, and picks a period on the 60 s grid', () => {
    expect(rangeFromParams(new URLSearchParams('range=1h'), now)).toEqual({ start: new Date(now - 3600_000), end: new Date(now), preset: '1h' })
    expect(rangeFromParams(new URLSearchParams('range=bogus'), now).preset).toBe('6h')
    const absolute = rangeFromParams(new URLSearchParams('from=2026-11-30T00:00:00Z&to=2026-11-30T06:00:00Z'), now)
    expect([absolute.start.toISOString(), absolute.end.toISOString(), absolute.preset]).toEqual(['2026-11-30T00:00:00.000Z', '2026-11-30T06:00:00.000Z', undefined])
    // Reversed: back to the default.
    expect(rangeFromParams(new URLSearchParams('from=2026-11-30T06:00:00Z&to=2026-11-30T00:00:00Z'), now).preset).toBe('6h')
    expect([periodFor(3600_000), periodFor(6 * 3600_000), periodFor(24 * 3600_000), periodFor(7 * 86_400_000)]).toEqual([60, 120, 600, 3600])
  })
})

describe('alarm counts', () => {
  const matrix = { links: [], columns: ['count', 'state', 'severity'], counts: [[2, 'ALARM', 'HIGH'], [1, 'ALARM', 'CRITICAL'], [5, 'OK', 'LOW']] }
  it('builds the state × severity matrix from one count answer', () => {
    expect(countMatrix(matrix)).toEqual({ cells: { ALARM: { HIGH: 2, CRITICAL: 1 }, OK: { LOW: 5 } }, byState: { ALARM: 3, OK: 5 }, total: 8 })
  })
  it('colours each tile by its worst state, worst tiles first', () => {
    const grouped = {
      links: [],
      columns: ['count', 'state', 'dimension_name', 'dimension_value'],
      counts: [[3, 'OK', 'hostname', 'web-01'], [1, 'UNDETERMINED', 'hostname', 'batch-01'], [2, 'OK', 'hostname', 'web-02'], [1, 'ALARM', 'hostname', 'web-02'], [4, 'OK', 'service', 'web'], [1, 'ALARM', 'hostname', null]],
    }
    expect(worstByDimension(grouped, 'hostname')).toEqual([
      { value: 'web-02', worst: 'ALARM', counts: { OK: 2, ALARM: 1 } },
      { value: 'batch-01', worst: 'UNDETERMINED', counts: { UNDETERMINED: 1 } },
      { value: 'web-01', worst: 'OK', counts: { OK: 3 } },
    ])
    expect(worstByDimension(grouped, 'service').map((t) => t.value)).toEqual(['web'])
  })
})

describe('series for the charts', () => {
  it('labels series by the dimensions that differ', () => {
    expect(seriesLabels([{ hostname: 'a', service: 'web' }, { hostname: 'b', service: 'web' }], 'cpu')).toEqual(['cpu {hostname=a}', 'cpu {hostname=b}'])
    expect(seriesLabels([{ hostname: 'a', service: 'web', device: 'x' }], 'cpu')).toEqual(['cpu {hostname=a, service=web}'])
    expect(seriesLabels([{}], 'cpu')).toEqual(['cpu'])
  })
  it('puts a gap (null) where a series misses points, and aligns series on one time axis', () => {
    const series = { label: 'a', times: [0, 60, 120, 600, 660], values: [1, 2, 3, 4, 5] }
    expect(medianStep(series.times)).toBe(60)
    expect(withGaps(series)).toEqual({ label: 'a', times: [0, 60, 120, 180, 600, 660], values: [1, 2, 3, null, 4, 5] })
    const [xs, a, b] = align([{ label: 'a', times: [0, 60, 120], values: [1, 2, 3] }, { label: 'b', times: [30, 90], values: [7, 8] }])
    expect(xs).toEqual([0, 30, 60, 90, 120])
    // undefined: no point of this series there (drawn through); null: a real gap.
    expect(a).toEqual([1, undefined, 2, undefined, 3])
    expect(b).toEqual([undefined, 7, undefined, 8, undefined])
  })
  it('reads a statistics column, nulls kept as gaps', () => {
    const [s] = fromStatistics([{ id: '1', name: 'cpu', dimensions: { hostname: 'h' }, columns: ['timestamp', 'avg', 'max'], statistics: [['2026-12-01T00:00:00Z', 1, 9], ['2026-12-01T00:05:00Z', null as unknown as number, 8]] }], 'max')
    expect(s).toEqual({ label: 'cpu {hostname=h}', times: [1796083200, 1796083500], values: [9, 8] })
  })
  it('turns an alarm history into state bands over the chart range', () => {
    const t = (s: number) => new Date(s * 1000).toISOString()
    const history = [
      { timestamp: t(500), old_state: 'ALARM' as const, new_state: 'OK' as const },
      { timestamp: t(200), old_state: 'UNDETERMINED' as const, new_state: 'ALARM' as const },
    ]
    expect(stateBands(history, 100, 1000)).toEqual([
      { state: 'UNDETERMINED', from: 100, to: 200 },
      { state: 'ALARM', from: 200, to: 500 },
      { state: 'OK', from: 500, to: 1000 },
    ])
    // A transition before the range: the band starts at the range.
    expect(stateBands(history, 300, 1000)).toEqual([{ state: 'ALARM', from: 300, to: 500 }, { state: 'OK', from: 500, to: 1000 }])
    expect(stateBands([], 0, 10)).toEqual([])
  })
})

describe('notification checks', () => {
  it('checks the address for its type', () => {
    expect(checkAddress('EMAIL', 'ops@example.com')).toBeUndefined()
    expect(checkAddress('email', 'ops@')).toMatch(/not an email address/)
    expect(checkAddress('WEBHOOK', 'https://hooks.example/x')).toBeUndefined()
    expect(checkAddress('WEBHOOK', 'hooks.example/x')).toMatch(/not a URL/)
    expect(checkAddress('WEBHOOK', 'ftp://hooks.example/x')).toMatch(/http/)
    expect(checkAddress('PAGERDUTY', 'a1b2c3')).toBeUndefined()
    expect(checkAddress('PAGERDUTY', '  ')).toBe('Give an address')
    expect(checkAddress('EMAIL', `${'a'.repeat(510)}@x.io`)).toMatch(/512/)
  })
  it('offers a repeat period for webhooks only', () => {
    expect(periodChoices('WEBHOOK')).toEqual([0, 60])
    expect(periodChoices('EMAIL')).toEqual([0])
  })
})

describe('failures in words', () => {
  it('keeps the server\'s title, description and request id', () => {
    const error = new InternalServerError('boom', { status: 500, title: 'Internal Server Error', description: 'the repository failed', requestId: 'req-123' })
    expect(describeFailure(error)).toMatchObject({ kind: 'server', status: 500, title: 'Internal Server Error', description: 'the repository failed', requestId: 'req-123' })
  })
  it('finds the form field a server error names', () => {
    expect(fieldOfServerError('A notification method with the name ops already exists', ['address', 'name', 'period'])).toBe('name')
    expect(fieldOfServerError('Invalid alarm expression: parser failed', ['expression', 'name'])).toBe('expression')
    // Whole words only: "renamed" is not "name".
    expect(fieldOfServerError('the method was renamed', ['name'])).toBeUndefined()
  })
  it('sorts ended sessions and lost connections from the rest', () => {
    expect(describeFailure(new SessionExpiredError('ended')).kind).toBe('session')
    expect(describeFailure(new KeystoneAuthError('no', { status: 404 })).kind).toBe('session')
    expect(describeFailure(new MonascaTimeoutError('slow')).kind).toBe('connection')
    expect(describeFailure(new MonascaConnectionError('down')).title).toBe('Cannot reach the server')
    expect(describeFailure(new Error('bug'))).toMatchObject({ kind: 'other', description: 'bug' })
  })
})

describe('the expression check', () => {
  it('says what is missing while the user types "times" or "and"', () => {
    expect(checkExpression('avg(cpu.user_perc) > 90 times')).toMatchObject({ ok: false, column: 25, message: expect.stringMatching(/"times" at column 25 needs a whole number/) })
    expect(checkExpression('avg(cpu.user_perc) > 90 and').message).toMatch(/"and" at column 25 needs another comparison/)
  })
  it('gives the column, the SDK\'s plain words and a caret under the column', () => {
    const text = 'avg(cpu.user_perc) > 90 times -1'
    const check = checkExpression(text)
    const sdk = validateExpression(text)
    expect(sdk.ok).toBe(false)
    if (sdk.ok) return
    expect(check).toMatchObject({ ok: false, column: sdk.error.column, message: sdk.error.plain })
    const [line, caret] = check.caret!.split('\n')
    expect(line).toBe(text)
    expect(caret!.indexOf('^')).toBe(sdk.error.column - 1)
  })
  it('lists the metrics of a valid expression (for the pickers)', () => {
    expect(checkExpression('avg(cpu.user_perc) > 90 and max(mem.used{hostname=a}) > 1 or avg(cpu.user_perc) > 95')).toEqual({ ok: true, metrics: ['cpu.user_perc', 'mem.used'] })
    expect(checkExpression('  ')).toMatchObject({ ok: false, column: 1 })
  })
  it('watches as often as ?watch= says, never faster than 500 ms', () => {
    expect(watchInterval('?watch=1000')).toBe(1000)
    expect(watchInterval('?watch=10')).toBe(10_000)
    expect(watchInterval('')).toBe(10_000)
  })
})

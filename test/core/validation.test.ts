import { describe, expect, it } from 'vitest'
import { createClient, MonascaValidationError, type Client } from '../../src/index.js'
import { pythonJsonLength } from '../../src/validate.js'
import { captureFetch, emptyList, json } from '../helpers/capture.js'

function setup() {
  // Lists get an empty page, creates the object made (the replies are checked too).
  const { fetch, calls } = captureFetch((r) => (r.method === 'POST' ? (r.path.endsWith('/metrics') ? new Response(null, { status: 204 }) : json({ id: 'new' }, 201)) : emptyList()))
  return { client: createClient({ endpoint: 'http://monasca.test/v2.0', token: 't', fetch }), calls }
}

const long = (n: number, ch = 'a') => ch.repeat(n)

/** Bad input and the field the error must name. None of these may reach the server. */
const refused: Array<[string, (c: Client) => Promise<unknown>, string]> = [
  ['empty metric name', (c) => c.metrics.create({ name: '', value: 1 }), 'metric.name'],
  ['256-char metric name', (c) => c.metrics.create({ name: long(256), value: 1 }), 'metric.name'],
  ...[...'<>={},"\\;&() '].map((ch): [string, (c: Client) => Promise<unknown>, string] =>
    [`metric name with ${JSON.stringify(ch)}`, (c) => c.metrics.create({ name: `a${ch}b`, value: 1 }), 'metric.name']),
  ['dimension key starting with _', (c) => c.metrics.create({ name: 'm', value: 1, dimensions: { _x: 'v' } }), 'metric.dimensions key "_x"'],
  ['empty dimension value', (c) => c.metrics.create({ name: 'm', value: 1, dimensions: { k: '' } }), 'metric.dimensions.k'],
  ['dimension value with {', (c) => c.metrics.create({ name: 'm', value: 1, dimensions: { k: 'a{b' } }), 'metric.dimensions.k'],
  ['256-char dimension value', (c) => c.metrics.create({ name: 'm', value: 1, dimensions: { k: long(256) } }), 'metric.dimensions.k'],
  ['NaN value', (c) => c.metrics.create({ name: 'm', value: Number.NaN }), 'metric.value'],
  ['string value', (c) => c.metrics.create({ name: 'm', value: '1' as unknown as number }), 'metric.value'],
  ['17 value_meta entries', (c) => c.metrics.create({ name: 'm', value: 1, value_meta: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }), 'metric.value_meta'],
  ['value_meta over 2048 chars', (c) => c.metrics.create({ name: 'm', value: 1, value_meta: { k: long(2040) } }), 'metric.value_meta'],
  ['bad metric in a batch', (c) => c.metrics.create([{ name: 'ok', value: 1 }, { name: 'bad name', value: 1 }]), 'metrics[1].name'],
  ['measurements without start_time', (c) => c.metrics.listMeasurements({ name: 'm' } as never), 'start_time'],
  ['measurements with an empty range', (c) => c.metrics.listMeasurements({ name: 'm', start_time: '2024-01-02T00:00:00Z', end_time: '2024-01-01T00:00:00Z' }), 'end_time'],
  ['bad time', (c) => c.metrics.list({ start_time: 'yesterday' }), 'start_time'],
  ['invalid Date', (c) => c.metrics.list({ end_time: new Date('nope') }), 'end_time'],
  ['unknown statistic', (c) => c.metrics.listStatistics({ name: 'm', start_time: '2024-01-01T00:00:00Z', statistics: 'avg,median' }), 'statistics'],
  ['zero period', (c) => c.metrics.listStatistics({ name: 'm', start_time: '2024-01-01T00:00:00Z', statistics: 'avg', period: 0 }), 'period'],
  ['query dimension key with =', (c) => c.metrics.list({ dimensions: 'a=b' }), 'dimensions key "a=b"'],
  ['limit 0', (c) => c.alarms.list({ limit: 0 }), 'limit'],
  ['negative limit', (c) => c.alarms.list({ limit: -5 }), 'limit'],
  ['non-integer alarm offset', (c) => c.alarms.list({ offset: 'abc' }), 'offset'],
  ['bad state filter', (c) => c.alarms.list({ state: 'BROKEN' as never }), 'state'],
  ['bad severity in a list', (c) => c.alarms.list({ severity: 'LOW|URGENT' }), 'severity'],
  ['bad sort field', (c) => c.alarms.list({ sort_by: 'random' }), 'sort_by'],
  ['upper-case sort direction', (c) => c.notifications.list({ sort_by: 'name DESC' }), 'sort_by'],
  ['bad count group_by', (c) => c.alarms.count({ group_by: 'state,colour' }), 'group_by'],
  ['lower-case state in PUT body', (c) => c.alarms.update('a', { state: 'ok' as never, lifecycle_state: 'OPEN', link: 'x' }), 'state'],
  ['PUT alarm without link', (c) => c.alarms.update('a', { state: 'OK', lifecycle_state: 'OPEN' } as never), 'link'],
  ['empty id', (c) => c.alarms.get(''), 'id'],
  ['dot-dot id', (c) => c.alarmDefinitions.delete('..'), 'id'],
  ['bad expression', (c) => c.alarmDefinitions.create({ name: 'x', expression: 'avg(cpu{a=b) > 1' }), 'expression'],
  // A period of 61 needs the grammar: the resource's structural check lets the server refuse it
  // (test/reads/lean.test.ts); validateExpression refuses it locally.
  ['expression with no comparison', (c) => c.alarmDefinitions.create({ name: 'x', expression: 'avg(cpu, 60) 1' }), 'expression'],
  ['definition name too long', (c) => c.alarmDefinitions.create({ name: long(256), expression: 'max(x) > 1' }), 'name'],
  ['bad definition severity', (c) => c.alarmDefinitions.create({ name: 'x', expression: 'max(x) > 1', severity: 'SEVERE' as never }), 'severity'],
  ['action id over 50 chars', (c) => c.alarmDefinitions.create({ name: 'x', expression: 'max(x) > 1', alarm_actions: [long(51)] }), 'alarm_actions[0]'],
  ['duplicate action', (c) => c.alarmDefinitions.create({ name: 'x', expression: 'max(x) > 1', ok_actions: ['a', 'a'] }), 'ok_actions'],
  ['PUT definition missing ok_actions', (c) => c.alarmDefinitions.update('d', { name: 'n', description: '', expression: 'max(x) > 1', severity: 'LOW', match_by: [], alarm_actions: [], undetermined_actions: [], actions_enabled: true } as never), 'ok_actions'],
  ['notification name over 250', (c) => c.notifications.create({ name: long(251), type: 'EMAIL', address: 'a@b' }), 'name'],
  ['email without @', (c) => c.notifications.create({ name: 'n', type: 'email', address: 'name' }), 'address'],
  ['ftp webhook', (c) => c.notifications.create({ name: 'n', type: 'WEBHOOK', address: 'ftp://h/x' }), 'address'],
  ['webhook without scheme', (c) => c.notifications.create({ name: 'n', type: 'WEBHOOK', address: 'localhost:123' }), 'address'],
  ['notification period 10', (c) => c.notifications.create({ name: 'n', type: 'EMAIL', address: 'a@b', period: 10 }), 'period'],
  ['PUT notification without period', (c) => c.notifications.update('n', { name: 'n', type: 'EMAIL', address: 'a@b' } as never), 'period'],
]

describe('bad input is refused before any request', () => {
  it.each(refused)('%s', async (_case, call, field) => {
    const { client, calls } = setup()
    const error = await call(client).then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(MonascaValidationError)
    expect((error as MonascaValidationError).field).toBe(field)
    expect(calls).toHaveLength(0)
  })

  it('accepts what the server accepts at the limits', async () => {
    const { client, calls } = setup()
    await client.metrics.create({
      name: `${long(250)}'x.y`,
      value: 0,
      timestamp: 1,
      dimensions: { 'k(1)': long(255), url: 'http://h:80/a?b' },
      value_meta: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v'])),
    })
    await client.metrics.list({ dimensions: 'url:http://h:80/x,hostname' })
    await client.alarms.list({ state: 'undetermined', severity: ['low', 'CRITICAL'], sort_by: 'severity desc,alarm_id' })
    await client.alarmDefinitions.create({ name: 'x', expression: 'ntp.offset > 1 or ntp.offset < -5 and avg(cpu{a=b}, deterministic, 120) >= 3 times 2' })
    await client.notifications.create({ name: 'n', type: 'WEBHOOK', address: 'http://mytest.test:4533/webhook', period: 60 })
    expect(calls).toHaveLength(5)
  })
})

describe("Python's json.dumps length, which the server limits value_meta by", () => {
  it.each([
    [{ k: 'v' }, '{"k": "v"}'],
    [{ a: 1, b: [1, 2] }, '{"a": 1, "b": [1, 2]}'],
    [{ 'é': 'ü' }, '{"\\u00e9": "\\u00fc"}'],
    [{ q: 'say "hi"\n' }, '{"q": "say \\"hi\\"\\n"}'],
    [{ emoji: '😀', colon: 'a:b, c' }, '{"emoji": "\\ud83d\\ude00", "colon": "a:b, c"}'],
  ])('%j', (value, python) => {
    expect(pythonJsonLength(value)).toBe(python.length)
  })
})

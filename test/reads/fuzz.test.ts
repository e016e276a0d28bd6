/**
 * Fuzzing (fast-check) of everything a caller hands the SDK: the query encoders, every resource
 * method's inputs and the expression helpers. Only typed errors (MonascaError) may escape; a
 * validation error means no request was sent; and no id, whatever it holds, changes the path.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatExpression, parseExpression, validateExpression } from '../../src/expression/index.js'
import { createClient, encodeDimensions, encodeTime, MonascaError, MonascaValidationError, parseDimensions, type Client } from '../../src/index.js'
import { encodeQuery, Query } from '../../src/query.js'
import { captureFetch, json, type CapturedRequest } from '../helpers/capture.js'

const ENDPOINT = 'http://monasca.test:8070/v2.0'
const RUNS = Number(process.env.FUZZ_RUNS ?? 300)

/** Values JavaScript code gets wrong: lone surrogates, BigInt, deep nesting, cycles, prototypes. */
const deep = (n: number) => {
  let v: unknown = 'x'
  for (let i = 0; i < n; i++) v = { a: v }
  return v
}
const cyclic = () => {
  const o: Record<string, unknown> = { a: 1 }
  o.self = o
  return o
}
const nasty = fc.oneof(
  fc.constantFrom<unknown>(
    '\uD800', 'a\uDC00b', '\uDBFF', '..', '.', '', '/', 'a/b', '../alarms', '?x=1', '#frag', '%2e%2e', '%2F', '\u0000', '\r\n', '\u202e',
    '__proto__', 'constructor', 'toString', 5, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 10n, true, null, undefined,
    Symbol('s'), () => 1, [], [[]], {}, { toString: () => 'x' }, new Date(Number.NaN), new Date(0), Object.create(null),
    JSON.parse('{"__proto__": {"polluted": 1}}'), 'x'.repeat(100_000),
  ),
  fc.constant(null).map(() => deep(20_000)),
  fc.constant(null).map(cyclic),
)
const anyValue = fc.oneof(fc.anything({ withBigInt: true, withDate: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true, withMap: true }), fc.string({ unit: 'binary' }), nasty)
const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), nasty)

/** Calls `fn`; any throw or rejection must be a MonascaError. Returns the error, if any. */
async function onlyTyped(fn: () => unknown): Promise<unknown> {
  try {
    const result = fn()
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') await result
  } catch (error) {
    if (!MonascaError.is(error)) throw new Error(`untyped ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`)
    return error
  }
  return undefined
}

describe('the query encoders only throw typed errors', () => {
  it('Query.set/text/repeat/page/dimensions/timeRange/flag, and what they build always encodes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), anyValue, anyValue, async (key, a, b) => {
        for (const build of [
          (q: Query) => q.set(key, a as string),
          (q: Query) => q.text(key, a),
          (q: Query) => q.repeat(key, a as string[]),
          (q: Query) => q.page({ offset: a as string, limit: b as number }),
          (q: Query) => q.page({ offset: a as number }, true),
          (q: Query) => q.dimensions('dimensions', a as string),
          (q: Query) => q.timeRange(a as string, b as string),
          (q: Query) => q.flag('merge_metrics', a),
        ]) {
          const query = new Query()
          const error = await onlyTyped(() => build(query))
          if (error === undefined) expect(() => encodeQuery(query.pairs)).not.toThrow()
          else expect(error).toBeInstanceOf(MonascaValidationError)
        }
        await onlyTyped(() => encodeDimensions(a as string))
        await onlyTyped(() => parseDimensions(a as string))
        await onlyTyped(() => encodeTime(a as string, 'start_time'))
      }),
      { numRuns: RUNS },
    )
  })
})

/** The request each id-taking method must send: the id as one segment, wherever it is. */
type IdCall = [name: string, template: string, call: (c: Client, id: unknown) => PromiseLike<unknown>]
const idCalls: IdCall[] = [
  ['alarms.get', '/alarms/{}', (c, id) => c.alarms.get(id as string)],
  ['alarms.update', '/alarms/{}', (c, id) => c.alarms.update(id as string, { state: 'OK', lifecycle_state: 'OPEN', link: 'http://l' })],
  ['alarms.patch', '/alarms/{}', (c, id) => c.alarms.patch(id as string, { state: 'OK' })],
  ['alarms.delete', '/alarms/{}', (c, id) => c.alarms.delete(id as string)],
  ['alarms.history', '/alarms/{}/state-history', (c, id) => c.alarms.history(id as string)],
  ['alarmDefinitions.get', '/alarm-definitions/{}', (c, id) => c.alarmDefinitions.get(id as string)],
  ['alarmDefinitions.patch', '/alarm-definitions/{}', (c, id) => c.alarmDefinitions.patch(id as string, { severity: 'LOW' })],
  ['alarmDefinitions.delete', '/alarm-definitions/{}', (c, id) => c.alarmDefinitions.delete(id as string)],
  ['notifications.get', '/notification-methods/{}', (c, id) => c.notifications.get(id as string)],
  ['notifications.patch', '/notification-methods/{}', (c, id) => c.notifications.patch(id as string, { period: 60 })],
  ['notifications.delete', '/notification-methods/{}', (c, id) => c.notifications.delete(id as string)],
]

function reply(request: CapturedRequest): Response {
  if (request.method === 'DELETE' || (request.method === 'POST' && request.path.endsWith('/metrics'))) return new Response(null, { status: 204 })
  if (request.path.endsWith('/alarms/count')) return json({ links: [], columns: ['count'], counts: [[0]] })
  if (request.method === 'GET' && !/\/(alarms|alarm-definitions|notification-methods)\/[^/]+$/.test(request.path)) return json({ links: [], elements: [] })
  return json({ id: 'x' })
}

function stubClient() {
  const { fetch, calls } = captureFetch(reply)
  return { client: createClient({ endpoint: ENDPOINT, token: 't', fetch, retries: 0 }), calls }
}

describe('every resource method, fed anything', () => {
  it('ids never change the path: each becomes one segment, or a validation error before any request', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...idCalls), anyText, async ([, template, call], id) => {
        const { client, calls } = stubClient()
        const error = await onlyTyped(() => call(client, id))
        if (error instanceof MonascaValidationError) {
          expect(calls).toHaveLength(0)
          return
        }
        expect(error).toBeUndefined()
        expect(calls).toHaveLength(1)
        const url = new URL(calls[0]!.url)
        expect(url.origin).toBe('http://monasca.test:8070')
        expect(url.search).toBe('')
        expect(url.hash).toBe('')
        const [before, after] = template.split('{}') as [string, string]
        expect(url.pathname.startsWith(`/v2.0${before}`)).toBe(true)
        expect(url.pathname.endsWith(after)).toBe(true)
        const segment = url.pathname.slice(`/v2.0${before}`.length, url.pathname.length - after.length)
        expect(segment).not.toContain('/')
        expect(decodeURIComponent(segment)).toBe(id)
      }),
      { numRuns: RUNS * 2 },
    )
  })

  /** Every method with arbitrary arguments in every position. */
  const methods: Array<[string, (c: Client, a: unknown, b: unknown, o: unknown) => unknown]> = [
    ['metrics.create', (c, a, b, o) => c.metrics.create(a as never, b as never, o as never)],
    ['metrics.list', (c, a, _b, o) => c.metrics.list(a as never, o as never)],
    ['metrics.listNames', (c, a, _b, o) => c.metrics.listNames(a as never, o as never)],
    ['metrics.listMeasurements', (c, a, _b, o) => c.metrics.listMeasurements(a as never, o as never)],
    ['metrics.listStatistics', (c, a, _b, o) => c.metrics.listStatistics(a as never, o as never)],
    ['metrics.listDimensionNames', (c, a, _b, o) => c.metrics.listDimensionNames(a as never, o as never)],
    ['metrics.listDimensionValues', (c, a, _b, o) => c.metrics.listDimensionValues(a as never, o as never)],
    ['alarmDefinitions.create', (c, a, _b, o) => c.alarmDefinitions.create(a as never, o as never)],
    ['alarmDefinitions.list', (c, a, _b, o) => c.alarmDefinitions.list(a as never, o as never)],
    ['alarmDefinitions.update', (c, a, b, o) => c.alarmDefinitions.update(a as never, b as never, o as never)],
    ['alarmDefinitions.patch', (c, a, b, o) => c.alarmDefinitions.patch(a as never, b as never, o as never)],
    ['alarms.list', (c, a, _b, o) => c.alarms.list(a as never, o as never)],
    ['alarms.count', (c, a, _b, o) => c.alarms.count(a as never, o as never)],
    ['alarms.update', (c, a, b, o) => c.alarms.update(a as never, b as never, o as never)],
    ['alarms.patch', (c, a, b, o) => c.alarms.patch(a as never, b as never, o as never)],
    ['alarms.history', (c, a, b, o) => c.alarms.history(a as never, b as never, o as never)],
    ['alarms.historyList', (c, a, _b, o) => c.alarms.historyList(a as never, o as never)],
    ['alarms.watch', async (c, a, b) => {
      const watch = c.alarms.watch(a as never, b as never)
      await watch.return()
    }],
    ['notifications.create', (c, a, _b, o) => c.notifications.create(a as never, o as never)],
    ['notifications.list', (c, a, _b, o) => c.notifications.list(a as never, o as never)],
    ['notifications.update', (c, a, b, o) => c.notifications.update(a as never, b as never, o as never)],
    ['notifications.patch', (c, a, b, o) => c.notifications.patch(a as never, b as never, o as never)],
    ['notificationTypes.list', (c, _a, _b, o) => c.notificationTypes.list(o as never)],
    ['versions.get', (c, _a, _b, o) => c.versions.get(o as never)],
  ]

  /** Plausible parameter objects whose fields hold anything (the keys the methods read). */
  const KEYS = ['name', 'dimensions', 'metric_dimensions', 'start_time', 'end_time', 'offset', 'limit', 'tenant_id', 'severity', 'state',
    'sort_by', 'group_by', 'statistics', 'period', 'merge_metrics', 'metric_name', 'dimension_name', 'alarm_definition_id', 'lifecycle_state',
    'link', 'state_updated_start_time', 'expression', 'description', 'match_by', 'alarm_actions', 'ok_actions', 'undetermined_actions',
    'actions_enabled', 'type', 'address', 'value', 'timestamp', 'value_meta', 'interval', 'maxBackoff', 'onError', 'signal', '__proto__']
  const params = fc.oneof(anyValue, fc.dictionary(fc.constantFrom(...KEYS), anyValue, { maxKeys: 6 }))
  const options = fc.oneof(fc.constant(undefined), anyValue, fc.record({ signal: anyValue }, { requiredKeys: [] }))

  it('only typed errors escape, and a validation error means nothing was sent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), params, params, options, async ([, call], a, b, o) => {
        const { client, calls } = stubClient()
        const error = await onlyTyped(() => call(client, a, b, o))
        if (error instanceof MonascaValidationError) expect(calls).toHaveLength(0)
        for (const sent of calls) expect(new URL(sent.url).origin).toBe('http://monasca.test:8070')
      }),
      { numRuns: RUNS * 4 },
    )
  })

  it('iteration and toArray({ max }) with anything', async () => {
    await fc.assert(
      fc.asyncProperty(anyValue, async (max) => {
        const { client } = stubClient()
        await onlyTyped(() => client.metrics.listNames().toArray({ max: max as number }))
        await onlyTyped(() => client.metrics.listNames().toArray(max as never))
      }),
      { numRuns: RUNS },
    )
  })

  it('named cases from the issue: each a validation error naming the field, before any request', async () => {
    const { client, calls } = stubClient()
    const cases: Array<[() => PromiseLike<unknown>, string]> = [
      [() => client.alarmDefinitions.list({ severity: 5 as never }), 'severity'],
      [() => client.alarms.list({ severity: [5] as never }), 'severity[0]'],
      [() => client.metrics.list({ dimensions: { hostname: 5 } as never }), 'dimensions.hostname'],
      [() => client.metrics.list({ dimensions: { hostname: [1, 2] } as never }), 'dimensions.hostname'],
      [() => client.alarms.get('\uD800'), 'id'],
      [() => client.metrics.list({ name: 'a\uDC00' }), 'name'],
      [() => client.alarmDefinitions.list({ name: '\uD83D' }), 'name'],
      [() => client.metrics.create({ name: 'm', value: 1, value_meta: deep(20_000) as never }), 'metric.value_meta'],
      [() => client.metrics.create({ name: 'm', value: 1, value_meta: cyclic() }), 'metric.value_meta'],
      [() => client.metrics.create({ name: 'm', value: 10n as never }), 'metric.value'],
      [() => client.metrics.create({ name: 'm', value: 1, value_meta: { n: 10n } }), 'metric.value_meta'],
      [() => client.alarms.patch('a1', { state: 'OK', extra: 10n } as never), 'body.extra'],
      [() => client.alarmDefinitions.create({ name: 'n', expression: `${'('.repeat(5000)}max(x) > 1${')'.repeat(5000)}` }), 'expression'],
      [() => client.metrics.list({ offset: {} as never }), 'offset'],
      [() => client.metrics.list({ tenant_id: {} as never }), 'tenant_id'],
      [() => client.alarmDefinitions.list({ name: {} as never }), 'name'],
      [() => client.alarms.list({ alarm_definition_id: { id: 1 } as never }), 'alarm_definition_id'],
      [() => client.alarms.list({ sort_by: 7 as never }), 'sort_by'],
      [() => client.metrics.listStatistics({ name: 'm', start_time: '2024-01-01T00:00:00Z', statistics: {} as never }), 'statistics'],
      [() => client.metrics.listDimensionNames({ metric_name: [1] as never }), 'metric_name[0]'],
      [() => client.alarms.list(null as never), 'params'],
      [() => client.alarms.list({}, { signal: {} as never }), 'signal'],
    ]
    for (const [call, field] of cases) {
      const error = await onlyTyped(call)
      expect(error, field).toBeInstanceOf(MonascaValidationError)
      expect((error as MonascaValidationError).field, field).toBe(field)
    }
    expect(calls).toHaveLength(0)
  })
})

describe('the expression helpers only throw typed errors', () => {
  const expressionish = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.array(fc.constantFrom('max(', 'avg(', 'x', '{', '}', '=', ',', ')', '(', ' ', '>', '<=', '1', '60', 'and', 'or', 'times', '\t', '\n', 'deterministic', '\uD800'), { maxLength: 40 }).map((a) => a.join('')),
    fc.integer({ min: 1, max: 20_000 }).map((n) => `${'('.repeat(n)}max(x) > 1${')'.repeat(n)}`),
    anyValue,
  )
  it('parseExpression throws only ExpressionError, validateExpression never throws, formatExpression round-trips', async () => {
    await fc.assert(
      fc.asyncProperty(expressionish, async (text) => {
        const error = await onlyTyped(() => parseExpression(text as string))
        if (error) expect((error as MonascaError).code).toBe('invalid_expression')
        const result = validateExpression(text as string)
        expect(result.ok).toBe(error === undefined)
        if (result.ok) {
          const again = parseExpression(formatExpression(result.expression.tree))
          expect(again.sub_expressions.length).toBe(result.expression.sub_expressions.length)
        } else {
          expect(result.error.explain()).toHaveLength(4)
        }
        await onlyTyped(() => formatExpression(text as never))
      }),
      { numRuns: RUNS },
    )
  })
})

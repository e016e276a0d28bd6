/**
 * The mapping of OpenTelemetry collections to Monasca metrics, fed by a real MeterProvider (see
 * sdk.ts): every data point shape the SDK makes, the naming rules, attributes, value_meta.
 */
import { ValueType } from '@opentelemetry/api'
import { AggregationTemporality, InstrumentType } from '@opentelemetry/sdk-metrics'
import { describe, expect, it } from 'vitest'
import { MonascaValidationError } from '../../src/errors.js'
import { createMapper, exponentialBuckets, hrTimeToMillis, problem } from '../../src/otel/mapping.js'
import type { MappingOptions } from '../../src/otel/mapping.js'
import { fnv1a } from '../../src/otel/names.js'
import { addDimensions, attributePicker } from '../../src/otel/dimensions.js'
import { temporalitySelector } from '../../src/otel/temporality.js'
import type { MetricInput } from '../../src/types.js'
import * as V from '../../src/validate.js'
import { exponentialView, instrumented } from './sdk.js'

const byName = (metrics: MetricInput[], name: string) => metrics.filter((m) => m.name === name)
const only = (metrics: MetricInput[], name: string) => {
  const found = byName(metrics, name)
  expect(found, name).toHaveLength(1)
  return found[0]!
}

/** Every metric the mapper calls valid must pass the SDK's own checks (the writer's and the server's limits). */
function expectValid(metrics: MetricInput[]) {
  for (const m of metrics) {
    expect(() => {
      V.metricName(m.name)
      V.metricDimensions(m.dimensions, 'dimensions')
      V.finiteNumber(m.value, 'value')
      V.valueMeta(m.value_meta, 'value_meta')
    }, JSON.stringify(m)).not.toThrow()
  }
}

async function mapOnce(record: (sdk: ReturnType<typeof instrumented>) => void, options: MappingOptions = {}, sdkOptions: Parameters<typeof instrumented>[0] = {}) {
  const sdk = instrumented(sdkOptions)
  record(sdk)
  const collection = await sdk.collect()
  const mapped = createMapper(options).map(collection)
  await sdk.shutdown()
  return { ...mapped, collection }
}

describe('sums and gauges: one metric per data point', () => {
  it('a delta counter sends each interval’s increase, timestamped at the point’s end time, with unit and description', async () => {
    const sdk = instrumented()
    const mapper = createMapper()
    const counter = sdk.meter.createCounter('http.server.requests', { unit: '{request}', description: 'Requests served' })
    counter.add(3, { route: '/cart' })
    counter.add(2, { route: '/cart' })
    counter.add(1, { route: '/pay' })
    const first = await sdk.collect()
    counter.add(4, { route: '/cart' })
    const second = await sdk.collect()
    const a = mapper.map(first).metrics
    const b = mapper.map(second).metrics
    expect(a.map((m) => [m.dimensions!['route'], m.value]).sort()).toEqual([['/cart', 5], ['/pay', 1]])
    // Delta: the second collection holds only what was added since the first.
    expect(b.map((m) => [m.dimensions!['route'], m.value])).toEqual([['/cart', 4]])
    const point = second.scopeMetrics[0]!.metrics[0]!.dataPoints[0]!
    expect(b[0]).toEqual({
      name: 'http.server.requests',
      dimensions: { route: '/cart', service: 'checkout', hostname: 'web-01' },
      timestamp: hrTimeToMillis(point.endTime),
      value: 4,
      value_meta: { unit: '{request}', description: 'Requests served' },
    })
    expect(Math.abs(b[0]!.timestamp! - Date.now())).toBeLessThan(60_000)
    await sdk.shutdown()
  })

  it('a cumulative counter sends the running total', async () => {
    const sdk = instrumented({ temporality: temporalitySelector('cumulative') })
    const counter = sdk.meter.createCounter('jobs.done')
    counter.add(3)
    const first = createMapper().map(await sdk.collect()).metrics
    counter.add(4)
    const second = createMapper().map(await sdk.collect()).metrics
    expect(only(first, 'jobs.done').value).toBe(3)
    expect(only(second, 'jobs.done').value).toBe(7)
    await sdk.shutdown()
  })

  it('up-down counters (non-monotonic sums, cumulative by default) send the level, negative included', async () => {
    const { metrics, collection } = await mapOnce(({ meter }) => {
      const queue = meter.createUpDownCounter('queue.depth')
      queue.add(5)
      queue.add(-8)
    })
    const data = collection.scopeMetrics[0]!.metrics[0]!
    expect(data.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE)
    expect(data.dataPointType === 3 && !data.isMonotonic).toBe(true)
    expect(only(metrics, 'queue.depth').value).toBe(-3)
  })

  it('gauges and observable gauges, integer and double', async () => {
    const { metrics } = await mapOnce(({ meter }) => {
      meter.createGauge('cpu.temp', { unit: 'Cel', valueType: ValueType.DOUBLE }).record(61.5, { core: 0 })
      meter.createObservableGauge('mem.free', { unit: 'By', valueType: ValueType.INT }).addCallback((result) => {
        result.observe(1024, { zone: 'a' })
        result.observe(2048, { zone: 'b' })
      })
      meter.createObservableUpDownCounter('threads').addCallback((result) => result.observe(12))
      meter.createObservableCounter('cpu.time').addCallback((result) => result.observe(99))
    })
    expect(only(metrics, 'cpu.temp')).toMatchObject({ value: 61.5, dimensions: { core: '0' }, value_meta: { unit: 'Cel' } })
    expect(byName(metrics, 'mem.free').map((m) => [m.dimensions!['zone'], m.value]).sort()).toEqual([['a', 1024], ['b', 2048]])
    expect(only(metrics, 'threads').value).toBe(12)
    expect(only(metrics, 'cpu.time').value).toBe(99)
    expectValid(metrics)
  })
})

describe('histograms', () => {
  it('explicit buckets: .count .sum .min .max and one cumulative .bucket per bound with le, ending at +Inf', async () => {
    const values = [0.5, 3, 3, 7, 12, 250]
    const { metrics } = await mapOnce(({ meter }) => {
      const h = meter.createHistogram('http.duration', { unit: 'ms', description: 'Latency', advice: { explicitBucketBoundaries: [1, 5, 10, 100] } })
      for (const v of values) h.record(v, { route: '/a' })
    })
    expect(only(metrics, 'http.duration.count')).toMatchObject({ value: 6, dimensions: { route: '/a' }, value_meta: { description: 'Latency' } })
    // The unit belongs to the value series, not to counts.
    expect(only(metrics, 'http.duration.count').value_meta).not.toHaveProperty('unit')
    expect(only(metrics, 'http.duration.sum')).toMatchObject({ value: values.reduce((a, b) => a + b), value_meta: { unit: 'ms' } })
    expect(only(metrics, 'http.duration.min').value).toBe(0.5)
    expect(only(metrics, 'http.duration.max').value).toBe(250)
    const buckets = byName(metrics, 'http.duration.bucket').map((m) => [m.dimensions!['le'], m.value])
    const expected = ['1', '5', '10', '100', '+Inf'].map((le) => [le, values.filter((v) => le === '+Inf' || v <= Number(le)).length])
    expect(buckets).toEqual(expected)
    expectValid(metrics)
  })

  it('buckets: false leaves the bucket series out', async () => {
    const { metrics } = await mapOnce(({ meter }) => meter.createHistogram('size').record(3), { buckets: false })
    expect(metrics.map((m) => m.name).sort()).toEqual(['size.count', 'size.max', 'size.min', 'size.sum'])
  })

  it('exponential histograms the same way: le bounds from the scale, cumulative counts that match the recorded values', async () => {
    // Histogram instruments take no negative values (the SDK drops them); the negative range is tested below.
    const values = [0, 0, 0.2, 1.5, 3, 7, 7, 100, 1000, 123456]
    const { metrics, collection } = await mapOnce(
      ({ meter }) => {
        const h = meter.createHistogram('payload.size', { unit: 'By' })
        for (const v of values) h.record(v)
      },
      {},
      { views: [exponentialView] },
    )
    expect(collection.scopeMetrics[0]!.metrics[0]!.dataPointType).toBe(1) // EXPONENTIAL_HISTOGRAM
    expect(only(metrics, 'payload.size.count').value).toBe(values.length)
    expect(only(metrics, 'payload.size.min').value).toBe(0)
    expect(only(metrics, 'payload.size.max').value).toBe(123456)
    const buckets = byName(metrics, 'payload.size.bucket')
    expect(buckets.at(-1)).toMatchObject({ dimensions: { le: '+Inf' }, value: values.length })
    const bounds = buckets.map((m) => (m.dimensions!['le'] === '+Inf' ? Infinity : Number(m.dimensions!['le'])))
    expect([...bounds].sort((a, b) => a - b)).toEqual(bounds) // ascending
    for (const m of buckets) {
      const le = m.dimensions!['le'] === '+Inf' ? Infinity : Number(m.dimensions!['le'])
      // Cumulative: every value at or below the bound is counted (none of the values sits on a bound).
      expect(m.value, `le=${m.dimensions!['le']}`).toBe(values.filter((v) => v <= le).length)
    }
    expectValid(metrics)
  })

  it('exponential bucket bounds are base^(index+1) with base 2^(2^-scale)', () => {
    const h = { count: 3, sum: 9, scale: 1, zeroCount: 0, min: 1.5, max: 4, positive: { offset: 1, bucketCounts: [1, 2] }, negative: { offset: 0, bucketCounts: [] } }
    // scale 1: base √2; positive index 1 → (√2, 2], index 2 → (2, 2√2]
    expect(exponentialBuckets(h)).toEqual([[String(2), 1], [String(Math.pow(2, 1.5)), 3], ['+Inf', 3]])
  })

  it('the negative range of an exponential histogram comes first, most negative bucket first, then the zero bucket', () => {
    // scale 0: base 2. Negative index 0 holds [-2, -1), index 2 holds [-8, -4); zero bucket; positive index 0 → (1, 2].
    const h = { count: 6, sum: 0, scale: 0, zeroCount: 1, positive: { offset: 0, bucketCounts: [2] }, negative: { offset: 0, bucketCounts: [1, 0, 2] } }
    expect(exponentialBuckets(h)).toEqual([['-4', 2], ['-2', 2], ['-1', 3], ['0', 4], ['2', 6], ['+Inf', 6]])
  })
})

describe('attributes and resource attributes as dimensions', () => {
  it('resource attributes: by default only the service and host ones, as service and hostname', async () => {
    const { metrics } = await mapOnce(({ meter }) => meter.createCounter('c').add(1), {}, {
      resource: { 'service.name': 'shop', 'host.name': 'h1', 'process.pid': '77', 'telemetry.sdk.language': 'nodejs', 'deployment.environment.name': 'prod' },
    })
    expect(only(metrics, 'c').dimensions).toEqual({ service: 'shop', hostname: 'h1', 'deployment.environment.name': 'prod' })
  })

  it('allow-lists and renames for both, fixed dimensions, data point attributes winning over the resource', async () => {
    const { metrics } = await mapOnce(
      ({ meter }) => meter.createCounter('c').add(1, { 'http.method': 'GET', 'http.route': '/x', user: 'u1', service: 'from-point' }),
      {
        dimensions: { region: 'RegionOne', service: 'fixed' },
        attributes: { allow: ['http.method', 'http.route', 'service'], rename: { 'http.method': 'method' } },
        resourceAttributes: { allow: (key) => key.startsWith('process.'), rename: { 'process.pid': 'pid' } },
      },
      { resource: { 'service.name': 'shop', 'process.pid': '77' } },
    )
    expect(only(metrics, 'c').dimensions).toEqual({ region: 'RegionOne', pid: '77', method: 'GET', 'http.route': '/x', service: 'from-point' })
  })

  it('forbidden characters become _, leading _ is removed, | leaves values, numbers, booleans and arrays become text', async () => {
    const { metrics } = await mapOnce(({ meter }) =>
      meter.createCounter('c').add(1, {
        'a=b': 'x<y>{z}',
        '_internal': 'v;w&"q"\\',
        '__': 'gone',
        'q|key': 'a|b,c',
        n: 1.5,
        ok: true,
        list: ['x', 'y', 'z'],
        line: 'one\ntwo',
        paren: 'f(x)',
      }),
    )
    expect(only(metrics, 'c').dimensions).toEqual({
      service: 'checkout',
      hostname: 'web-01',
      a_b: 'x_y__z_',
      internal: 'v_w__q__',
      'q|key': 'a_b_c',
      n: '1.5',
      ok: 'true',
      list: 'x/y/z',
      line: 'one_two',
      paren: 'f(x)',
    })
    expectValid(metrics)
  })

  it('values over 255 characters keep their start and a hash of the whole, so distinct values stay distinct', async () => {
    const long1 = 'u'.repeat(300) + '1'
    const long2 = 'u'.repeat(300) + '2'
    const { metrics } = await mapOnce(({ meter }) => {
      const c = meter.createCounter('c')
      c.add(1, { url: long1 })
      c.add(1, { url: long2 })
      c.add(1, { ['k'.repeat(400)]: 'v' })
    })
    const urls = byName(metrics, 'c').map((m) => m.dimensions!['url']).filter(Boolean)
    expect(urls.sort()).toEqual([`${'u'.repeat(246)}~${fnv1a(long1)}`, `${'u'.repeat(246)}~${fnv1a(long2)}`].sort())
    expect(new Set(urls).size).toBe(2)
    for (const u of urls) expect(u).toHaveLength(255)
    const keyed = byName(metrics, 'c').find((m) => !m.dimensions!['url'])!
    expect(Object.keys(keyed.dimensions!).find((k) => k.startsWith('kkk'))).toBe(`${'k'.repeat(246)}~${fnv1a('k'.repeat(400))}`)
    expectValid(metrics)
  })

  it('a cut never splits a surrogate pair', async () => {
    const value = 'a'.repeat(245) + '😀'.repeat(20)
    const { metrics } = await mapOnce(({ meter }) => meter.createCounter('c').add(1, { emoji: value }))
    const cut = only(metrics, 'c').dimensions!['emoji']!
    expect(cut).toBe(`${'a'.repeat(245)}~${fnv1a(value)}`)
  })

  it('empty values become (empty) by default, or are left out with emptyValue: null', async () => {
    const record = ({ meter }: ReturnType<typeof instrumented>) => meter.createCounter('c').add(1, { blank: '', kept: 'k' })
    expect(only((await mapOnce(record)).metrics, 'c').dimensions).toMatchObject({ blank: '(empty)', kept: 'k' })
    expect(only((await mapOnce(record, { emptyValue: null })).metrics, 'c').dimensions).toEqual({ service: 'checkout', hostname: 'web-01', kept: 'k' })
    expect(only((await mapOnce(record, { emptyValue: 'none' })).metrics, 'c').dimensions).toMatchObject({ blank: 'none' })
  })

  it('a __proto__ attribute is an ordinary dimension (proto__), never the prototype', () => {
    const dims = addDimensions({}, JSON.parse('{"__proto__": "p", "constructor": "c"}'), attributePicker({}), null)
    expect(Object.getPrototypeOf(dims)).toBe(Object.prototype)
    expect(JSON.stringify(dims)).toBe('{"proto__":"p","constructor":"c"}')
  })
})

describe('names and value_meta', () => {
  it('instrument names with forbidden characters, a prefix, and names too long for their suffix', async () => {
    const long = 'n'.repeat(255)
    const { metrics } = await mapOnce(
      ({ meter }) => {
        meter.createCounter('disk usage(root)').add(1)
        meter.createHistogram(long, { advice: { explicitBucketBoundaries: [1] } }).record(2)
      },
      { prefix: 'app.' },
    )
    expect(only(metrics, 'app.disk_usage_root_').value).toBe(1)
    const full = `app.${long}`
    for (const suffix of ['.count', '.sum', '.min', '.max', '.bucket']) {
      // Shortened before the suffix: the start, ~, a hash of the whole name, then the suffix whole.
      const expected = `${full.slice(0, 255 - suffix.length - 9)}~${fnv1a(full)}${suffix}`
      expect(expected).toHaveLength(255)
      expect(metrics.map((m) => m.name), suffix).toContain(expected)
    }
    expectValid(metrics)
  })

  it('a description too long for value_meta is left out, the unit kept; valueMeta: false sends neither', async () => {
    const record = ({ meter }: ReturnType<typeof instrumented>) => meter.createCounter('c', { unit: 's', description: 'd'.repeat(3000) }).add(1)
    expect(only((await mapOnce(record)).metrics, 'c').value_meta).toEqual({ unit: 's' })
    expect(only((await mapOnce(record, { valueMeta: false })).metrics, 'c')).not.toHaveProperty('value_meta')
    expect(only((await mapOnce(record, { valueMeta: { unit: false } })).metrics, 'c')).not.toHaveProperty('value_meta')
  })

  it('a description that fits only as Python counts it (non-ASCII as \\uXXXX) is checked the server’s way', async () => {
    const description = 'é'.repeat(400) // 400 characters, 2400 as json.dumps writes them
    const { metrics } = await mapOnce(({ meter }) => meter.createCounter('c', { unit: 'ms', description }).add(1))
    expect(only(metrics, 'c').value_meta).toEqual({ unit: 'ms' })
  })

  it('no unit and no description: no value_meta at all', async () => {
    const { metrics } = await mapOnce(({ meter }) => meter.createCounter('c').add(1))
    expect(only(metrics, 'c')).not.toHaveProperty('value_meta')
  })
})

describe('what cannot be made valid', () => {
  it('NaN and infinite values are set apart with the validation error, never among the valid metrics', async () => {
    const { metrics, invalid } = await mapOnce(({ meter }) => {
      meter.createGauge('g.nan').record(NaN)
      meter.createGauge('g.inf').record(Infinity, { k: 'v' })
      meter.createGauge('g.ok').record(1)
      meter.createHistogram('h.inf', { advice: { explicitBucketBoundaries: [1] } }).record(Infinity)
    })
    expect(metrics.map((m) => m.name)).toContain('g.ok')
    expect(metrics.map((m) => m.name)).not.toContain('g.nan')
    const names = invalid.map((i) => i.metric.name).sort()
    expect(names).toEqual(expect.arrayContaining(['g.inf', 'g.nan', 'h.inf.sum']))
    for (const { metric, error } of invalid) {
      expect(error).toBeInstanceOf(MonascaValidationError)
      expect(error.message).toMatch(/finite number/)
      expect(problem(metric)).toBeInstanceOf(MonascaValidationError)
    }
    expectValid(metrics)
  })
})

describe('options are checked when the mapper is made', () => {
  it.each([
    [{ prefix: 'my app.' }, /prefix/],
    [{ dimensions: { _x: 'y' } }, /dimensions key/],
    [{ dimensions: { x: '' } }, /dimensions\.x/],
    [{ attributes: { rename: { a: 'b=c' } } }, /attributes\.rename/],
    [{ resourceAttributes: { allow: 'service.name' as never } }, /resourceAttributes\.allow/],
    [{ emptyValue: 'a;b' }, /emptyValue/],
    [{ valueMeta: 'yes' as never }, /valueMeta/],
  ] as Array<[MappingOptions, RegExp]>)('%j', (options, message) => {
    expect(() => createMapper(options)).toThrow(MonascaValidationError)
    expect(() => createMapper(options)).toThrow(message)
  })
})

describe('temporality preference', () => {
  const types = Object.values(InstrumentType)
  const { DELTA, CUMULATIVE } = AggregationTemporality
  it('delta (default): counters, observable counters and histograms delta; up-down counters and gauges cumulative', () => {
    const pick = temporalitySelector()
    expect(Object.fromEntries(types.map((t) => [t, pick(t)]))).toEqual({
      COUNTER: DELTA, OBSERVABLE_COUNTER: DELTA, HISTOGRAM: DELTA,
      UP_DOWN_COUNTER: CUMULATIVE, OBSERVABLE_UP_DOWN_COUNTER: CUMULATIVE, GAUGE: CUMULATIVE, OBSERVABLE_GAUGE: CUMULATIVE,
    })
  })
  it('lowmemory keeps observable counters cumulative; cumulative is cumulative throughout; a function is used as is', () => {
    expect(temporalitySelector('lowmemory')(InstrumentType.OBSERVABLE_COUNTER)).toBe(CUMULATIVE)
    expect(temporalitySelector('lowmemory')(InstrumentType.COUNTER)).toBe(DELTA)
    expect(types.map(temporalitySelector('cumulative'))).toEqual(types.map(() => CUMULATIVE))
    expect(temporalitySelector(() => DELTA)(InstrumentType.GAUGE)).toBe(DELTA)
    expect(() => temporalitySelector('weekly' as never)).toThrow(MonascaValidationError)
  })
})

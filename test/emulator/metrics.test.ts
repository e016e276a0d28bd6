import { beforeEach, describe, expect, it } from 'vitest'
import { BASE, type Harness, T0, harness, metric, q } from './helpers.js'

let h: Harness
beforeEach(() => {
  h = harness()
})

const START = new Date(T0 - 3_600_000).toISOString()
const nextOffset = (body: { links: Array<{ rel: string; href: string }> }) => {
  const next = body.links.find((l) => l.rel === 'next')
  return next ? new URL(next.href).searchParams.get('offset') : undefined
}

describe('POST /v2.0/metrics', () => {
  it('stores one metric or an array and answers 204 with no body', async () => {
    const one = await h.post('/v2.0/metrics', metric('cpu.idle_perc', { hostname: 'h1' }, 98.5))
    expect(one.status).toBe(204)
    expect(one.text).toBe('')
    const many = await h.post('/v2.0/metrics', [metric('cpu.idle_perc', { hostname: 'h2' }, 97), metric('mem', {}, 1)])
    expect(many.status).toBe(204)
    expect((await h.post('/v2.0/metrics', [])).status).toBe(204)
    const list = await h.get('/v2.0/metrics')
    expect(list.body.elements).toHaveLength(3)
    for (const e of list.body.elements) expect(Object.keys(e).sort()).toEqual(['dimensions', 'id', 'name'])
    expect(typeof list.body.elements[0].id).toBe('string')
  })

  it('requires exactly application/json (400) and valid JSON (400)', async () => {
    const charset = await h.call('POST', '/v2.0/metrics', { body: metric('a', {}, 1), headers: { 'Content-Type': 'application/json; charset=utf-8' } })
    expect(charset.status).toBe(400)
    expect(charset.body).toEqual({ title: 'Bad request', description: 'Bad content type. Must be application/json' })
    const broken = await h.call('POST', '/v2.0/metrics', { rawBody: '{"name":', headers: { 'Content-Type': 'application/json' } })
    expect(broken.status).toBe(400)
    expect(broken.body).toEqual({ title: 'Bad request', description: 'Request body is not valid JSON' })
  })

  it.each([
    ["'name'", { value: 1, timestamp: T0 }],
    ['invalid length for metric name: ', { name: '', value: 1, timestamp: T0 }],
    ['invalid length for metric name: nnn', { name: 'n'.repeat(256), value: 1, timestamp: T0 }],
    ['invalid characters in metric name: a b', { name: 'a b', value: 1, timestamp: T0 }],
    ["'value': for metric m", { name: 'm', timestamp: T0 }],
    ['invalid value type: x is not a number type for metric: for metric m', { name: 'm', value: 'x', timestamp: T0 }],
    ['invalid timestamp type: None is not a number type for metric: for metric m', { name: 'm', value: 1, timestamp: null }],
    ['invalid length (0) for dimension value  from key k: for metric m', { name: 'm', value: 1, timestamp: T0, dimensions: { k: '' } }],
    ['invalid length (0) for dimension key : for metric m', { name: 'm', value: 1, timestamp: T0, dimensions: { '': 'v' } }],
    ['invalid characters in dimension key _k: for metric m', { name: 'm', value: 1, timestamp: T0, dimensions: { _k: 'v' } }],
    ['invalid length (256) for dimension value', { name: 'm', value: 1, timestamp: T0, dimensions: { k: 'v'.repeat(256) } }],
    ["'NoneType' object has no attribute 'items': for metric m", { name: 'm', value: 1, timestamp: T0, dimensions: null }],
    ['Too many valueMeta entries 17', { name: 'm', value: 1, timestamp: T0, value_meta: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }],
    ['valueMeta name too long', { name: 'm', value: 1, timestamp: T0, value_meta: { ['k'.repeat(256)]: 'v' } }],
    ['valueMeta name value combinations must be 2048 characters or less', { name: 'm', value: 1, timestamp: T0, value_meta: { k: 'v'.repeat(2048) } }],
  ])('refuses with 422: %s', async (description, body) => {
    const r = await h.post('/v2.0/metrics', body)
    expect(r.status).toBe(422)
    expect(r.body.title).toBe('Unprocessable Entity')
    expect(r.body.description.startsWith(description)).toBe(true)
  })

  it.each([...'<>={},"\\;&()'])('refuses %s in a metric name', async (ch) => {
    expect((await h.post('/v2.0/metrics', metric(`a${ch}b`, {}, 1))).status).toBe(422)
  })

  it.each([...'<>={},"\\;&'])('refuses %s in a dimension key and value', async (ch) => {
    expect((await h.post('/v2.0/metrics', metric('m', { [`k${ch}`]: 'v' }, 1))).status).toBe(422)
    expect((await h.post('/v2.0/metrics', metric('m', { k: `v${ch}` }, 1))).status).toBe(422)
  })

  it("accepts a colon in a dimension value, an apostrophe and multibyte characters in names, and value_meta at the limit", async () => {
    expect((await h.post('/v2.0/metrics', metric("it's.名前", { url: 'http://localhost:8070/v2.0' }, 1))).status).toBe(204)
    // {"k": "vvv…"}: 2048 characters exactly with Python's separators
    expect((await h.post('/v2.0/metrics', metric('m', {}, 1, T0, { k: 'v'.repeat(2048 - 9) }))).status).toBe(204)
  })

  it('needs monasca-user or monasca-agent (401 "Forbidden" otherwise)', async () => {
    expect((await h.post('/v2.0/metrics', metric('m', {}, 1), 'agent')).status).toBe(204)
    const denied = await h.post('/v2.0/metrics', metric('m', {}, 1), 'reader')
    expect(denied.status).toBe(401)
    expect(denied.body).toEqual({ title: 'Forbidden', description: 'The request does not have access to this service' })
    expect(denied.headers.get('www-authenticate')).toBe('Token')
  })
})

describe('GET /v2.0/metrics', () => {
  beforeEach(async () => {
    await h.post('/v2.0/metrics', [
      metric('cpu', { hostname: 'h1', service: 's' }, 1, T0 - 10_000),
      metric('cpu', { hostname: 'h2', service: 's' }, 1, T0 - 20_000),
      metric('cpu', { hostname: 'h3' }, 1, T0 - 7_200_000),
      metric('mem', { hostname: 'h1' }, 1),
    ])
  })

  it('filters by name, dimensions with | alternatives and key-only dimensions', async () => {
    expect((await h.get(`/v2.0/metrics${q({ name: 'cpu' })}`)).body.elements).toHaveLength(3)
    expect((await h.get(`/v2.0/metrics${q({ dimensions: 'hostname:h1|h2' })}`)).body.elements).toHaveLength(3)
    expect((await h.get(`/v2.0/metrics${q({ name: 'cpu', dimensions: 'service' })}`)).body.elements).toHaveLength(2)
    expect((await h.get(`/v2.0/metrics${q({ name: 'cpu', start_time: START })}`)).body.elements).toHaveLength(2)
  })

  it("decodes '+' as a space, as the Python client encodes query values", async () => {
    await h.post('/v2.0/metrics', metric('fs', { path: '/var log' }, 1))
    expect((await h.get('/v2.0/metrics?dimensions=path%3A%2Fvar+log')).body.elements.map((e: { name: string }) => e.name)).toEqual(['fs'])
    expect((await h.get('/v2.0/metrics?dimensions=path%3A%2Fvar%20log')).body.elements).toHaveLength(1)
  })

  it('pages with the element id as offset: the next page starts after it', async () => {
    const first = await h.get(`/v2.0/metrics${q({ limit: 2 })}`)
    expect(first.body.elements.map((e: { id: string }) => e.id)).toEqual(['0', '1'])
    expect(nextOffset(first.body)).toBe('1')
    const second = await h.get(`/v2.0/metrics${q({ offset: 1, limit: 2 })}`)
    expect(second.body.elements.map((e: { id: string }) => e.id)).toEqual(['2', '3'])
    expect(nextOffset(second.body)).toBeUndefined()
  })

  it('emits single-encoded self and next links that rebuild the query', async () => {
    const r = await h.get(`/v2.0/metrics${q({ name: 'cpu', dimensions: 'service:s', limit: 1 })}`)
    expect(r.body.links).toEqual([
      { rel: 'self', href: `${BASE}/v2.0/metrics?name=cpu&dimensions=service%3As&limit=1` },
      { rel: 'next', href: `${BASE}/v2.0/metrics?offset=0&name=cpu&dimensions=service%3As&limit=1` },
    ])
  })

  it('keeps tenants apart and honours tenant_id only for the admin (delegate) role', async () => {
    expect((await h.get('/v2.0/metrics', 'other')).body.elements).toEqual([])
    expect((await h.get('/v2.0/metrics?tenant_id=p1', 'other')).body.elements).toEqual([])
    await h.post('/v2.0/metrics?tenant_id=p2', metric('cross', {}, 1), 'admin')
    expect((await h.get('/v2.0/metrics', 'other')).body.elements.map((e: { name: string }) => e.name)).toEqual(['cross'])
    expect((await h.get('/v2.0/metrics?tenant_id=p2', 'admin')).body.elements).toHaveLength(1)
  })

  it('validates the query: bad dimension 422, bad limit 422 "Invalid limit", start >= end 400', async () => {
    expect((await h.get(`/v2.0/metrics${q({ dimensions: `${'k'.repeat(256)}:v` })}`)).status).toBe(422)
    expect((await h.get(`/v2.0/metrics${q({ dimensions: '_k:v' })}`)).body.description).toBe("Dimension key _k may not start with '_'")
    expect((await h.get('/v2.0/metrics?limit=abc')).body).toEqual({ title: 'Invalid limit', description: 'Limit parameter must be a positive integer' })
    const backwards = await h.get(`/v2.0/metrics${q({ start_time: START, end_time: START })}`)
    expect(backwards.status).toBe(400)
    expect(backwards.body.description).toBe('start_time must be before end_time')
    expect((await h.get('/v2.0/metrics?start_time=2015-03-00T00:00:01Z')).status).toBe(422)
  })
})

describe('names and dimensions', () => {
  beforeEach(async () => {
    await h.post('/v2.0/metrics', [
      metric('b.metric', { hostname: 'h2', region: 'r1' }, 1),
      metric('a.metric', { hostname: 'h1' }, 1),
      metric('c.metric', { hostname: 'h1', zone: 'z' }, 1),
    ])
  })

  it('lists names sorted, filtered by dimensions, and resumes after an offset or at the next greater name', async () => {
    expect((await h.get('/v2.0/metrics/names')).body.elements).toEqual([{ name: 'a.metric' }, { name: 'b.metric' }, { name: 'c.metric' }])
    expect((await h.get(`/v2.0/metrics/names${q({ dimensions: 'hostname:h1' })}`)).body.elements).toHaveLength(2)
    const page = await h.get('/v2.0/metrics/names?limit=1')
    expect(page.body.elements).toEqual([{ name: 'a.metric' }])
    expect(nextOffset(page.body)).toBe('a.metric')
    expect((await h.get('/v2.0/metrics/names?offset=a.metric')).body.elements[0]).toEqual({ name: 'b.metric' })
    expect((await h.get('/v2.0/metrics/names?offset=a.z')).body.elements[0]).toEqual({ name: 'b.metric' })
    expect((await h.get('/v2.0/metrics/names?offset=zzz')).body.elements).toEqual([])
  })

  it('lists dimension names and values, sorted and filtered by metric_name; dimension_name is required', async () => {
    expect((await h.get('/v2.0/metrics/dimensions/names')).body.elements).toEqual([
      { dimension_name: 'hostname' }, { dimension_name: 'region' }, { dimension_name: 'zone' },
    ])
    expect((await h.get('/v2.0/metrics/dimensions/names?metric_name=a.metric')).body.elements).toEqual([{ dimension_name: 'hostname' }])
    expect((await h.get('/v2.0/metrics/dimensions/names/values?dimension_name=hostname')).body.elements).toEqual([
      { dimension_value: 'h1' }, { dimension_value: 'h2' },
    ])
    expect((await h.get('/v2.0/metrics/dimensions/names/values?dimension_name=hostname&metric_name=unknown')).body.elements).toEqual([])
    // The first metric_name counts (the Python CLI repeats the key for each --metric-name)
    expect((await h.get('/v2.0/metrics/dimensions/names?metric_name=a.metric&metric_name=c.metric')).body.elements).toEqual([{ dimension_name: 'hostname' }])
    const missing = await h.get('/v2.0/metrics/dimensions/names/values')
    expect(missing.status).toBe(422)
    expect(missing.body.description).toBe('Missing dimension_name')
  })
})

describe('dimension queries with a time range', () => {
  it('filter by whole days, as InfluxDB shards answer them', async () => {
    const day = 86_400_000
    await h.post('/v2.0/metrics', [metric('old', { region: 'r-old' }, 1, T0 - 3 * day), metric('new', { region: 'r-new' }, 1, T0)])
    const values = async (query: Record<string, string | number>) =>
      (await h.get(`/v2.0/metrics/dimensions/names/values${q({ dimension_name: 'region', ...query })}`)).body.elements.map((e: { dimension_value: string }) => e.dimension_value)
    expect(await values({})).toEqual(['r-new', 'r-old'])
    expect(await values({ start_time: new Date(T0 - 1000).toISOString() })).toEqual(['r-new'])
    // same day as the old point, though after it
    expect(await values({ start_time: new Date(T0 - 3 * day + 1000).toISOString(), end_time: new Date(T0 - 2 * day - 43_200_000).toISOString() })).toEqual(['r-old'])
  })
})

describe('measurements', () => {
  beforeEach(async () => {
    const points = []
    for (let i = 0; i < 5; i++) {
      points.push(metric('http', { hostname: 'h1', key2: 'a', key3: 'x' }, i, T0 - 60_000 * (5 - i), i === 4 ? { rc: '404' } : undefined))
      points.push(metric('http', { hostname: 'h2', key2: 'a', key3: 'y' }, 10 + i, T0 - 60_000 * (5 - i) + 1))
      points.push(metric('http', { hostname: 'h3', key2: 'b', key3: 'y' }, 20 + i, T0 - 60_000 * (5 - i) + 2))
    }
    await h.post('/v2.0/metrics', points)
  })

  it('needs name and start_time (422) and start before end (400)', async () => {
    expect((await h.get(`/v2.0/metrics/measurements${q({ name: 'http' })}`)).body.description).toBe('Missing start time')
    expect((await h.get(`/v2.0/metrics/measurements${q({ start_time: START })}`)).body.description).toBe('Missing name')
    expect((await h.get(`/v2.0/metrics/measurements${q({ name: 'http', start_time: START, end_time: START })}`)).status).toBe(400)
  })

  it('answers 409 MultipleMetrics when several series match without merge_metrics or group_by', async () => {
    const r = await h.get(`/v2.0/metrics/measurements${q({ name: 'http', start_time: START })}`)
    expect(r.status).toBe(409)
    expect(r.body.title).toBe('MultipleMetrics')
    expect(r.body.description).toMatch(/^Found multiple metrics matching metric name and dimensions/)
  })

  it('returns one series with its dimensions, columns and value_meta', async () => {
    const r = await h.get(`/v2.0/metrics/measurements${q({ name: 'http', dimensions: 'hostname:h1', start_time: START })}`)
    expect(r.status).toBe(200)
    const [e] = r.body.elements
    expect(Object.keys(e).sort()).toEqual(['columns', 'dimensions', 'id', 'measurements', 'name'])
    expect(e.columns).toEqual(['timestamp', 'value', 'value_meta'])
    expect(e.dimensions).toEqual({ hostname: 'h1', key2: 'a', key3: 'x' })
    expect(e.measurements).toHaveLength(5)
    expect(e.measurements[0]).toEqual([new Date(T0 - 300_000).toISOString(), 0, {}])
    expect(e.measurements[4][2]).toEqual({ rc: '404' })
  })

  it('merges with merge_metrics=true (dimensions echo the filter); the first duplicate parameter wins', async () => {
    const merged = await h.get(`/v2.0/metrics/measurements${q({ name: 'http', start_time: START, merge_metrics: 'true' })}`)
    expect(merged.body.elements).toHaveLength(1)
    expect(merged.body.elements[0].dimensions).toEqual({})
    expect(merged.body.elements[0].measurements).toHaveLength(15)
    const times = merged.body.elements[0].measurements.map((m: [string]) => m[0])
    expect([...times].sort()).toEqual(times)
    expect((await h.get(`/v2.0/metrics/measurements${q({ name: 'http', start_time: START, merge_metrics: 'true' })}&merge_metrics=false`)).status).toBe(200)
    expect((await h.get(`/v2.0/metrics/measurements${q({ name: 'http', start_time: START, merge_metrics: 'false' })}&merge_metrics=true`)).status).toBe(409)
  })

  it('groups with group_by: dimensions hold only the grouped keys; * gives one element per series', async () => {
    const byKey2 = await h.get(`/v2.0/metrics/measurements${q({ name: 'http', start_time: START, group_by: 'key2' })}`)
    expect(byKey2.body.elements.map((e: { dimensions: object }) => e.dimensions)).toEqual([{ key2: 'a' }, { key2: 'b' }])
    expect((await h.get(`/v2.0/metrics/measurements${q({ name: 'http', start_time: START, group_by: 'key2,key3' })}`)).body.elements).toHaveLength(3)
    expect((await h.get(`/v2.0/metrics/measurements${q({ name: 'http', start_time: START, group_by: '*' })}`)).body.elements).toHaveLength(3)
    expect((await h.get(`/v2.0/metrics/measurements${q({ name: 'http', start_time: START, group_by: '*', merge_metrics: 'true' })}`)).body.elements).toHaveLength(3)
  })

  it('pages by measurement rows across series with "<id>_<timestamp>" offsets, losing and repeating nothing', async () => {
    const all: string[] = []
    let offset: string | undefined
    let pages = 0
    do {
      const r = await h.get(`/v2.0/metrics/measurements${q({ name: 'http', start_time: START, group_by: '*', limit: 4, ...(offset ? { offset } : {}) })}`)
      const rows = r.body.elements.flatMap((e: { id: string; measurements: Array<[string, number]> }) => e.measurements.map((m) => `${e.id}:${m[1]}`))
      expect(rows.length).toBeLessThanOrEqual(4)
      all.push(...rows)
      offset = nextOffset(r.body) ?? undefined
      if (offset) expect(offset).toMatch(/^\d+_\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
      pages++
    } while (offset && pages < 10)
    expect(all).toHaveLength(15)
    expect(new Set(all).size).toBe(15)
  })
})

describe('statistics', () => {
  beforeEach(async () => {
    await h.post('/v2.0/metrics', [
      metric('load', { hostname: 'h1' }, 1, T0 - 119_000),
      metric('load', { hostname: 'h1' }, 3, T0 - 100_000),
      metric('load', { hostname: 'h1' }, 8, T0 - 50_000),
      metric('load', { hostname: 'h2' }, 100, T0 - 50_000),
    ])
  })

  it('computes the requested statistics per period bucket, in the requested order', async () => {
    const r = await h.get(`/v2.0/metrics/statistics${q({ name: 'load', dimensions: 'hostname:h1', start_time: START, statistics: 'AVG,max,min,sum,count', period: 60 })}`)
    expect(r.status).toBe(200)
    const [e] = r.body.elements
    expect(Object.keys(e).sort()).toEqual(['columns', 'dimensions', 'id', 'name', 'statistics'])
    expect(e.columns).toEqual(['timestamp', 'avg', 'max', 'min', 'sum', 'count'])
    expect(e.statistics).toEqual([
      [new Date(T0 - 120_000).toISOString().replace('.000', ''), 2, 3, 1, 4, 2],
      [new Date(T0 - 60_000).toISOString().replace('.000', ''), 8, 8, 8, 8, 1],
    ])
    const whole = await h.get(`/v2.0/metrics/statistics${q({ name: 'load', start_time: START, statistics: 'avg,count', period: 100_000, merge_metrics: 'true' })}`)
    expect(whole.body.elements[0].statistics).toHaveLength(1)
    expect(whole.body.elements[0].statistics[0].slice(1)).toEqual([28, 4])
  })

  it('validates statistics and period', async () => {
    const base = { name: 'load', dimensions: 'hostname:h1', start_time: START }
    expect((await h.get(`/v2.0/metrics/statistics${q(base)}`)).body.description).toBe('Missing statistics')
    expect((await h.get(`/v2.0/metrics/statistics${q({ ...base, statistics: 'abc' })}`)).body.description).toBe('Invalid statistic')
    expect((await h.get(`/v2.0/metrics/statistics${q({ ...base, statistics: 'avg', period: 'x' })}`)).body.description).toBe('Period must be a valid integer')
    expect((await h.get(`/v2.0/metrics/statistics${q({ ...base, statistics: 'avg', period: -60 })}`)).body.description).toBe('Period must be a positive integer')
    expect((await h.get(`/v2.0/metrics/statistics${q({ ...base, statistics: 'avg' })}`)).status).toBe(200)
    expect((await h.get(`/v2.0/metrics/statistics${q({ name: 'load', start_time: START, statistics: 'avg' })}`)).status).toBe(409)
  })

  it('pages statistics rows with a timestamp offset', async () => {
    const first = await h.get(`/v2.0/metrics/statistics${q({ name: 'load', dimensions: 'hostname:h1', start_time: START, statistics: 'sum', period: 60, limit: 1 })}`)
    expect(first.body.elements[0].statistics).toHaveLength(1)
    const offset = nextOffset(first.body)
    expect(offset).toBe(first.body.elements[0].statistics[0][0])
    const second = await h.get(`/v2.0/metrics/statistics${q({ name: 'load', dimensions: 'hostname:h1', start_time: START, statistics: 'sum', period: 60, limit: 1, offset: offset! })}`)
    expect(second.body.elements[0].statistics).toEqual([[new Date(T0 - 60_000).toISOString().replace('.000', ''), 8]])
  })
})

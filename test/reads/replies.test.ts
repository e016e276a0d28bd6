/**
 * Replies that lie, paging that loops, iteration that stops, and `.withResponse()`: every list and
 * every call of every resource, against stub servers.
 */
import { describe, expect, it } from 'vitest'
import {
  createClient,
  MonascaAbortError,
  MonascaPaginationError,
  MonascaResponseError,
  type Client,
  type MeasurementSeries,
} from '../../src/index.js'
import { captureFetch, json } from '../helpers/capture.js'

const ENDPOINT = 'http://monasca.test:8070/v2.0'
const client = (fetch: typeof globalThis.fetch | ((i: RequestInfo | URL, init?: RequestInit) => Promise<Response>)) =>
  createClient({ endpoint: ENDPOINT, token: 't', fetch, retries: 0 })

const START = '2024-01-01T00:00:00Z'
const lists: Array<[string, (c: Client) => PromiseLike<unknown[]> & { toArray(): Promise<unknown[]> }]> = [
  ['metrics.list', (c) => c.metrics.list()],
  ['metrics.listNames', (c) => c.metrics.listNames()],
  ['metrics.listMeasurements', (c) => c.metrics.listMeasurements({ name: 'm', start_time: START })],
  ['metrics.listStatistics', (c) => c.metrics.listStatistics({ name: 'm', start_time: START, statistics: 'avg' })],
  ['metrics.listDimensionNames', (c) => c.metrics.listDimensionNames()],
  ['metrics.listDimensionValues', (c) => c.metrics.listDimensionValues({ dimension_name: 'h' })],
  ['alarmDefinitions.list', (c) => c.alarmDefinitions.list()],
  ['alarms.list', (c) => c.alarms.list()],
  ['alarms.history', (c) => c.alarms.history('a1')],
  ['alarms.historyList', (c) => c.alarms.historyList()],
  ['notifications.list', (c) => c.notifications.list()],
  ['notificationTypes.list', (c) => c.notificationTypes.list()],
]

const definition = { name: 'd', expression: 'max(x) > 1', description: '', severity: 'LOW' as const, match_by: [], alarm_actions: [], ok_actions: [], undetermined_actions: [], actions_enabled: true }
const calls: Array<[string, (c: Client) => PromiseLike<unknown>]> = [
  ['alarmDefinitions.get', (c) => c.alarmDefinitions.get('d1')],
  ['alarmDefinitions.create', (c) => c.alarmDefinitions.create({ name: 'd', expression: 'max(x) > 1' })],
  ['alarmDefinitions.update', (c) => c.alarmDefinitions.update('d1', definition)],
  ['alarmDefinitions.patch', (c) => c.alarmDefinitions.patch('d1', { severity: 'HIGH' })],
  ['alarms.get', (c) => c.alarms.get('a1')],
  ['alarms.update', (c) => c.alarms.update('a1', { state: 'OK', lifecycle_state: 'OPEN', link: 'http://l' })],
  ['alarms.patch', (c) => c.alarms.patch('a1', { state: 'OK' })],
  ['alarms.count', (c) => c.alarms.count()],
  ['notifications.get', (c) => c.notifications.get('n1')],
  ['notifications.create', (c) => c.notifications.create({ name: 'n', type: 'EMAIL', address: 'a@b' })],
  ['notifications.update', (c) => c.notifications.update('n1', { name: 'n', type: 'EMAIL', address: 'a@b', period: 0 })],
  ['notifications.patch', (c) => c.notifications.patch('n1', { period: 60 })],
  ['versions.get', (c) => c.versions.get()],
]

/** JSON bodies that are not what a list promises. */
const lyingPages: unknown[] = [null, 42, 'hello', [], [{ id: 'x' }], {}, { elements: 'x' }, { elements: {} }, { elements: [42] }, { elements: [null] }, { elements: [{}] }, { links: 'x', elements: [] }]
/** JSON bodies that are not what a single object promises. */
const lyingObjects: unknown[] = [null, 42, 'hello', true, [], [{ id: 'x' }], {}, { id: 5 }, { links: [], elements: [] }]

async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('resolved')
}

describe('a reply that is not what the API promises is an error, never data', () => {
  it.each(lists)('%s: every lying page rejects with MonascaResponseError (await, iteration and toArray)', async (_name, list) => {
    for (const body of lyingPages) {
      const { fetch } = captureFetch(() => json(body, 200, { 'x-openstack-request-id': 'req-9' }))
      const c = client(fetch)
      const error = await rejection(list(c))
      expect(error, JSON.stringify(body)).toBeInstanceOf(MonascaResponseError)
      expect(error).toMatchObject({ status: 200, requestId: 'req-9', method: 'GET' })
      expect((error as MonascaResponseError).url).toMatch(/^http:\/\/monasca\.test:8070\/v2\.0\/(metrics|alarm|notification)/)
      expect((error as MonascaResponseError).bodyStart).toBe(typeof body === "string" ? body : JSON.stringify(body).slice(0, 200))
      await expect(list(c).toArray()).rejects.toBeInstanceOf(MonascaResponseError)
    }
  })

  it.each(lists)('%s: a plain-text or HTML 200 rejects too', async (_name, list) => {
    for (const text of ['hello', '<html><body>Proxy login</body></html>']) {
      const { fetch } = captureFetch(() => new Response(text, { status: 200, headers: { 'content-type': 'text/html' } }))
      const error = await rejection(list(client(fetch)))
      expect(error).toBeInstanceOf(MonascaResponseError)
      expect((error as MonascaResponseError).bodyStart).toContain(text.slice(0, 10))
    }
  })

  it.each(calls)('%s: every lying object rejects with MonascaResponseError', async (_name, call) => {
    for (const body of lyingObjects) {
      const { fetch } = captureFetch(() => json(body))
      const error = await rejection(call(client(fetch)))
      expect(error, JSON.stringify(body)).toBeInstanceOf(MonascaResponseError)
      expect((error as MonascaResponseError).status).toBe(200)
      expect((error as MonascaResponseError).url).toMatch(/^http:\/\/monasca\.test:8070\/v2\.0/)
    }
    const { fetch } = captureFetch(() => new Response('<html>oops</html>', { status: 200 }))
    expect(await rejection(call(client(fetch)))).toBeInstanceOf(MonascaResponseError)
  })

  it('names the element that is wrong', async () => {
    const { fetch } = captureFetch(() => json({ links: [], elements: [{ id: '1', name: 'ok', dimensions: {} }, { id: '2', dimensions: {} }] }))
    const error = await rejection(client(fetch).metrics.list())
    expect((error as Error).message).toMatch(/element 1: no "name" string/)
  })

  it('still takes replies with fields it does not know, and without links', async () => {
    const { fetch } = captureFetch(() => json({ elements: [{ name: 'cpu', extra: 1 }] }))
    expect(await client(fetch).metrics.listNames()).toEqual([{ name: 'cpu', extra: 1 }])
  })
})

describe('paging that loops ends with a typed error', () => {
  const page = (offset: string, elements: unknown[]) => json({ links: [{ rel: 'next', href: `${ENDPOINT}/metrics/names?offset=${offset}` }], elements })

  it('a next link that repeats the offset just read', async () => {
    const { fetch, calls } = captureFetch((_r, i) => page('same', [{ name: `n${i}` }]))
    const error = await rejection(client(fetch).metrics.listNames().toArray())
    expect(error).toBeInstanceOf(MonascaPaginationError)
    expect(error).toBeInstanceOf(MonascaResponseError)
    expect(error).toMatchObject({ offset: 'same', code: 'pagination_loop' })
    expect(calls.length).toBe(2)
  })

  it('a next link that cycles between two offsets, in for await and pages()', async () => {
    const { fetch, calls } = captureFetch((_r, i) => page(i % 2 ? 'a' : 'b', [{ name: `n${i}` }]))
    const seen: string[] = []
    const error = await rejection((async () => {
      for await (const n of client(fetch).metrics.listNames()) seen.push(n.name)
    })())
    expect(error).toBeInstanceOf(MonascaPaginationError)
    expect(seen).toEqual(['n0', 'n1', 'n2'])
    expect(calls.length).toBe(3)
    calls.length = 0
    await expect((async () => {
      for await (const _p of client(fetch).metrics.listNames().pages());
    })()).rejects.toBeInstanceOf(MonascaPaginationError)
  })

  it('counted offsets (notification methods) never loop even when the server repeats its links', async () => {
    const { fetch, calls } = captureFetch((r) => {
      const offset = Number(new URLSearchParams(r.rawQuery).get('offset') ?? 0)
      return json({ links: offset < 4 ? [{ rel: 'next', href: `${ENDPOINT}/notification-methods?offset=uuid` }] : [], elements: [{ id: `n${offset}` }, { id: `n${offset + 1}` }] })
    })
    expect((await client(fetch).notifications.list({ limit: 2 }).toArray()).map((n) => n.id)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5'])
    expect(calls).toHaveLength(3)
  })
})

describe('stopping an iteration cancels the page in flight', () => {
  /** Page 0 answers; every later page hangs until its signal aborts. */
  function hangingAfterFirst() {
    const signals: AbortSignal[] = []
    let requests = 0
    const fetch = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      requests++
      if (requests === 1) return json({ links: [{ rel: 'next', href: `${ENDPOINT}/metrics/names?offset=a` }], elements: [{ name: 'a' }] })
      const signal = init!.signal!
      signals.push(signal)
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))
    }
    return { fetch, signals, requests: () => requests }
  }

  it('return() while the next page is in flight aborts it and ends the iteration', async () => {
    const server = hangingAfterFirst()
    const iterator = client(server.fetch).metrics.listNames()[Symbol.asyncIterator]()
    expect(await iterator.next()).toEqual({ done: false, value: { name: 'a' } })
    const pending = iterator.next()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(server.signals).toHaveLength(1)
    expect(server.signals[0]!.aborted).toBe(false)
    await iterator.return!()
    expect(server.signals[0]!.aborted).toBe(true)
    expect(await pending).toEqual({ done: true, value: undefined })
  })

  it('the caller signal aborts the page in flight with MonascaAbortError', async () => {
    const server = hangingAfterFirst()
    const controller = new AbortController()
    const seen: string[] = []
    const run = (async () => {
      for await (const n of client(server.fetch).metrics.listNames({}, { signal: controller.signal })) seen.push(n.name)
    })()
    await new Promise((resolve) => setTimeout(resolve, 10))
    controller.abort()
    expect(await rejection(run)).toBeInstanceOf(MonascaAbortError)
    expect(server.signals[0]!.aborted).toBe(true)
    expect(seen).toEqual(['a'])
  })

  it('break asks for no further page', async () => {
    const { fetch, calls } = captureFetch((_r, i) => json({ links: [{ rel: 'next', href: `${ENDPOINT}/metrics/names?offset=x${i}` }], elements: [{ name: `a${i}` }, { name: `b${i}` }] }))
    for await (const n of client(fetch).metrics.listNames()) if (n.name === 'b0') break
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(calls).toHaveLength(1)
  })
})

describe('withResponse(): the data with the reply it came in', () => {
  it('on calls and on lists: status, headers and request id', async () => {
    const { fetch } = captureFetch((r) =>
      r.method === 'DELETE' ? new Response(null, { status: 204, headers: { 'x-openstack-request-id': 'req-3' } })
      : r.path.endsWith('/alarms/a1') ? json({ id: 'a1', state: 'OK' }, 200, { 'x-openstack-request-id': 'req-1' })
      : json({ links: [], elements: [{ name: 'cpu' }] }, 200, { 'x-openstack-request-id': 'req-2', 'x-extra': 'yes' }))
    const c = client(fetch)
    const got = await c.alarms.get('a1').withResponse()
    expect(got).toMatchObject({ data: { id: 'a1', state: 'OK' }, requestId: 'req-1', response: { status: 200 } })
    const listed = await c.metrics.listNames().withResponse()
    expect(listed.data).toEqual([{ name: 'cpu' }])
    expect(listed.requestId).toBe('req-2')
    expect(listed.response.headers.get('x-extra')).toBe('yes')
    const deleted = await c.alarms.delete('a1').withResponse()
    expect(deleted).toMatchObject({ data: undefined, requestId: 'req-3', response: { status: 204 } })
    // Awaiting the call itself still gives the data alone.
    expect(await c.alarms.get('a1')).toEqual({ id: 'a1', state: 'OK' })
  })

  it('each page of pages() carries its own request id', async () => {
    const { fetch } = captureFetch((_r, i) => json({ links: i < 1 ? [{ rel: 'next', href: `${ENDPOINT}/x?offset=z` }] : [], elements: [{ name: `n${i}` }] }, 200, { 'x-openstack-request-id': `req-${i}` }))
    const ids: Array<string | undefined> = []
    for await (const page of client(fetch).metrics.listNames().pages()) ids.push(page.requestId)
    expect(ids).toEqual(['req-0', 'req-1'])
  })
})

describe('series that stream: iteration yields chunks, toArray joins them', () => {
  const columns = ['timestamp', 'value', 'value_meta']
  const chunk = (id: string, h: string, ts: string[]): MeasurementSeries => ({ id, name: 'cpu', dimensions: { h }, columns, measurements: ts.map((t, i) => [t, i, {}]) })
  const pages = [[chunk('0', 'a', ['t1']), chunk('1', 'b', ['t1', 't2'])], [chunk('1', 'b', ['t3', 't4'])], [chunk('1', 'b', ['t5']), chunk('2', 'c', ['t1'])]]
  const server = () => captureFetch((_r, i) => json({ links: i < 2 ? [{ rel: 'next', href: `${ENDPOINT}/metrics/measurements?offset=1_t${i}` }] : [], elements: pages[i] }))
  const params = { name: 'cpu', start_time: START, group_by: '*' }

  it('for await gives one chunk per page of a long series, rows untouched', async () => {
    const seen: string[] = []
    for await (const s of client(server().fetch).metrics.listMeasurements(params)) seen.push(`${s.id}:${s.measurements.map((m) => m[0]).join(',')}`)
    expect(seen).toEqual(['0:t1', '1:t1,t2', '1:t3,t4', '1:t5', '2:t1'])
  })

  it('toArray() joins the chunks of one series; max counts whole series', async () => {
    const all = await client(server().fetch).metrics.listMeasurements(params).toArray()
    expect(all.map((s) => `${s.id}:${s.measurements.map((m) => m[0]).join(',')}`)).toEqual(['0:t1', '1:t1,t2,t3,t4,t5', '2:t1'])
    const two = await client(server().fetch).metrics.listMeasurements(params).toArray({ max: 2 })
    expect(two.map((s) => `${s.id}:${s.measurements.length}`)).toEqual(['0:1', '1:5'])
    await expect(client(server().fetch).metrics.listMeasurements(params).toArray({ max: -1 })).rejects.toMatchObject({ field: 'max' })
  })

  it('statistics chunk and join the same way', async () => {
    const stat = (id: string, ts: string[]) => ({ id, name: 'cpu', dimensions: {}, columns: ['timestamp', 'avg'], statistics: ts.map((t) => [t, 1]) })
    const statPages = [[stat('0', ['t1', 't2'])], [stat('0', ['t3'])]]
    const { fetch } = captureFetch((r) => {
      const second = new URLSearchParams(r.rawQuery).get('offset') === 't2'
      return json({ links: second ? [] : [{ rel: 'next', href: `${ENDPOINT}/metrics/statistics?offset=t2` }], elements: statPages[second ? 1 : 0] })
    })
    const list = () => client(fetch).metrics.listStatistics({ name: 'cpu', start_time: START, statistics: ['avg'] })
    const chunks: number[] = []
    for await (const s of list()) chunks.push(s.statistics.length)
    expect(chunks).toEqual([2, 1])
    expect((await list().toArray()).map((s) => s.statistics.length)).toEqual([3])
  })
})

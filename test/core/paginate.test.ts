import { describe, expect, it } from 'vitest'
import { createClient, type MeasurementSeries } from '../../src/index.js'
import { captureFetch, json, type CapturedRequest } from '../helpers/capture.js'

const ENDPOINT = 'http://monasca.test:8070/v2.0'

/** The real server's way of writing links: it re-quotes the already encoded query (double encoding). */
function serverLink(request: CapturedRequest, offset: string): string {
  const others = request.rawQuery.split('&').filter((p) => p && !p.startsWith('offset='))
  const requoted = others.map((p) => {
    const [k, v = ''] = p.split('=')
    return `${k}=${encodeURIComponent(v)}` // %3A becomes %253A, as the server does
  })
  return `${ENDPOINT}${request.path.replace('/v2.0', '')}?offset=${encodeURIComponent(offset)}&${requoted.join('&')}`
}

describe('paging', () => {
  it('awaiting a list gives the first page only, as the Python client does', async () => {
    const { fetch, calls } = captureFetch((r) => json({ links: [{ rel: 'next', href: serverLink(r, 'b') }], elements: [{ name: 'a' }, { name: 'b' }] }))
    const names = await createClient({ endpoint: ENDPOINT, token: 't', fetch }).metrics.listNames({ limit: 2 })
    expect(names).toEqual([{ name: 'a' }, { name: 'b' }])
    expect(calls).toHaveLength(1)
  })

  it('iterates every page, taking only the offset from double-encoded next links', async () => {
    const all = Array.from({ length: 7 }, (_, i) => ({ id: String(i), name: 'cpu', dimensions: { hostname: `h${i}` } }))
    const { fetch, calls } = captureFetch((r) => {
      const query = new URLSearchParams(r.rawQuery)
      const after = query.get('offset')
      const start = after === null ? 0 : Number(after) + 1
      const limit = Number(query.get('limit'))
      const page = all.slice(start, start + limit)
      const more = start + limit < all.length
      return json({ links: more ? [{ rel: 'self', href: 'x' }, { rel: 'next', href: serverLink(r, page.at(-1)!.id) }] : [], elements: page })
    })
    const client = createClient({ endpoint: ENDPOINT, token: 't', fetch })
    const seen = []
    for await (const metric of client.metrics.list({ start_time: '2024-01-01T00:00:00Z', dimensions: { hostname: null }, limit: 3 })) seen.push(metric)
    expect(seen).toEqual(all)
    expect(calls).toHaveLength(3)
    // Each page repeats our own parameters, singly encoded, with the server's offset.
    for (const call of calls) {
      expect(new URLSearchParams(call.rawQuery).get('start_time')).toBe('2024-01-01T00:00:00Z')
      expect(call.rawQuery).not.toContain('%25')
    }
    expect(calls.map((c) => new URLSearchParams(c.rawQuery).get('offset'))).toEqual([null, '2', '5'])
  })

  it('stops on an empty page even when the server sent a next link', async () => {
    const { fetch, calls } = captureFetch((r, i) => json({ links: [{ rel: 'next', href: serverLink(r, `x${i}`) }], elements: i === 0 ? [{ name: 'a' }] : [] }))
    const names = await createClient({ endpoint: ENDPOINT, token: 't', fetch }).metrics.listNames().toArray()
    expect(names).toEqual([{ name: 'a' }])
    expect(calls).toHaveLength(2)
  })

  it('counts integer offsets itself for notification methods, whose next link carries an id', async () => {
    const methods = Array.from({ length: 5 }, (_, i) => ({ id: `uuid-${i}`, name: `n${i}` }))
    const { fetch, calls } = captureFetch((r) => {
      const query = new URLSearchParams(r.rawQuery)
      const offset = Number(query.get('offset') ?? 0)
      if (!/^\d+$/.test(query.get('offset') ?? '0')) return json({ title: 'Unprocessable Entity', description: 'Offset must be an integer' }, 422)
      const page = methods.slice(offset, offset + 2)
      const more = offset + 2 < methods.length
      return json({ links: more ? [{ rel: 'next', href: `${ENDPOINT}/notification-methods?offset=${page.at(-1)!.id}&limit=2` }] : [], elements: page })
    })
    const all = await createClient({ endpoint: ENDPOINT, token: 't', fetch }).notifications.list({ limit: 2 }).toArray()
    expect(all.map((m) => m.id)).toEqual(methods.map((m) => m.id))
    expect(calls.map((c) => new URLSearchParams(c.rawQuery).get('offset'))).toEqual([null, '2', '4'])
  })

  it('merges one series split across pages (measurements)', async () => {
    const pages: MeasurementSeries[][] = [
      [
        { id: '0', name: 'cpu', dimensions: { h: '1' }, columns: ['timestamp', 'value', 'value_meta'], measurements: [['t1', 1, {}]] },
        { id: '1', name: 'cpu', dimensions: { h: '2' }, columns: ['timestamp', 'value', 'value_meta'], measurements: [['t1', 5, {}], ['t2', 6, {}]] },
      ],
      [{ id: '1', name: 'cpu', dimensions: { h: '2' }, columns: ['timestamp', 'value', 'value_meta'], measurements: [['t3', 7, {}]] }],
      [{ id: '1', name: 'cpu', dimensions: { h: '2' }, columns: ['timestamp', 'value', 'value_meta'], measurements: [['t4', 8, {}]] }],
    ]
    const { fetch } = captureFetch((r, i) => json({ links: i < 2 ? [{ rel: 'next', href: serverLink(r, `1_t${i + 2}`) }] : [], elements: pages[i] }))
    const series = await createClient({ endpoint: ENDPOINT, token: 't', fetch }).metrics
      .listMeasurements({ name: 'cpu', start_time: '2024-01-01T00:00:00Z', group_by: '*', limit: 3 })
      .toArray()
    expect(series).toHaveLength(2)
    expect(series[1]!.measurements.map((m) => m[0])).toEqual(['t1', 't2', 't3', 't4'])
  })

  it('pages() exposes each page with its next offset; toArray honours max', async () => {
    const { fetch, calls } = captureFetch((r, i) => json({ links: [{ rel: 'next', href: serverLink(r, `n${i}`) }], elements: [{ name: `a${i}` }, { name: `b${i}` }] }))
    const client = createClient({ endpoint: ENDPOINT, token: 't', fetch })
    const offsets: Array<string | undefined> = []
    for await (const page of client.metrics.listNames().pages()) {
      offsets.push(page.nextOffset)
      if (offsets.length === 2) break
    }
    expect(offsets).toEqual(['n0', 'n1'])
    calls.length = 0
    expect(await client.metrics.listNames().toArray({ max: 3 })).toEqual([{ name: 'a0' }, { name: 'b0' }, { name: 'a1' }])
    expect(calls).toHaveLength(2)
  })

  it('shares the first page between await and iteration', async () => {
    const { fetch, calls } = captureFetch(() => json({ links: [], elements: [{ type: 'EMAIL' }] }))
    const list = createClient({ endpoint: ENDPOINT, token: 't', fetch }).notificationTypes.list()
    expect(await list).toEqual([{ type: 'EMAIL' }])
    expect(await list.toArray()).toEqual([{ type: 'EMAIL' }])
    expect(calls).toHaveLength(1)
  })
})

/**
 * Issue #9's emulator defects: bad input gets the real server's 4xx, never a 500 — a timestamp no
 * store can hold, nesting deep enough to overflow a recursive walker, a Host header that makes no URL.
 */
import { connect } from 'node:net'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { type ServedEmulator, requestUrl, serveEmulator } from '../../src/emulator/serve.js'
import { T0, harness } from './helpers.js'

describe('metric timestamps outside what can be stored', () => {
  it.each([1e20, -1e20, 9_223_372_036_855, 8.64e15 + 1, -9_223_372_036_855])('POST with timestamp %d is a 422 and stores nothing', async (timestamp) => {
    const h = harness()
    const reply = await h.post('/v2.0/metrics', { name: 'm', value: 1, timestamp })
    expect(reply.status).toBe(422)
    expect(reply.body.title).toBe('Unprocessable Entity')
    expect(reply.body.description).toBe(`Timestamp ${timestamp} is out of legal range: for metric m`)
    expect(h.emulator.data.metrics()).toEqual([])
  })

  it('a batch with one such metric stores none of it, and reads keep working', async () => {
    const h = harness()
    const good = { name: 'm', value: 1, timestamp: T0 }
    expect((await h.post('/v2.0/metrics', [good, { ...good, timestamp: 1e20 }])).status).toBe(422)
    expect(h.emulator.data.metrics()).toEqual([])
    expect((await h.post('/v2.0/metrics', good)).status).toBe(204)
    const start = new Date(T0 - 60_000).toISOString()
    for (const path of [`/v2.0/metrics/measurements?name=m&start_time=${start}`, `/v2.0/metrics/statistics?name=m&statistics=avg&start_time=${start}`, '/v2.0/metrics', '/v2.0/metrics/names']) {
      expect((await h.get(path)).status, path).toBe(200)
    }
  })

  it('the edges InfluxDB can hold are accepted and read back as dates', async () => {
    const h = harness()
    const first = -9_223_372_036_854
    const last = 9_223_372_036_854
    expect((await h.post('/v2.0/metrics', [{ name: 'edge', value: 1, timestamp: first }, { name: 'edge', value: 2, timestamp: last }])).status).toBe(204)
    const read = await h.get(`/v2.0/metrics/measurements?name=edge&start_time=${new Date(first).toISOString()}`)
    expect(read.status).toBe(200)
    expect(read.body.elements[0].measurements.map((m: unknown[]) => m[0])).toEqual([new Date(first).toISOString(), new Date(last).toISOString()])
  })

  it('addMetrics refuses them with a RangeError instead of poisoning later reads', () => {
    const emulator = createEmulator()
    expect(() => emulator.addMetrics('p', [{ name: 'm', value: 1, timestamp: Date.now() }, { name: 'm', value: 1, timestamp: 1e20 }])).toThrow(RangeError)
    expect(emulator.data.metrics()).toEqual([])
  })
})

describe('deep nesting', () => {
  it.each([65, 1_000, 100_000])('an expression nested %d levels is a 422 Invalid alarm expression', async (depth) => {
    const h = harness()
    const expression = `${'('.repeat(depth)}avg(cpu) > 1${')'.repeat(depth)}`
    for (const [method, path] of [['POST', '/v2.0/alarm-definitions']] as const) {
      const reply = await h.call(method, path, { body: { name: 'deep', expression } })
      expect(reply.status).toBe(422)
      expect(reply.body.title).toBe('Invalid alarm expression')
      expect(reply.body.description).toContain('nested more than 64 levels deep')
      expect(reply.text.length, 'the message does not echo a 100 000-character expression').toBeLessThan(400)
    }
  })

  it('64 levels still parse, and PUT/PATCH refuse deeper ones the same way', async () => {
    const h = harness()
    const ok = await h.post('/v2.0/alarm-definitions', { name: 'ok', expression: `${'('.repeat(63)}avg(cpu) > 1${')'.repeat(63)}` })
    expect(ok.status).toBe(201)
    const deep = `${'('.repeat(5000)}avg(cpu) > 1${')'.repeat(5000)}`
    const patch = await h.call('PATCH', `/v2.0/alarm-definitions/${ok.body.id}`, { body: { expression: deep } })
    expect(patch.status).toBe(422)
    const put = await h.call('PUT', `/v2.0/alarm-definitions/${ok.body.id}`, {
      body: { name: 'ok', expression: deep, description: '', match_by: [], severity: 'LOW', alarm_actions: [], ok_actions: [], undetermined_actions: [], actions_enabled: true },
    })
    expect(put.status).toBe(422)
  })

  const deepArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`
  const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`

  it('value_meta nested past the 2048-character limit is a 422 with the limit’s words', async () => {
    const h = harness()
    for (const nested of [deepArray(50_000), deepObject(50_000)]) {
      const reply = await h.call('POST', '/v2.0/metrics', { rawBody: `{"name":"m","value":1,"timestamp":${T0},"value_meta":{"k":${nested}}}`, headers: { 'Content-Type': 'application/json' } })
      expect(reply.status).toBe(422)
      expect(reply.body.description).toMatch(/^valueMeta name value combinations must be 2048 characters or less/)
    }
  })

  it('every write path answers a deeply nested body with a 4xx', async () => {
    const h = harness()
    const def = await h.post('/v2.0/alarm-definitions', { name: 'd', expression: 'avg(cpu) > 1' })
    const note = await h.post('/v2.0/notification-methods', { name: 'n', type: 'EMAIL', address: 'a@b.c' })
    const writes: Array<[string, string, string[]]> = [
      ['POST', '/v2.0/metrics', ['name', 'dimensions', 'value', 'timestamp']],
      ['POST', '/v2.0/alarm-definitions', ['name', 'expression', 'match_by', 'alarm_actions', 'severity']],
      ['PATCH', `/v2.0/alarm-definitions/${def.body.id}`, ['name', 'expression', 'match_by', 'ok_actions']],
      ['PUT', `/v2.0/alarm-definitions/${def.body.id}`, ['name', 'description']],
      ['POST', '/v2.0/notification-methods', ['name', 'type', 'address', 'period']],
      ['PUT', `/v2.0/notification-methods/${note.body.id}`, ['name', 'address']],
      ['PATCH', `/v2.0/notification-methods/${note.body.id}`, ['period']],
      ['POST', '/v3/auth/tokens', ['auth']],
    ]
    for (const [method, path, fields] of writes) {
      for (const field of fields) {
        for (const nested of [deepArray(20_000), deepObject(20_000)]) {
          const reply = await h.call(method, path, { rawBody: `{"${field}":${nested}}`, headers: { 'Content-Type': 'application/json' } })
          expect(reply.status, `${method} ${path} ${field}: ${reply.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400)
          expect(reply.status, `${method} ${path} ${field}: ${reply.text.slice(0, 200)}`).toBeLessThan(500)
        }
      }
    }
  })
})

describe('Host headers and request targets that make no URL', () => {
  let served: ServedEmulator | undefined
  afterEach(async () => {
    await served?.close()
    served = undefined
  })

  /** One raw HTTP/1.1 request, exactly as written; resolves to the status line's code. */
  function rawStatus(port: number, head: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1')
      let text = ''
      socket.setEncoding('latin1')
      socket.on('data', (c: string) => {
        text += c
        if (/\r\n\r\n/.test(text) && /content-length: (\d+)/i.test(text)) {
          const length = Number(/content-length: (\d+)/i.exec(text)![1])
          if (text.length - text.indexOf('\r\n\r\n') - 4 >= length) socket.end()
        }
      })
      socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }))
      socket.on('error', reject)
      socket.write(head)
    })
  }

  it.each([
    'a b',
    'exa mple.com:8070',
    '[::1',
    'host:99999',
    'host:port',
    'user@host',
    'host/path',
    'host?q',
    'h\\x',
    '%',
    '',
  ])('Host %j is a 400 with a JSON body', async (host) => {
    served = await serveEmulator(createEmulator({ tokens: { t: { projectId: 'p' } } }))
    const reply = await rawStatus(served.port, `GET /v2.0/alarms HTTP/1.1\r\nHost: ${host}\r\nX-Auth-Token: t\r\nConnection: close\r\n\r\n`)
    expect(reply.status, reply.text).toBe(400)
    expect(reply.text).not.toMatch(/Service unavailable/)
  })

  it('good hosts still work, their origin used in links; absolute-form targets keep their path', async () => {
    served = await serveEmulator(createEmulator({ tokens: { t: { projectId: 'p' } } }))
    const named = await rawStatus(served.port, `GET /v2.0/alarms HTTP/1.1\r\nHost: monasca.example:8070\r\nX-Auth-Token: t\r\nConnection: close\r\n\r\n`)
    expect(named.status).toBe(200)
    expect(named.text).toContain('http://monasca.example:8070/v2.0/alarms')
    const v6 = await rawStatus(served.port, `GET /v2.0/alarms HTTP/1.1\r\nHost: [::1]:8070\r\nX-Auth-Token: t\r\nConnection: close\r\n\r\n`)
    expect(v6.status).toBe(200)
    const absolute = await rawStatus(served.port, `GET http://other.example/v2.0/alarms HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: t\r\nConnection: close\r\n\r\n`)
    expect(absolute.status).toBe(200)
    const trace = await rawStatus(served.port, `TRACE /v2.0/alarms HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)
    expect(trace.status).toBe(405)
  })

  it('fuzzed Host headers and targets over a real socket: never a 5xx', async () => {
    served = await serveEmulator(createEmulator({ tokens: { t: { projectId: 'p' } } }))
    const port = served.port
    const printable = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 24 })
    await fc.assert(
      fc.asyncProperty(printable, fc.oneof(printable.map((p) => `/${p}`), fc.constantFrom('/v2.0/alarms', '/v3', '/', '*', 'http://x/v2.0', '//v2.0/alarms')), async (host, target) => {
        const reply = await rawStatus(port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nX-Auth-Token: t\r\nConnection: close\r\n\r\n`)
        expect(reply.status, `${target} Host: ${host}\n${reply.text.slice(0, 300)}`).toBeGreaterThanOrEqual(200)
        expect(reply.status, `${target} Host: ${host}\n${reply.text.slice(0, 300)}`).toBeLessThan(500)
      }),
      { numRuns: 300 },
    )
  }, 60_000)

  it('requestUrl accepts host[:port] and IPv6 literals only', () => {
    expect(requestUrl('h:1', '/x?y')?.href).toBe('http://h:1/x?y')
    expect(requestUrl(undefined, undefined)?.href).toBe('http://localhost/')
    expect(requestUrl('[::1]:80', '/')?.host).toBe('[::1]')
    expect(requestUrl('h', 'ftp://x/y')).toBeUndefined()
    expect(requestUrl('h', '*')).toBeUndefined()
    expect(requestUrl('h:65536', '/')).toBeUndefined()
  })
})

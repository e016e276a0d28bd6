/**
 * Options are checked before any request (typed errors), and a call has an overall deadline that
 * backoff respects (#9: retries that never stop, Retry-After waited out, timers that fire at once).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, MonascaValidationError, InternalServerError, MonascaTimeoutError, RateLimitError } from '../../src/index.js'
import { createClient as createCoreClient, passwordAuth } from '../../src/core.js'
import { sendJson, serve, type TestServer } from './servers.js'

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
const never = async () => {
  throw new Error('no request may be sent')
}
const base = { endpoint: 'http://monasca.test/v2.0', token: 't', fetch: never }

function refused(make: () => unknown, field: string): MonascaValidationError {
  let error: unknown
  try {
    make()
  } catch (e) {
    error = e
  }
  expect(error).toBeInstanceOf(MonascaValidationError)
  expect((error as MonascaValidationError).field).toBe(field)
  return error as MonascaValidationError
}

async function refusedCall(call: () => Promise<unknown>, field: string): Promise<MonascaValidationError> {
  const error = await call().catch((e: unknown) => e)
  expect(error).toBeInstanceOf(MonascaValidationError)
  expect((error as MonascaValidationError).field).toBe(field)
  return error as MonascaValidationError
}

describe('client options', () => {
  it.each([NaN, 'abc', {}, -1, 1.5, Infinity])('retries %s is refused', (retries) => {
    expect(refused(() => createClient({ ...base, retries: retries as number }), 'retries').message).toMatch(/^retries: must be a whole number ≥ 0, got /)
  })

  it.each([2 ** 31, Infinity, NaN, -5, '100'])('timeout %s is refused (a timer cannot hold it)', (timeout) => {
    expect(refused(() => createClient({ ...base, timeout: timeout as number }), 'timeout').message).toContain('2147483647')
  })

  it('timeout 0 means none and 2³¹−1 is accepted', () => {
    expect(createClient({ ...base, timeout: 0 }).alarms).toBeDefined()
    expect(createClient({ ...base, timeout: 2 ** 31 - 1 }).alarms).toBeDefined()
  })

  it.each(['onRequest', 'onResponse', 'fetch'])('a %s that is not a function is refused', (hook) => {
    expect(refused(() => createClient({ ...base, [hook]: 'yes' } as never), hook).message).toBe(`${hook}: must be a function, got "yes"`)
  })

  it.each(['http://monasca/v2.0?tenant=x', 'http://monasca/v2.0#top'])('an endpoint with a query or fragment (%s) is refused', (endpoint) => {
    expect(refused(() => createClient({ ...base, endpoint }), 'endpoint').message).toContain('query (?) or fragment (#)')
  })

  it('an endpoint given as a URL object is accepted', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { links: [], elements: [] }))
    servers.push(server)
    const client = createClient({ endpoint: new URL(`${server.origin}/v2.0/`), token: 't' })
    await expect(client.endpoint()).resolves.toBe(`${server.origin}/v2.0`)
    await expect(client.alarms.list()).resolves.toEqual([])
    expect(server.seen[0]!.url).toBe('/v2.0/alarms')
  })

  it('headers must map names to strings', () => {
    refused(() => createClient({ ...base, headers: { 'x-a': 1 as unknown as string } }), 'headers')
  })

  it('the core entry refuses two identities and a strategy that is not a function', () => {
    refused(() => createCoreClient({ endpoint: base.endpoint, token: 't', session: { getToken: () => 't', invalidate: () => false } }), 'session')
    refused(() => createCoreClient({ endpoint: base.endpoint, authStrategy: 'password' as never }), 'authStrategy')
    refused(() => createCoreClient({ endpoint: base.endpoint }), 'token')
    refused(() => createCoreClient({ endpoint: base.endpoint, authStrategy: passwordAuth, auth: { authUrl: 'http://ks:5000/v2.0', username: 'u', password: 'p' } }), 'authUrl')
  })
})

describe('per-call options', () => {
  const client = createClient(base)
  it('a signal that is not an AbortSignal', async () => {
    const error = await refusedCall(() => client.alarms.get('a1', { signal: 'stop' as never }), 'signal')
    expect(error.message).toBe('signal: must be an AbortSignal, got "stop"')
  })
  it.each([NaN, 'abc', {}])('retries %s', async (retries) => {
    await refusedCall(() => client.alarms.get('a1', { retries: retries as number }), 'retries')
  })
  it.each([Infinity, 2 ** 31])('timeout %s', async (timeout) => {
    await refusedCall(() => client.alarms.get('a1', { timeout }), 'timeout')
  })
  it('a header name that is not an HTTP token, per call and as a client option, before any fetch', async () => {
    const error = await refusedCall(() => client.alarms.get('a1', { headers: { 'x bad': 'v' } }), 'headers.x bad')
    expect(error.message).toMatch(/is not a valid HTTP header name/)
    // A client option is checked when the client is made.
    refused(() => createClient({ ...base, headers: { 'x:colon': 'v' } }), 'headers.x:colon')
  })
  it('a header with a line break, also from a session that gives no token', async () => {
    const tokenless = createClient({ endpoint: base.endpoint, fetch: never, session: { getToken: () => undefined, invalidate: () => false } })
    for (const c of [client, tokenless]) await refusedCall(() => c.alarms.get('a1', { headers: { 'x-a': 'one\ntwo' } }), 'headers.x-a')
  })
})

describe('an overall deadline', () => {
  it('a Retry-After longer than what is left of the call is not waited out', async () => {
    const server = await serve((_req, res) => sendJson(res, 503, { title: 'Service Unavailable' }, { 'retry-after': '60' }))
    servers.push(server)
    const started = Date.now()
    const error = await createClient({ endpoint: `${server.origin}/v2.0`, token: 't', timeout: 1500 }).alarms.get('a1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InternalServerError)
    expect(Date.now() - started).toBeLessThan(1500)
    expect(server.seen).toHaveLength(1)
  })

  it('a 429 storm with Retry-After: 0 stops after `retries`', async () => {
    const server = await serve((_req, res) => sendJson(res, 429, { title: 'Too Many Requests' }, { 'retry-after': '0' }))
    servers.push(server)
    const error = await createClient({ endpoint: `${server.origin}/v2.0`, token: 't', retries: 3 }).alarms.get('a1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(server.seen).toHaveLength(4)
  })

  it('totalTimeout caps the attempts too: a server that never answers ends at the deadline', async () => {
    const server = await serve(() => undefined)
    servers.push(server)
    const error = (await createClient({ endpoint: `${server.origin}/v2.0`, token: 't', timeout: 10_000, totalTimeout: 300 })
      .alarms.get('a1')
      .catch((e: unknown) => e)) as MonascaTimeoutError
    expect(error).toBeInstanceOf(MonascaTimeoutError)
    expect(error.message).toMatch(/timed out after 30\d ms \(what was left of totalTimeout 300 ms\)/)
  })
})

describe('keepalive', () => {
  it('is passed to fetch when asked (the writer\'s pagehide flush), and only then', async () => {
    const seen: (boolean | undefined)[] = []
    const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(init?.keepalive)
      return new Response(null, { status: 204 })
    }
    const client = createClient({ endpoint: 'http://monasca.test/v2.0', token: 't', fetch })
    await client.metrics.create({ name: 'm', value: 1, timestamp: 1 }, {}, { keepalive: true })
    await client.metrics.create({ name: 'm', value: 1, timestamp: 1 })
    expect(seen).toEqual([true, undefined])
  })
})

describe("what a caller's fetch receives", () => {
  it('a plain RequestInit: method, headers as Headers, manual redirects, the attempt signal; none of ofetch\'s own option keys', async () => {
    const seen: { input: unknown; init: RequestInit }[] = []
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push({ input, init: init! })
      return new Response(JSON.stringify({ links: [], elements: [] }), { headers: { 'content-type': 'application/json' } })
    }
    const c = createClient({ endpoint: 'http://monasca.test/v2.0', token: 'tok', fetch, headers: { 'X-Trace': 'abc' } })
    await c.alarms.list({ state: 'ALARM' })
    await c.metrics.create({ name: 'm', value: 1, timestamp: 1 })
    expect(seen).toHaveLength(2)
    const [get, post] = seen
    expect(get!.input).toBe('http://monasca.test/v2.0/alarms?state=ALARM')
    expect(Object.keys(get!.init).sort()).toEqual(['headers', 'method', 'redirect', 'signal'])
    expect(get!.init).toMatchObject({ method: 'GET', redirect: 'manual' })
    expect(get!.init.signal).toBeInstanceOf(AbortSignal)
    const headers = get!.init.headers as Headers
    expect(headers).toBeInstanceOf(Headers)
    expect([headers.get('x-auth-token'), headers.get('x-trace'), headers.get('accept')]).toEqual(['tok', 'abc', 'application/json'])
    expect(Object.keys(post!.init).sort()).toEqual(['body', 'headers', 'method', 'redirect', 'signal'])
    expect(post!.init.method).toBe('POST')
    expect(JSON.parse(post!.init.body as string)).toEqual({ name: 'm', value: 1, timestamp: 1 })
    expect((post!.init.headers as Headers).get('content-type')).toBe('application/json')
  })

  it('no signal when there is no timeout and no caller signal', async () => {
    const seen: RequestInit[] = []
    const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(init!)
      return new Response('[]', { headers: { 'content-type': 'application/json' } })
    }
    await createClient({ endpoint: 'http://monasca.test/v2.0', token: 'tok', fetch, timeout: 0 }).notificationTypes.list().catch(() => undefined)
    expect(seen).toHaveLength(1)
    expect('signal' in seen[0]!).toBe(false)
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  AuthenticationError,
  createClient,
  InternalServerError,
  MonascaAbortError,
  MonascaConnectionError,
  MonascaTimeoutError,
  RateLimitError,
  type AuthProvider,
} from '../../src/index.js'
import { parseRetryAfter } from '../../src/transport.js'
import { captureFetch, json, type Responder } from '../helpers/capture.js'

const ENDPOINT = 'http://monasca.test/v2.0'

function clientWith(responder: Responder, extra: Parameters<typeof createClient>[0] = {}) {
  const { fetch, calls } = captureFetch(responder)
  const client = createClient({ endpoint: ENDPOINT, token: 't', fetch, ...extra })
  return { client, calls }
}

/** Runs fake timers until the promise settles (backoff sleeps are real timers under the fakes). */
async function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  const result = Promise.allSettled([promise])
  for (let i = 0; i < 50; i++) await vi.advanceTimersByTimeAsync(10_000)
  return (await result)[0]!
}

describe('retries', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('retries an idempotent GET on 503 and succeeds', async () => {
    const { client, calls } = clientWith((_r, i) => (i < 2 ? json({ title: 'Service unavailable' }, 503) : json({ links: [], elements: [{ name: 'x' }] })))
    const outcome = await settle(client.metrics.listNames())
    expect(outcome).toEqual({ status: 'fulfilled', value: [{ name: 'x' }] })
    expect(calls).toHaveLength(3)
  })

  it('stops after `retries` and throws the last typed error', async () => {
    const { client, calls } = clientWith(() => json({ title: 'Internal', description: 'boom' }, 500), { retries: 1 })
    const outcome = await settle(client.alarms.get('a1'))
    expect(outcome.status).toBe('rejected')
    const error = (outcome as PromiseRejectedResult).reason
    expect(error).toBeInstanceOf(InternalServerError)
    expect(error.description).toBe('boom')
    expect(calls).toHaveLength(2)
  })

  it.each([408, 429, 502, 504])('retries status %i', async (status) => {
    const { client, calls } = clientWith((_r, i) => (i === 0 ? json({}, status) : json({ id: 'a1' })))
    expect(await settle(client.alarms.get('a1'))).toMatchObject({ status: 'fulfilled' })
    expect(calls).toHaveLength(2)
  })

  it.each([400, 401, 404, 409, 422])('never retries status %i', async (status) => {
    const { client, calls } = clientWith(() => json({ title: 'x' }, status))
    expect((await settle(client.alarms.get('a1'))).status).toBe('rejected')
    expect(calls).toHaveLength(1)
  })

  it('does not retry POST or PATCH unless asked per call', async () => {
    const { client, calls } = clientWith(() => json({ title: 'Unavailable' }, 503))
    expect((await settle(client.metrics.create({ name: 'm', value: 1, timestamp: 1 }))).status).toBe('rejected')
    expect(calls).toHaveLength(1)
    expect((await settle(client.alarms.patch('a1', { state: 'OK' }))).status).toBe('rejected')
    expect(calls).toHaveLength(2)
    expect((await settle(client.metrics.create({ name: 'm', value: 1, timestamp: 1 }, {}, { retryNonIdempotent: true, retries: 2 }))).status).toBe('rejected')
    expect(calls).toHaveLength(5)
  })

  it('retries PUT and DELETE (idempotent)', async () => {
    const { client, calls } = clientWith((r, i) => (i % 2 === 0 ? json({}, 502) : r.method === 'DELETE' ? new Response(null, { status: 204 }) : json({ id: 'a1' })))
    expect((await settle(client.alarms.update('a1', { state: 'OK', lifecycle_state: 'OPEN', link: 'x' }))).status).toBe('fulfilled')
    expect((await settle(client.alarms.delete('a1'))).status).toBe('fulfilled')
    expect(calls.map((c) => c.method)).toEqual(['PUT', 'PUT', 'DELETE', 'DELETE'])
  })

  it('retries a connection failure', async () => {
    let n = 0
    const fetch = async () => {
      if (n++ === 0) throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })
      return json({ id: 'a1' })
    }
    const client = createClient({ endpoint: ENDPOINT, token: 't', fetch })
    expect(await settle(client.alarms.get('a1'))).toMatchObject({ status: 'fulfilled', value: { id: 'a1' } })
    expect(n).toBe(2)
  })

  it('throws a MonascaConnectionError naming the cause when the network stays down', async () => {
    const fetch = async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) })
    }
    const client = createClient({ endpoint: ENDPOINT, token: 't', fetch, retries: 1 })
    const outcome = (await settle(client.alarms.get('a1'))) as PromiseRejectedResult
    expect(outcome.reason).toBeInstanceOf(MonascaConnectionError)
    expect(outcome.reason.message).toContain('ECONNREFUSED')
    expect(outcome.reason.method).toBe('GET')
  })

  it('waits exactly Retry-After seconds before retrying', async () => {
    const times: number[] = []
    const { client } = clientWith((_r, i) => {
      times.push(Date.now())
      return i === 0 ? json({ title: 'Too many' }, 429, { 'retry-after': '7' }) : json({ id: 'a1' })
    })
    await settle(client.alarms.get('a1'))
    expect(times[1]! - times[0]!).toBe(7000)
  })

  it('honours Retry-After as an HTTP date', async () => {
    const times: number[] = []
    const { client } = clientWith((_r, i) => {
      times.push(Date.now())
      return i === 0 ? json({}, 503, { 'retry-after': new Date(Date.now() + 12_000).toUTCString() }) : json({ id: 'a1' })
    })
    await settle(client.alarms.get('a1'))
    // HTTP dates have one-second resolution.
    expect(times[1]! - times[0]!).toBeGreaterThan(10_999)
    expect(times[1]! - times[0]!).toBeLessThanOrEqual(12_000)
  })

  it('gives up at once when Retry-After exceeds the cap, exposing it on the RateLimitError', async () => {
    const { client, calls } = clientWith(() => json({ title: 'Slow down' }, 429, { 'retry-after': '3600' }))
    const outcome = (await settle(client.alarms.get('a1'))) as PromiseRejectedResult
    expect(outcome.reason).toBeInstanceOf(RateLimitError)
    expect(outcome.reason.retryAfterMs).toBe(3_600_000)
    expect(calls).toHaveLength(1)
  })

  it('backs off with full jitter below a doubling, capped ceiling', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.999)
    const times: number[] = []
    const { client } = clientWith(() => {
      times.push(Date.now())
      return json({}, 503)
    }, { retries: 6, retryPolicy: { baseDelay: 100, maxDelay: 1000 } })
    await settle(client.alarms.get('a1'))
    const gaps = times.slice(1).map((t, i) => t - times[i]!)
    expect(gaps).toEqual([99, 199, 399, 799, 999, 999].map((g) => expect.closeTo(g, 0)))
    random.mockReturnValue(0)
    times.length = 0
    await settle(client.alarms.get('a1'))
    // A zero wait is a zero-delay timer, which timers round up to 1 ms.
    expect(times.slice(1).map((t, i) => t - times[i]!).every((gap) => gap <= 1)).toBe(true)
    random.mockRestore()
  })
})

describe('timeouts and aborts', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  /** A server that never answers, but honours the abort signal like a real fetch. */
  const hanging = (counter: { n: number }) => (_input: RequestInfo | URL, init?: RequestInit) => {
    counter.n++
    return new Promise<Response>((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))
    })
  }

  it('gives each attempt a fresh timeout and then throws MonascaTimeoutError', async () => {
    const counter = { n: 0 }
    const client = createClient({ endpoint: ENDPOINT, token: 't', fetch: hanging(counter), timeout: 1000, retries: 2, retryPolicy: { baseDelay: 1 } })
    const outcome = (await settle(client.alarms.get('a1'))) as PromiseRejectedResult
    expect(outcome.reason).toBeInstanceOf(MonascaTimeoutError)
    expect(outcome.reason.message).toContain('1000 ms')
    expect(counter.n).toBe(3)
  })

  it('a per-call timeout overrides the client one', async () => {
    const counter = { n: 0 }
    const client = createClient({ endpoint: ENDPOINT, token: 't', fetch: hanging(counter), timeout: 60_000, retries: 0 })
    const started = Date.now()
    const outcome = (await settle(client.alarms.get('a1', { timeout: 250 }))) as PromiseRejectedResult
    expect(outcome.reason).toBeInstanceOf(MonascaTimeoutError)
    expect(outcome.reason.message).toContain('250 ms')
    expect(started).toBeLessThan(Date.now())
  })

  it('the caller abort ends an attempt with MonascaAbortError and no retry', async () => {
    const counter = { n: 0 }
    const client = createClient({ endpoint: ENDPOINT, token: 't', fetch: hanging(counter), retries: 3 })
    const controller = new AbortController()
    const pending = settle(client.alarms.get('a1', { signal: controller.signal }))
    await vi.advanceTimersByTimeAsync(5)
    controller.abort(new Error('user left the page'))
    const outcome = (await pending) as PromiseRejectedResult
    expect(outcome.reason).toBeInstanceOf(MonascaAbortError)
    expect(counter.n).toBe(1)
  })

  it('an abort during the backoff wait stops at once', async () => {
    const { fetch, calls } = captureFetch(() => json({}, 503))
    const client = createClient({ endpoint: ENDPOINT, token: 't', fetch, retries: 5, retryPolicy: { baseDelay: 60_000, maxDelay: 60_000 } })
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const controller = new AbortController()
    const result = Promise.allSettled([client.alarms.get('a1', { signal: controller.signal })])
    await vi.advanceTimersByTimeAsync(100)
    controller.abort()
    const [outcome] = await result
    expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(MonascaAbortError)
    expect(calls).toHaveLength(1)
    vi.restoreAllMocks()
  })

  it('an already aborted signal sends nothing', async () => {
    const { client, calls } = clientWith(() => json({}))
    await expect(client.alarms.get('a1', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(MonascaAbortError)
    expect(calls).toHaveLength(0)
  })
})

describe('401 and the auth seam', () => {
  function rotatingAuth(valid: boolean[] = [true]) {
    let current = 'token-1'
    let issued = 1
    const auth: AuthProvider & { invalidated: string[] } = {
      invalidated: [],
      getToken: async () => current,
      invalidate(rejected) {
        auth.invalidated.push(rejected)
        if (!valid[auth.invalidated.length - 1]) return false
        if (rejected === current) current = `token-${++issued}`
        return true
      },
    }
    return auth
  }

  it('invalidates the rejected token and resends once with a fresh one', async () => {
    const auth = rotatingAuth()
    const { fetch, calls } = captureFetch((r) => (r.headers.get('x-auth-token') === 'token-1' ? json({ error: { code: 401, title: 'Unauthorized' } }, 401) : json({ id: 'a1' })))
    const client = createClient({ endpoint: ENDPOINT, session: auth, fetch })
    await expect(client.alarms.get('a1')).resolves.toEqual({ id: 'a1' })
    expect(auth.invalidated).toEqual(['token-1'])
    expect(calls.map((c) => c.headers.get('x-auth-token'))).toEqual(['token-1', 'token-2'])
  })

  it('resends only once: a second 401 is an AuthenticationError', async () => {
    const auth = rotatingAuth([true, true])
    const { fetch, calls } = captureFetch(() => json({ error: { code: 401, title: 'Unauthorized', message: 'expired' } }, 401))
    const client = createClient({ endpoint: ENDPOINT, session: auth, fetch })
    const error = await client.alarms.delete('a1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect((error as AuthenticationError).isForbidden).toBe(false)
    expect(calls).toHaveLength(2)
    expect(auth.invalidated).toEqual(['token-1'])
  })

  it('does not drop the token for a 401 "Forbidden" (a missing role, not a bad token)', async () => {
    const auth = rotatingAuth()
    const { fetch, calls } = captureFetch(() => json({ title: 'Forbidden', description: 'role missing' }, 401, { 'www-authenticate': 'Token' }))
    const client = createClient({ endpoint: ENDPOINT, session: auth, fetch })
    const error = await client.metrics.create({ name: 'm', value: 1 }).catch((e: unknown) => e)
    expect((error as AuthenticationError).isForbidden).toBe(true)
    expect(calls).toHaveLength(1)
    expect(auth.invalidated).toEqual([])
  })

  it('does not resend when the auth says the 401 is final (a fixed token)', async () => {
    const { client, calls } = clientWith(() => json({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } }, 401))
    const error = await client.alarms.get('a1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect((error as AuthenticationError).description).toBe('The request you have made requires authentication.')
    expect(calls).toHaveLength(1)
  })

  it('looks the endpoint up once through the auth when none is given', async () => {
    let lookups = 0
    const { fetch, calls } = captureFetch()
    const session: AuthProvider = {
      getToken: async () => 'tok',
      getEndpoint: async (filter) => {
        lookups++
        // Only what the client was told: the provider fills in its own defaults (a Session: its serviceType, else monitoring).
        expect(filter).toEqual({ interface: ['internal', 'public'], regionName: 'R1' })
        return 'http://catalog.test:8070/v2.0/'
      },
      invalidate: () => false,
    }
    const client = createClient({ session, fetch, interface: ['internal', 'public'], regionName: 'R1' })
    await client.metrics.listNames()
    await client.metrics.listNames()
    expect(lookups).toBe(1)
    expect(calls.map((c) => c.url)).toEqual(['http://catalog.test:8070/v2.0/metrics/names', 'http://catalog.test:8070/v2.0/metrics/names'])
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds, fractions and HTTP dates, and ignores garbage', () => {
    const now = Date.UTC(2024, 0, 1)
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('1.5', now)).toBe(1500)
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000)
    expect(parseRetryAfter(new Date(now - 30_000).toUTCString(), now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})

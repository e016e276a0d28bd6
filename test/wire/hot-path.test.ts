/**
 * The hot path does per request only what that request needs (#8): what is known is used as it is.
 * A fixed token is a value, not a promise; a session's good token is taken without awaiting
 * getToken; the catalog's endpoint is looked up once; no timer is armed with `timeout: 0`.
 */
import { describe, expect, it, vi } from 'vitest'
import { createClient, identity, Session, staticToken } from '../../src/index.js'
import { captureFetch, json } from '../helpers/capture.js'

const keystoneAndMonasca = () =>
  captureFetch((request) => {
    if (request.path === '/v3/auth/tokens') {
      const now = Date.now()
      return json(
        {
          token: {
            expires_at: new Date(now + 3600_000).toISOString(),
            issued_at: new Date(now).toISOString(),
            catalog: [{ type: 'monitoring', endpoints: [{ interface: 'public', url: 'http://monasca.test/v2.0/' }] }],
          },
        },
        201,
        { 'x-subject-token': 'session-token' },
      )
    }
    return json({ links: [], elements: [] })
  })

describe('the hot path', () => {
  it('a fixed token is returned as a value, not a promise', () => {
    expect(staticToken('t').getToken()).toBe('t')
  })

  it('a session with a good token: one catalog lookup, then no getToken and no lookup for later calls', async () => {
    const { fetch, calls } = keystoneAndMonasca()
    const session = new Session({ auth: new identity.Password({ authUrl: 'http://keystone.test', username: 'u', password: 'p', projectName: 'p' }), fetch })
    const getToken = vi.spyOn(session, 'getToken')
    const getEndpoint = vi.spyOn(session, 'getEndpoint')
    const client = createClient({ session, fetch })
    await client.alarms.list()
    expect(getEndpoint).toHaveBeenCalledTimes(1) // the first call looks the endpoint up (and gets the token doing so)
    const tokenCalls = getToken.mock.calls.length
    for (let i = 0; i < 4; i++) await client.alarms.list()
    expect(getToken).toHaveBeenCalledTimes(tokenCalls) // later calls take the known token without awaiting
    expect(getEndpoint).toHaveBeenCalledTimes(1)
    expect(session.currentToken()).toBe('session-token')
    expect(calls.filter((c) => c.path === '/v2.0/alarms').map((c) => c.headers.get('x-auth-token'))).toEqual(Array(5).fill('session-token'))
    expect(calls.filter((c) => c.path === '/v3/auth/tokens')).toHaveLength(1)
  })

  it('timeout 0 arms no timer and gives fetch no signal; a timeout gives one signal per attempt', async () => {
    const signals: (AbortSignal | undefined)[] = []
    const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
      signals.push(init?.signal ?? undefined)
      return json({ links: [], elements: [] })
    }
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout')
    try {
      await createClient({ endpoint: 'http://monasca.test/v2.0', token: 't', fetch, timeout: 0 }).alarms.list()
      expect(setTimeoutSpy).not.toHaveBeenCalled()
      expect(signals).toEqual([undefined])
      await createClient({ endpoint: 'http://monasca.test/v2.0', token: 't', fetch, timeout: 5000 }).alarms.list()
      expect(setTimeoutSpy).toHaveBeenCalledTimes(1)
      expect(signals[1]).toBeInstanceOf(AbortSignal)
    } finally {
      setTimeoutSpy.mockRestore()
    }
  })
})

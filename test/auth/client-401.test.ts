// The Session behind the lead's transport: a Monasca 401 invalidates only the rejected token and resends once.
import { describe, expect, it } from 'vitest'
import { Session, identity } from '../../src/auth/index.js'
import { createClient } from '../../src/client.js'
import { AuthenticationError } from '../../src/errors.js'
import { fakeKeystone } from './fake-keystone.js'

function monascaAndKeystone(monasca: (token: string | null) => number) {
  const keystone = fakeKeystone()
  const monascaTokens: (string | null)[] = []
  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input)
    if (url.startsWith('http://keystone.test')) return keystone.fetch(input, init)
    const token = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).get('x-auth-token')
    monascaTokens.push(token)
    const status = monasca(token)
    return status === 200
      ? new Response(JSON.stringify({ links: [], elements: [] }), { status, headers: { 'Content-Type': 'application/json' } })
      : new Response(JSON.stringify({ title: 'Unauthorized', description: 'Invalid token' }), { status, headers: { 'Content-Type': 'application/json' } })
  }
  const session = new Session({
    auth: new identity.Password({ authUrl: 'http://keystone.test', userId: 'u1', password: 'correct-horse', projectId: 'p1' }),
    fetch,
  })
  const client = createClient({ session, fetch, retries: 0 })
  return { keystone, monascaTokens, client }
}

describe('Session behind the client transport', () => {
  it('a 401 for a token gets one resend with a fresh token', async () => {
    let first = true
    const { keystone, monascaTokens, client } = monascaAndKeystone(() => (first ? ((first = false), 401) : 200))
    await client.alarms.list()
    expect(monascaTokens).toEqual(['tok-1', 'tok-2'])
    expect(keystone.tokenRequests()).toHaveLength(2)
  })

  it('a second 401 is final: no loop', async () => {
    const { keystone, monascaTokens, client } = monascaAndKeystone(() => 401)
    await expect(client.alarms.list()).rejects.toBeInstanceOf(AuthenticationError)
    expect(monascaTokens).toEqual(['tok-1', 'tok-2'])
    expect(keystone.tokenRequests()).toHaveLength(2)
  })

  it('concurrent 401s on the same token cause one new token, not one per request', async () => {
    const { keystone, monascaTokens, client } = monascaAndKeystone((token) => (token === 'tok-1' ? 401 : 200))
    await client.endpoint()
    await Promise.all(Array.from({ length: 10 }, () => client.alarms.list()))
    expect(keystone.tokenRequests()).toHaveLength(2)
    expect(monascaTokens.filter((t) => t === 'tok-2')).toHaveLength(10)
  })

  it('resolves the Monasca endpoint from the token catalog', async () => {
    const { client } = monascaAndKeystone(() => 200)
    expect(await client.endpoint()).toBe('http://monasca-public.test/v2.0')
  })
})

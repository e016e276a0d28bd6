import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Session, identity, memoryStore } from '../../src/auth/index.js'
import { InternalServerError, KeystoneAuthError, MonascaAbortError, SessionExpiredError, isMonascaError } from '../../src/errors.js'
import { fakeKeystone } from './fake-keystone.js'

const authUrl = 'http://keystone.test:5000'
const password = 'correct-horse'
const passwordAuth = () =>
  new identity.Password({ authUrl, username: 'alice', password, projectName: 'demo', projectDomainId: 'default' })

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-05-01T12:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('Session: single flight', () => {
  it('50 concurrent callers on a cold session make one token request and share its token', async () => {
    const keystone = fakeKeystone()
    const session = new Session({ auth: passwordAuth(), fetch: keystone.fetch })
    const tokens = await Promise.all(Array.from({ length: 50 }, () => session.getToken()))
    expect(keystone.tokenRequests()).toHaveLength(1)
    expect(new Set(tokens)).toEqual(new Set(['tok-1']))
  })

  it('sends keystoneauth’s password body to /v3/auth/tokens as JSON', async () => {
    const keystone = fakeKeystone()
    await new Session({ auth: passwordAuth(), fetch: keystone.fetch }).getToken()
    const [request] = keystone.tokenRequests()
    expect(request!.url).toBe('http://keystone.test:5000/v3/auth/tokens')
    expect(request!.headers['content-type']).toBe('application/json')
    expect(request!.body).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'alice', domain: { id: 'default' }, password } } },
        scope: { project: { name: 'demo', domain: { id: 'default' } } },
      },
    })
  })

  it('a caller whose signal fires stops waiting while the others still get the token', async () => {
    const keystone = fakeKeystone()
    const release = keystone.hold()
    const session = new Session({ auth: passwordAuth(), fetch: keystone.fetch })
    const controller = new AbortController()
    const aborted = session.getToken({ signal: controller.signal })
    const patient = session.getToken()
    controller.abort()
    await expect(aborted).rejects.toBeInstanceOf(MonascaAbortError)
    release()
    await expect(patient).resolves.toBe('tok-1')
    expect(keystone.tokenRequests()).toHaveLength(1)
  })
})

describe('Session: token life', () => {
  it('reuses the token until 120 s before expires_at, then fetches a new one', async () => {
    const keystone = fakeKeystone({ lifetime: 3600 })
    const session = new Session({ auth: passwordAuth(), fetch: keystone.fetch })
    expect(await session.getToken()).toBe('tok-1')
    vi.setSystemTime(Date.now() + (3600 - 121) * 1000)
    expect(await session.getToken()).toBe('tok-1')
    expect(keystone.tokenRequests()).toHaveLength(1)
    vi.setSystemTime(Date.now() + 2000)
    expect(await session.getToken()).toBe('tok-2')
    expect(keystone.tokenRequests()).toHaveLength(2)
  })

  it('honours minTokenLifeSeconds', async () => {
    const keystone = fakeKeystone({ lifetime: 3600 })
    const session = new Session({ auth: passwordAuth(), fetch: keystone.fetch, minTokenLifeSeconds: 600 })
    await session.getToken()
    vi.setSystemTime(Date.now() + (3600 - 601) * 1000)
    expect(await session.getToken()).toBe('tok-1')
    vi.setSystemTime(Date.now() + 2000)
    expect(await session.getToken()).toBe('tok-2')
  })

  it('refreshes a short-lived token at half its life rather than on every call', async () => {
    const keystone = fakeKeystone({ lifetime: 60 })
    const session = new Session({ auth: passwordAuth(), fetch: keystone.fetch })
    await session.getToken()
    vi.setSystemTime(Date.now() + 29_000)
    expect(await session.getToken()).toBe('tok-1')
    vi.setSystemTime(Date.now() + 2000)
    expect(await session.getToken()).toBe('tok-2')
  })

  it.each([
    ['ahead', 30 * 60_000],
    ['behind', -30 * 60_000],
  ])('corrects for a Keystone clock %s of ours (Date header)', async (_, skewMs) => {
    const keystone = fakeKeystone({ lifetime: 3600, skewMs })
    const session = new Session({ auth: passwordAuth(), fetch: keystone.fetch })
    const start = Date.now()
    await session.getToken()
    // Uncorrected, the token would look 30 min longer-lived (clock behind) or shorter-lived (ahead).
    vi.setSystemTime(start + (3600 - 125) * 1000)
    expect(await session.getToken()).toBe('tok-1')
    vi.setSystemTime(start + (3600 - 115) * 1000)
    expect(await session.getToken()).toBe('tok-2')
  })

  it('without a Date header takes Keystone’s clock from issued_at of the fresh token', async () => {
    const keystone = fakeKeystone({ lifetime: 3600, skewMs: 45 * 60_000, dateHeader: false })
    const session = new Session({ auth: passwordAuth(), fetch: keystone.fetch })
    const start = Date.now()
    await session.getToken()
    vi.setSystemTime(start + (3600 - 125) * 1000)
    expect(await session.getToken()).toBe('tok-1')
    vi.setSystemTime(start + (3600 - 115) * 1000)
    expect(await session.getToken()).toBe('tok-2')
  })

  it('a failed refresh is not cached: the next call asks Keystone again', async () => {
    const keystone = fakeKeystone()
    const session = new Session({ auth: passwordAuth(), fetch: keystone.fetch })
    keystone.failNext(500)
    const failed = await Promise.allSettled([session.getToken(), session.getToken()])
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect((failed[0] as PromiseRejectedResult).reason).toBeInstanceOf(InternalServerError)
    expect(keystone.tokenRequests()).toHaveLength(1)
    expect(await session.getToken()).toBe('tok-1')
    expect(keystone.tokenRequests()).toHaveLength(2)
  })
})

describe('Session: rejected tokens', () => {
  it('invalidate drops only the token that was rejected', async () => {
    const keystone = fakeKeystone()
    const session = new Session({ auth: passwordAuth(), fetch: keystone.fetch })
    const first = await session.getToken()
    expect(session.invalidate('some-older-token')).toBe(true)
    expect(await session.getToken()).toBe(first)
    expect(keystone.tokenRequests()).toHaveLength(1)
    expect(session.invalidate(first)).toBe(true)
    expect(await session.getToken()).toBe('tok-2')
    expect(keystone.tokenRequests()).toHaveLength(2)
  })

  it('a 401 from Keystone is a KeystoneAuthError after exactly one request, without the password anywhere', async () => {
    const keystone = fakeKeystone({ password: 'another-password' })
    const session = new Session({ auth: passwordAuth(), fetch: keystone.fetch })
    const error = await session.getToken().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeystoneAuthError)
    expect(keystone.tokenRequests()).toHaveLength(1)
    const e = error as KeystoneAuthError
    expect(e.status).toBe(401)
    expect(e.title).toBe('Unauthorized')
    expect(e.requestId).toBe('req-1')
    expect(e.authUrl).toBe('http://keystone.test:5000/v3')
    for (const text of [e.message, e.stack ?? '', JSON.stringify(e), String(e.cause ?? '')]) expect(text).not.toContain(password)
  })

  it('clear() during a refresh keeps its late result out of the session', async () => {
    const keystone = fakeKeystone()
    const release = keystone.hold()
    const session = new Session({ auth: passwordAuth(), fetch: keystone.fetch })
    const late = session.getToken()
    await vi.advanceTimersByTimeAsync(0)
    await session.clear()
    release()
    expect(await late).toBe('tok-1')
    expect(await session.getToken()).toBe('tok-2')
  })

  it('revoke() deletes the token at Keystone and forgets it', async () => {
    const keystone = fakeKeystone()
    const session = new Session({ auth: passwordAuth(), fetch: keystone.fetch })
    const token = await session.getToken()
    await session.revoke()
    const del = keystone.requests.at(-1)!
    expect(del.method).toBe('DELETE')
    expect(del.headers['x-subject-token']).toBe(token)
    await expect(new Session({ auth: new identity.Token({ authUrl, token }), fetch: keystone.fetch }).getToken()).rejects.toBeInstanceOf(KeystoneAuthError)
    expect(await session.getToken()).toBe('tok-2')
  })
})

describe('Session on a pre-issued token (identity.Token)', () => {
  it('validates the token with GET /v3/auth/tokens and uses it as is', async () => {
    const keystone = fakeKeystone()
    keystone.preIssue('dashboard-token', 3600)
    const session = new Session({ auth: new identity.Token({ authUrl, token: 'dashboard-token' }), fetch: keystone.fetch })
    expect(await session.getToken()).toBe('dashboard-token')
    const [validate] = keystone.requests
    expect(validate!.method).toBe('GET')
    expect(validate!.headers['x-auth-token']).toBe('dashboard-token')
    expect(validate!.headers['x-subject-token']).toBe('dashboard-token')
    expect((await session.getAccess()).projectName).toBe('demo')
  })

  it('rescopes with method token, keeping the original expiry', async () => {
    const keystone = fakeKeystone()
    keystone.preIssue('unscoped-token', 1800, false)
    const auth = new identity.Token({ authUrl, token: 'unscoped-token', projectId: 'p1' })
    const session = new Session({ auth, fetch: keystone.fetch })
    expect(await session.getToken()).toBe('tok-1')
    const [rescope] = keystone.tokenRequests()
    expect(rescope!.headers['x-auth-token']).toBe('unscoped-token')
    expect(rescope!.body).toEqual({
      auth: { identity: { methods: ['token'], token: { id: 'unscoped-token' } }, scope: { project: { id: 'p1' } } },
    })
    expect((await session.getAccess()).expiresAt!.getTime()).toBe(Math.floor((Date.now() + 1800_000) / 1000) * 1000)
  })

  it('tells onExpired once as the token nears its end, then throws SessionExpiredError without asking Keystone', async () => {
    const keystone = fakeKeystone()
    keystone.preIssue('dashboard-token', 600)
    const onExpired = vi.fn()
    const session = new Session({ auth: new identity.Token({ authUrl, token: 'dashboard-token' }), fetch: keystone.fetch, onExpired })
    await session.getToken()
    await vi.advanceTimersByTimeAsync((600 - 125) * 1000)
    expect(onExpired).not.toHaveBeenCalled()
    expect(await session.getToken()).toBe('dashboard-token')
    await vi.advanceTimersByTimeAsync(10_000)
    expect(onExpired).toHaveBeenCalledTimes(1)
    const notified = onExpired.mock.calls[0]![0]
    expect(notified).toBeInstanceOf(SessionExpiredError)
    expect(notified.expiresAt).toBeInstanceOf(Date)
    const error = await session.getToken().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SessionExpiredError)
    expect(isMonascaError(error)).toBe(true)
    expect(String((error as Error).message)).not.toContain('dashboard-token')
    expect(onExpired).toHaveBeenCalledTimes(1)
    expect(keystone.requests).toHaveLength(1)
  })

  it('a token Keystone no longer knows is a KeystoneAuthError whose text never holds the token', async () => {
    const keystone = fakeKeystone()
    const session = new Session({ auth: new identity.Token({ authUrl, token: 'revoked-token-value' }), fetch: keystone.fetch })
    const error = (await session.getToken().catch((e: unknown) => e)) as KeystoneAuthError
    expect(error).toBeInstanceOf(KeystoneAuthError)
    expect(error.status).toBe(404)
    expect(error.description).toContain('[REDACTED]')
    for (const text of [error.message, JSON.stringify(error), error.description ?? '']) expect(text).not.toContain('revoked-token-value')
  })
})

describe('Session: store', () => {
  it('a new session with a stored valid token makes no Keystone request (page reload)', async () => {
    const keystone = fakeKeystone()
    const store = memoryStore()
    await new Session({ auth: passwordAuth(), store, fetch: keystone.fetch }).getToken()
    const reloaded = new Session({ auth: passwordAuth(), store, fetch: keystone.fetch })
    expect(await reloaded.getToken()).toBe('tok-1')
    expect(await reloaded.getEndpoint()).toBe('http://monasca-public.test/v2.0')
    expect(keystone.requests).toHaveLength(1)
  })

  it('another identity does not see the stored token', async () => {
    const keystone = fakeKeystone()
    const store = memoryStore()
    await new Session({ auth: passwordAuth(), store, fetch: keystone.fetch }).getToken()
    const other = new identity.Password({ authUrl, username: 'alice', password, projectName: 'other' })
    expect(await new Session({ auth: other, store, fetch: keystone.fetch }).getToken()).toBe('tok-2')
  })

  it('a stored token within the refresh window is replaced', async () => {
    const keystone = fakeKeystone({ lifetime: 3600 })
    const store = memoryStore()
    await new Session({ auth: passwordAuth(), store, fetch: keystone.fetch }).getToken()
    vi.setSystemTime(Date.now() + 3590_000)
    const reloaded = new Session({ auth: passwordAuth(), store, fetch: keystone.fetch })
    expect(await reloaded.getToken()).toBe('tok-2')
    const key = await reloaded.storeKey()
    expect((store.get(key) as { token: string }).token).toBe('tok-2')
  })

  it('the store key hashes the identity and a slow verifier of the password, never the password', async () => {
    const key = await new Session({ auth: passwordAuth() }).storeKey()
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(key).not.toContain(password)
    const same = new identity.Password({ authUrl: `${authUrl}/v3/`, username: 'alice', password, projectName: 'demo', projectDomainId: 'default' })
    expect(await new Session({ auth: same }).storeKey()).toBe(key)
    const otherPassword = new identity.Password({ authUrl, username: 'alice', password: 'another', projectName: 'demo' })
    expect(await new Session({ auth: otherPassword }).storeKey()).not.toBe(key)
  })

  it('a wrong password does not unlock the stored token: Keystone is asked, and refuses', async () => {
    const keystone = fakeKeystone()
    const store = memoryStore()
    await new Session({ auth: passwordAuth(), store, fetch: keystone.fetch }).getToken()
    const guess = new identity.Password({ authUrl, username: 'alice', password: 'a-guess', projectName: 'demo' })
    await expect(new Session({ auth: guess, store, fetch: keystone.fetch }).getToken()).rejects.toBeInstanceOf(KeystoneAuthError)
    expect(keystone.tokenRequests()).toHaveLength(2)
  })
})

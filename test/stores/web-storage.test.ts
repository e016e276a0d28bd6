// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import { Session, identity, webStorageStore } from '../../src/auth/index.js'
import { fakeKeystone } from '../auth/fake-keystone.js'

const auth = () =>
  new identity.Password({ authUrl: 'http://keystone.test', username: 'alice', password: 'correct-horse', projectName: 'demo' })

beforeEach(() => {
  localStorage.clear()
  sessionStorage.clear()
})

describe('webStorageStore', () => {
  it.each([
    ['localStorage', () => localStorage],
    ['sessionStorage', () => sessionStorage],
  ])('in %s: a page reload with a stored valid token makes no Keystone request', async (_, storage) => {
    const keystone = fakeKeystone()
    await new Session({ auth: auth(), store: webStorageStore(storage()), fetch: keystone.fetch }).getToken()
    expect(storage().length).toBe(1)
    const reloaded = new Session({ auth: auth(), store: webStorageStore(storage()), fetch: keystone.fetch })
    expect(await reloaded.getToken()).toBe('tok-1')
    expect(keystone.requests).toHaveLength(1)
  })

  it('keys entries with the prefix and the identity hash', async () => {
    const keystone = fakeKeystone()
    const session = new Session({ auth: auth(), store: webStorageStore(localStorage, { prefix: 'mon:' }), fetch: keystone.fetch })
    await session.getToken()
    expect(localStorage.key(0)).toBe(`mon:${await session.storeKey()}`)
  })

  it.each([
    ['not JSON', '{"v":1,'],
    ['JSON of another shape', '{"hello":"world"}'],
    ['an entry without a token body', JSON.stringify({ v: 1, token: 't', body: {}, expiresAt: null, skewMs: 0, storedAt: 0 })],
  ])('an entry that is %s is ignored and replaced', async (_, junk) => {
    const keystone = fakeKeystone()
    const session = new Session({ auth: auth(), store: webStorageStore(localStorage), fetch: keystone.fetch })
    const itemKey = `monasca-client:${await session.storeKey()}`
    localStorage.setItem(itemKey, junk)
    expect(await session.getToken()).toBe('tok-1')
    expect(JSON.parse(localStorage.getItem(itemKey)!).token).toBe('tok-1')
  })

  it('an entry copied from another identity’s key is foreign and ignored', async () => {
    const keystone = fakeKeystone()
    const mallory = new Session({
      auth: new identity.Password({ authUrl: 'http://keystone.test', username: 'mallory', password: 'correct-horse', projectName: 'demo' }),
      store: webStorageStore(localStorage),
      fetch: keystone.fetch,
    })
    await mallory.getToken()
    const alice = new Session({ auth: auth(), store: webStorageStore(localStorage), fetch: keystone.fetch })
    localStorage.setItem(`monasca-client:${await alice.storeKey()}`, localStorage.getItem(`monasca-client:${await mallory.storeKey()}`)!)
    expect(await alice.getToken()).toBe('tok-2')
  })

  it('a full or failing storage does not break the session', async () => {
    const keystone = fakeKeystone()
    const broken = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError') }, removeItem: () => {} }
    const session = new Session({ auth: auth(), store: webStorageStore(broken), fetch: keystone.fetch })
    expect(await session.getToken()).toBe('tok-1')
    expect(await session.getToken()).toBe('tok-1')
  })
})

import { describe, expect, it } from 'vitest'
import { Session, identity, memoryStore } from '../../src/auth/index.js'
import { encryptedStore, generateStoreKey, type EncryptedEntry } from '../../src/stores/encrypted.js'
import { fakeKeystone } from '../auth/fake-keystone.js'

const auth = () => new identity.Password({ authUrl: 'http://keystone.test', username: 'alice', password: 'correct-horse', projectName: 'demo' })

async function setup() {
  const keystone = fakeKeystone()
  const inner = memoryStore<EncryptedEntry>()
  const key = await generateStoreKey()
  const session = new Session({ auth: auth(), store: encryptedStore(inner, key), fetch: keystone.fetch })
  await session.getToken()
  return { keystone, inner, key, storeKey: await session.storeKey() }
}

describe('encryptedStore', () => {
  it('hands the inner store only a compact JWE (dir + A256GCM) and reads it back', async () => {
    const { keystone, inner, key, storeKey } = await setup()
    const entry = inner.get(storeKey) as EncryptedEntry
    expect(entry.jwe.split('.')).toHaveLength(5)
    expect(JSON.parse(atob(entry.jwe.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/')))).toMatchObject({ alg: 'dir', enc: 'A256GCM' })
    expect(JSON.stringify(entry)).not.toContain('tok-1')
    const reloaded = new Session({ auth: auth(), store: encryptedStore(inner, key), fetch: keystone.fetch })
    expect(await reloaded.getToken()).toBe('tok-1')
    expect(keystone.requests).toHaveLength(1)
  })

  it('accepts a raw 32-byte key', async () => {
    const raw = crypto.getRandomValues(new Uint8Array(32))
    const store = encryptedStore(memoryStore(), raw)
    const value = { v: 1 as const, key: 'k', token: 't', body: { token: {} }, expiresAt: null, skewMs: 0, storedAt: 1 }
    await store.set('k', value)
    expect(await store.get('k')).toEqual(value)
    expect(() => encryptedStore(memoryStore(), new Uint8Array(16))).toThrow(/32 bytes/)
  })

  it('a tampered JWE is ignored and replaced by a fresh token', async () => {
    const { keystone, inner, key, storeKey } = await setup()
    const parts = (inner.get(storeKey) as EncryptedEntry).jwe.split('.')
    const ciphertext = parts[3]!
    parts[3] = (ciphertext[0] === 'A' ? 'B' : 'A') + ciphertext.slice(1)
    inner.set(storeKey, { v: 1, jwe: parts.join('.') })
    const reloaded = new Session({ auth: auth(), store: encryptedStore(inner, key), fetch: keystone.fetch })
    expect(await reloaded.getToken()).toBe('tok-2')
  })

  it('an entry written with another key is ignored', async () => {
    const { keystone, inner, storeKey } = await setup()
    const other = await generateStoreKey()
    expect(await encryptedStore(inner, other).get(storeKey)).toBeUndefined()
    const reloaded = new Session({ auth: auth(), store: encryptedStore(inner, other), fetch: keystone.fetch })
    expect(await reloaded.getToken()).toBe('tok-2')
  })

  it('an entry moved under another store key is ignored (the key is in the authenticated header)', async () => {
    const { inner, key, storeKey } = await setup()
    inner.set('another-key', inner.get(storeKey) as EncryptedEntry)
    expect(await encryptedStore(inner, key).get('another-key')).toBeUndefined()
  })
})

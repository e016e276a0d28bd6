// A scan over everything every store ever held: tokens yes, passwords and secrets never.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Session, identity, memoryStore, webStorageStore, type CredentialStore } from '../../src/auth/index.js'
import { encryptedStore, generateStoreKey } from '../../src/stores/encrypted.js'
import { fileStore } from '../../src/node/index.js'
import { fakeKeystone } from '../auth/fake-keystone.js'

const PASSWORD = 'pw-Zq8!unique-password-marker'
const SECRET = 'ac-secret-unique-marker-7731'
const PRE_ISSUED = 'pre-issued-token-marker'

/** Records every value a store is given, next to what the store itself keeps. */
function spy(inner: CredentialStore): { store: CredentialStore; seen: string[] } {
  const seen: string[] = []
  return {
    seen,
    store: {
      get: (key) => inner.get(key),
      set: (key, value) => {
        seen.push(key, JSON.stringify(value))
        return inner.set(key, value)
      },
      delete: (key) => inner.delete(key),
    },
  }
}

function mapStorage() {
  const map = new Map<string, string>()
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  }
}

async function useEveryIdentity(store: CredentialStore): Promise<void> {
  const keystone = fakeKeystone({ password: PASSWORD })
  keystone.preIssue(PRE_ISSUED, 3600, false)
  const authUrl = 'http://keystone.test'
  const identities = [
    new identity.Password({ authUrl, username: 'alice', password: PASSWORD, projectName: 'demo' }),
    new identity.ApplicationCredential({ authUrl, applicationCredentialId: 'ac1', applicationCredentialSecret: SECRET }),
    new identity.Token({ authUrl, token: PRE_ISSUED, projectId: 'p1' }),
  ]
  for (const auth of identities) {
    const session = new Session({ auth, store, fetch: keystone.fetch })
    const token = await session.getToken()
    session.invalidate(token)
    await session.getToken()
  }
  expect(keystone.tokenRequests().length).toBeGreaterThanOrEqual(6)
}

describe('no store ever holds a password or secret', () => {
  it.each(['memory', 'web storage', 'encrypted', 'file'])('%s store', async (kind) => {
    const raw: string[] = []
    let inner: CredentialStore
    let cleanup = async () => {}
    if (kind === 'memory') inner = memoryStore()
    else if (kind === 'web storage') {
      const storage = mapStorage()
      inner = webStorageStore(storage)
      cleanup = async () => void raw.push(...storage.map.keys(), ...storage.map.values())
    } else if (kind === 'encrypted') {
      const storage = mapStorage()
      inner = encryptedStore(webStorageStore(storage), await generateStoreKey())
      cleanup = async () => void raw.push(...storage.map.keys(), ...storage.map.values())
    } else {
      const directory = await mkdtemp(join(tmpdir(), 'monasca-no-secrets-'))
      inner = fileStore(directory)
      cleanup = async () => {
        for (const name of await readdir(directory)) raw.push(name, await readFile(join(directory, name), 'utf8'))
        await rm(directory, { recursive: true, force: true })
      }
    }
    const { store, seen } = spy(inner)
    await useEveryIdentity(store)
    await cleanup()
    const everything = [...seen, ...raw].join('\n')
    expect(seen.length).toBeGreaterThan(0)
    expect(everything).toContain('tok-') // the scan does see what was stored
    for (const secret of [PASSWORD, SECRET]) expect(everything).not.toContain(secret)
  })
})

/**
 * The auth strategies (`passwordAuth`, `keystoneTokenAuth`, `applicationCredentialAuth`) against the
 * emulator's Keystone: the session settings among their options reach the Session, the identity
 * fields reach the identity method, and the catalog lookup takes the strategy's serviceType unless
 * the client's own options name one.
 */
import { describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { createClient, keystoneTokenAuth, memoryStore, passwordAuth, Session } from '../../src/core.js'

const emulator = createEmulator({ seed: 'demo' })
const authUrl = 'http://monasca.test/v3'
const demo = { authUrl, username: 'demo', password: 'demo-secret', projectName: 'demo' }

describe('auth strategies', () => {
  it('passwordAuth: the identity logs in, the settings (store, fetch from the client) go to the Session', async () => {
    const store = memoryStore()
    const client = createClient({ authStrategy: passwordAuth, auth: { ...demo, store }, fetch: emulator.fetch })
    expect(client.auth).toBeInstanceOf(Session)
    expect(await client.endpoint()).toBe('http://monasca.test/v2.0')
    expect((client.auth as Session).store).toBe(store)
  })

  it("the strategy's serviceType is used for the catalog when the client names none, and the client's wins when it does", async () => {
    const lost = createClient({ authStrategy: passwordAuth, auth: { ...demo, serviceType: 'no-such-service' }, fetch: emulator.fetch })
    await expect(lost.endpoint()).rejects.toThrow(/service type "no-such-service"/)
    const overridden = createClient({ authStrategy: passwordAuth, auth: { ...demo, serviceType: 'no-such-service' }, serviceType: 'monitoring', fetch: emulator.fetch })
    expect(await overridden.endpoint()).toBe('http://monasca.test/v2.0')
  })

  it('keystoneTokenAuth: the token option reaches Keystone (an issued token is rescoped, a made-up one refused)', async () => {
    const token = await new Session({ auth: passwordAuth(demo).auth, fetch: emulator.fetch }).getToken()
    const client = createClient({ authStrategy: keystoneTokenAuth, auth: { authUrl, token, projectName: 'demo' }, fetch: emulator.fetch })
    expect(await client.endpoint()).toBe('http://monasca.test/v2.0')
    const refused = createClient({ authStrategy: keystoneTokenAuth, auth: { authUrl, token: 'made-up-token', projectName: 'demo' }, fetch: emulator.fetch })
    await expect(refused.endpoint()).rejects.toMatchObject({ name: 'NotFoundError', status: 404 }) // Keystone's "Failed to validate token"
  })
})

import { describe, expect, it } from 'vitest'
import { Session, authFromClientOptions, identity, staticToken, type KeystoneClientOptions } from '../../src/auth/index.js'
import { MonascaValidationError } from '../../src/errors.js'
import { fakeKeystone } from './fake-keystone.js'

const authUrl = 'http://keystone.test:5000'

describe('authFromClientOptions', () => {
  it('returns a given session as is', () => {
    const session = new Session({ auth: new identity.Password({ authUrl, userId: 'u', password: 'p' }) })
    expect(authFromClientOptions({ session, token: 'ignored' })).toBe(session)
  })

  it('a token without authUrl is sent as is, no Keystone', async () => {
    const auth = authFromClientOptions({ token: 'fixed' })
    expect(auth).not.toBeInstanceOf(Session)
    expect(await auth.getToken()).toBe('fixed')
    expect(await auth.invalidate('fixed')).toBe(false)
  })

  it.each<[string, KeystoneClientOptions, string, unknown]>([
    ['token + authUrl + projectName', { token: 'pre', authUrl, projectName: 'demo' }, 'token', { project: { name: 'demo', domain: { id: 'default' } } }],
    ['username + password + authUrl', { username: 'alice', password: 'correct-horse', authUrl, projectId: 'p1' }, 'password', { project: { id: 'p1' } }],
    ['application credential', { applicationCredentialId: 'ac', applicationCredentialSecret: 's', authUrl }, 'application_credential', undefined],
  ])('%s becomes a Session with the %s method', async (_, options, method, scope) => {
    const keystone = fakeKeystone()
    keystone.preIssue('pre', 3600)
    const auth = authFromClientOptions({ ...options, fetch: keystone.fetch })
    expect(auth).toBeInstanceOf(Session)
    expect((auth as Session).auth.method).toBe(method)
    await Promise.resolve(auth.getToken()).catch(() => undefined)
    expect(keystone.requests[0]!.body.auth.identity.methods).toEqual([method])
    expect(keystone.requests[0]!.body.auth.scope).toEqual(scope)
  })

  it.each<[KeystoneClientOptions, string]>([
    [{}, 'token'],
    [{ username: 'alice', password: 'p' }, 'authUrl'],
    [{ username: 'alice', authUrl }, 'password'],
    [{ password: 'p', authUrl }, 'username'],
    [{ applicationCredentialId: 'ac', authUrl }, 'applicationCredentialSecret'],
    [{ applicationCredentialId: 'ac', applicationCredentialSecret: 's' }, 'authUrl'],
  ])('%j is refused naming %s', (options, field) => {
    try {
      authFromClientOptions(options)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(MonascaValidationError)
      expect((e as MonascaValidationError).field).toBe(field)
      expect((e as Error).message).not.toMatch(/"p"|correct-horse/)
    }
  })

  it('staticToken never asks for a resend', async () => {
    expect(await staticToken('t').invalidate('t')).toBe(false)
  })
})

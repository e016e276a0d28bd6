import { inspect } from 'node:util'
import { UnsecuredJWT } from 'jose'
import { describe, expect, it, vi } from 'vitest'
import { Session, identity } from '../../src/auth/index.js'
import { MonascaValidationError } from '../../src/errors.js'
import { fakeKeystone } from './fake-keystone.js'

const authUrl = 'http://keystone.test:5000/v3'

async function bodyOf(auth: ConstructorParameters<typeof Session>[0]['auth']) {
  const keystone = fakeKeystone()
  await new Session({ auth, fetch: keystone.fetch }).getToken().catch(() => undefined)
  return keystone.requests[0]!.body.auth
}

describe('identity.Password', () => {
  it.each([
    [{ userId: 'u1' }, { id: 'u1' }],
    [{ username: 'alice' }, { name: 'alice', domain: { id: 'default' } }],
    [{ username: 'alice', userDomainName: 'Corp' }, { name: 'alice', domain: { name: 'Corp' } }],
    [{ username: 'alice', userDomainId: 'd9' }, { name: 'alice', domain: { id: 'd9' } }],
  ])('user %j becomes %j', async (user, expected) => {
    const auth = await bodyOf(new identity.Password({ authUrl, password: 'correct-horse', ...user }))
    expect(auth.identity.password.user).toEqual({ ...expected, password: 'correct-horse' })
    expect(auth.scope).toBeUndefined()
  })

  it.each([
    [{ projectId: 'p1' }, { project: { id: 'p1' } }],
    [{ projectName: 'demo' }, { project: { name: 'demo', domain: { id: 'default' } } }],
    [{ projectName: 'demo', projectDomainName: 'Corp' }, { project: { name: 'demo', domain: { name: 'Corp' } } }],
    [{ domainId: 'd1' }, { domain: { id: 'd1' } }],
    [{ domainName: 'Corp' }, { domain: { name: 'Corp' } }],
    [{ system: true }, { system: { all: true } }],
    [{ unscoped: true }, 'unscoped'],
  ])('scope %j becomes %j', async (scope, expected) => {
    const auth = await bodyOf(new identity.Password({ authUrl, username: 'alice', password: 'correct-horse', ...scope }))
    expect(auth.scope).toEqual(expected)
  })

  it.each([
    [{ projectId: 'p1', domainId: 'd1' }, 'scope'],
    [{ projectName: 'demo', unscoped: true }, 'scope'],
    [{ domainName: 'Corp', system: true }, 'scope'],
    [{ projectId: 'p1', projectName: 'demo' }, 'projectId'],
    [{ projectName: 'demo', projectDomainId: 'a', projectDomainName: 'b' }, 'projectDomainId'],
    [{ userId: 'u1', username: 'alice' }, 'userId'],
  ])('refuses %j before any request (field %s)', (options, field) => {
    const fetch = vi.fn()
    const error = (() => {
      try {
        new Session({ auth: new identity.Password({ authUrl, username: 'alice', password: 'x', ...options }), fetch })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(MonascaValidationError)
    expect((error as MonascaValidationError).field).toBe(field)
    expect(fetch).not.toHaveBeenCalled()
  })

  it('needs a password and a user', () => {
    expect(() => new identity.Password({ authUrl, username: 'alice', password: '' })).toThrow(/password/)
    expect(() => new identity.Password({ authUrl, password: 'x' })).toThrow(MonascaValidationError)
  })

  it.each([
    ['http://k:5000', 'http://k:5000/v3'],
    ['http://k:5000/', 'http://k:5000/v3'],
    ['http://k:5000/v3/', 'http://k:5000/v3'],
    ['https://cloud.example/identity', 'https://cloud.example/identity/v3'],
  ])('authUrl %s is used as %s', (given, used) => {
    expect(new identity.Password({ authUrl: given, userId: 'u', password: 'p' }).authUrl).toBe(used)
  })

  it.each(['', 'keystone:5000', 'ftp://k/v3', 'http://user:pw@k/v3'])('refuses authUrl %j', (bad) => {
    expect(() => new identity.Password({ authUrl: bad, userId: 'u', password: 'p' })).toThrow(MonascaValidationError)
  })

  it('keeps the password out of JSON.stringify and enumerable fields', () => {
    const auth = new identity.Password({ authUrl, username: 'alice', password: 'correct-horse' })
    expect(JSON.stringify(auth)).not.toContain('correct-horse')
    expect(Object.values(auth).join(' ')).not.toContain('correct-horse')
    const session = new Session({ auth })
    expect(JSON.stringify(session)).not.toContain('correct-horse')
    expect(inspect(session, { depth: 10, showHidden: true })).not.toContain('correct-horse')
    expect(JSON.stringify(session)).toContain('"authUrl":"http://keystone.test:5000/v3"')
  })
})

describe('identity.ApplicationCredential', () => {
  it('authenticates by id', async () => {
    const auth = await bodyOf(new identity.ApplicationCredential({ authUrl, applicationCredentialId: 'ac1', applicationCredentialSecret: 's3cret' }))
    expect(auth).toEqual({ identity: { methods: ['application_credential'], application_credential: { id: 'ac1', secret: 's3cret' } } })
  })

  it('authenticates by name with its user', async () => {
    const auth = await bodyOf(
      new identity.ApplicationCredential({ authUrl, applicationCredentialName: 'ci', username: 'alice', applicationCredentialSecret: 's3cret' }),
    )
    expect(auth.identity.application_credential).toEqual({ name: 'ci', user: { name: 'alice', domain: { id: 'default' } }, secret: 's3cret' })
  })

  it.each([
    [{ applicationCredentialName: 'ci' }, 'username'],
    [{}, 'applicationCredentialId'],
    [{ applicationCredentialId: 'a', applicationCredentialName: 'b' }, 'applicationCredentialId'],
    [{ applicationCredentialId: 'a', projectName: 'demo' }, 'projectName'],
  ])('refuses %j (field %s)', (options, field) => {
    try {
      new identity.ApplicationCredential({ authUrl, applicationCredentialSecret: 's', ...(options as object) })
      expect.unreachable()
    } catch (e) {
      expect((e as MonascaValidationError).field).toBe(field)
    }
  })
})

describe('token expiry sources', () => {
  it('reads exp of a JWS-format token when the body has no expires_at', async () => {
    const exp = Math.floor(Date.now() / 1000) + 900
    const jws = new UnsecuredJWT({ sub: 'u1' }).setExpirationTime(exp).encode()
    const fetch = async () =>
      new Response(JSON.stringify({ token: { methods: ['password'], user: { id: 'u1' } } }), {
        status: 201,
        headers: { 'Content-Type': 'application/json', 'X-Subject-Token': jws },
      })
    const session = new Session({ auth: new identity.Password({ authUrl, userId: 'u1', password: 'p' }), fetch })
    expect((await session.getAccess()).expiresAt?.getTime()).toBe(exp * 1000)
  })

  it('outside a browser, a 201 without X-Subject-Token says so', async () => {
    const keystone = fakeKeystone()
    keystone.hideSubjectToken()
    const session = new Session({ auth: new identity.Password({ authUrl, userId: 'u1', password: 'correct-horse' }), fetch: keystone.fetch })
    await expect(session.getToken()).rejects.toThrow(/without an X-Subject-Token header/)
  })
})

// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { Session, identity } from '../../src/auth/index.js'
import { KeystoneAuthError } from '../../src/errors.js'
import { fakeKeystone } from './fake-keystone.js'

describe('in a browser page', () => {
  it('a 201 whose X-Subject-Token the page cannot read asks to expose it in Keystone’s CORS settings', async () => {
    const keystone = fakeKeystone()
    keystone.hideSubjectToken()
    const session = new Session({
      auth: new identity.Password({ authUrl: 'http://keystone.test', username: 'alice', password: 'correct-horse', projectId: 'p1' }),
      fetch: keystone.fetch,
    })
    const error = (await session.getToken().catch((e: unknown) => e)) as KeystoneAuthError
    expect(error).toBeInstanceOf(KeystoneAuthError)
    expect(error.message).toContain('X-Subject-Token')
    expect(error.message).toContain('expose_headers')
    expect(error.message).not.toContain('correct-horse')
    expect(error.authUrl).toBe('http://keystone.test/v3')
  })
})

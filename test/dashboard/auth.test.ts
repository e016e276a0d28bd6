// @vitest-environment happy-dom
/**
 * The dashboard's login against the emulator's Keystone (its fetch handler as the page's fetch):
 * the password is never stored, a reload restores the session from sessionStorage without a
 * Keystone request, logout revokes and forgets it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { domain, endSession, loginWithPassword, loginWithToken, rememberedForm, restoreSession } from '../../examples/dashboard/src/lib/auth.js'
import { createEmulator, type Emulator } from '../../src/emulator/index.js'

describe('dashboard login', () => {
  let emulator: Emulator
  const keystoneCalls = () => emulator.requests.filter((r) => r.service === 'keystone').length
  const form = { authUrl: 'http://emulator.test/v3', username: 'demo', password: 'demo-secret', projectName: 'demo', userDomainName: 'default', projectDomainName: 'default' }

  beforeEach(() => {
    emulator = createEmulator()
    vi.stubGlobal('fetch', emulator.fetch)
    sessionStorage.clear()
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('a password login keeps only a token, and a reload needs no Keystone request', async () => {
    const session = await loginWithPassword(form)
    const access = await session.getAccess()
    expect(access.projectName).toBe('demo')
    expect(await session.getEndpoint()).toBe('http://emulator.test/v2.0')
    const stored = JSON.stringify({ ...sessionStorage })
    expect(stored).not.toContain('demo-secret')
    expect(stored).toContain(access.token)
    expect(rememberedForm()).toEqual({ authUrl: form.authUrl, username: 'demo', projectName: 'demo', userDomainName: 'default', projectDomainName: 'default' })

    const before = keystoneCalls()
    const restored = restoreSession()
    expect(restored).toBeDefined()
    expect((await restored!.getAccess()).token).toBe(access.token)
    expect(await restored!.getEndpoint()).toBe('http://emulator.test/v2.0')
    expect(keystoneCalls()).toBe(before)
  })

  it('a pasted token is validated once; a wrong one is refused', async () => {
    const token = emulator.issueToken({ projectId: emulator.projectId('demo'), roles: ['monasca-user'] })
    const session = await loginWithToken('http://emulator.test/v3', ` ${token}\n`)
    expect((await session.getAccess()).token).toBe(token)
    await expect(loginWithToken('http://emulator.test/v3', 'not-a-token')).rejects.toMatchObject({ name: 'KeystoneAuthError' })
    expect(sessionStorage.getItem('monasca-dashboard:login')).toContain(token)
  })

  it('logout revokes the token at Keystone and leaves nothing to restore', async () => {
    const session = await loginWithPassword(form)
    const { token } = await session.getAccess()
    await endSession(session, true)
    expect(restoreSession()).toBeUndefined()
    expect(Object.keys(sessionStorage).filter((k) => k.startsWith('monasca-dashboard:token:'))).toEqual([])
    const answer = await emulator.fetch('http://emulator.test/v2.0/alarms', { headers: { 'X-Auth-Token': token } })
    expect(answer.status).toBe(401)
  })

  it('a corrupt login record is dropped, not trusted', () => {
    sessionStorage.setItem('monasca-dashboard:login', '{"authUrl": 3')
    expect(restoreSession()).toBeUndefined()
    expect(sessionStorage.getItem('monasca-dashboard:login')).toBeNull()
  })

  it('reads a domain as an id (default, 32 hex) or a name', () => {
    expect(domain('user', '')).toEqual({ userDomainId: 'default' })
    expect(domain('project', 'f'.repeat(32))).toEqual({ projectDomainId: 'f'.repeat(32) })
    expect(domain('project', 'Engineering')).toEqual({ projectDomainName: 'Engineering' })
  })
})

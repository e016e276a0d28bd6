// Token life against a real Keystone whose tokens live 20 s (the second instance of scripts/keystone.sh):
// sessions refresh before expiry, a pre-issued token's session says it has ended, expired tokens are refused.
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { KeystoneAuthError, Session, SessionExpiredError, createClient, identity } from '../../src/index.js'
import { describeWithSystemPart } from '../helpers/env.js'
import { ADMIN, SHORT_KEYSTONE, issueRaw, reachable, startMonasca, type MonascaServer } from './helpers.js'

const available = await reachable(SHORT_KEYSTONE)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const until = (deadline: number) => sleep(Math.max(0, deadline - Date.now()))

describeWithSystemPart('Keystone (20 s tokens)', available, () => {
  let monasca: MonascaServer
  beforeAll(async () => {
    monasca = await startMonasca(SHORT_KEYSTONE)
  })
  afterAll(() => monasca?.close())

  it('password sessions renew before expiry; a token session tells onExpired and then refuses; Keystone refuses the expired token', { timeout: 90_000 }, async () => {
    const password = new Session({
      auth: new identity.Password({ authUrl: SHORT_KEYSTONE, username: ADMIN.username, password: ADMIN.password, projectName: ADMIN.projectName }),
    })
    const renewing = createClient({ endpoint: monasca.url, session: password })
    await renewing.alarms.list()
    const first = await password.getAccess()
    const lifeMs = first.expiresAt!.getTime() - first.issuedAt!.getTime()
    expect(lifeMs).toBe(20_000)

    const { token: preIssued } = await issueRaw(SHORT_KEYSTONE, {
      identity: { methods: ['password'], password: { user: { name: ADMIN.username, domain: { id: 'default' }, password: ADMIN.password } } },
      scope: { project: { name: ADMIN.projectName, domain: { id: 'default' } } },
    })
    const onExpired = vi.fn()
    const dashboard = createClient({ endpoint: monasca.url, token: preIssued, authUrl: SHORT_KEYSTONE, onExpired })
    await dashboard.alarms.list()
    expect(onExpired).not.toHaveBeenCalled()

    // Half the 20 s life left: the margin for short-lived tokens (min of 120 s and half the life).
    await until(first.expiresAt!.getTime() - lifeMs / 2 + 1500)
    await renewing.alarms.list()
    const second = await password.getAccess()
    expect(second.token).not.toBe(first.token)
    expect(second.expiresAt!.getTime()).toBeGreaterThan(first.expiresAt!.getTime())

    expect(onExpired).toHaveBeenCalledTimes(1)
    expect(onExpired.mock.calls[0]![0]).toBeInstanceOf(SessionExpiredError)
    await expect(dashboard.alarms.list()).rejects.toBeInstanceOf(SessionExpiredError)

    await until(first.expiresAt!.getTime() + 1500)
    const check = new Session({ auth: new identity.Token({ authUrl: SHORT_KEYSTONE, token: first.token }) })
    const error = await check.getToken().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeystoneAuthError)
    // The token validates itself (it is also the X-Auth-Token): Keystone answers 401 once it has expired.
    expect((error as KeystoneAuthError).status).toBe(401)

    await renewing.alarms.list()
    expect(monasca.seen.every((s) => s.accepted)).toBe(true)
    expect(new Set(monasca.seen.map((s) => s.token)).size).toBeGreaterThanOrEqual(3)
  })
})

// Against a real Keystone (bash scripts/keystone.sh start), Monasca being the emulator behind a
// token-validating stand-in for keystonemiddleware.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { EndpointNotFoundError, KeystoneAuthError, Session, createClient, identity, memoryStore } from '../../src/index.js'
import { describeWithSystemPart } from '../helpers/env.js'
import { ADMIN, KEYSTONE, adminSession, issueRaw, keystoneApi, reachable, startMonasca, unique, type MonascaServer } from './helpers.js'

const available = await reachable(KEYSTONE)

describeWithSystemPart('Keystone', available, () => {
  const admin = adminSession(KEYSTONE)
  const region = unique('region')
  const projectName = unique('project')
  const cleanups: (() => Promise<unknown>)[] = []
  let monasca: MonascaServer
  let userId: string
  let projectId: string
  // Every client below finds Monasca through the catalog: the test region's internal endpoint is
  // the emulator; its public endpoint is a port where nothing listens.
  const catalog = { regionName: region, interface: ['internal', 'public'] }

  beforeAll(async () => {
    monasca = await startMonasca(KEYSTONE)
    cleanups.push(() => monasca.close())
    userId = (await admin.getAccess()).userId!
    await keystoneApi(admin, 'POST', '/regions', { region: { id: region, description: 'monasca-client tests' } })
    cleanups.push(() => keystoneApi(admin, 'DELETE', `/regions/${region}`))
    const { services } = await keystoneApi(admin, 'GET', '/services?type=monitoring')
    const serviceId = services[0].id as string
    for (const [iface, url] of [['internal', monasca.url], ['public', 'http://127.0.0.1:9/v2.0']]) {
      const { endpoint } = await keystoneApi(admin, 'POST', '/endpoints', {
        endpoint: { service_id: serviceId, interface: iface, region_id: region, url, enabled: true },
      })
      cleanups.unshift(() => keystoneApi(admin, 'DELETE', `/endpoints/${endpoint.id}`))
    }
    const { project } = await keystoneApi(admin, 'POST', '/projects', { project: { name: projectName, domain_id: 'default' } })
    projectId = project.id
    cleanups.unshift(() => keystoneApi(admin, 'DELETE', `/projects/${projectId}`))
    const { roles } = await keystoneApi(admin, 'GET', '/roles?name=admin')
    await keystoneApi(admin, 'PUT', `/projects/${projectId}/users/${userId}/roles/${roles[0].id}`)
    // The admin session's token predates the endpoints: take a new one for the catalog to show them.
    await admin.clear()
  })

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined)
  })

  it('way 1: a Session with identity.Password, endpoint from the catalog (interface preference + region)', async () => {
    const session = new Session({
      auth: new identity.Password({ authUrl: KEYSTONE, ...ADMIN, userDomainId: 'default', projectDomainId: 'default' }),
    })
    const client = createClient({ apiVersion: '2_0', session, ...catalog })
    expect(await client.endpoint()).toBe(monasca.url)
    const name = unique('metric')
    await client.metrics.create({ name, dimensions: { hostname: 'h1' }, timestamp: Date.now(), value: 1 })
    const names = await client.metrics.listNames()
    expect(names.map((n) => n.name)).toContain(name)
    expect(monasca.seen.at(-1)).toEqual({ token: await session.getToken(), accepted: true })
  })

  it('way 2: token + projectName + authUrl rescopes the token (method token) and keeps its expiry', async () => {
    const { token, body } = await issueRaw(KEYSTONE, {
      identity: { methods: ['password'], password: { user: { name: ADMIN.username, domain: { id: 'default' }, password: ADMIN.password } } },
    })
    const client = createClient({ token, authUrl: KEYSTONE, projectName, projectDomainId: 'default', ...catalog })
    expect(await client.alarms.list()).toEqual([])
    const session = client.auth as Session
    const access = await session.getAccess()
    expect(access.projectId).toBe(projectId)
    expect(access.token).not.toBe(token)
    expect(access.methods).toContain('token')
    expect(access.expiresAt?.getTime()).toBe(Date.parse(body.token.expires_at))
  })

  it('way 2 without a scope: the pre-issued token is validated and used as is', async () => {
    const { token } = await issueRaw(KEYSTONE, {
      identity: { methods: ['password'], password: { user: { name: ADMIN.username, domain: { id: 'default' }, password: ADMIN.password } } },
      scope: { project: { id: projectId } },
    })
    const client = createClient({ token, authUrl: `${KEYSTONE}/v3/`, ...catalog })
    await client.alarmDefinitions.list()
    expect(monasca.seen.at(-1)).toEqual({ token, accepted: true })
  })

  it('way 3: username + password + projectName + authUrl (the /v3 suffix added)', async () => {
    const client = createClient({ username: ADMIN.username, password: ADMIN.password, projectName, authUrl: KEYSTONE, ...catalog })
    await client.notifications.list()
    expect((await (client.auth as Session).getAccess()).projectName).toBe(projectName)
    expect(monasca.seen.at(-1)!.accepted).toBe(true)
  })

  it('application credentials, by id and by name + user', async () => {
    const { application_credential: credential } = await keystoneApi(admin, 'POST', `/users/${userId}/application_credentials`, {
      application_credential: { name: unique('appcred'), description: 'monasca-client tests' },
    })
    cleanups.unshift(() => keystoneApi(admin, 'DELETE', `/users/${userId}/application_credentials/${credential.id}`))
    const byId = createClient({ applicationCredentialId: credential.id, applicationCredentialSecret: credential.secret, authUrl: KEYSTONE, ...catalog })
    await byId.alarms.list()
    expect((await (byId.auth as Session).getAccess()).methods).toEqual(['application_credential'])
    const byName = new Session({
      auth: new identity.ApplicationCredential({
        authUrl: KEYSTONE,
        applicationCredentialName: credential.name,
        username: ADMIN.username,
        userDomainId: 'default',
        applicationCredentialSecret: credential.secret,
      }),
    })
    const access = await byName.getAccess()
    expect(access.methods).toEqual(['application_credential'])
    expect(access.projectName).toBe(ADMIN.projectName)
  })

  it('a wrong password is a KeystoneAuthError (401) that never shows the password, after one request', async () => {
    const wrong = 'not-the-admin-secret-41'
    const session = new Session({ auth: new identity.Password({ authUrl: KEYSTONE, username: ADMIN.username, password: wrong, projectName: ADMIN.projectName }) })
    const error = (await session.getToken().catch((e: unknown) => e)) as KeystoneAuthError
    expect(error).toBeInstanceOf(KeystoneAuthError)
    expect(error.status).toBe(401)
    expect(error.requestId).toMatch(/^req-/)
    expect(error.description).toBe('The request you have made requires authentication.')
    for (const text of [error.message, JSON.stringify(error), error.stack ?? '']) expect(text).not.toContain(wrong)
  })

  it('a revoked token: Monasca says 401, the session authenticates again and the call succeeds', async () => {
    const session = new Session({ auth: new identity.Password({ authUrl: KEYSTONE, username: ADMIN.username, password: ADMIN.password, projectId }) })
    const client = createClient({ session, ...catalog })
    await client.alarms.list()
    const first = await session.getToken()
    const response = await fetch(`${KEYSTONE}/v3/auth/tokens`, {
      method: 'DELETE',
      headers: { 'X-Auth-Token': await admin.getToken(), 'X-Subject-Token': first },
    })
    expect(response.status).toBe(204)
    const before = monasca.seen.length
    expect(await client.alarms.list()).toEqual([])
    const second = await session.getToken()
    expect(second).not.toBe(first)
    expect(monasca.seen.slice(before)).toEqual([
      { token: first, accepted: false },
      { token: second, accepted: true },
    ])
  })

  it('a revoked pre-issued token cannot come back: KeystoneAuthError, no loop', async () => {
    const { token } = await issueRaw(KEYSTONE, {
      identity: { methods: ['password'], password: { user: { name: ADMIN.username, domain: { id: 'default' }, password: ADMIN.password } } },
      scope: { project: { id: projectId } },
    })
    const client = createClient({ token, authUrl: KEYSTONE, ...catalog })
    await client.alarms.list()
    await fetch(`${KEYSTONE}/v3/auth/tokens`, { method: 'DELETE', headers: { 'X-Auth-Token': await admin.getToken(), 'X-Subject-Token': token } })
    await expect(client.alarms.list()).rejects.toBeInstanceOf(KeystoneAuthError)
  })

  it('catalog lookup: interface preference, region, and an error listing what is offered', async () => {
    const session = new Session({ auth: new identity.Password({ authUrl: KEYSTONE, ...ADMIN }) })
    expect(await session.getEndpoint({ regionName: region, interface: ['admin', 'internal', 'public'] })).toBe(monasca.url)
    expect(await session.getEndpoint({ regionName: region, interface: 'public' })).toBe('http://127.0.0.1:9/v2.0')
    expect(await session.getEndpoint({ regionName: 'RegionOne' })).toMatch(/^http:\/\/.+\/v2\.0$/)
    const error = await session.getEndpoint({ regionName: region, interface: 'admin' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EndpointNotFoundError)
    expect((error as Error).message).toContain(`monitoring internal ${region} ${monasca.url}`)
    expect((error as Error).message).toContain('identity public RegionOne')
  })

  it('a second session on the same store reuses the stored token: no Keystone request', async () => {
    const store = memoryStore()
    let keystoneCalls = 0
    const counting = (input: Request | string | URL, init?: RequestInit) => {
      keystoneCalls++
      return fetch(input, init)
    }
    const auth = () => new identity.Password({ authUrl: KEYSTONE, username: ADMIN.username, password: ADMIN.password, projectId })
    const token = await new Session({ auth: auth(), store, fetch: counting }).getToken()
    const reloaded = new Session({ auth: auth(), store, fetch: counting })
    expect(await reloaded.getToken()).toBe(token)
    expect(keystoneCalls).toBe(1)
  })
})

/**
 * The words of identity errors (#10), each situation built for real: a wrong password, an unknown
 * user and a wrong project at the real Keystone (:5000), a Keystone v2.0 URL, a wrong Keystone path
 * and https against a plain-http port. Exact words, no secret.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, KeystoneAuthError, MonascaConnectionError, MonascaValidationError, NotFoundError } from '../../src/index.js'
import { describeWithSystemPart } from '../helpers/env.js'
import { everythingShown } from '../wire/servers.js'
import { adminSession, KEYSTONE, keystoneApi, reachable, unique } from './helpers.js'

const available = await reachable(KEYSTONE)
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}-Secret`
const WRONG = 'wrong-Password-not-shown-1'
const REQUEST_ID = '\\(request id req-[0-9a-f-]{36}\\)'
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describeWithSystemPart('Keystone', available, () => {
  const admin = adminSession(KEYSTONE)
  const username = unique('user')
  const projectName = unique('project')
  const otherProject = unique('other')
  const cleanups: (() => Promise<unknown>)[] = []

  beforeAll(async () => {
    const { project } = await keystoneApi(admin, 'POST', '/projects', { project: { name: projectName, domain_id: 'default' } })
    cleanups.push(() => keystoneApi(admin, 'DELETE', `/projects/${project.id}`))
    const { project: other } = await keystoneApi(admin, 'POST', '/projects', { project: { name: otherProject, domain_id: 'default' } })
    cleanups.push(() => keystoneApi(admin, 'DELETE', `/projects/${other.id}`))
    const { user } = await keystoneApi(admin, 'POST', '/users', { user: { name: username, password: PASSWORD, domain_id: 'default' } })
    cleanups.push(() => keystoneApi(admin, 'DELETE', `/users/${user.id}`))
    const { roles } = await keystoneApi(admin, 'GET', '/roles?name=member')
    await keystoneApi(admin, 'PUT', `/projects/${project.id}/users/${user.id}/roles/${roles[0].id}`)
  })
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined)
  })

  const refusal = async (user: string, password: string, project: string) => {
    const client = createClient({ authUrl: KEYSTONE, username: user, password, projectName: project, endpoint: 'http://127.0.0.1:9/v2.0' })
    const error = (await client.alarms.list().catch((e: unknown) => e)) as KeystoneAuthError
    expect(error).toBeInstanceOf(KeystoneAuthError)
    const shown = await everythingShown(error)
    expect(shown).not.toContain(password)
    return error
  }
  const words = (user: string, project: string) =>
    new RegExp(
      `^${escape(
        `Keystone at ${KEYSTONE}/v3 refused the credentials of user "${user}" (domain default) for project "${project}" (domain default) (HTTP 401). ` +
          'Check the password or secret, the user name and its domain, and that the user has a role on the project. ' +
          'Keystone said: "The request you have made requires authentication." ',
      )}${REQUEST_ID}$`,
    )

  it('a wrong password', async () => {
    const error = await refusal(username, WRONG, projectName)
    expect(error.message).toMatch(words(username, projectName))
    expect(error).toMatchObject({ status: 401, authUrl: `${KEYSTONE}/v3`, title: 'Unauthorized', description: 'The request you have made requires authentication.' })
    expect(error.requestId).toMatch(/^req-/)
  })

  it('an unknown user', async () => {
    const nobody = unique('nobody')
    expect((await refusal(nobody, WRONG, projectName)).message).toMatch(words(nobody, projectName))
  })

  it('a project the user has no role on', async () => {
    expect((await refusal(username, PASSWORD, otherProject)).message).toMatch(words(username, otherProject))
  })

  it('the right credentials work (the refusals above are about the credentials)', async () => {
    const client = createClient({ authUrl: KEYSTONE, username, password: PASSWORD, projectName, endpoint: 'http://127.0.0.1:9/v2.0' })
    await expect(Promise.resolve(client.auth.getToken())).resolves.toMatch(/\S{20,}/)
  })

  it('an auth URL on a path where Keystone is not: NotFoundError with the URL and a hint', async () => {
    const client = createClient({ authUrl: `${KEYSTONE}/identity`, username, password: PASSWORD, projectName, endpoint: 'http://127.0.0.1:9/v2.0' })
    const error = (await client.alarms.list().catch((e: unknown) => e)) as NotFoundError
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error.message).toMatch(
      new RegExp(
        `^${escape(
          `Keystone at ${KEYSTONE}/identity/v3 answered 404 Not Found for POST ${KEYSTONE}/identity/v3/auth/tokens: ` +
            'authUrl should be Keystone\'s identity root, e.g. http://keystone:5000/v3. Keystone said: "404 Not Found" ',
        )}${REQUEST_ID}$`,
      ),
    )
    expect(error.authUrl).toBe(`${KEYSTONE}/identity/v3`)
    expect(await everythingShown(error)).not.toContain(PASSWORD)
  })
})

describe('errors that need no Keystone', () => {
  let plain: Server
  let plainOrigin: string
  beforeAll(async () => {
    plain = createServer((_req, res) => res.end('{}'))
    await new Promise<void>((ready) => plain.listen(0, '127.0.0.1', ready))
    plainOrigin = `127.0.0.1:${(plain.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise<void>((done) => plain.close(() => done()))
  })

  it('an auth URL ending in /v2.0 says that Keystone v3 is needed, before any request', () => {
    let error: unknown
    try {
      createClient({ authUrl: 'http://keystone.example:5000/v2.0', username: 'demo', password: WRONG, projectName: 'demo' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(MonascaValidationError)
    expect((error as Error).message).toBe(
      "authUrl: http://keystone.example:5000/v2.0 is Keystone's v2.0 API (removed in Queens); Keystone v3 is needed: use http://keystone.example:5000/v3",
    )
  })

  it('https against a plain-http port says the server does not speak TLS there', async () => {
    const error = (await createClient({ endpoint: `https://${plainOrigin}/v2.0`, token: 'tls-Token-Secret-1', retries: 0 })
      .alarms.list()
      .catch((e: unknown) => e)) as MonascaConnectionError
    expect(error).toBeInstanceOf(MonascaConnectionError)
    expect(error.message).toBe(
      `GET https://${plainOrigin}/v2.0/alarms failed: cannot reach Monasca: the server does not speak TLS at this address (is it http:// rather than https://?)`,
    )
    expect(await everythingShown(error)).not.toMatch(/tls-Token-Secret-1/)
  })
})

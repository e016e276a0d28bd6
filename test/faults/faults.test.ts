/**
 * The fault server (#9 "Show"): each fault gives a typed error or the right result, never a hang
 * past its timeout (each test's own timeout is the hang guard) and never an unhandled rejection (the
 * setupFiles guard fails a test that leaves one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createClient,
  InternalServerError,
  MonascaAPIError,
  MonascaConnectionError,
  MonascaResponseError,
  MonascaTimeoutError,
  type Client,
} from '../../src/index.js'
import { everythingShown } from '../wire/servers.js'
import { SECRET_PASSWORD, startFaultServer, type FaultServer } from './fault-server.js'

const TOKEN = 'fault-static-Token-99'
let server: FaultServer
let client: Client
beforeAll(async () => {
  server = await startFaultServer()
  client = createClient({ endpoint: `${server.origin}/v2.0`, token: TOKEN, retries: 0, timeout: 400 })
})
afterAll(() => server.close())

async function fails(fault: string, against: Client = client): Promise<Error> {
  const error = (await against.alarms.get(fault).catch((e: unknown) => e)) as Error
  expect(error).toBeInstanceOf(Error)
  expect(await everythingShown(error)).not.toContain(TOKEN)
  return error
}

describe('fault server', { timeout: 5_000 }, () => {
  it('connection reset mid-body: a typed error', async () => {
    const error = await fails('reset')
    expect(error).toBeInstanceOf(MonascaResponseError)
    expect((error as MonascaResponseError).status).toBe(200)
  })

  it('slow headers: MonascaTimeoutError at the timeout, not when the server finally answers (5 s)', async () => {
    const error = await fails('slow-headers')
    expect(error).toBeInstanceOf(MonascaTimeoutError)
    expect(error.message).toContain('timed out after 400 ms')
  })

  it('never answering: MonascaTimeoutError', async () => {
    expect(await fails('never')).toBeInstanceOf(MonascaTimeoutError)
  })

  it('never answering, retried: each attempt times out and the call ends within its deadline', async () => {
    const retried = createClient({ endpoint: `${server.origin}/v2.0`, token: TOKEN, retries: 2, timeout: 300, retryPolicy: { baseDelay: 10, maxDelay: 10 } })
    const before = server.requests.length
    expect(await fails('never', retried)).toBeInstanceOf(MonascaTimeoutError)
    expect(server.requests.length - before).toBe(3)
  })

  it('truncated JSON: MonascaResponseError with what arrived', async () => {
    const error = await fails('truncated')
    expect(error).toBeInstanceOf(MonascaResponseError)
    expect(error.message).toContain('cut short')
  })

  it('a non-JSON 200: MonascaResponseError with the first bytes', async () => {
    const error = (await fails('text')) as MonascaResponseError
    expect(error).toBeInstanceOf(MonascaResponseError)
    expect(error.bodyStart).toBe('hello')
  })

  it('an HTML 200 (a login page in front of the API): MonascaResponseError', async () => {
    const error = (await fails('html-ok')) as MonascaResponseError
    expect(error).toBeInstanceOf(MonascaResponseError)
    expect(error.bodyStart).toContain('Sign in')
  })

  it('an HTML error page (nginx 502): InternalServerError with the page text as description', async () => {
    const error = (await fails('html-error')) as InternalServerError
    expect(error).toBeInstanceOf(InternalServerError)
    expect(error.status).toBe(502)
    expect(error.description).toContain('502 Bad Gateway')
  })

  it('a redirect to another origin: a typed error, and nothing reaches the other origin', async () => {
    const error = (await fails('redirect')) as MonascaAPIError
    expect(error).toBeInstanceOf(MonascaAPIError)
    expect(error.status).toBe(302)
    expect(server.otherSeen).toEqual([])
  })

  it('a 401 in the middle of a 20-page pagination while the token expires: one re-authentication, every alarm once', async () => {
    const session = createClient({ authUrl: `${server.origin}/v3`, username: 'demo', password: SECRET_PASSWORD, projectName: 'demo', timeout: 2000 })
    const ids: string[] = []
    for await (const alarm of session.alarms.list({ limit: 10 })) ids.push(alarm.id)
    expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => `alarm-${i}`))
    expect(server.issued).toHaveLength(2)
    const tokens = server.requests.filter((r) => r.path.startsWith('/v2.0/alarms?') || r.path === '/v2.0/alarms?limit=10').map((r) => r.token)
    expect(new Set(tokens)).toEqual(new Set(server.issued))
  })

  it('a server that goes away: MonascaConnectionError, not an unhandled rejection', async () => {
    const gone = await startFaultServer()
    const origin = gone.origin
    await gone.close()
    const error = await createClient({ endpoint: `${origin}/v2.0`, token: TOKEN, retries: 0 }).alarms.get('a1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MonascaConnectionError)
    expect(error).not.toBeInstanceOf(MonascaTimeoutError)
  })
})

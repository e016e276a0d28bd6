/**
 * A secrets scan over every error path (#9): passwords, tokens and application-credential secrets
 * never appear in an error's message, stack, JSON, util.inspect or causes, in what the hooks are
 * told, in anything written to the console, or in a store.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createClient, identity, memoryStore, Session, webStorageStore, type CredentialStore } from '../../src/index.js'
import { everythingShown, sendJson, serve, type TestServer } from '../wire/servers.js'
import { SECRET_PASSWORD, startFaultServer, type FaultServer } from './fault-server.js'

const TOKEN = 'scan-Token-Abcdef-123456'
const WRONG_PASSWORD = 'scan-Wrong-Password-987'
const APP_SECRET = 'scan-App-Credential-Secret-555'
const SECRETS = [TOKEN, WRONG_PASSWORD, APP_SECRET, SECRET_PASSWORD]

let faults: FaultServer
let echo: TestServer
const logs: string[] = []
const hooks = {
  onRequest: (info: unknown) => void logs.push(JSON.stringify(info)),
  onResponse: (info: unknown) => void logs.push(JSON.stringify(info)),
}

beforeAll(async () => {
  faults = await startFaultServer()
  // Echoes every header and the body back, in a Monasca and in a Keystone error shape.
  echo = await serve((req, res, body) => {
    const everything = `${JSON.stringify(req.headers)} ${body}`
    if (req.url!.startsWith('/v3/')) return sendJson(res, 401, { error: { code: 401, title: 'Unauthorized', message: everything } })
    sendJson(res, req.url!.includes('boom') ? 500 : 401, { title: `echo ${everything}`, description: everything })
  })
})
afterAll(async () => {
  await faults.close()
  await echo.close()
})

function mapStorage() {
  const map = new Map<string, string>()
  return { map, storage: { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) } }
}

describe('secrets scan', { timeout: 10_000 }, () => {
  const scenarios: Array<[string, () => Promise<unknown>]> = [
    ['Monasca 401 echoing the token', () => createClient({ endpoint: `${echo.origin}/v2.0`, token: TOKEN, ...hooks }).alarms.get('a1')],
    ['Monasca 500 echoing the token, retried', () => createClient({ endpoint: `${echo.origin}/v2.0`, token: TOKEN, retries: 1, retryPolicy: { baseDelay: 1 }, ...hooks }).alarms.get('boom')],
    ['Keystone 401 echoing a wrong password', () => createClient({ authUrl: `${faults.origin}/v3`, username: 'demo', password: WRONG_PASSWORD, projectName: 'demo', ...hooks }).alarms.list()],
    ['Keystone 401 echoing an application credential secret', () => createClient({ authUrl: `${echo.origin}/v3`, applicationCredentialId: 'ac1', applicationCredentialSecret: APP_SECRET, ...hooks }).alarms.list()],
    ['Keystone 401 echoing a token under validation', () => createClient({ authUrl: `${echo.origin}/v3`, token: TOKEN, ...hooks }).alarms.list()],
    ['a timeout', () => createClient({ endpoint: `${faults.origin}/v2.0`, token: TOKEN, timeout: 200, retries: 0, ...hooks }).alarms.get('never')],
    ['a body cut short', () => createClient({ endpoint: `${faults.origin}/v2.0`, token: TOKEN, ...hooks }).alarms.get('truncated')],
    ['a redirect to another origin', () => createClient({ endpoint: `${faults.origin}/v2.0`, token: TOKEN, ...hooks }).alarms.get('redirect')],
    ['a refused connection', () => createClient({ endpoint: 'http://127.0.0.1:1/v2.0', token: TOKEN, retries: 0, ...hooks }).alarms.get('a1')],
    ['a token with a line break', () => createClient({ endpoint: `${faults.origin}/v2.0`, token: `${TOKEN}\n`, ...hooks }).alarms.get('a1')],
    ['a password with a line break in the Keystone body', () => createClient({ authUrl: `${echo.origin}/v3`, username: 'demo', password: `${WRONG_PASSWORD}\n`, ...hooks }).alarms.list()],
  ]

  it.each(scenarios)('%s: no secret in the error, its causes, the hooks or the console', async (_name, scenario) => {
    const printed: string[] = []
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' '))),
    )
    logs.length = 0
    let error: unknown
    try {
      await scenario()
    } catch (e) {
      error = e
    } finally {
      for (const spy of spies) spy.mockRestore()
    }
    expect(error).toBeInstanceOf(Error)
    const shown = [await everythingShown(error), ...logs, ...printed].join('\n')
    for (const secret of SECRETS) expect(shown).not.toContain(secret)
  })

  it('stores hold a token, never the password it was issued for', async () => {
    const memory = memoryStore()
    const { map, storage } = mapStorage()
    for (const store of [memory, webStorageStore(storage)] as CredentialStore[]) {
      const session = new Session({ auth: new identity.Password({ authUrl: faults.origin, username: 'demo', password: SECRET_PASSWORD, projectName: 'demo' }), store })
      const token = await session.getToken()
      expect(token).toMatch(/^fault-token-/)
      const key = await session.storeKey()
      const stored = JSON.stringify(await store.get(key))
      expect(stored).toContain(token)
      expect(stored).not.toContain(SECRET_PASSWORD)
      expect(JSON.stringify(session)).not.toContain(SECRET_PASSWORD)
    }
    expect([...map.values()].join('')).not.toContain(SECRET_PASSWORD)
  })
})

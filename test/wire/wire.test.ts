/**
 * The wire against real HTTP servers (#9 defects): replies that are not JSON, redirects that would
 * carry credentials to another origin, error bodies echoing the token, header values that would leak
 * through fetch's own error, and bodies larger than the cap (a gzip bomb included).
 */
import { createGzip } from 'node:zlib'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createClient,
  identity,
  KeystoneAuthError,
  MonascaAPIError,
  MonascaResponseError,
  MonascaValidationError,
  NotFoundError,
  Session,
  type Client,
} from '../../src/index.js'
import { everythingShown, sendJson, serve, type TestServer } from './servers.js'

const TOKEN = 'gAAAAABtoken-secret-1234567890'
const servers: TestServer[] = []
const start = async (...args: Parameters<typeof serve>) => {
  const server = await serve(...args)
  servers.push(server)
  return server
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
const client = (origin: string, extra: Record<string, unknown> = {}): Client =>
  createClient({ endpoint: `${origin}/v2.0`, token: TOKEN, retries: 0, ...extra })

describe('a 2xx whose body is not JSON is a MonascaResponseError (status, URL, first bytes), never data', () => {
  it.each([
    ['HTML', '<html><body>Welcome to nginx</body></html>', 'text/html'],
    ['a bare word', 'hello', 'text/plain'],
    ['JSON cut short, connection closed (no length)', '{"links":[],"elements":[{"id":', 'application/json'],
  ])('%s', async (_what, body, type) => {
    const server = await start((_req, res) => {
      res.writeHead(200, { 'content-type': type, connection: 'close' })
      res.end(body)
    })
    const error = (await client(server.origin).alarms.get('a1').catch((e: unknown) => e)) as MonascaResponseError
    expect(error).toBeInstanceOf(MonascaResponseError)
    expect(error.status).toBe(200)
    expect(error.url).toBe(`${server.origin}/v2.0/alarms/a1`)
    expect(error.bodyStart).toBe(body.slice(0, 200))
    expect(error.message).toContain('not JSON')
  })

  it('a body shorter than its Content-Length (the server closes mid-body)', async () => {
    const server = await start((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' })
      res.write('{"links":[],"elements":[{"id":')
      setTimeout(() => req.socket.destroy(), 20)
    })
    const error = (await client(server.origin).alarms.list().catch((e: unknown) => e)) as MonascaResponseError
    expect(error).toBeInstanceOf(MonascaResponseError)
    expect(error.status).toBe(200)
    expect(error.message).toContain('cut short')
  })

  it('an empty 204 is no data, and valid JSON is data', async () => {
    const server = await start((req, res) => {
      if (req.method === 'DELETE') return void res.writeHead(204).end()
      sendJson(res, 200, { id: 'a1', state: 'OK' })
    })
    await expect(client(server.origin).alarms.delete('a1')).resolves.toBeUndefined()
    await expect(client(server.origin).alarms.get('a1')).resolves.toMatchObject({ id: 'a1' })
  })
})

describe('credentials never leave their origin', () => {
  it.each([301, 302, 303, 307, 308])('a %i from Monasca to another origin: not followed, the other origin sees nothing', async (status) => {
    const other = await start((_req, res) => sendJson(res, 200, { links: [], elements: [] }))
    const monasca = await start((_req, res) => {
      res.writeHead(status, { location: `${other.origin}/v2.0/metrics` })
      res.end()
    })
    for (const call of [() => client(monasca.origin).metrics.list(), () => client(monasca.origin).metrics.create({ name: 'cpu', value: 1, timestamp: 1 })]) {
      const error = (await call().catch((e: unknown) => e)) as MonascaAPIError
      expect(error).toBeInstanceOf(MonascaAPIError)
      expect(error.status).toBe(status)
      expect(error.message).toContain(`another origin (${other.origin})`)
    }
    expect(monasca.seen).toHaveLength(2)
    expect(other.seen).toEqual([])
  })

  it('a same-origin redirect is followed with the token; a 307 keeps the POST body, a 303 turns into a GET', async () => {
    const monasca = await start((req, res) => {
      if (req.url === '/v2.0/alarms/old') return void res.writeHead(302, { location: '/v2.0/alarms/new' }).end()
      if (req.url === '/v2.0/metrics' && req.method === 'POST') return void res.writeHead(307, { location: '/v2.0/metrics2' }).end()
      if (req.url === '/v2.0/metrics2') return void res.writeHead(204).end()
      sendJson(res, 200, { id: 'new' })
    })
    await expect(client(monasca.origin).alarms.get('old')).resolves.toEqual({ id: 'new' })
    await client(monasca.origin).metrics.create({ name: 'cpu', value: 1, timestamp: 1 })
    const followed = monasca.seen.filter((s) => s.url === '/v2.0/alarms/new' || s.url === '/v2.0/metrics2')
    expect(followed.map((s) => [s.method, s.headers['x-auth-token']])).toEqual([['GET', TOKEN], ['POST', TOKEN]])
    expect(followed[1]!.body).toContain('"name":"cpu"')
  })

  it('a 307 on POST /v3/auth/tokens never re-sends the password to another origin', async () => {
    const other = await start((_req, res) => sendJson(res, 201, { token: {} }, { 'x-subject-token': 'stolen' }))
    const keystone = await start((_req, res) => void res.writeHead(307, { location: `${other.origin}/v3/auth/tokens` }).end())
    const session = new Session({ auth: new identity.Password({ authUrl: keystone.origin, username: 'demo', password: 'pw-never-leaves', projectName: 'demo' }) })
    const error = (await Promise.resolve(session.getToken()).catch((e: unknown) => e)) as MonascaAPIError
    expect(error).toBeInstanceOf(MonascaAPIError)
    expect(error.status).toBe(307)
    expect(other.seen).toEqual([])
    expect(await everythingShown(error)).not.toContain('pw-never-leaves')
  })

  it('a 302 on token validation (GET /v3/auth/tokens) sends neither token to another origin', async () => {
    const other = await start((_req, res) => sendJson(res, 200, { token: {} }))
    const keystone = await start((_req, res) => void res.writeHead(302, { location: `${other.origin}/v3/auth/tokens` }).end())
    const session = new Session({ auth: new identity.Token({ authUrl: keystone.origin, token: TOKEN }) })
    await expect(Promise.resolve(session.getToken())).rejects.toBeInstanceOf(MonascaAPIError)
    expect(keystone.seen[0]!.headers['x-subject-token']).toBe(TOKEN)
    expect(other.seen).toEqual([])
  })
})

describe('server error bodies are scrubbed of the token', () => {
  it.each([401, 404, 500])('a Monasca %i echoing X-Auth-Token in title and description', async (status) => {
    const server = await start((req, res) =>
      sendJson(res, status, { title: `Echo ${req.headers['x-auth-token']}`, description: `headers: {"X-Auth-Token": "${req.headers['x-auth-token']}"}` }),
    )
    const error = await client(server.origin).alarms.get('a1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MonascaAPIError)
    const shown = await everythingShown(error)
    expect(shown).not.toContain(TOKEN)
    expect(shown).toContain('[REDACTED]')
  })

  it('a Keystone 401 echoing the password and the token', async () => {
    const keystone = await start((_req, res, body) => sendJson(res, 401, { error: { code: 401, title: 'Unauthorized', message: `bad: ${body}` } }))
    const session = new Session({ auth: new identity.Password({ authUrl: keystone.origin, username: 'demo', password: 'pw-Keystone-echoes', projectName: 'demo' }) })
    const error = await Promise.resolve(session.getToken()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeystoneAuthError)
    expect(await everythingShown(error)).not.toContain('pw-Keystone-echoes')
  })

  it('a token with a line break is refused before sending, without echoing it', async () => {
    const server = await start((_req, res) => sendJson(res, 200, {}))
    const bad = `${TOKEN}\r\nX-Injected: 1`
    const error = await createClient({ endpoint: `${server.origin}/v2.0`, token: bad }).alarms.get('a1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MonascaValidationError)
    expect((error as MonascaValidationError).field).toBe('token')
    expect(await everythingShown(error)).not.toContain(TOKEN)
    expect(server.seen).toEqual([])
  })
})

describe('maxResponseBytes', () => {
  let bomb: Buffer
  beforeAll(async () => {
    // 256 MiB of zeros gzipped: about 255 KB on the wire.
    const gzip = createGzip({ level: 9 })
    const chunks: Buffer[] = []
    gzip.on('data', (c: Buffer) => chunks.push(c))
    const done = new Promise((resolve) => gzip.on('end', resolve))
    const zeros = Buffer.alloc(1024 * 1024, 0x20)
    for (let i = 0; i < 256; i++) gzip.write(zeros)
    gzip.end()
    await done
    bomb = Buffer.concat(chunks)
  })

  it('a declared length over the cap is refused without reading the body', async () => {
    const server = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) })
      res.write('[')
    })
    const error = (await client(server.origin, { maxResponseBytes: 1024 * 1024 }).alarms.list().catch((e: unknown) => e)) as MonascaResponseError
    expect(error).toBeInstanceOf(MonascaResponseError)
    expect(error.message).toContain('exceeds maxResponseBytes (1048576)')
  })

  it('a 255 KB gzip bomb (256 MiB inflated) stops at the cap, counted as it inflates', async () => {
    expect(bomb.length).toBeLessThan(300 * 1024)
    let sent = 0
    const server = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      // Slowly, so that a client that stops reading is seen to stop.
      const write = () => {
        if (sent >= bomb.length || res.destroyed) return void res.end()
        const chunk = bomb.subarray(sent, sent + 16 * 1024)
        sent += chunk.length
        if (res.write(chunk)) setImmediate(write)
        else res.once('drain', write)
      }
      write()
    })
    const before = process.memoryUsage().arrayBuffers
    const error = (await client(server.origin, { maxResponseBytes: 4 * 1024 * 1024 }).alarms.list().catch((e: unknown) => e)) as MonascaResponseError
    expect(error).toBeInstanceOf(MonascaResponseError)
    expect(error.message).toContain('more than 4194304 bytes')
    // Far less than the 256 MiB the body inflates to was held.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024)
  })

  it('a per-call maxResponseBytes overrides the client', async () => {
    const server = await start((_req, res) => sendJson(res, 200, { links: [], elements: Array.from({ length: 100 }, (_, i) => ({ id: `a${i}` })) }))
    await expect(client(server.origin).alarms.list({}, { maxResponseBytes: 100 })).rejects.toBeInstanceOf(MonascaResponseError)
    await expect(client(server.origin).alarms.list()).resolves.toHaveLength(100)
  })
})

describe('a 404 says where and what to check', () => {
  it('names the URL and the /v2.0 root', async () => {
    const server = await start((_req, res) => sendJson(res, 404, { title: 'Not Found', description: 'The resource could not be found.' }))
    const error = (await createClient({ endpoint: server.origin, token: TOKEN }).alarms.get('a1').catch((e: unknown) => e)) as NotFoundError
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error.message).toBe(
      `Not Found (HTTP 404): The resource could not be found. GET ${server.origin}/alarms/a1 was not found: check the id or name, and that the endpoint is Monasca's API root ending in /v2.0 (e.g. http://monasca:8070/v2.0)`,
    )
  })
})

describe('a connection error keeps what callers read from its cause', () => {
  const refused = (text: string) => async () => {
    throw new TypeError('fetch failed', { cause: Object.assign(new Error(text), { code: 'ECONNREFUSED' }) })
  }
  it('the cause and its code as fetch gave them, when they hold no secret (even with a one-letter token)', async () => {
    const error = (await createClient({ endpoint: 'http://monasca.test/v2.0', token: 't', retries: 0, fetch: refused('connect ECONNREFUSED 127.0.0.1:8070') })
      .alarms.get('a1')
      .catch((e: unknown) => e)) as Error & { cause: { code?: string } }
    expect(error.cause.code).toBe('ECONNREFUSED')
    expect(error.message).toContain('connect ECONNREFUSED 127.0.0.1:8070')
  })
  it('a copy without the secret, the code kept, when the cause quotes the token', async () => {
    const error = (await createClient({ endpoint: 'http://monasca.test/v2.0', token: TOKEN, retries: 0, fetch: refused(`bad header ${TOKEN}`) })
      .alarms.get('a1')
      .catch((e: unknown) => e)) as Error & { cause: { code?: string; message: string } }
    expect(error.cause.code).toBe('ECONNREFUSED')
    expect(error.cause.message).toBe('bad header [REDACTED]')
    expect(await everythingShown(error)).not.toContain(TOKEN)
  })
})

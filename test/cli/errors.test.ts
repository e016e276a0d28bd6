/**
 * Errors that say what happened and what to check, each from the situation built for real: a wrong
 * password at the real Keystone, https against a plain-HTTP port, a Keystone v2 URL, a Monasca URL
 * without /v2.0, every missing value; `--debug` traces through the source maps of the built bin.
 * The exact words are asserted, and no secret is in them.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { createEmulator } from '../../src/emulator/index.js'
import { serveEmulator, type ServedEmulator } from '../../src/emulator/serve.js'
import { describeWithSystemPart } from '../helpers/env.js'
import { ADMIN, KEYSTONE, reachable } from '../keystone/helpers.js'

const SECRET = 'Wr0ng-pass-7f3a'

/** main() with the real client (node:http fetch), no token cache. */
async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = ''
  let stderr = ''
  const code = await main(['--no-cache', ...argv], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stderrIsTTY: false,
    columns: 80,
    env,
    now: () => Date.now(),
  })
  return { code, stdout, stderr }
}

/** A plain-HTTP server that counts requests. */
async function plainServer(): Promise<{ server: Server; port: number; hits: () => number }> {
  let hits = 0
  const server = createServer((_req, res) => {
    hits++
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { server, port: (server.address() as AddressInfo).port, hits: () => hits }
}

describe('every missing value names its flag and its variable (nothing sent)', () => {
  const CASES: Array<[string[], string]> = [
    [['metric-list'], 'Missing value auth-url required for auth plugin password: set --os-auth-url / OS_AUTH_URL'],
    [['--os-auth-url', 'http://127.0.0.1:9/v3', '--os-password', SECRET, 'metric-list'], 'Missing value username required for auth plugin password: set --os-username / OS_USERNAME, or --os-user-id / OS_USER_ID'],
    [['--os-auth-url', 'http://127.0.0.1:9/v3', '--os-username', 'u', 'metric-list'], 'Missing value password required for auth plugin password: set --os-password / OS_PASSWORD'],
    [['--os-auth-type', 'admin_token', '--os-token', SECRET, 'metric-list'], 'Missing value endpoint required for auth plugin admin_token: set --os-endpoint / OS_ENDPOINT, or --monasca-api-url / MONASCA_API_URL'],
    [['--os-auth-type', 'admin_token', '--os-endpoint', 'http://127.0.0.1:9/v2.0', 'metric-list'], 'Missing value token required for auth plugin admin_token: set --os-token / OS_TOKEN'],
    [['--os-auth-type', 'token', '--os-auth-url', 'http://127.0.0.1:9/v3', 'metric-list'], 'Missing value token required for auth plugin token: set --os-token / OS_TOKEN'],
    [['--os-auth-type', 'v3applicationcredential', '--os-auth-url', 'http://127.0.0.1:9/v3', '--os-application-credential-secret', SECRET, 'metric-list'], 'Missing value application-credential-id required for auth plugin v3applicationcredential: set --os-application-credential-id / OS_APPLICATION_CREDENTIAL_ID, or --os-application-credential-name / OS_APPLICATION_CREDENTIAL_NAME'],
    [['--os-auth-url', 'http://127.0.0.1:9/v3', '--os-application-credential-id', 'abc', 'metric-list'], 'Missing value application-credential-secret required for auth plugin v3applicationcredential: set --os-application-credential-secret / OS_APPLICATION_CREDENTIAL_SECRET'],
  ]
  for (const [argv, message] of CASES) {
    it(message.slice(0, 60), async () => {
      const out = await cli(argv)
      expect(out).toEqual({ code: 1, stdout: '', stderr: `${message}\n` })
    })
  }
})

describe('Keystone v2 and URLs without /v2.0', () => {
  let plain: Awaited<ReturnType<typeof plainServer>>
  let served: ServedEmulator
  beforeAll(async () => {
    plain = await plainServer()
    served = await serveEmulator(createEmulator({ tokens: { 'demo-token': { projectId: 'p1' } } }), { port: 0 })
  })
  afterAll(async () => {
    plain.server.close()
    await served.close()
  })

  it('an auth URL ending in /v2.0 is refused before sending: v3 is needed', async () => {
    const authUrl = `http://127.0.0.1:${plain.port}/v2.0`
    const out = await cli(['--os-auth-url', authUrl, '--os-username', 'u', '--os-password', SECRET, '--os-project-name', 'p', 'metric-list'])
    expect(out.code).toBe(1)
    expect(out.stderr).toBe(`--os-auth-url / OS_AUTH_URL is ${authUrl}, a Keystone v2 URL: this client speaks Keystone v3 only (v2 was removed from Keystone). Use http://127.0.0.1:${plain.port}/v3\n`)
    expect(plain.hits()).toBe(0)
  })

  it('a Monasca URL without /v2.0 (the server says "Invalid version") shows the request and says the URL must end in /v2.0', async () => {
    const out = await cli(['--os-token', 'demo-token', '--os-endpoint', served.url, 'metric-list'])
    expect(out.code).toBe(1)
    const lines = out.stderr.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^Invalid version \(HTTP 422\) \(Request-ID: req-[\w-]+\)$/)
    expect(lines[1]).toBe('No versions found matching metrics')
    const id = /Request-ID: (\S+)\)/.exec(lines[0]!)![1]
    expect(lines.slice(-2)).toEqual([
      '  No Monasca API at that URL: the Monasca URL must end in /v2.0 (e.g. http://monasca:8070/v2.0); it came from --os-endpoint / OS_ENDPOINT.',
      `  Request: GET ${served.url}/metrics (request id ${id})`,
    ])
  })

  it('a 404 from a path without /v2.0 (an HTML page) says the URL must end in /v2.0', async () => {
    const out = await cli(['--os-token', 'demo-token', '--os-endpoint', `http://127.0.0.1:${plain.port}/monitoring`, 'metric-list'])
    expect(out.stderr).toBe(
      'Not Found (HTTP 404)\n' +
        '  No Monasca API at that URL: the Monasca URL must end in /v2.0 (e.g. http://monasca:8070/v2.0); it came from --os-endpoint / OS_ENDPOINT.\n' +
        `  Request: GET http://127.0.0.1:${plain.port}/monitoring/metrics\n`,
    )
  })

  it("Monasca's own 404 (no such alarm) gets the request line, no URL hint", async () => {
    const out = await cli(['--os-token', 'demo-token', '--os-endpoint', `${served.url}/v2.0`, 'alarm-show', 'no-such-alarm'])
    expect(out.code).toBe(1)
    expect(out.stderr).not.toContain('must end in /v2.0')
    expect(out.stderr).toMatch(new RegExp(`\\n  Request: GET ${served.url}/v2.0/alarms/no-such-alarm \\(request id [\\w-]+\\)\\n$`))
  })
})

describe('https against a plain-HTTP port', () => {
  let plain: Awaited<ReturnType<typeof plainServer>>
  beforeAll(async () => {
    plain = await plainServer()
  })
  afterAll(() => plain.server.close())

  it('Keystone: says the server does not speak TLS and names --os-auth-url, without the password', async () => {
    const url = `https://127.0.0.1:${plain.port}/v3`
    const out = await cli(['--os-auth-url', url, '--os-username', 'u', '--os-password', SECRET, '--os-project-name', 'p', 'metric-list'])
    expect(out.code).toBe(1)
    expect(out.stderr).toBe(
      `Unable to establish connection to ${url}/auth/tokens: the server at 127.0.0.1:${plain.port} does not speak TLS (OpenSSL: wrong version number)\n` +
        '  Use http:// in --os-auth-url / OS_AUTH_URL, or the port where 127.0.0.1 serves https.\n',
    )
  })

  it('Monasca: names --os-endpoint', async () => {
    const url = `https://127.0.0.1:${plain.port}/v2.0`
    const out = await cli(['--os-token', SECRET, '--os-endpoint', url, 'metric-list'])
    expect(out.stderr).toBe(
      `Unable to establish connection to ${url}/metrics: the server at 127.0.0.1:${plain.port} does not speak TLS (OpenSSL: wrong version number)\n` +
        '  Use http:// in --os-endpoint / OS_ENDPOINT, or the port where 127.0.0.1 serves https.\n',
    )
    expect(out.stderr).not.toContain(SECRET)
  })

  it('a server that never answers a TLS hello: the handshake gives up and says why', async () => {
    const { createServer: createTcp } = await import('node:net')
    const silent = createTcp(() => undefined)
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const port = (silent.address() as AddressInfo).port
    const { createNodeFetch } = await import('../../src/node/node-fetch.js')
    const error = await createNodeFetch({ tlsHandshakeTimeout: 200 })(`https://127.0.0.1:${port}/v3`).catch((e: Error) => e)
    silent.close()
    expect(error).toBeInstanceOf(TypeError)
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('ETLSHANDSHAKE')
    expect(((error as Error).cause as Error).message).toBe(`no TLS handshake with 127.0.0.1:${port} within 0.2 s (does the server speak TLS there?)`)
  })
})

describe('nothing listening', () => {
  it('names the host, the port and the flag', async () => {
    const out = await cli(['--os-token', SECRET, '--monasca-api-url', 'http://127.0.0.1:1/v2.0', 'metric-list'])
    expect(out.stderr).toBe(
      'Unable to establish connection to http://127.0.0.1:1/v2.0/metrics: connect ECONNREFUSED 127.0.0.1:1\n' +
        '  Nothing is listening at 127.0.0.1:1: check --monasca-api-url / MONASCA_API_URL, and that the server is running.\n',
    )
  })
})

describeWithSystemPart('Keystone', await reachable(KEYSTONE), () => {
  it('a wrong password: who was refused for what, what to check, Keystone\'s words and request id, no password', async () => {
    const out = await cli(['--os-auth-url', `${KEYSTONE}/v3`, '--os-username', ADMIN.username, '--os-password', SECRET, '--os-project-name', ADMIN.projectName, 'metric-list'])
    expect(out.code).toBe(1)
    const lines = out.stderr.trimEnd().split('\n')
    const id = /^Unauthorized \(HTTP 401\) \(Request-ID: (req-[\w-]+)\)$/.exec(lines[0]!)?.[1]
    expect(id).toBeDefined()
    expect(lines.slice(1)).toEqual([
      'The request you have made requires authentication.',
      `  Keystone at ${KEYSTONE}/v3 refused the credentials of user 'admin' (domain default) for project 'admin' (domain default).`,
      '  Check --os-username / OS_USERNAME, --os-password / OS_PASSWORD, --os-project-name / OS_PROJECT_NAME, --os-user-domain-id / OS_USER_DOMAIN_ID, --os-project-domain-id / OS_PROJECT_DOMAIN_ID: Keystone gives the same answer for a wrong password, an unknown user and a project the user has no role in.',
      `  Request: POST ${KEYSTONE}/v3/auth/tokens (request id ${id})`,
    ])
    expect(out.stderr).not.toContain(SECRET)
  })

  it('no monitoring endpoint in the region asked for: the catalog is listed, and the flags that help are named', async () => {
    const out = await cli(['--os-auth-url', `${KEYSTONE}/v3`, '--os-username', ADMIN.username, '--os-password', ADMIN.password, '--os-project-name', ADMIN.projectName, '--os-region-name', 'Nowhere', 'metric-list'])
    expect(out.code).toBe(1)
    const lines = out.stderr.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^no public endpoint of service type "monitoring" in region "Nowhere" in the catalog; it offers: .*monitoring public RegionOne http/i)
    expect(lines.slice(1)).toEqual(['  Give the Monasca URL with --monasca-api-url / MONASCA_API_URL (or OS_MONITORING_ENDPOINT_OVERRIDE), or pick another --os-region-name / OS_REGION_NAME / --os-interface / OS_INTERFACE.'])
    expect(out.stderr).not.toContain(ADMIN.password)
  })

  it('a token Keystone does not know (token flow, with and without a project): says so and what to do, no token', async () => {
    const token = 'gAAAAAnot-a-real-token-8c1'
    for (const scoped of [['--os-project-name', ADMIN.projectName], []]) {
      const out = await cli(['--os-auth-type', 'token', '--os-token', token, '--os-auth-url', `${KEYSTONE}/v3`, ...scoped, 'metric-list'])
      expect(out.code).toBe(1)
      const lines = out.stderr.trimEnd().split('\n')
      expect(lines).toContain(`  Keystone at ${KEYSTONE}/v3 does not accept the token given (--os-token / OS_TOKEN)${scoped.length ? ` for project '${ADMIN.projectName}' (domain default)` : ''}: it is expired, revoked or from another Keystone.`)
      expect(lines).toContain('  Get a new one (openstack token issue), or authenticate with a password (--os-password / OS_PASSWORD) or an application credential.')
      expect(out.stderr).not.toContain(token)
    }
  })

  it('an unknown user and a wrong project read the same, each with its own names', async () => {
    const user = await cli(['--os-auth-url', `${KEYSTONE}/v3`, '--os-username', 'nobody-here', '--os-password', SECRET, '--os-project-name', ADMIN.projectName, 'metric-list'])
    expect(user.stderr).toContain(`  Keystone at ${KEYSTONE}/v3 refused the credentials of user 'nobody-here' (domain default) for project 'admin' (domain default).\n`)
    const project = await cli(['--os-auth-url', `${KEYSTONE}/v3`, '--os-user-id', 'abc123', '--os-password', SECRET, '--os-project-id', 'p987', 'metric-list'])
    expect(project.stderr).toContain(`  Keystone at ${KEYSTONE}/v3 refused the credentials of user id abc123 for project id p987.\n`)
    expect(project.stderr).toContain('  Check --os-user-id / OS_USER_ID, --os-password / OS_PASSWORD, --os-project-id / OS_PROJECT_ID,')
    for (const out of [user, project]) expect(out.stderr).not.toContain(SECRET)
  })
})

const root = resolve(import.meta.dirname, '../..')
const bin = join(root, 'dist/bin/monasca.js')

describe('--debug stack traces name our source files (the bin ships source maps)', () => {
  it('frames point at src/… lines, not the minified chunks; without --debug no trace', async () => {
    expect(existsSync(bin), 'dist/bin/monasca.js is missing: run npm run build').toBe(true)
    const run = promisify(execFile)
    const argv = [bin, '--no-cache', '--os-token', SECRET, '--os-endpoint', 'http://127.0.0.1:1/v2.0', 'metric-list']
    const debug = await run(process.execPath, [argv[0]!, '--debug', ...argv.slice(1)]).catch((e: { stderr: string; code: number }) => e)
    expect((debug as { code: number }).code).toBe(1)
    const stderr = (debug as { stderr: string }).stderr
    expect(stderr).toMatch(/^MonascaConnectionError: GET http:\/\/127\.0\.0\.1:1\/v2\.0\/metrics failed/m)
    expect(stderr).toMatch(/\n {4}at .*src\/transport\.ts:\d+:\d+\)/)
    expect(stderr).toMatch(/\n {4}at .*src\/cli\/commands\/metrics\.ts:\d+:\d+\)/)
    expect(stderr).toMatch(/\n {4}at .*src\/cli\/main\.ts:\d+:\d+\)/)
    expect(stderr).toMatch(/\nCaused by: Error: connect ECONNREFUSED 127\.0\.0\.1:1\n/)
    expect(stderr).not.toMatch(/dist\/bin\/chunks\/[\w-]+\.js:\d+/)
    expect(stderr).not.toContain(SECRET)
    const plain = await run(process.execPath, argv).catch((e: { stderr: string }) => e)
    expect((plain as { stderr: string }).stderr).not.toMatch(/\n {4}at /)
  })
})

describe('an invalid alarm expression', () => {
  it("keeps the server's words, adds a plain sentence and a caret under the column, exit 2, nothing sent", async () => {
    const out = await cli(['--os-token', SECRET, '--os-endpoint', 'http://127.0.0.1:1/v2.0', 'alarm-definition-create', 'x', 'avg(cpu) > 90 tmes 3'])
    expect(out.code).toBe(2)
    const lines = out.stderr.trimEnd().split('\n')
    expect(lines[0]).toBe("monasca alarm-definition-create: error: parser failed on expression 'avg(cpu) > 90 tmes 3' at column 15: Expected string_end")
    expect(lines[1]).toMatch(/^ {2}\S.*"tmes 3"/)
    expect(lines.slice(2)).toEqual(['  avg(cpu) > 90 tmes 3', `  ${' '.repeat(14)}^`])
  })
})

describe('a 2xx reply that is not what the API promises', () => {
  it("prints the SDK's sentence (not 'OK (HTTP 200)'), exit 1", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ links: [], elements: [{ name: 'no-dimensions' }] }))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const out = await cli(['--os-token', SECRET, '--os-endpoint', `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2.0`, 'metric-list'])
      expect(out.code).toBe(1)
      expect(out.stderr).not.toMatch(/^OK \(HTTP 200\)/)
      expect(out.stderr).toMatch(/not what the API promises .*"dimensions"/)
    } finally {
      server.close()
    }
  })
})

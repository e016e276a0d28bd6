/**
 * The real path from global options to requests: buildClient with the node:http fetch against the
 * emulator served on 127.0.0.1 (Keystone v3 and Monasca), and the token cache on disk.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { createEmulator, type Emulator } from '../../src/emulator/index.js'
import { serveEmulator, type ServedEmulator } from '../../src/emulator/serve.js'

let emulator: Emulator
let served: ServedEmulator
let cacheHome: string
const savedCacheHome = process.env.XDG_CACHE_HOME

beforeAll(async () => {
  emulator = createEmulator({ tokens: { 'static-token': { projectId: 'p-static' } } })
  served = await serveEmulator(emulator, { port: 0 })
})
afterAll(async () => {
  await served.close()
  if (savedCacheHome === undefined) delete process.env.XDG_CACHE_HOME
  else process.env.XDG_CACHE_HOME = savedCacheHome
})
beforeEach(() => {
  cacheHome = mkdtempSync(join(tmpdir(), 'monasca-cli-cache-'))
  process.env.XDG_CACHE_HOME = cacheHome
  emulator.clearRequests()
  return () => rmSync(cacheHome, { recursive: true, force: true })
})

async function cli(argv: string[], env: Record<string, string> = {}, promptPassword?: () => Promise<string>) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stderrIsTTY: false,
    columns: 80,
    env,
    now: () => Date.now(),
    ...(promptPassword ? { promptPassword } : {}),
  })
  return { code, stdout, stderr }
}

const keystone = () => ['--os-auth-url', `${served.url}/v3`, '--os-username', 'demo', '--os-project-name', 'demo']
const tokenRequests = () => emulator.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/v3/auth/tokens')).length
const cacheFiles = () => {
  try {
    return readdirSync(join(cacheHome, 'monasca-client'))
  } catch {
    return []
  }
}

describe('password auth through Keystone and the catalog', () => {
  it('gets a token, finds monitoring in the catalog, and caches the token (0600) for the next run', async () => {
    const first = await cli([...keystone(), '--os-password', 'demo-secret', 'notification-type-list'])
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('| EMAIL ')
    expect(tokenRequests()).toBe(1)
    const files = cacheFiles()
    expect(files).toHaveLength(1)
    expect(statSync(join(cacheHome, 'monasca-client', files[0]!)).mode & 0o777).toBe(0o600)

    const second = await cli([...keystone(), '--os-password', 'demo-secret', 'alarm-count'])
    expect(second.code).toBe(0)
    expect(tokenRequests()).toBe(1)
  })

  it('--no-cache neither reads nor writes the cache', async () => {
    await cli([...keystone(), '--os-password', 'demo-secret', 'alarm-count'])
    const again = await cli([...keystone(), '--os-password', 'demo-secret', '--no-cache', 'alarm-count'])
    expect(again.code).toBe(0)
    expect(tokenRequests()).toBe(2)
    expect(cacheFiles()).toHaveLength(1)
  })

  it('a wrong password is refused even when a token for that identity is cached', async () => {
    expect((await cli([...keystone(), '--os-password', 'demo-secret', 'alarm-count'])).code).toBe(0)
    const wrong = await cli([...keystone(), '--os-password', 'not-it', 'alarm-count'])
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/\(HTTP 401\)/)
    expect(wrong.stderr).not.toContain('not-it')
  })

  it('asks for a missing password when it can prompt (stdin a terminal), else says it is missing', async () => {
    let asked = 0
    const prompted = await cli([...keystone(), 'alarm-count'], {}, async () => {
      asked++
      return 'demo-secret'
    })
    expect(prompted.code).toBe(0)
    expect(asked).toBe(1)
    const missing = await cli([...keystone(), 'alarm-count'])
    expect(missing).toMatchObject({ code: 1, stderr: 'Missing value password required for auth plugin password: set --os-password / OS_PASSWORD\n' })
  })

  it('reads OS_* variables, and options win over them', async () => {
    const env = { OS_AUTH_URL: `${served.url}/v3`, OS_USERNAME: 'demo', OS_PASSWORD: 'demo-secret', OS_PROJECT_NAME: 'demo' }
    expect((await cli(['notification-list'], env)).code).toBe(0)
    const overridden = await cli(['--os-password', 'wrong', 'notification-list'], env)
    expect(overridden.code).toBe(1)
  })

  it('takes a Keystone token with --os-auth-type token and rescopes it to the project', async () => {
    const projectId = emulator.projectId('demo')
    const token = emulator.issueToken({ projectId })
    const out = await cli(['--os-auth-type', 'v3token', '--os-token', token, '--os-auth-url', `${served.url}/v3`, '--os-project-id', projectId, 'alarm-count'])
    expect(out.stderr).toBe('')
    expect(out.code).toBe(0)
    expect(tokenRequests()).toBe(1)
  })
})

describe('--debug', () => {
  it('logs each request and answer on stderr, never a credential', async () => {
    const out = await cli([...keystone(), '--os-password', 'demo-secret', '--no-cache', '--debug', 'alarm-count'])
    expect(out.code).toBe(0)
    expect(out.stderr).toMatch(/^REQ: POST http:\/\/127\.0\.0\.1:\d+\/v3\/auth\/tokens$/m)
    expect(out.stderr).toMatch(/^RESP: 201 POST .*\/v3\/auth\/tokens \(req-[0-9a-f-]+\) in \d+ ms$/m)
    expect(out.stderr).toMatch(/^REQ: GET http:\/\/127\.0\.0\.1:\d+\/v2\.0\/alarms\/count$/m)
    expect(out.stderr).not.toContain('demo-secret')
  })
})

describe('tokens without Keystone', () => {
  it('admin_token sends --os-token to --os-endpoint as is', async () => {
    const out = await cli(['--os-auth-type', 'admin_token', '--os-token', 'static-token', '--os-endpoint', `${served.url}/v2.0`, 'metric-list'])
    expect(out).toMatchObject({ code: 0, stdout: '\n', stderr: '' })
    expect(tokenRequests()).toBe(0)
  })

  it('a token without an auth URL is used as is with --monasca-api-url or MONASCA_API_URL', async () => {
    expect((await cli(['--os-token', 'static-token', '--monasca-api-url', `${served.url}/v2.0`, 'metric-list'])).code).toBe(0)
    expect((await cli(['--os-token', 'static-token', '--monasca_api_url', `${served.url}/v2.0`, 'metric-list'])).code).toBe(0)
    expect((await cli(['metric-list'], { OS_TOKEN: 'static-token', MONASCA_API_URL: `${served.url}/v2.0` })).code).toBe(0)
    expect(tokenRequests()).toBe(0)
  })

  it('global options may follow the command', async () => {
    const out = await cli(['metric-list', '--os-token', 'static-token', '--os-endpoint', `${served.url}/v2.0`, '--os-auth-type', 'admin_token'])
    expect(out.code).toBe(0)
  })
})

describe('configuration errors exit 1 before any request', () => {
  const CASES: Array<[string[], Record<string, string>, RegExp]> = [
    [['metric-list'], {}, /^Missing value auth-url required for auth plugin password: set --os-auth-url \/ OS_AUTH_URL\n$/],
    [['--os-auth-type', 'admin_token', '--os-token', 't', 'metric-list'], {}, /Missing value endpoint required for auth plugin admin_token/],
    [['--os-auth-type', 'v3oidcpassword', 'metric-list'], {}, /Authentication type 'v3oidcpassword' is not supported/],
    [['--os-token', 't', '--os-endpoint', 'http://x/v2.0', 'metric-list'], { MONASCA_API_VERSION: '3_0' }, /Invalid monitoring client version '3_0'/],
    [['--os-auth-url', 'http://127.0.0.1:9/v3', '--os-password', 'p', 'metric-list'], {}, /Missing value username required/],
  ]
  for (const [argv, env, message] of CASES) {
    it(argv.join(' '), async () => {
      const out = await cli(argv, env)
      expect(out.code).toBe(1)
      expect(out.stderr).toMatch(message)
      expect(emulator.requests).toHaveLength(0)
    })
  }
})

describe('--timeout', () => {
  it('gives up after the given seconds with a timeout error, exit 1', async () => {
    const { createServer } = await import('node:http')
    const silent = createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const port = (silent.address() as { port: number }).port
    try {
      const out = await cli(['--os-token', 't', '--os-endpoint', `http://127.0.0.1:${port}/v2.0`, '--timeout', '0.2', 'metric-list'])
      expect(out.code).toBe(1)
      expect(out.stderr).toMatch(/timed out/)
    } finally {
      silent.closeAllConnections()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    }
  })

  it('says it cannot connect as the Python client does, exit 1', async () => {
    const out = await cli(['--os-token', 't', '--os-endpoint', 'http://127.0.0.1:1/v2.0', 'metric-list'])
    expect(out.code).toBe(1)
    expect(out.stderr).toMatch(/^Unable to establish connection to http:\/\/127\.0\.0\.1:1\/v2\.0\/metrics: .*ECONNREFUSED/)
  })

  it('refuses a value that is not a positive number of seconds', async () => {
    const out = await cli(['--os-token', 't', '--os-endpoint', 'http://127.0.0.1:9/v2.0', '--timeout', 'soon', 'metric-list'])
    expect(out.code).toBe(1)
    expect(out.stderr).toContain("--timeout must be a positive number of seconds, got 'soon'")
  })
})

// A self-signed certificate needs the openssl binary (Debian's openssl package); without it these skip.
const hasOpenssl = (() => {
  try {
    return execFileSync('openssl', ['version'], { encoding: 'utf8' }).startsWith('OpenSSL')
  } catch {
    return false
  }
})()

describe('TLS options', () => {
  it.skipIf(!hasOpenssl)('trusts --os-cacert, refuses an unknown CA, and --insecure skips the check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'monasca-cli-tls-'))
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' })
      const { createServer } = await import('node:https')
      const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ links: [], elements: [{ name: 'tls.ok' }] }))
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const endpoint = `https://127.0.0.1:${(server.address() as { port: number }).port}/v2.0`
      try {
        const base = ['--os-token', 't', '--os-endpoint', endpoint, 'metric-name-list']
        const trusted = await cli(['--os-cacert', join(dir, 'cert.pem'), ...base])
        expect(trusted.stderr).toBe('')
        expect(trusted.stdout).toContain('| tls.ok |')
        const unknown = await cli(base)
        expect(unknown.code).toBe(1)
        expect(unknown.stderr).toMatch(/^Unable to establish connection to https:.*certificate/i)
        const insecure = await cli(['--insecure', ...base])
        expect(insecure.stdout).toContain('| tls.ok |')
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()))
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('says which certificate file it cannot read, exit 1', async () => {
    const out = await cli(['--os-token', 't', '--os-endpoint', 'https://127.0.0.1:9/v2.0', '--os-cacert', '/nonexistent/ca.pem', 'metric-list'])
    expect(out).toMatchObject({ code: 1, stderr: '--os-cacert: cannot read /nonexistent/ca.pem: ENOENT\n' })
    const cert = await cli(['metric-list'], { OS_TOKEN: 't', OS_ENDPOINT: 'https://127.0.0.1:9/v2.0', OS_CERT: '/nonexistent/c.pem' })
    expect(cert.stderr).toBe('--os-cert: cannot read /nonexistent/c.pem: ENOENT\n')
  })
})

/**
 * clouds.yaml as openstacksdk reads it: the search path, OS_CLIENT_CONFIG_FILE, secure.yaml, the keys
 * we read and the errors for keys and clouds we do not know; then the CLI's --os-cloud / OS_CLOUD
 * (flags > OS_* > file) and the SDK's clientFromCloud / sessionFromCloud against the emulator and its
 * Keystone over HTTP.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { main } from '../../src/cli/main.js'
import { createEmulator } from '../../src/emulator/index.js'
import { serveEmulator, type ServedEmulator } from '../../src/emulator/serve.js'
import { isCI } from '../helpers/env.js'
import { CloudConfigError, clientFromCloud, cloudsSearchPath, loadCloud, sessionFromCloud } from '../../src/node/index.js'

let root: string
let n = 0
/** A fresh directory tree per test: cwd, home, an etc. */
function tree() {
  const base = join(root, `t${++n}`)
  const dirs = { cwd: join(base, 'cwd'), home: join(base, 'home'), xdg: join(base, 'xdg'), other: join(base, 'other') }
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true })
  const env = { HOME: dirs.home, XDG_CONFIG_HOME: dirs.xdg, XDG_CONFIG_DIRS: join(base, 'etc-xdg') }
  const write = (dir: string, name: string, data: unknown) => {
    mkdirSync(dir, { recursive: true })
    const path = join(dir, name)
    writeFileSync(path, name.endsWith('.json') ? JSON.stringify(data) : stringify(data))
    return path
  }
  return { ...dirs, env, write, search: { env, cwd: dirs.cwd } }
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'monasca-clouds-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const cloud = (extra: Record<string, unknown> = {}, auth: Record<string, unknown> = {}) => ({
  auth: { auth_url: 'http://ks/v3', username: 'u', password: 'p', project_name: 'pr', ...auth },
  ...extra,
})

describe('where clouds.yaml is found', () => {
  it('searches the current directory, $XDG_CONFIG_HOME/openstack, ~/.config/openstack, the XDG dirs, /etc/openstack, in that order', () => {
    const t = tree()
    expect(cloudsSearchPath(t.search)).toEqual([t.cwd, join(t.xdg, 'openstack'), join(t.home, '.config/openstack'), join(root, `t${n}`, 'etc-xdg/openstack'), '/etc/openstack'])
  })

  it('the first file found wins: current directory over ~/.config; OS_CLIENT_CONFIG_FILE over both; .yml and .json too', async () => {
    const t = tree()
    t.write(join(t.home, '.config/openstack'), 'clouds.yaml', { clouds: { c: cloud({ region_name: 'home' }) } })
    expect((await loadCloud('c', t.search)).regionName).toBe('home')
    t.write(t.cwd, 'clouds.yml', { clouds: { c: cloud({ region_name: 'cwd' }) } })
    expect((await loadCloud('c', t.search)).regionName).toBe('cwd')
    const override = t.write(t.other, 'my.json', { clouds: { c: cloud({ region_name: 'override' }) } })
    expect((await loadCloud('c', { ...t.search, env: { ...t.env, OS_CLIENT_CONFIG_FILE: override } })).regionName).toBe('override')
  })

  it('secure.yaml (found the same way) is merged over clouds.yaml, cloud by cloud', async () => {
    const t = tree()
    t.write(t.cwd, 'clouds.yaml', { clouds: { c: { auth: { auth_url: 'http://ks/v3', username: 'u', project_name: 'pr' }, region_name: 'r1' } } })
    t.write(join(t.xdg, 'openstack'), 'secure.yaml', { clouds: { c: { auth: { password: 'from-secure' } } } })
    const s = await loadCloud('c', t.search)
    expect(s).toMatchObject({ password: 'from-secure', username: 'u', regionName: 'r1', file: join(t.cwd, 'clouds.yaml'), secureFile: join(t.xdg, 'openstack/secure.yaml') })
  })
})

describe('what is read', () => {
  it('auth options (old names and dashes too), region from regions, interface, the endpoint override, TLS and timeout', async () => {
    const t = tree()
    t.write(t.cwd, 'clouds.yaml', {
      clouds: {
        c: {
          'auth-type': 'v3password',
          auth: { auth_url: 'http://ks/v3', 'user-name': 'u', password: 'p', tenant_name: 'pr', user_domain_name: 'D', project_domain_id: 'pd', default_domain_id: 'dd' },
          regions: [{ name: 'R2', values: {} }, 'R3'],
          endpoint_type: 'internalURL',
          monitoring_endpoint_override: 'http://monasca:8070/v2.0',
          compute_api_version: '2',
          insecure: true,
          cacert: '/ca.pem',
          api_timeout: 7.5,
        },
      },
    })
    expect(await loadCloud('c', t.search)).toEqual({
      cloud: 'c', file: join(t.cwd, 'clouds.yaml'), authType: 'v3password', authUrl: 'http://ks/v3', username: 'u', password: 'p', projectName: 'pr',
      userDomainName: 'D', projectDomainId: 'pd', defaultDomain: 'dd', regionName: 'R2', interface: 'internalURL',
      monitoringEndpointOverride: 'http://monasca:8070/v2.0', verify: false, cacert: '/ca.pem', timeout: 7.5,
    })
  })

  it('verify as a CA bundle path means cacert; verify: false and insecure: true mean no check', async () => {
    const t = tree()
    t.write(t.cwd, 'clouds.yaml', { clouds: { a: cloud({ verify: '/etc/ssl/ca.pem' }), b: cloud({ verify: false }), c: cloud({ insecure: 'true' }), d: cloud({ verify: true }) } })
    expect(await loadCloud('a', t.search)).toMatchObject({ cacert: '/etc/ssl/ca.pem' })
    expect((await loadCloud('a', t.search)).verify).toBeUndefined()
    expect((await loadCloud('b', t.search)).verify).toBe(false)
    expect((await loadCloud('c', t.search)).verify).toBe(false)
    expect((await loadCloud('d', t.search)).verify).toBe(true)
  })

  it('the only cloud of the file is used when none is named', async () => {
    const t = tree()
    t.write(t.cwd, 'clouds.yaml', { clouds: { only: cloud() } })
    expect((await loadCloud(undefined, t.search)).cloud).toBe('only')
  })
})

describe('errors name the file, the cloud and the key, and list the clouds found', () => {
  it('an unknown cloud', async () => {
    const t = tree()
    const path = t.write(t.cwd, 'clouds.yaml', { clouds: { prod: cloud(), staging: cloud() } })
    t.write(t.cwd, 'secure.yaml', { clouds: { lab: { auth: { password: 'x' } } } })
    await expect(loadCloud('prdo', t.search)).rejects.toThrow(new CloudConfigError(`Cloud 'prdo' was not found: the clouds in ${path}: prod, staging; only in ${join(t.cwd, 'secure.yaml')}: lab`))
  })

  it('several clouds and none named', async () => {
    const t = tree()
    const path = t.write(t.cwd, 'clouds.yaml', { clouds: { a: cloud(), b: cloud() } })
    await expect(loadCloud(undefined, t.search)).rejects.toThrow(`Which cloud? Give --os-cloud / OS_CLOUD (or cloud in the SDK): the clouds in ${path}: a, b`)
  })

  it('a misspelt auth key, with the closest known one', async () => {
    const t = tree()
    const path = t.write(t.cwd, 'clouds.yaml', { clouds: { a: cloud({}, { pasword: 'x' }) } })
    await expect(loadCloud('a', t.search)).rejects.toThrow(`Unknown key 'auth.pasword' in cloud 'a' of ${path}: did you mean 'password'? (the clouds in ${path}: a)`)
  })

  it('a cloud key one or two letters from a known one; other unknown keys (other services) pass', async () => {
    const t = tree()
    const path = t.write(t.cwd, 'clouds.yaml', { clouds: { a: cloud({ regoin_name: 'x' }), b: cloud({ image_api_use_tasks: true, dns_api_version: '2' }) } })
    await expect(loadCloud('a', t.search)).rejects.toThrow(`Unknown key 'regoin_name' in cloud 'a' of ${path}: did you mean 'region_name'? (the clouds in ${path}: a, b)`)
    expect((await loadCloud('b', t.search)).cloud).toBe('b')
  })

  it('no clouds.yaml anywhere, and a file that is not YAML', async () => {
    const t = tree()
    await expect(loadCloud('a', t.search)).rejects.toThrow(`Cloud 'a' was not found: no clouds.yaml found (looked for ${join(t.cwd, 'clouds.yaml')}, `)
    writeFileSync(join(t.cwd, 'clouds.yaml'), 'clouds: [unclosed')
    await expect(loadCloud('a', t.search)).rejects.toThrow(`${join(t.cwd, 'clouds.yaml')} is not valid YAML: `)
  })
})

describe('against the emulator and its Keystone', () => {
  let served: ServedEmulator
  let t: ReturnType<typeof tree>
  beforeAll(async () => {
    // Project ids are stable hashes of the names: the fixed token is for the demo project's data.
    const demoProject = createEmulator().projectId('demo')
    served = await serveEmulator(createEmulator({ seed: 'demo', tokens: { 'fixed-token': { projectId: demoProject } } }), { port: 0 })
  })
  afterAll(() => served.close())
  beforeEach(() => {
    t = tree()
    const auth = { auth_url: `${served.url}/v3`, username: 'demo', project_name: 'demo' }
    t.write(t.cwd, 'clouds.yaml', {
      clouds: {
        demo: { auth_type: 'password', auth, region_name: 'RegionOne' },
        wrong: { auth: { ...auth, password: 'not-it' } },
        fixed: { auth_type: 'admin_token', auth: { token: 'fixed-token', endpoint: `${served.url}/v2.0` } },
        override: { auth: { ...auth, password: 'demo-secret' }, monitoring_endpoint_override: 'http://127.0.0.1:1/v2.0' },
      },
    })
    t.write(t.cwd, 'secure.yaml', { clouds: { demo: { auth: { password: 'demo-secret' } } } })
  })

  async function cli(argv: string[], env: Record<string, string> = {}) {
    let stdout = ''
    let stderr = ''
    const code = await main(['--no-cache', ...argv], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), stderrIsTTY: false, columns: 80, env: { ...t.env, ...env }, now: () => Date.now(), cwd: t.cwd })
    return { code, stdout, stderr }
  }

  it('--os-cloud and OS_CLOUD: password from secure.yaml, region from the cloud, the catalog endpoint', async () => {
    for (const out of [await cli(['--os-cloud', 'demo', 'metric-name-list']), await cli(['metric-name-list'], { OS_CLOUD: 'demo' })]) {
      expect(out.stderr).toBe('')
      expect(out.stdout).toContain('| cpu.idle_perc')
    }
  })

  it('flags > OS_* variables > clouds.yaml', async () => {
    // The file's password is wrong; the variable's is right; a flag's wrong one beats the variable.
    expect((await cli(['--os-cloud', 'wrong', 'metric-name-list'])).code).toBe(1)
    expect((await cli(['--os-cloud', 'wrong', 'metric-name-list'], { OS_PASSWORD: 'demo-secret' })).code).toBe(0)
    const flag = await cli(['--os-cloud', 'wrong', '--os-password', 'also-wrong', 'metric-name-list'], { OS_PASSWORD: 'demo-secret' })
    expect(flag.code).toBe(1)
    expect(flag.stderr).toContain(`  Keystone at ${served.url}/v3 refused the credentials of user 'demo' (domain default) for project 'demo' (domain default).\n`)
    expect(flag.stderr).toContain(`(or the auth: section of cloud 'wrong' in ${join(t.cwd, 'clouds.yaml')})`)
    for (const secret of ['not-it', 'also-wrong', 'demo-secret']) expect(flag.stderr).not.toContain(secret)
    // A region on the command line beats the cloud's.
    const region = await cli(['--os-cloud', 'demo', '--os-region-name', 'Nowhere', 'metric-name-list'])
    expect(region.code).toBe(1)
    expect(region.stderr).toMatch(/Nowhere/)
  })

  it('admin_token from the cloud, and monitoring_endpoint_override instead of the catalog', async () => {
    expect((await cli(['--os-cloud', 'fixed', 'metric-name-list'])).stdout).toContain('cpu.idle_perc')
    const override = await cli(['--os-cloud', 'override', 'metric-name-list'])
    expect(override.stderr).toMatch(/^Unable to establish connection to http:\/\/127\.0\.0\.1:1\/v2\.0\/metrics\/names: connect ECONNREFUSED/)
    expect(override.stderr).toContain('check OS_MONITORING_ENDPOINT_OVERRIDE')
  })

  it('auth type none (CLI and SDK): no X-Auth-Token is sent, and the 401 says why', async () => {
    const out = await cli(['--os-auth-type', 'none', '--os-endpoint', `${served.url}/v2.0`, 'metric-name-list'])
    expect(out.code).toBe(1)
    expect(out.stderr).toContain('  Monasca wants a token, and --os-auth-type none sends none: use admin_token with --os-token / OS_TOKEN, or a Keystone auth type.\n')
    t.write(t.cwd, 'clouds.yaml', { clouds: { open: { auth_type: 'none', auth: { endpoint: `${served.url}/v2.0` } } } })
    const sent: Array<string | null> = []
    const monasca = await clientFromCloud('open', { ...t.search, fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(new Headers(init?.headers).get('x-auth-token'))
      return fetch(input, init)
    } })
    await expect(monasca.metrics.listNames()).rejects.toMatchObject({ status: 401 })
    expect(sent).toEqual([null])
  })

  it('a missing value names the flag, the variable and the clouds.yaml key', async () => {
    t.write(t.cwd, 'clouds.yaml', { clouds: { half: { auth: { username: 'demo', password: 'x', project_name: 'demo' } } } })
    const out = await cli(['--os-cloud', 'half', 'metric-list'])
    expect(out).toMatchObject({ code: 1, stderr: `Missing value auth-url required for auth plugin password: set --os-auth-url / OS_AUTH_URL, or auth.auth_url in cloud 'half' of ${join(t.cwd, 'clouds.yaml')}\n` })
  })

  it('an unknown cloud: exit 1 with the clouds found', async () => {
    const out = await cli(['--os-cloud', 'nope', 'metric-list'])
    expect(out).toEqual({ code: 1, stdout: '', stderr: `Cloud 'nope' was not found: the clouds in ${join(t.cwd, 'clouds.yaml')}: demo, wrong, fixed, override\n` })
  })

  it('without --os-cloud or any OS_* setting, the only cloud of clouds.yaml is used', async () => {
    t.write(t.cwd, 'clouds.yaml', { clouds: { solo: { auth_type: 'admin_token', auth: { token: 'fixed-token', endpoint: `${served.url}/v2.0` } } } })
    expect((await cli(['metric-name-list'])).stdout).toContain('cpu.idle_perc')
  })

  it('SDK: clientFromCloud and sessionFromCloud', async () => {
    const monasca = await clientFromCloud('demo', t.search)
    expect(await monasca.endpoint()).toBe(`${served.url}/v2.0`)
    expect((await monasca.metrics.listNames()).map((m) => m.name)).toContain('cpu.idle_perc')
    const session = await sessionFromCloud('demo', t.search)
    expect(await session.getToken()).toMatch(/\S{10,}/)
    const fixed = await clientFromCloud(undefined, { ...t.search, env: { ...t.env, OS_CLOUD: 'fixed' } })
    expect((await fixed.metrics.listNames()).length).toBeGreaterThan(0)
    await expect(sessionFromCloud('fixed', t.search)).rejects.toThrow(`cloud 'fixed' (${join(t.cwd, 'clouds.yaml')}) uses auth_type admin_token: it has no Keystone session (use clientFromCloud)`)
    // Options win over the file.
    const elsewhere = await clientFromCloud('demo', { ...t.search, regionName: 'Nowhere' })
    await expect(elsewhere.endpoint()).rejects.toThrow(/Nowhere/)
  })
})

// A self-signed certificate needs the openssl binary (Debian's openssl package): skipped without it on a
// developer machine, a failure under CI (test/helpers/env.ts).
const hasOpenssl = (() => {
  try {
    return execFileSync('openssl', ['version'], { encoding: 'utf8' }).startsWith('OpenSSL')
  } catch {
    return false
  }
})()

describe('TLS settings of a cloud: cacert, verify: false', () => {
  it.skipIf(!hasOpenssl && !isCI)('cacert trusts the server, verify: false skips the check, neither is refused (CLI and SDK)', async () => {
    const t = tree()
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(t.other, 'key.pem'), '-out', join(t.other, 'cert.pem')], { stdio: 'ignore' })
    const { createServer } = await import('node:https')
    const server = createServer({ key: readFileSync(join(t.other, 'key.pem')), cert: readFileSync(join(t.other, 'cert.pem')) }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ links: [], elements: [{ name: 'tls.ok' }] }))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const endpoint = `https://127.0.0.1:${(server.address() as { port: number }).port}/v2.0`
    const auth = { token: 'tok', endpoint }
    t.write(t.cwd, 'clouds.yaml', {
      clouds: {
        trusted: { auth_type: 'admin_token', auth, cacert: join(t.other, 'cert.pem') },
        unchecked: { auth_type: 'admin_token', auth, verify: false },
        plain: { auth_type: 'admin_token', auth },
      },
    })
    const cli = async (cloud: string) => {
      let stdout = ''
      let stderr = ''
      const code = await main(['--no-cache', '--os-cloud', cloud, 'metric-name-list'], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), stderrIsTTY: false, columns: 80, env: t.env, now: () => Date.now(), cwd: t.cwd })
      return { code, stdout, stderr }
    }
    try {
      for (const cloud of ['trusted', 'unchecked']) {
        expect((await cli(cloud)).stdout, cloud).toContain('| tls.ok |')
        expect((await (await clientFromCloud(cloud, t.search)).metrics.listNames()).map((m) => m.name), cloud).toEqual(['tls.ok'])
      }
      const plain = await cli('plain')
      expect(plain.code).toBe(1)
      expect(plain.stderr).toMatch(/^Unable to establish connection to https:.*certificate/i)
      expect(plain.stderr).toContain('give its CA with --os-cacert / OS_CACERT, or skip the check with --insecure')
    } finally {
      await new Promise<void>((r) => server.close(() => r()))
    }
  })
})

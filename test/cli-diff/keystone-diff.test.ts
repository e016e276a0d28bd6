/**
 * Python's `monasca` and ours authenticate at the real Keystone started by scripts/keystone.sh
 * (password, token, application credential; flags and OS_* variables) and find Monasca in its
 * catalog. The catalog's monitoring endpoint (KS_MONITORING_URL, default http://127.0.0.1:8070/v2.0)
 * is served by the recording server on that port, so the Monasca requests are compared as in the
 * other suites. Each side gets its own token: both must be valid project tokens at Keystone.
 * The cloud-* cases put the same settings in a clouds.yaml (OS_CLIENT_CONFIG_FILE; the secure.yaml
 * split through OS_CLIENT_SECURE_FILE, since openstacksdk fixes its search path when it is imported)
 * and pick the cloud with --os-cloud or OS_CLOUD.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { describeWithSystemPart, isCI } from '../helpers/env.js'
import { KEYSTONE_CASES, type KeystoneAuth, type KeystoneCase } from './cases.js'
import { compareCase, type Observed } from './compare.js'
import { digest, startRecordingServer, type RecordingServer } from './recording-server.js'
import { runCli, oursBuilt, pythonAvailable, snapshotOurs, type Cli } from './run-cli.js'

const KEYSTONE = process.env.KEYSTONE_URL ?? 'http://127.0.0.1:5000'
const ADMIN = { username: 'admin', password: process.env.KS_ADMIN_PASSWORD ?? 'admin-secret', project: 'admin' }

/** Keystone answers GET /v3 (three tries: a busy single-process uWSGI can be slow to answer). */
async function keystoneUp(): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const response = await fetch(`${KEYSTONE}/v3`, { signal: AbortSignal.timeout(10_000) })
      await response.body?.cancel()
      if (response.ok) return true
    } catch {
      // not up (yet): try again
    }
  }
  return false
}

interface Issued {
  token: string
  userId: string
  projectId: string
  monitoringUrl: string
}

async function issueAdminToken(): Promise<Issued> {
  const response = await fetch(`${KEYSTONE}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: ADMIN.username, domain: { id: 'default' }, password: ADMIN.password } } },
        scope: { project: { name: ADMIN.project, domain: { id: 'default' } } },
      },
    }),
  })
  if (response.status !== 201) throw new Error(`Keystone refused the admin password: HTTP ${response.status}`)
  const body = (await response.json()) as {
    token: { user: { id: string }; project: { id: string }; catalog: { type: string; endpoints: { interface: string; url: string }[] }[] }
  }
  const monitoring = body.token.catalog.find((s) => s.type === 'monitoring')?.endpoints.find((e) => e.interface === 'public')
  if (!monitoring) throw new Error('the Keystone catalog has no public monitoring endpoint: start it with scripts/keystone.sh')
  return { token: response.headers.get('x-subject-token')!, userId: body.token.user.id, projectId: body.token.project.id, monitoringUrl: monitoring.url }
}

/** True when Keystone accepts `token` as a token scoped to `projectId`. */
async function validAt(admin: string, token: string, projectId: string): Promise<boolean> {
  const response = await fetch(`${KEYSTONE}/v3/auth/tokens`, { headers: { 'X-Auth-Token': admin, 'X-Subject-Token': token } })
  if (response.status !== 200) return false
  const body = (await response.json()) as { token: { project?: { id: string } } }
  return body.token.project?.id === projectId
}

// Keystone is checked before the suite is collected; vitest allows top-level await in test files.
const available = pythonAvailable() && (await keystoneUp())

describeWithSystemPart('python3-monascaclient and a real Keystone', available, () => {
  let server: RecordingServer | undefined
  let admin: Issued
  let appCred: { id: string; secret: string } | undefined
  let dropSnapshot: (() => void) | undefined
  const observed = new Map<KeystoneCase, { python: Observed; ours?: Observed }>()

  const authFor = (mode: KeystoneAuth): { args: string[]; env?: Record<string, string> } => {
    const password = ['--os-auth-url', `${KEYSTONE}/v3`, '--os-username', ADMIN.username, '--os-password', ADMIN.password, '--os-project-name', ADMIN.project]
    const ids = ['--os-user-domain-id', 'default', '--os-project-domain-id', 'default']
    switch (mode) {
      case 'password':
        return { args: [...password, ...ids] }
      case 'password-env':
        return { args: [], env: { OS_AUTH_URL: `${KEYSTONE}/v3`, OS_USERNAME: ADMIN.username, OS_PASSWORD: ADMIN.password, OS_PROJECT_NAME: ADMIN.project, OS_USER_DOMAIN_ID: 'default', OS_PROJECT_DOMAIN_ID: 'default' } }
      case 'password-default-domain':
        return { args: password }
      case 'password-domain-names':
        return { args: [...password, '--os-user-domain-name', 'Default', '--os-project-domain-name', 'Default'] }
      case 'password-region':
        return { args: [...password, ...ids, '--os-region-name', 'RegionOne', '--os-interface', 'public'] }
      case 'token':
        return { args: ['--os-auth-type', 'token', '--os-token', admin.token, '--os-auth-url', `${KEYSTONE}/v3`, '--os-project-id', admin.projectId] }
      case 'v3applicationcredential':
        return { args: ['--os-auth-type', 'v3applicationcredential', '--os-auth-url', `${KEYSTONE}/v3`, '--os-application-credential-id', appCred!.id, '--os-application-credential-secret', appCred!.secret] }
      case 'wrong-password':
        return { args: ['--os-auth-url', `${KEYSTONE}/v3`, '--os-username', ADMIN.username, '--os-password', 'not-the-password', '--os-project-name', ADMIN.project, ...ids] }
      case 'unknown-region':
        return { args: [...password, ...ids, '--os-region-name', 'Nowhere'] }
      case 'cloud-password':
      case 'cloud-appcred':
      case 'cloud-token':
      case 'cloud-endpoint-override':
      case 'cloud-region':
      case 'cloud-unknown':
        return { args: ['--os-cloud', mode === 'cloud-unknown' ? 'no-such-cloud' : mode], env: { OS_CLIENT_CONFIG_FILE: cloudsFile } }
      case 'cloud-secure-split':
        return { args: ['--os-cloud', mode], env: { OS_CLIENT_CONFIG_FILE: cloudsFile, OS_CLIENT_SECURE_FILE: secureFile } }
      case 'cloud-env':
        return { args: [], env: { OS_CLOUD: 'cloud-password', OS_CLIENT_CONFIG_FILE: cloudsFile } }
      case 'cloud-flag-wins':
        return { args: ['--os-cloud', 'cloud-region', '--os-region-name', 'Nowhere'], env: { OS_CLIENT_CONFIG_FILE: cloudsFile } }
    }
  }

  /** clouds.yaml for the cloud-* cases (and secure.yaml for the split), in a directory of their own. */
  let cloudsFile = ''
  let secureFile = ''
  let cloudsDir = ''
  function writeClouds(monitoringUrl: string): void {
    cloudsDir = mkdtempSync(join(tmpdir(), 'cli-diff-clouds-'))
    cloudsFile = join(cloudsDir, 'clouds.yaml')
    secureFile = join(cloudsDir, 'secure.yaml')
    const passwordAuth = { auth_url: `${KEYSTONE}/v3`, username: ADMIN.username, password: ADMIN.password, project_name: ADMIN.project, user_domain_id: 'default', project_domain_id: 'default' }
    const { password: _password, ...withoutPassword } = passwordAuth
    const clouds = {
      'cloud-password': { auth_type: 'password', auth: passwordAuth },
      'cloud-appcred': { auth_type: 'v3applicationcredential', auth: { auth_url: `${KEYSTONE}/v3`, application_credential_id: appCred!.id, application_credential_secret: appCred!.secret } },
      'cloud-token': { auth_type: 'token', auth: { auth_url: `${KEYSTONE}/v3`, token: admin.token, project_id: admin.projectId } },
      'cloud-endpoint-override': { auth_type: 'password', auth: passwordAuth, monitoring_endpoint_override: monitoringUrl },
      'cloud-secure-split': { auth_type: 'password', auth: withoutPassword },
      'cloud-region': { auth_type: 'password', auth: passwordAuth, region_name: 'RegionOne', interface: 'public' },
    }
    writeFileSync(cloudsFile, stringify({ clouds }))
    writeFileSync(secureFile, stringify({ clouds: { 'cloud-secure-split': { auth: { password: ADMIN.password } } } }))
  }

  beforeAll(async () => {
    if (oursBuilt()) dropSnapshot = snapshotOurs()
    admin = await issueAdminToken()
    const url = new URL(admin.monitoringUrl)
    if (url.hostname !== '127.0.0.1' || !/^\/v2\.0\/?$/.test(url.pathname)) {
      throw new Error(`the catalog's monitoring endpoint must be http://127.0.0.1:<port>/v2.0 for this suite, got ${admin.monitoringUrl}`)
    }
    server = await startRecordingServer({ port: Number(url.port), keepRawTokens: true })
    const created = await fetch(`${KEYSTONE}/v3/users/${admin.userId}/application_credentials`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Auth-Token': admin.token },
      body: JSON.stringify({ application_credential: { name: `cli-diff-${process.pid}-${Date.now()}` } }),
    })
    if (created.status !== 201) throw new Error(`could not create an application credential: HTTP ${created.status}`)
    appCred = ((await created.json()) as { application_credential: { id: string; secret: string } }).application_credential
    writeClouds(admin.monitoringUrl)

    // Every Monasca request lands on the server's one default run, so invocations go one at a time.
    const clis: Cli[] = oursBuilt() ? ['python', 'ours'] : ['python']
    for (const c of KEYSTONE_CASES) {
      const entry = {} as { python: Observed; ours?: Observed }
      for (const cli of clis) {
        server.defaultRun.requests.length = 0
        const auth = authFor(c.keystone)
        const result = await runCli(cli, [...auth.args, ...c.argv], auth.env ? { env: auth.env } : {})
        const requests = [...server.defaultRun.requests]
        // Each side has its own token: replace it by whether Keystone accepts it for the project.
        for (const r of requests) {
          if (r.rawToken === undefined) continue
          r.headers['x-auth-token'] = (await validAt(admin.token, r.rawToken, admin.projectId)) ? '<a valid project token>' : digest(r.rawToken)
          delete r.rawToken
        }
        entry[cli] = { result, requests, runPrefix: '' }
      }
      observed.set(c, entry)
    }
  }, 300_000)

  afterAll(async () => {
    if (appCred) await fetch(`${KEYSTONE}/v3/users/${admin.userId}/application_credentials/${appCred.id}`, { method: 'DELETE', headers: { 'X-Auth-Token': admin.token } })
    await server?.close()
    dropSnapshot?.()
    if (cloudsDir) rmSync(cloudsDir, { recursive: true, force: true })
  })

  it.each(KEYSTONE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const entry = observed.get(c)!
    expect(entry.ours, 'dist/bin/monasca.js is missing: run npx vite build').toBeDefined()
    expect(compareCase(c, entry.python, entry.ours!)).toEqual([])
    for (const r of entry.ours!.requests) expect(r.headers['x-auth-token']).toBe('<a valid project token>')
  })

  it('ran against the real Keystone (not skipped under CI)', () => {
    expect(available || !isCI).toBe(true)
  })
})

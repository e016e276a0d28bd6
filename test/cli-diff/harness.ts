/**
 * Runs one case with one CLI against its own run of the recording server: builds the global auth
 * options (AUTH_MODES), starts the CLI, and returns what the server saw plus what the CLI printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import type { AuthMode, CliCase } from './cases.js'
import type { Observed } from './compare.js'
import type { RecordingServer, Run, RunOptions } from './recording-server.js'
import { runCli, type Cli } from './run-cli.js'
import type { Emulator } from '../../src/emulator/index.js'

/** Fake credentials of the recording Keystone; they never leave this machine. */
export const CREDENTIALS = { username: 'admin', password: 'cli-diff-password', project: 'admin', token: 'cli-diff-token' } as const

/** Monasca URL given by --monasca-api-url / MONASCA_API_URL: a different path than the catalog's, to prove it was used. */
const overrideUrl = (run: Run) => run.endpoint.replace(/\/v2\.0$/, '/override/v2.0')

const passwordArgs = (run: Run) => [
  '--os-auth-url', run.authUrl,
  '--os-username', CREDENTIALS.username,
  '--os-password', CREDENTIALS.password,
  '--os-project-name', CREDENTIALS.project,
  '--os-user-domain-id', 'default',
  '--os-project-domain-id', 'default',
]

const passwordEnv = (run: Run) => ({
  OS_AUTH_URL: run.authUrl,
  OS_USERNAME: CREDENTIALS.username,
  OS_PASSWORD: CREDENTIALS.password,
  OS_PROJECT_NAME: CREDENTIALS.project,
  OS_USER_DOMAIN_ID: 'default',
  OS_PROJECT_DOMAIN_ID: 'default',
})

/** One directory per process for the clouds.yaml of the cloud-* modes, removed at exit. */
let cloudsDir: string | undefined
function cloudFiles(run: Run, cloud: Record<string, unknown>, secure?: Record<string, unknown>): { args: string[]; env: Record<string, string> } {
  if (!cloudsDir) {
    cloudsDir = mkdtempSync(join(tmpdir(), 'cli-diff-clouds-'))
    const dir = cloudsDir
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  }
  const base = join(cloudsDir, `run-${run.id}-${Math.random().toString(36).slice(2, 8)}`)
  writeFileSync(`${base}-clouds.yaml`, stringify({ clouds: { diff: cloud } }))
  const env: Record<string, string> = { OS_CLIENT_CONFIG_FILE: `${base}-clouds.yaml` }
  if (secure) {
    writeFileSync(`${base}-secure.yaml`, stringify({ clouds: { diff: secure } }))
    env['OS_CLIENT_SECURE_FILE'] = `${base}-secure.yaml`
  }
  return { args: ['--os-cloud', 'diff'], env }
}

const cloudPassword = (run: Run) => ({
  auth_url: run.authUrl, username: CREDENTIALS.username, password: CREDENTIALS.password, project_name: CREDENTIALS.project,
  user_domain_id: 'default', project_domain_id: 'default',
})

export const AUTH_MODES: Record<AuthMode, (run: Run, token?: string) => { args: string[]; env?: Record<string, string> }> = {
  'cloud-password': (run) => cloudFiles(run, { auth_type: 'password', auth: cloudPassword(run) }),
  'cloud-admin_token': (run, token = CREDENTIALS.token) => cloudFiles(run, { auth_type: 'admin_token', auth: { token, endpoint: run.endpoint } }),
  'cloud-token': (run) => cloudFiles(run, { auth_type: 'token', auth: { auth_url: run.authUrl, token: CREDENTIALS.token, project_id: 'p-0001' } }),
  'cloud-appcred': (run) => cloudFiles(run, { auth_type: 'v3applicationcredential', auth: { auth_url: run.authUrl, application_credential_id: 'ac-0001', application_credential_secret: 'cli-diff-secret' } }),
  'cloud-secure': (run) => {
    const { password, ...auth } = cloudPassword(run)
    return cloudFiles(run, { auth_type: 'password', auth }, { auth: { password } })
  },
  'cloud-override': (run) => cloudFiles(run, { auth_type: 'password', auth: cloudPassword(run), monitoring_endpoint_override: overrideUrl(run) }),
  'cloud-region-two': (run) => cloudFiles(run, { auth_type: 'password', auth: cloudPassword(run), region_name: 'RegionTwo' }),
  'cloud-internal': (run) => cloudFiles(run, { auth_type: 'password', auth: cloudPassword(run), interface: 'internal' }),
  'cloud-env-wins': (run) => {
    const files = cloudFiles(run, { auth_type: 'password', auth: cloudPassword(run), interface: 'public' })
    return { args: files.args, env: { ...files.env, OS_INTERFACE: 'internal' } }
  },
  admin_token: (run, token = CREDENTIALS.token) => ({ args: ['--os-auth-type', 'admin_token', '--os-token', token, '--os-endpoint', run.endpoint] }),
  'admin_token-env': (run) => ({ args: [], env: { OS_AUTH_TYPE: 'admin_token', OS_TOKEN: CREDENTIALS.token, OS_ENDPOINT: run.endpoint } }),
  password: (run) => ({ args: passwordArgs(run) }),
  'password-env': (run) => ({ args: [], env: passwordEnv(run) }),
  token: (run) => ({ args: ['--os-auth-type', 'token', '--os-token', CREDENTIALS.token, '--os-auth-url', run.authUrl, '--os-project-id', 'p-0001'] }),
  'password+monasca-api-url': (run) => ({ args: [...passwordArgs(run), '--monasca-api-url', overrideUrl(run)] }),
  'password+MONASCA_API_URL': (run) => ({ args: passwordArgs(run), env: { MONASCA_API_URL: overrideUrl(run) } }),
  'password-default-domain': (run) => ({ args: passwordArgs(run).slice(0, 8) }),
  'password-domain-names': (run) => ({ args: [...passwordArgs(run).slice(0, 8), '--os-user-domain-name', 'Default', '--os-project-domain-name', 'Default'] }),
  'password-project-id': (run) => ({
    args: ['--os-auth-url', run.authUrl, '--os-username', CREDENTIALS.username, '--os-password', CREDENTIALS.password, '--os-project-id', 'p-0001', '--os-user-domain-id', 'default'],
  }),
  'password-internal': (run) => ({ args: [...passwordArgs(run), '--os-interface', 'internal'] }),
  'password-admin-interface': (run) => ({ args: [...passwordArgs(run), '--os-interface', 'admin'] }),
  'password-region-two': (run) => ({ args: [...passwordArgs(run), '--os-region-name', 'RegionTwo'] }),
  'password+OS_MONITORING_ENDPOINT_OVERRIDE': (run) => ({ args: passwordArgs(run), env: { OS_MONITORING_ENDPOINT_OVERRIDE: overrideUrl(run) } }),
  v3applicationcredential: (run) => ({
    args: ['--os-auth-type', 'v3applicationcredential', '--os-auth-url', run.authUrl, '--os-application-credential-id', 'ac-0001', '--os-application-credential-secret', 'cli-diff-secret'],
  }),
  v3password: (run) => ({ args: ['--os-auth-type', 'v3password', ...passwordArgs(run)] }),
  // Port 9 (discard) on 127.0.0.1: nothing listens there on a test machine.
  'admin_token-unreachable': (_run, token = CREDENTIALS.token) => ({ args: ['--os-auth-type', 'admin_token', '--os-token', token, '--os-endpoint', 'http://127.0.0.1:9/v2.0'] }),
  'token-no-auth-type': (run, token = CREDENTIALS.token) => ({ args: ['--os-token', token, '--os-endpoint', run.endpoint] }),
  'password-no-auth-url': () => ({
    args: ['--os-username', CREDENTIALS.username, '--os-password', CREDENTIALS.password, '--os-project-name', CREDENTIALS.project],
  }),
}

export interface CaseRunOptions {
  /** Extra run options, e.g. an emulator backend made fresh for each invocation. */
  runOptions?: () => RunOptions
  /** Token for the admin_token flows (the emulator knows its own). */
  token?: string
  /** The command line after placeholders were filled (default: the case's argv). */
  argv?: string[]
}

export async function runCase(server: RecordingServer, cli: Cli, c: CliCase, options: CaseRunOptions = {}): Promise<Observed> {
  const run = server.run({ ...(c.faults ? { faults: c.faults } : {}), ...options.runOptions?.() })
  const auth = AUTH_MODES[c.auth ?? 'admin_token'](run, options.token)
  const result = await runCli(cli, [...auth.args, ...(options.argv ?? c.argv)], auth.env ? { env: auth.env } : {})
  return { result, requests: [...run.requests], runPrefix: `/r/${run.id}` }
}

/** Fills the EMULATOR_CASES placeholders from the emulator's state and clock. */
export function resolvePlaceholders(argv: string[], emulator: Emulator, clockMs: number): string[] {
  const project = emulator.projectId('admin')
  const fail = (what: string): never => {
    throw new Error(`no ${what} in the emulator's demo data`)
  }
  return argv.map((arg) =>
    arg.replace(/\{(\w+):([^}]*)\}/g, (_all, kind: string, key: string) => {
      switch (kind) {
        case 'notification':
          return emulator.data.notificationMethods(project).find((n) => n.name === key)?.id ?? fail(`notification ${key}`)
        case 'definition':
          return emulator.data.alarmDefinitions(project).find((d) => d.name === key)?.id ?? fail(`definition ${key}`)
        case 'alarm': {
          const [definition, host] = key.split(':')
          const alarm = emulator.data.alarms(project).find((a) => a.alarm_definition.name === definition && a.metrics.some((m) => m.dimensions['hostname'] === host))
          return alarm?.id ?? fail(`alarm ${key}`)
        }
        case 'time':
          return new Date(clockMs + Number(key) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
        case 'ms':
          return String(clockMs + Number(key) * 60_000)
        default:
          return fail(`placeholder kind ${kind}`)
      }
    }),
  )
}

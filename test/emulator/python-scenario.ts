/**
 * The Python `monasca` CLI against the emulator over HTTP: the commands, the state each starts
 * from, and a recorder of the request/response pairs (credentials and ids replaced by placeholders).
 */
import { execFile } from 'node:child_process'
import { createEmulator, type Emulator } from '../../src/emulator/index.js'
import { serveEmulator } from '../../src/emulator/serve.js'

export const PYTHON_MONASCA = '/usr/bin/monasca'
export const TOKEN = 'python-cli-token'

export interface PythonCommand {
  name: string
  /**
   * `token`: --os-auth-type admin_token; `password`: Keystone v3 + catalog; `readonly`: password auth as a
   * read-only user; `appcred`: an application credential; `keystone-token`: a Keystone token rescoped (method token).
   */
  auth: 'token' | 'password' | 'readonly' | 'appcred' | 'keystone-token'
  /** CLI arguments; {NOTIFICATION_ID}, {DEFINITION_ID}, {ALARM_ID} are filled from the seeded state. */
  args: string[]
  exitCode: number
  /** Every string must appear in stdout (exit 0) or stderr (exit 1). */
  expect: string[]
}

export const COMMANDS: PythonCommand[] = [
  { name: 'metric-list', auth: 'token', args: ['metric-list'], exitCode: 0, expect: ['cpu.user_perc', 'hostname: web-01', 'hostname: web-02'] },
  { name: 'metric-list-filtered', auth: 'token', args: ['metric-list', '--name', 'cpu.user_perc', '--dimensions', 'hostname=web-01', '--limit', '5'], exitCode: 0, expect: ['hostname: web-01'] },
  { name: 'metric-name-list', auth: 'token', args: ['metric-name-list'], exitCode: 0, expect: ['cpu.user_perc', 'mem.usable_perc'] },
  { name: 'metric-create', auth: 'token', args: ['metric-create', 'py.test', '42.5', '--dimensions', 'hostname=py,service=test', '--value-meta', 'note=hi'], exitCode: 0, expect: ['Successfully created metric'] },
  { name: 'metric-create-raw', auth: 'token', args: ['metric-create-raw', '{"name":"py.raw","value":1,"timestamp":1700000000000}'], exitCode: 0, expect: ['Successfully created metric'] },
  { name: 'measurement-list', auth: 'token', args: ['measurement-list', 'cpu.user_perc', '-60', '--dimensions', 'hostname=web-01'], exitCode: 0, expect: ['cpu.user_perc', 'hostname: web-01', '90.000'] },
  { name: 'measurement-list-merged', auth: 'token', args: ['measurement-list', 'cpu.user_perc', '-60', '--merge_metrics'], exitCode: 0, expect: ['cpu.user_perc', '10.000', '90.000'] },
  { name: 'measurement-list-group-by', auth: 'token', args: ['measurement-list', 'cpu.user_perc', '-60', '--group_by', 'hostname'], exitCode: 0, expect: ['hostname: web-01', 'hostname: web-02'] },
  { name: 'measurement-list-409', auth: 'token', args: ['measurement-list', 'cpu.user_perc', '-60'], exitCode: 1, expect: ['MultipleMetrics (HTTP 409)', 'Found multiple metrics matching metric name and dimensions'] },
  { name: 'metric-statistics', auth: 'token', args: ['metric-statistics', 'cpu.user_perc', 'avg,max,count', '-60', '--merge_metrics', '--period', '3600'], exitCode: 0, expect: ['avg', 'max', 'count', '50.000', '90.000'] },
  { name: 'dimension-name-list', auth: 'token', args: ['dimension-name-list'], exitCode: 0, expect: ['hostname', 'service'] },
  { name: 'dimension-value-list', auth: 'token', args: ['dimension-value-list', 'hostname', '--metric-name', 'cpu.user_perc'], exitCode: 0, expect: ['web-01', 'web-02'] },
  { name: 'notification-type-list', auth: 'token', args: ['notification-type-list'], exitCode: 0, expect: ['EMAIL', 'PAGERDUTY', 'WEBHOOK'] },
  { name: 'notification-create', auth: 'token', args: ['notification-create', 'pager', 'WEBHOOK', 'http://example.com/hook', '--period', '60'], exitCode: 0, expect: ['"name": "pager"', '"period": 60'] },
  { name: 'notification-list', auth: 'token', args: ['notification-list', '--sort-by', 'name'], exitCode: 0, expect: ['ops-email', 'ops@example.com'] },
  { name: 'notification-show', auth: 'token', args: ['notification-show', '{NOTIFICATION_ID}'], exitCode: 0, expect: ['"ops-email"', 'EMAIL'] },
  { name: 'notification-update', auth: 'token', args: ['notification-update', '{NOTIFICATION_ID}', 'ops-hook', 'WEBHOOK', 'http://example.com/ops', '60'], exitCode: 0, expect: ['"name": "ops-hook"', '"type": "WEBHOOK"'] },
  { name: 'notification-patch', auth: 'token', args: ['notification-patch', '{NOTIFICATION_ID}', '--address', 'oncall@example.com'], exitCode: 0, expect: ['"address": "oncall@example.com"'] },
  { name: 'notification-delete', auth: 'token', args: ['notification-delete', '{NOTIFICATION_ID}'], exitCode: 0, expect: ['Successfully deleted notification'] },
  { name: 'notification-create-invalid', auth: 'token', args: ['notification-create', 'bad', 'EMAIL', 'name@'], exitCode: 1, expect: ['Bad Request (HTTP 400)', 'Address name@ is not of correct format'] },
  { name: 'alarm-definition-create', auth: 'token', args: ['alarm-definition-create', 'memory low', 'avg(mem.usable_perc{}) < 10 times 3', '--severity', 'HIGH', '--match-by', 'hostname', '--alarm-actions', '{NOTIFICATION_ID}'], exitCode: 0, expect: ['"name": "memory low"', '"severity": "HIGH"'] },
  { name: 'alarm-definition-create-invalid', auth: 'token', args: ['alarm-definition-create', 'broken', 'avg(mem.usable_perc) <'], exitCode: 1, expect: ['Invalid alarm expression (HTTP 422)', "parser failed on expression 'avg(mem.usable_perc) <' at column 23"] },
  { name: 'alarm-definition-list', auth: 'token', args: ['alarm-definition-list', '--sort-by', 'name'], exitCode: 0, expect: ['High CPU', 'avg(cpu.user_perc) > 50'] },
  { name: 'alarm-definition-show', auth: 'token', args: ['alarm-definition-show', '{DEFINITION_ID}'], exitCode: 0, expect: ['"High CPU"', 'match_by'] },
  { name: 'alarm-definition-patch', auth: 'token', args: ['alarm-definition-patch', '{DEFINITION_ID}', '--severity', 'CRITICAL'], exitCode: 0, expect: ['"severity": "CRITICAL"'] },
  {
    name: 'alarm-definition-update',
    auth: 'token',
    args: ['alarm-definition-update', '{DEFINITION_ID}', 'High CPU', 'CPU above 60%', 'avg(cpu.user_perc) > 60', '{NOTIFICATION_ID}', '', '', 'true', 'hostname', 'MEDIUM'],
    exitCode: 0,
    expect: ['"description": "CPU above 60%"', '"severity": "MEDIUM"'],
  },
  { name: 'alarm-definition-delete', auth: 'token', args: ['alarm-definition-delete', '{DEFINITION_ID}'], exitCode: 0, expect: ['Successfully deleted alarm definition'] },
  { name: 'alarm-list', auth: 'token', args: ['alarm-list'], exitCode: 0, expect: ['High CPU', 'ALARM', 'OK', 'hostname: web-01'] },
  { name: 'alarm-list-filtered', auth: 'token', args: ['alarm-list', '--state', 'alarm', '--metric-dimensions', 'hostname=web-01', '--sort-by', 'severity'], exitCode: 0, expect: ['ALARM', 'web-01'] },
  { name: 'alarm-show', auth: 'token', args: ['alarm-show', '{ALARM_ID}'], exitCode: 0, expect: ['"ALARM"', 'cpu.user_perc'] },
  { name: 'alarm-show-404', auth: 'token', args: ['alarm-show', '00000000-0000-0000-0000-000000000000'], exitCode: 1, expect: ['Not Found (HTTP 404)'] },
  { name: 'alarm-patch', auth: 'token', args: ['alarm-patch', '{ALARM_ID}', '--lifecycle-state', 'OPEN'], exitCode: 0, expect: ['"lifecycle_state": "OPEN"'] },
  { name: 'alarm-update', auth: 'token', args: ['alarm-update', '{ALARM_ID}', 'OK', 'RESOLVED', 'http://wiki.example.com/cpu'], exitCode: 0, expect: ['"state": "OK"', '"lifecycle_state": "RESOLVED"'] },
  { name: 'alarm-count', auth: 'token', args: ['alarm-count', '--group-by', 'state,severity'], exitCode: 0, expect: ['count', 'ALARM', 'OK', 'HIGH'] },
  { name: 'alarm-history', auth: 'token', args: ['alarm-history', '{ALARM_ID}'], exitCode: 0, expect: ['UNDETERMINED', 'ALARM', 'Thresholds were exceeded'] },
  { name: 'alarm-history-list', auth: 'token', args: ['alarm-history-list', '--dimensions', 'hostname=web-01'], exitCode: 0, expect: ['ALARM', 'hostname: web-01'] },
  { name: 'alarm-delete', auth: 'token', args: ['alarm-delete', '{ALARM_ID}'], exitCode: 0, expect: ['Successfully deleted alarm'] },
  { name: 'password-metric-name-list', auth: 'password', args: ['metric-name-list'], exitCode: 0, expect: ['cpu.user_perc'] },
  { name: 'password-alarm-list', auth: 'password', args: ['alarm-list', '--sort-by', 'state'], exitCode: 0, expect: ['High CPU'] },
  { name: 'password-notification-create', auth: 'password', args: ['notification-create', 'team', 'EMAIL', 'team@example.com'], exitCode: 0, expect: ['"name": "team"'] },
  { name: 'appcred-alarm-count', auth: 'appcred', args: ['alarm-count'], exitCode: 0, expect: ['count', '2'] },
  { name: 'keystone-token-metric-name-list', auth: 'keystone-token', args: ['metric-name-list'], exitCode: 0, expect: ['cpu.user_perc'] },
  { name: 'readonly-write-refused', auth: 'readonly', args: ['notification-create', 'ro', 'EMAIL', 'ro@example.com'], exitCode: 1, expect: ['(HTTP 401)', 'The request does not have access to this service'] },
]

export interface Seeded {
  emulator: Emulator
  ids: Record<'NOTIFICATION_ID' | 'DEFINITION_ID' | 'ALARM_ID', string>
  /** A live Keystone token of user demo (for the token-rescope flow). */
  keystoneToken: string
}

export const APP_CREDENTIAL = { id: 'python-app-cred', name: 'python', secret: 'python-app-cred-secret', user: 'demo', project: 'demo' }

/** Project demo: a notification method, a "High CPU" definition, metrics for web-01 (90) and web-02 (10). */
export async function seed(): Promise<Seeded> {
  const emulator = createEmulator({
    tokens: { [TOKEN]: { projectId: createEmulator().projectId('demo') } },
    applicationCredentials: [APP_CREDENTIAL],
    requestLogSize: 0,
  })
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await emulator.fetch(path, {
      method,
      headers: { 'X-Auth-Token': TOKEN, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return r.status === 204 ? undefined : ((await r.json()) as Record<string, any>)
  }
  const notification = await call('POST', '/v2.0/notification-methods', { name: 'ops-email', type: 'EMAIL', address: 'ops@example.com' })
  const definition = await call('POST', '/v2.0/alarm-definitions', {
    name: 'High CPU',
    expression: 'avg(cpu.user_perc) > 50',
    match_by: ['hostname'],
    severity: 'HIGH',
    alarm_actions: [notification!.id],
  })
  const now = Date.now()
  const points = []
  for (let i = 5; i >= 0; i--) {
    points.push({ name: 'cpu.user_perc', dimensions: { hostname: 'web-01', service: 'web' }, value: 90, timestamp: now - i * 60_000 })
    points.push({ name: 'cpu.user_perc', dimensions: { hostname: 'web-02', service: 'web' }, value: 10, timestamp: now - i * 60_000 })
    points.push({ name: 'mem.usable_perc', dimensions: { hostname: 'web-01', service: 'web' }, value: 40, timestamp: now - i * 60_000 })
  }
  await call('POST', '/v2.0/metrics', points)
  const alarms = await call('GET', '/v2.0/alarms?state=ALARM')
  const keystoneToken = emulator.issueToken({ projectId: emulator.projectId('demo'), roles: ['monasca-user'] })
  return { emulator, keystoneToken, ids: { NOTIFICATION_ID: notification!.id, DEFINITION_ID: definition!.id, ALARM_ID: alarms!.elements[0].id } }
}

export interface Exchange {
  request: { method: string; path: string; query: Array<[string, string]>; headers: Record<string, string>; body?: unknown }
  response: { status: number; headers: Record<string, string>; body?: unknown }
}

export interface RunResult {
  exitCode: number
  stdout: string
  stderr: string
  exchanges: Exchange[]
}

const KEPT_REQUEST_HEADERS = ['content-type', 'accept', 'x-auth-token', 'x-subject-token']
const KEPT_RESPONSE_HEADERS = ['content-type', 'x-subject-token', 'www-authenticate']

function tryJson(text: string): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Replace ids, tokens, hosts and passwords so a recording reads the same on every run. */
export function normalise(value: string, ids: Record<string, string>, origin: string): string {
  let out = value.split(origin).join('http://127.0.0.1:PORT')
  for (const [name, id] of Object.entries(ids)) out = out.split(id).join(`{${name}}`)
  return out
    .replace(/gAAAAAB[\w-]{176}/g, '<keystone-token>')
    .split(TOKEN).join('<static-token>')
    .split(APP_CREDENTIAL.secret).join('<redacted>')
    .replace(/("password": ?)"[^"]*"/g, '$1"<redacted>"')
}

/** Run one command against a fresh, seeded emulator served on 127.0.0.1 and record the exchanges. */
export async function runPython(command: PythonCommand): Promise<RunResult & { ids: Seeded['ids']; origin: string }> {
  const { emulator, ids, keystoneToken } = await seed()
  const exchanges: Exchange[] = []
  const recorder: Emulator = {
    ...emulator,
    handle: async (request: Request) => {
      const url = new URL(request.url)
      const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.clone().text()
      const response = await emulator.handle(request)
      const responseText = await response.clone().text()
      const pick = (headers: Headers, names: string[]) =>
        Object.fromEntries(names.filter((n) => headers.has(n)).map((n) => [n, headers.get(n)!]))
      exchanges.push({
        request: {
          method: request.method,
          path: url.pathname,
          query: [...url.searchParams.entries()],
          headers: pick(request.headers, KEPT_REQUEST_HEADERS),
          ...(body ? { body: tryJson(body) } : {}),
        },
        response: { status: response.status, headers: pick(response.headers, KEPT_RESPONSE_HEADERS), ...(responseText ? { body: tryJson(responseText) } : {}) },
      })
      return response
    },
  }
  const served = await serveEmulator(recorder)
  try {
    const authUrl = `${served.url}/v3`
    const auth = {
      token: ['--os-auth-type', 'admin_token', '--os-token', TOKEN, '--os-endpoint', `${served.url}/v2.0`],
      password: ['--os-auth-url', authUrl, '--os-username', 'demo', '--os-password', 'demo-secret', '--os-project-name', 'demo', '--os-user-domain-id', 'default', '--os-project-domain-id', 'default'],
      readonly: ['--os-auth-url', authUrl, '--os-username', 'readonly', '--os-password', 'readonly-secret', '--os-project-name', 'demo', '--os-user-domain-id', 'default', '--os-project-domain-id', 'default'],
      appcred: ['--os-auth-type', 'v3applicationcredential', '--os-auth-url', authUrl, '--os-application-credential-id', APP_CREDENTIAL.id, '--os-application-credential-secret', APP_CREDENTIAL.secret],
      'keystone-token': ['--os-auth-type', 'token', '--os-auth-url', authUrl, '--os-token', keystoneToken, '--os-project-id', emulator.projectId('demo')],
    }[command.auth]
    const args = [...auth, ...command.args.map((a) => a.replace(/\{(\w+)\}/g, (_, k: string) => ids[k as keyof typeof ids] ?? `{${k}}`))]
    const result = await new Promise<{ exitCode: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        PYTHON_MONASCA,
        args,
        { env: { PATH: '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8' }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0
          resolve({ exitCode: code, stdout, stderr })
        },
      )
    })
    return { ...result, exchanges, ids, origin: served.url }
  } finally {
    await served.close()
  }
}

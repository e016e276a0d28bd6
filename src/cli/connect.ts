/**
 * From global options to an SDK client, the way osc-lib picks an auth plugin and an endpoint:
 *   admin_token: --os-token sent as is to --monasca-api-url or --os-endpoint (no Keystone);
 *   none:        no token, to --monasca-api-url or --os-endpoint;
 *   token:       --os-token exchanged at --os-auth-url for a scoped token;
 *   password:    --os-username/--os-user-id + --os-password at --os-auth-url;
 *   v3applicationcredential: --os-application-credential-id (or -name + user) + -secret.
 * Without --os-auth-type: admin_token when a token comes without an auth URL, token with one,
 * v3applicationcredential when a secret is given, else password (osc-lib's default).
 * The Monasca URL is --monasca-api-url / MONASCA_API_URL / OS_MONITORING_ENDPOINT_OVERRIDE, else
 * the catalog's `monitoring` endpoint for --os-interface (public) and --os-region-name.
 * Keystone tokens are kept in the file store (0600, ~/.cache/monasca-client) unless --no-cache.
 */
import type { CliClient } from './client-types.js'
import { CommandError } from './errors.js'
import { flagAndVariable, type GlobalOptions } from './globals.js'
import { createNodeFetch, type NodeFetch } from '../node/node-fetch.js'
import type { Logger } from './log.js'
import type { CloudSettings } from '../node/clouds-config.js'

const AUTH_TYPES: Record<string, 'admin_token' | 'none' | 'token' | 'password' | 'appcred'> = {
  admin_token: 'admin_token',
  token_endpoint: 'admin_token',
  none: 'none',
  noauth: 'none',
  token: 'token',
  v3token: 'token',
  v2token: 'token',
  password: 'password',
  v3password: 'password',
  v2password: 'password',
  v3applicationcredential: 'appcred',
  applicationcredential: 'appcred',
}

export type AuthKind = (typeof AUTH_TYPES)[string]

const given = (v: string | undefined): v is string => v !== undefined && v !== ''

export function authKind(g: GlobalOptions): AuthKind {
  if (g.authType) {
    const kind = AUTH_TYPES[g.authType.toLowerCase().replace(/-/g, '_')]
    if (!kind) {
      throw new CommandError(
        `Authentication type '${g.authType}' is not supported by this client; use one of ${Object.keys(AUTH_TYPES).join(', ')}`,
      )
    }
    return kind
  }
  if (given(g.token)) return given(g.authUrl) ? 'token' : 'admin_token'
  if (given(g.applicationCredentialSecret) || given(g.applicationCredentialId)) return 'appcred'
  return 'password'
}

/** osc-lib's "Missing value …" words, then how to give the value: its flag and its variable (and the alternatives). */
/** The clouds.yaml key of an option, for messages when a cloud is in use. */
const CLOUD_KEY: Partial<Record<keyof GlobalOptions, string>> = {
  authUrl: 'auth.auth_url', username: 'auth.username', userId: 'auth.user_id', password: 'auth.password', token: 'auth.token',
  endpoint: 'auth.endpoint', monascaApiUrl: 'monitoring_endpoint_override',
  applicationCredentialId: 'auth.application_credential_id', applicationCredentialName: 'auth.application_credential_name',
  applicationCredentialSecret: 'auth.application_credential_secret',
}

let cloudInUse: { name: string; file: string } | undefined

function missingValue(option: string, plugin: string, ...keys: Array<keyof GlobalOptions>): CommandError {
  const ways = keys.map(flagAndVariable)
  const inCloud = cloudInUse && CLOUD_KEY[keys[0]!] ? `, or ${CLOUD_KEY[keys[0]!]} in cloud '${cloudInUse.name}' of ${cloudInUse.file}` : ''
  return new CommandError(`Missing value ${option} required for auth plugin ${plugin}: set ${ways.join(', or ')}${inCloud}`)
}

function requireValue(value: string | undefined, option: string, plugin: string, ...keys: Array<keyof GlobalOptions>): string {
  if (!given(value)) throw missingValue(option, plugin, ...keys)
  return value
}

/** What osc-lib reads from a cloud: flags and OS_* variables (already in g) win over clouds.yaml. */
const FROM_CLOUD: Array<keyof CloudSettings & keyof GlobalOptions> = [
  'authType', 'authUrl', 'username', 'userId', 'password', 'projectName', 'projectId', 'projectDomainName', 'projectDomainId',
  'userDomainName', 'userDomainId', 'domainName', 'domainId', 'defaultDomain', 'token', 'applicationCredentialId',
  'applicationCredentialName', 'applicationCredentialSecret', 'endpoint', 'regionName', 'interface', 'monitoringEndpointOverride',
  'cacert', 'cert', 'key',
]

/** Settings that say where to connect; without any, a clouds.yaml with a single cloud is used (openstacksdk's default). */
const CONNECTION_KEYS: Array<keyof GlobalOptions> = ['authUrl', 'token', 'endpoint', 'monascaApiUrl', 'monitoringEndpointOverride', 'username', 'userId', 'applicationCredentialId']

/** g with the cloud of --os-cloud / OS_CLOUD (or the only cloud of clouds.yaml, when nothing else was given) filled in. */
export async function withCloud(g: GlobalOptions, search: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<GlobalOptions> {
  cloudInUse = undefined
  if (g.cloudFile) {
    cloudInUse = { name: g.cloud!, file: g.cloudFile }
    return g
  }
  const implicit = !given(g.cloud) && !CONNECTION_KEYS.some((k) => given(g[k] as string | undefined))
  if (!given(g.cloud) && !implicit) return g
  const { findCloudsFile, loadCloud } = await import('../node/clouds-config.js')
  if (implicit && !(await findCloudsFile(search))) return g
  let settings: CloudSettings
  try {
    settings = await loadCloud(g.cloud, search)
  } catch (error) {
    // Without --os-cloud, a clouds.yaml of several clouds is not an error: osc-lib would not pick one either.
    if (implicit) return g
    throw error
  }
  cloudInUse = { name: settings.cloud, file: settings.file }
  const out: GlobalOptions = { ...g, cloud: settings.cloud, cloudFile: settings.file }
  for (const key of FROM_CLOUD) {
    const value = settings[key]
    if (!given(out[key] as string | undefined) && typeof value === 'string') (out as Record<string, unknown>)[key] = value
  }
  if (settings.verify === false && !out.verify && out.insecure === undefined) out.insecure = true
  if (settings.timeout !== undefined && !given(out.timeout)) out.timeout = String(settings.timeout)
  return out
}

/** Keystone v2 was removed in Queens; a …/v2.0 auth URL gets a 404 or a misleading 401 from a v3 Keystone. */
function checkAuthUrl(authUrl: string): void {
  if (/\/v2(\.0)?\/?$/.test(authUrl)) {
    throw new CommandError(
      `${flagAndVariable('authUrl')} is ${authUrl}, a Keystone v2 URL: this client speaks Keystone v3 only (v2 was removed from Keystone). Use ${authUrl.replace(/\/v2(\.0)?\/?$/, '/v3')}`,
    )
  }
}

/** `publicURL` and friends (v2 catalog names) as the v3 interface names. */
function interfaceName(value: string | undefined): string {
  return (value || 'public').replace(/URL$/, '')
}

function timeoutMs(value: string | undefined): number | undefined {
  if (!given(value)) return undefined
  const seconds = Number(value)
  if (!Number.isFinite(seconds) || seconds <= 0) throw new CommandError(`--timeout must be a positive number of seconds, got '${value}'`)
  return Math.round(seconds * 1000)
}

/** The Keystone identity fields, with osc-lib's default domain filled in where none was named. */
function identityFields(g: GlobalOptions, withUser: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  const set = (key: string, value: string | undefined) => {
    if (given(value)) out[key] = value
  }
  const defaultDomain = g.defaultDomain || 'default'
  set('projectId', g.projectId)
  set('projectName', g.projectName)
  set('projectDomainId', g.projectDomainId)
  set('projectDomainName', g.projectDomainName)
  if (given(g.projectName) && !given(g.projectDomainId) && !given(g.projectDomainName)) out['projectDomainId'] = defaultDomain
  if (withUser) {
    set('username', g.username)
    set('userId', g.userId)
    set('userDomainId', g.userDomainId)
    set('userDomainName', g.userDomainName)
    if (given(g.username) && !given(g.userDomainId) && !given(g.userDomainName)) out['userDomainId'] = defaultDomain
  }
  if ((given(g.domainId) || given(g.domainName)) && !given(g.projectId) && !given(g.projectName)) {
    throw new CommandError('Domain-scoped tokens (--os-domain-id/--os-domain-name) are not supported: give a project')
  }
  return out
}

/** --os-cacert, --os-cert and --os-key, read from disk (a cert file may hold the key too). */
async function tlsFiles(g: GlobalOptions): Promise<{ ca?: Buffer; cert?: Buffer; key?: Buffer }> {
  if (!given(g.cacert) && !given(g.cert) && !given(g.key)) return {}
  const { readFile } = await import('node:fs/promises')
  const read = async (path: string | undefined, option: string) => {
    if (!given(path)) return undefined
    try {
      return await readFile(path)
    } catch (error) {
      throw new CommandError(`${option}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
    }
  }
  const [ca, cert, key] = await Promise.all([read(g.cacert, '--os-cacert'), read(g.cert, '--os-cert'), read(g.key, '--os-key')])
  return { ...(ca ? { ca } : {}), ...(cert ? { cert, key: key ?? cert } : {}) }
}

/** At DEBUG (-vv, --debug): one line per request and per answer (method, URL, status; never a header). */
function loggingFetch(fetch: NodeFetch, log: (line: string) => void): NodeFetch {
  return async (input, init) => {
    const method = (init?.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET')).toUpperCase()
    const url = typeof input === 'object' && 'url' in input ? input.url : String(input)
    const started = Date.now()
    log(`REQ: ${method} ${url}`)
    try {
      const response = await fetch(input, init)
      const id = response.headers.get('x-openstack-request-id')
      log(`RESP: ${response.status} ${method} ${url}${id ? ` (${id})` : ''} in ${Date.now() - started} ms`)
      return response
    } catch (error) {
      log(`RESP: failed ${method} ${url} after ${Date.now() - started} ms: ${error instanceof Error ? error.message : String(error)}`)
      throw error
    }
  }
}

export interface ConnectHooks {
  /** The CLI's log (-v, -q, --debug, --log-file); HTTP lines at DEBUG, the setup at INFO. */
  log?: Logger
  /** Asks for a missing password when stdin is a terminal, as osc-lib does. */
  promptPassword?: () => Promise<string>
}

/** The client for the globals, which already hold the cloud's settings (the caller ran withCloud: clouds.yaml is searched once). */
export async function buildClient(g: GlobalOptions, hooks: ConnectHooks = {}): Promise<CliClient> {
  const { log } = hooks
  if (g.cloudFile) log?.log('info', `cloud '${g.cloud}' from ${g.cloudFile}`)
  const version = g.monascaApiVersion || '2_0'
  if (version !== '2_0' && version !== '2.0') {
    throw new CommandError(`Invalid monitoring client version '${version}'. must be one of: 2_0`)
  }
  const tls = await tlsFiles(g)
  const nodeFetch = createNodeFetch({ ...(g.insecure && !g.verify ? { insecure: true } : {}), ...tls })
  const fetch = log?.enabled('debug') ? loggingFetch(nodeFetch, (line) => log.log('debug', line)) : nodeFetch
  if (g.insecure && !g.verify) log?.log('info', 'TLS certificates are not verified (--insecure)')
  const timeout = timeoutMs(g.timeout)
  const monascaUrl = [g.monascaApiUrl, g.monitoringEndpointOverride].find(given)
  const kind = authKind(g)
  const plugin = g.authType || (kind === 'appcred' ? 'v3applicationcredential' : kind)

  // The CLI hands the SDK the Python client's strings (the SDK validates them), hence the loose CliClient view.
  // The lean core's createClient: the CLI hands it a token or a session it built, so the main entry's
  // option-reading layer (and its chunk) is not loaded for admin_token / none.
  const { createClient } = await import('../core-client.js')
  // The Python client never retries and waits as long as the server takes; so do we, unless --timeout.
  const common = { fetch, retries: 0, timeout: timeout ?? 0 }

  if (kind === 'admin_token' || kind === 'none') {
    const endpoint = monascaUrl ?? requireValue(g.endpoint, 'endpoint', plugin, 'endpoint', 'monascaApiUrl')
    const token = kind === 'admin_token' ? requireValue(g.token, 'token', plugin, 'token') : undefined
    log?.log('info', `auth plugin ${plugin}: no Keystone; Monasca at ${endpoint}`)
    // `none` (keystoneauth's noauth): no X-Auth-Token at all, for a Monasca behind no auth middleware.
    const noAuth = { getToken: async () => undefined, invalidate: () => false }
    return createClient({ ...common, endpoint, ...(token ? { token } : { session: noAuth }) })
  }

  const authUrl = requireValue(g.authUrl, 'auth-url', plugin, 'authUrl')
  checkAuthUrl(authUrl)
  let credentials: Record<string, string>
  if (kind === 'token') {
    credentials = { token: requireValue(g.token, 'token', plugin, 'token'), ...identityFields(g, false) }
  } else if (kind === 'password') {
    if (!given(g.username) && !given(g.userId)) throw missingValue('username', plugin, 'username', 'userId')
    const password = given(g.password) ? g.password : hooks.promptPassword ? await hooks.promptPassword() : undefined
    credentials = { password: requireValue(password, 'password', plugin, 'password'), ...identityFields(g, true) }
  } else {
    if (!given(g.applicationCredentialId) && !given(g.applicationCredentialName)) {
      throw missingValue('application-credential-id', plugin, 'applicationCredentialId', 'applicationCredentialName')
    }
    credentials = {
      applicationCredentialSecret: requireValue(g.applicationCredentialSecret, 'application-credential-secret', plugin, 'applicationCredentialSecret'),
      ...(given(g.applicationCredentialId) ? { applicationCredentialId: g.applicationCredentialId } : {}),
      ...(given(g.applicationCredentialName) ? { applicationCredentialName: g.applicationCredentialName } : {}),
      ...identityFields(g, true),
    }
  }
  // The Session keys stored tokens by identity and a verifier of the secret: a wrong password never gets a cached token.
  const [{ authFromClientOptions }, store] = await Promise.all([
    import('../auth/options.js'),
    g.noCache ? Promise.resolve(undefined) : import('../node/file-store.js').then(({ fileStore }) => fileStore()),
  ])
  log?.log('info', `auth plugin ${plugin}: Keystone at ${authUrl}; Monasca at ${monascaUrl ?? `the catalog's monitoring endpoint (interface ${interfaceName(g.interface)}, region ${g.regionName || 'any'})`}`)
  log?.log('debug', store ? 'token cache: ~/.cache/monasca-client (tokens only, 0600)' : 'token cache: off (--no-cache)')
  const session = authFromClientOptions({ ...credentials, authUrl, fetch, ...(timeout ? { timeout } : {}), ...(store ? { store } : {}) })
  return createClient({
    ...common,
    session,
    ...(monascaUrl ? { endpoint: monascaUrl } : {}),
    interface: interfaceName(g.interface),
    ...(given(g.regionName) ? { regionName: g.regionName } : {}),
  })
}

/**
 * clouds.yaml, read as openstacksdk (and so osc-lib and the Python `monasca`) reads it:
 *
 * - the first file that exists of OS_CLIENT_CONFIG_FILE, then `clouds.{yaml,yml,json}` in the current
 *   directory, `$XDG_CONFIG_HOME/openstack` (default `~/.config/openstack`), `~/.config/openstack`,
 *   `/etc/xdg/openstack` and `/etc/openstack`; secrets from `secure.{yaml,yml,json}` found the same
 *   way (or OS_CLIENT_SECURE_FILE), merged over it cloud by cloud;
 * - the cloud named by the caller (`--os-cloud` / OS_CLOUD), or the only one in the file;
 * - `auth_type` (or the old `auth_plugin`) with its `auth:` options, `region_name` (or the first of
 *   `regions`), `interface` (or the old `endpoint_type`), `monitoring_endpoint_override`,
 *   `verify` / `insecure` / `cacert` / `cert` / `key`, `api_timeout`; keys with `-` read as `_`.
 *
 * A key of `auth:` that the supported auth types do not know, or a cloud key one letter or two away
 * from a known one (`regoin_name`), is an error naming the file, the cloud and the key; so is an
 * unknown cloud name, with the clouds that were found and where.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MonascaError } from '../errors.js'
import { editDistance } from './edit-distance.js'

/** A clouds.yaml problem: the file, the cloud, what is wrong and what was found. */
export class CloudConfigError extends MonascaError {
  override name = 'CloudConfigError'
  override readonly code: string = 'cloud_config'
}

/** One cloud's settings, with the names the SDK and the CLI use. Secrets are in here: never log it. */
export interface CloudSettings {
  /** The cloud's name in clouds.yaml. */
  cloud: string
  /** The clouds file it came from, and the secure file merged over it, if any. */
  file: string
  secureFile?: string
  authType?: string
  authUrl?: string
  username?: string
  userId?: string
  password?: string
  projectName?: string
  projectId?: string
  projectDomainName?: string
  projectDomainId?: string
  userDomainName?: string
  userDomainId?: string
  domainName?: string
  domainId?: string
  defaultDomain?: string
  token?: string
  applicationCredentialId?: string
  applicationCredentialName?: string
  applicationCredentialSecret?: string
  /** admin_token / none: the Monasca URL itself (`auth: { endpoint }`). */
  endpoint?: string
  regionName?: string
  interface?: string
  /** `monitoring_endpoint_override`: the Monasca URL, skipping the catalog. */
  monitoringEndpointOverride?: string
  /** false: do not verify TLS certificates (`verify: false` or `insecure: true`). */
  verify?: boolean
  cacert?: string
  cert?: string
  key?: string
  /** Seconds (`api_timeout`). */
  timeout?: number
}

export interface CloudsSearch {
  /** Environment (default process.env): OS_CLIENT_CONFIG_FILE, OS_CLIENT_SECURE_FILE, HOME, XDG_*. */
  env?: Record<string, string | undefined>
  /** The current directory (default process.cwd()). */
  cwd?: string
}

const SUFFIXES = ['.yaml', '.yml', '.json']

/** The directories openstacksdk searches, in order. */
export function cloudsSearchPath(search: CloudsSearch = {}): string[] {
  const env = search.env ?? process.env
  const home = env['HOME']
  const dirs = [search.cwd ?? process.cwd()]
  if (env['XDG_CONFIG_HOME']) dirs.push(join(env['XDG_CONFIG_HOME'], 'openstack'))
  if (home) dirs.push(join(home, '.config', 'openstack'))
  for (const dir of (env['XDG_CONFIG_DIRS'] || '/etc/xdg').split(':')) if (dir) dirs.push(join(dir, 'openstack'))
  dirs.push('/etc/openstack')
  return [...new Set(dirs)]
}

function candidates(base: 'clouds' | 'secure', override: string | undefined, search: CloudsSearch): string[] {
  const files = cloudsSearchPath(search).flatMap((dir) => SUFFIXES.map((s) => join(dir, base + s)))
  return override ? [override, ...files] : files
}

type Tree = Record<string, unknown>
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v)

async function readTree(path: string): Promise<Tree> {
  const text = readFileSync(path, 'utf8')
  let data: unknown
  try {
    data = path.endsWith('.json') ? JSON.parse(text) : (await import('yaml')).parse(text)
  } catch (error) {
    throw new CloudConfigError(`${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`)
  }
  if (data == null) return {}
  if (!isTree(data)) throw new CloudConfigError(`${path} must hold a mapping with a "clouds:" key`)
  return data
}

export interface CloudsFile {
  path: string
  clouds: Record<string, Tree>
  secure?: { path: string; clouds: Record<string, Tree> }
  /** Every file name tried, for messages. */
  searched: string[]
}

/** The clouds file and its secure file, or undefined when there is none. */
export async function findCloudsFile(search: CloudsSearch = {}): Promise<CloudsFile | undefined> {
  const env = search.env ?? process.env
  const searched = candidates('clouds', env['OS_CLIENT_CONFIG_FILE'], search)
  const path = searched.find((p) => existsSync(p))
  if (!path) return undefined
  const tree = await readTree(path)
  const clouds = tree['clouds'] ?? {}
  if (!isTree(clouds)) throw new CloudConfigError(`${path}: "clouds" must be a mapping of cloud names to settings`)
  const securePath = candidates('secure', env['OS_CLIENT_SECURE_FILE'], search).find((p) => existsSync(p))
  let secure: CloudsFile['secure']
  if (securePath) {
    const secureClouds = (await readTree(securePath))['clouds'] ?? {}
    if (!isTree(secureClouds)) throw new CloudConfigError(`${securePath}: "clouds" must be a mapping of cloud names to settings`)
    secure = { path: securePath, clouds: secureClouds as Record<string, Tree> }
  }
  return { path, clouds: clouds as Record<string, Tree>, ...(secure ? { secure } : {}), searched }
}

/** openstacksdk's merge_clouds: secure.yaml's values over clouds.yaml's, mapping by mapping. */
function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base }
  for (const [key, value] of Object.entries(over)) out[key] = isTree(value) && isTree(out[key]) ? merge(out[key] as Tree, value) : value
  return out
}

const normalise = (tree: Tree): Tree => Object.fromEntries(Object.entries(tree).map(([k, v]) => [k.replace(/-/g, '_'), v]))

/** keystoneauth's option names of the auth types we support (password, token, v3applicationcredential, admin_token, none). */
const AUTH_KEYS: Record<string, keyof CloudSettings> = {
  auth_url: 'authUrl',
  username: 'username',
  user_name: 'username',
  user_id: 'userId',
  password: 'password',
  project_name: 'projectName',
  tenant_name: 'projectName',
  project_id: 'projectId',
  tenant_id: 'projectId',
  project_domain_name: 'projectDomainName',
  project_domain_id: 'projectDomainId',
  user_domain_name: 'userDomainName',
  user_domain_id: 'userDomainId',
  domain_name: 'domainName',
  domain_id: 'domainId',
  default_domain_id: 'defaultDomain',
  default_domain_name: 'defaultDomain',
  token: 'token',
  application_credential_id: 'applicationCredentialId',
  application_credential_name: 'applicationCredentialName',
  application_credential_secret: 'applicationCredentialSecret',
  endpoint: 'endpoint',
}

/** Cloud keys we read, and others openstacksdk knows that do not concern Monasca (accepted, unused). */
const CLOUD_KEYS = new Set([
  'auth', 'auth_type', 'auth_plugin', 'profile', 'region_name', 'regions', 'interface', 'endpoint_type', 'verify', 'insecure',
  'cacert', 'cert', 'key', 'api_timeout', 'identity_api_version', 'networks', 'floating_ip_source', 'image_format',
  'image_api_use_tasks', 'disable_vendor_agent', 'cloud', 'split_loggers', 'status', 'message', 'force_ipv4', 'prefer_ipv6',
  'statsd_host', 'statsd_port', 'statsd_prefix', 'prometheus', 'collect_timing', 'metrics', 'rate_limit', 'concurrency', 'block_storage_api_version',
])
const SERVICE_KEY = /^[a-z][a-z0-9_]*_(api_version|endpoint_override|endpoint|service_type|service_name|interface|status_code_retries|connect_retries)$/

const closest = (key: string, known: Iterable<string>) =>
  [...known].map((k) => [k, editDistance(key, k)] as const).filter(([, d]) => d <= 2).sort((x, y) => x[1] - y[1])[0]?.[0]

function where(file: CloudsFile, cloud: string): string {
  return `cloud '${cloud}' of ${file.path}${file.secure && file.secure.clouds[cloud] ? ` (with ${file.secure.path})` : ''}`
}

function listing(file: CloudsFile): string {
  const names = Object.keys(file.clouds)
  const secureOnly = file.secure ? Object.keys(file.secure.clouds).filter((n) => !(n in file.clouds)) : []
  const found = names.length ? `the clouds in ${file.path}: ${names.join(', ')}` : `${file.path} defines no clouds`
  return `${found}${secureOnly.length ? `; only in ${file.secure!.path}: ${secureOnly.join(', ')}` : ''}`
}

const text = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v))

/**
 * One cloud's settings. Without a name: the only cloud of the file (as openstacksdk does), else an
 * error listing them. Throws CloudConfigError when there is no clouds file at all.
 */
export async function loadCloud(name: string | undefined, search: CloudsSearch = {}): Promise<CloudSettings> {
  const file = await findCloudsFile(search)
  if (!file) {
    const tried = candidates('clouds', (search.env ?? process.env)['OS_CLIENT_CONFIG_FILE'], search)
    throw new CloudConfigError(`${name ? `Cloud '${name}' was not found: ` : ''}no clouds.yaml found (looked for ${tried.filter((p) => p.endsWith('.yaml')).join(', ')}, and .yml/.json)`)
  }
  const names = Object.keys(file.clouds)
  const chosen = name ?? (names.length === 1 ? names[0] : undefined)
  if (chosen === undefined) throw new CloudConfigError(`Which cloud? Give --os-cloud / OS_CLOUD (or cloud in the SDK): ${listing(file)}`)
  const own = file.clouds[chosen]
  if (own === undefined) throw new CloudConfigError(`Cloud '${chosen}' was not found: ${listing(file)}`)
  if (!isTree(own)) throw new CloudConfigError(`${where(file, chosen)} must be a mapping of settings`)
  const secure = file.secure?.clouds[chosen]
  const raw = normalise(secure && isTree(secure) ? merge(own, secure) : own)
  return settingsOf(raw, file, chosen)
}

function settingsOf(raw: Tree, file: CloudsFile, cloud: string): CloudSettings {
  const at = where(file, cloud)
  for (const key of Object.keys(raw)) {
    if (CLOUD_KEYS.has(key) || SERVICE_KEY.test(key)) continue
    const near = closest(key, CLOUD_KEYS)
    if (near) throw new CloudConfigError(`Unknown key '${key}' in ${at}: did you mean '${near}'? (${listing(file)})`)
  }
  const out: CloudSettings = { cloud, file: file.path, ...(file.secure?.clouds[cloud] ? { secureFile: file.secure.path } : {}) }
  const auth = raw['auth'] ?? {}
  if (!isTree(auth)) throw new CloudConfigError(`'auth' in ${at} must be a mapping (auth_url, username, password, …)`)
  for (const [rawKey, value] of Object.entries(normalise(auth))) {
    const target = AUTH_KEYS[rawKey]
    if (!target) {
      const near = closest(rawKey, Object.keys(AUTH_KEYS))
      throw new CloudConfigError(`Unknown key 'auth.${rawKey}' in ${at}${near ? `: did you mean '${near}'?` : `; known: ${Object.keys(AUTH_KEYS).join(', ')}`} (${listing(file)})`)
    }
    const v = text(value)
    if (v !== undefined) (out as unknown as Record<string, unknown>)[target] = v
  }
  const set = <K extends keyof CloudSettings>(key: K, value: CloudSettings[K] | undefined) => {
    if (value !== undefined) out[key] = value
  }
  set('authType', text(raw['auth_type'] ?? raw['auth_plugin']))
  const regions = raw['regions']
  const firstRegion = Array.isArray(regions) ? regions[0] : undefined
  set('regionName', text(raw['region_name']) ?? (isTree(firstRegion) ? text(firstRegion['name']) : text(firstRegion)))
  set('interface', text(raw['interface'] ?? raw['endpoint_type']))
  set('monitoringEndpointOverride', text(raw['monitoring_endpoint_override']))
  // `verify` may also be a CA bundle's path, as requests (and so keystoneauth) take it.
  const verifyPath = typeof raw['verify'] === 'string' && !/^(1|0|true|false|yes|no|on|off)$/i.test(raw['verify']) ? raw['verify'] : undefined
  if (raw['insecure'] !== undefined || (raw['verify'] !== undefined && verifyPath === undefined)) {
    set('verify', raw['insecure'] !== undefined ? !truthy(raw['insecure']) : truthy(raw['verify']))
  }
  set('cacert', text(raw['cacert']) ?? verifyPath)
  set('cert', text(raw['cert']))
  set('key', text(raw['key']))
  const timeout = raw['api_timeout']
  if (timeout !== undefined && timeout !== null) {
    const seconds = Number(timeout)
    if (!Number.isFinite(seconds) || seconds <= 0) throw new CloudConfigError(`'api_timeout' in ${at} must be a positive number of seconds, got ${JSON.stringify(timeout)}`)
    out.timeout = seconds
  }
  return out
}

const truthy = (v: unknown) => v === true || (typeof v === 'string' && /^(1|true|yes|on)$/i.test(v))

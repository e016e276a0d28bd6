/**
 * The global options of the Python `monasca` command (osc-lib's, plus `--monasca-api-url` and
 * `--monasca-api-version`) and their environment variables. They may come before the command or
 * after it, as with cliff.
 */
import { UsageError } from './errors.js'

export interface GlobalSpec {
  flag: string
  /** Where the value lands in GlobalOptions. */
  key: keyof GlobalOptions
  env?: string
  metavar?: string
  help: string
  boolean?: boolean
  /** Accepted but not listed by --help (the Python client's underscore aliases). */
  hidden?: boolean
}

export interface GlobalOptions {
  version?: boolean
  help?: boolean
  debug?: boolean
  /** How many -v / --verbose (osc-lib's verbose_level is 1 + this). */
  verbose?: number
  quiet?: boolean
  noCache?: boolean
  insecure?: boolean
  verify?: boolean
  logFile?: string
  cloud?: string
  regionName?: string
  cacert?: string
  cert?: string
  key?: string
  interface?: string
  authType?: string
  authUrl?: string
  projectId?: string
  projectName?: string
  projectDomainId?: string
  projectDomainName?: string
  domainId?: string
  domainName?: string
  username?: string
  userId?: string
  password?: string
  userDomainId?: string
  userDomainName?: string
  defaultDomain?: string
  token?: string
  endpoint?: string
  applicationCredentialId?: string
  applicationCredentialName?: string
  applicationCredentialSecret?: string
  monascaApiUrl?: string
  monascaApiVersion?: string
  monitoringEndpointOverride?: string
  timeout?: string
  /** Not a flag: the clouds.yaml the settings of --os-cloud came from (for messages). */
  cloudFile?: string
}

const os = (name: string, key: keyof GlobalOptions, help: string, metavar?: string): GlobalSpec => ({
  flag: `--os-${name}`,
  key,
  env: `OS_${name.toUpperCase().replace(/-/g, '_')}`,
  metavar: metavar ?? `<auth-${name}>`,
  help,
})

export const GLOBAL_OPTIONS: GlobalSpec[] = [
  { flag: '--version', key: 'version', help: "show program's version number and exit", boolean: true },
  { flag: '--verbose', key: 'verbose', help: 'Increase verbosity of output (-v: INFO, -vv: DEBUG, the HTTP requests). Can be repeated.', boolean: true },
  { flag: '--quiet', key: 'quiet', help: 'Log errors only (no warnings).', boolean: true },
  { flag: '--log-file', key: 'logFile', metavar: 'LOG_FILE', help: 'Also append log lines to this file (at the same level as stderr; never a secret).' },
  { flag: '--help', key: 'help', help: 'Show help message and exit.', boolean: true },
  { flag: '--debug', key: 'debug', help: 'Show stack traces on errors (source-mapped to src/ files and lines), and log at DEBUG: each HTTP request and answer (method, URL, status; never a header) on stderr.', boolean: true },
  { flag: '--no-cache', key: 'noCache', help: 'Do not read or write the token cache (~/.cache/monasca-client). Not in the Python client.', boolean: true },
  { flag: '--timeout', key: 'timeout', env: 'OS_TIMEOUT', metavar: '<seconds>', help: 'Give up on a request after this many seconds (default: wait as long as the server takes, like the Python client).' },
  { flag: '--os-cloud', key: 'cloud', env: 'OS_CLOUD', metavar: '<cloud-config-name>', help: 'Cloud name in clouds.yaml (./, ~/.config/openstack/, /etc/openstack/ or OS_CLIENT_CONFIG_FILE; secrets may be in secure.yaml). Options and OS_* variables win over it. (Env: OS_CLOUD)' },
  os('region-name', 'regionName', 'Authentication region name (Env: OS_REGION_NAME)', '<auth-region-name>'),
  os('cacert', 'cacert', 'CA certificate bundle file (Env: OS_CACERT)', '<ca-bundle-file>'),
  os('cert', 'cert', 'Client certificate bundle file (Env: OS_CERT)', '<certificate-file>'),
  os('key', 'key', 'Client certificate key file (Env: OS_KEY)', '<key-file>'),
  { flag: '--verify', key: 'verify', help: 'Verify server certificate (default)', boolean: true },
  { flag: '--insecure', key: 'insecure', env: 'OS_INSECURE', help: 'Disable server certificate verification', boolean: true },
  os('default-domain', 'defaultDomain', 'Default domain ID, default=default. (Env: OS_DEFAULT_DOMAIN)', '<auth-domain>'),
  os('interface', 'interface', 'Select an interface type. Valid interface types: [admin, public, internal]. default=public, (Env: OS_INTERFACE)', '<interface>'),
  os('auth-type', 'authType', 'Select an authentication type: password, v3password, token, v3token, admin_token, v3applicationcredential or none. Default: admin_token when --os-token is given without --os-auth-url, else password. (Env: OS_AUTH_TYPE)', '<auth-type>'),
  os('auth-url', 'authUrl', 'Authentication URL (Env: OS_AUTH_URL)'),
  os('domain-id', 'domainId', 'Domain ID to scope to (Env: OS_DOMAIN_ID)'),
  os('domain-name', 'domainName', 'Domain name to scope to (Env: OS_DOMAIN_NAME)'),
  os('project-id', 'projectId', 'Project ID to scope to (Env: OS_PROJECT_ID)'),
  os('project-name', 'projectName', 'Project name to scope to (Env: OS_PROJECT_NAME)'),
  os('project-domain-id', 'projectDomainId', 'Domain ID containing project (Env: OS_PROJECT_DOMAIN_ID)'),
  os('project-domain-name', 'projectDomainName', 'Domain name containing project (Env: OS_PROJECT_DOMAIN_NAME)'),
  os('username', 'username', 'Username (Env: OS_USERNAME)'),
  os('password', 'password', "User's password (Env: OS_PASSWORD)"),
  os('user-id', 'userId', 'User id (Env: OS_USER_ID)'),
  os('endpoint', 'endpoint', 'The endpoint that will always be used (with admin_token or none) (Env: OS_ENDPOINT)'),
  os('user-domain-id', 'userDomainId', "User's domain id (Env: OS_USER_DOMAIN_ID)"),
  os('user-domain-name', 'userDomainName', "User's domain name (Env: OS_USER_DOMAIN_NAME)"),
  os('token', 'token', 'Token (Env: OS_TOKEN)'),
  os('application-credential-secret', 'applicationCredentialSecret', 'Application credential auth secret (Env: OS_APPLICATION_CREDENTIAL_SECRET)'),
  os('application-credential-id', 'applicationCredentialId', 'Application credential ID (Env: OS_APPLICATION_CREDENTIAL_ID)'),
  os('application-credential-name', 'applicationCredentialName', 'Application credential name (Env: OS_APPLICATION_CREDENTIAL_NAME)'),
  { flag: '--monasca-api-url', key: 'monascaApiUrl', env: 'MONASCA_API_URL', metavar: 'MONASCA_API_URL', help: 'The Monasca API URL (…/v2.0); skips the service catalog. (Env: MONASCA_API_URL)' },
  { flag: '--monasca_api_url', key: 'monascaApiUrl', help: '', hidden: true },
  { flag: '--monasca-api-version', key: 'monascaApiVersion', env: 'MONASCA_API_VERSION', metavar: 'MONASCA_API_VERSION', help: 'The Monasca API version; only 2_0 exists. (Env: MONASCA_API_VERSION)' },
  { flag: '--monasca_api_version', key: 'monascaApiVersion', help: '', hidden: true },
]

const SHORT: Record<string, string> = { '-v': '--verbose', '-q': '--quiet', '-h': '--help' }

const byFlag = new Map(GLOBAL_OPTIONS.map((o) => [o.flag, o]))

export interface GlobalParse {
  globals: GlobalOptions
  /** The command name, when one was given. */
  command?: string
  /** The command's own arguments. */
  rest: string[]
}

const TRUE_ENV = /^(1|true|yes|on)$/i

/**
 * Take the global options out of argv (anywhere before `--`; `-h/--help` only before the command),
 * then fill what is missing from the environment.
 */
export function parseGlobalArgs(argv: readonly string[], env: Record<string, string | undefined>): GlobalParse {
  const globals: GlobalOptions = {}
  const rest: string[] = []
  let command: string | undefined
  let afterDashes = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (afterDashes || arg === '--') {
      afterDashes = true
      rest.push(arg)
      continue
    }
    if (/^-v+$/.test(arg) || arg === '--verbose') {
      // -v, -vv, -vvv and --verbose count up, as argparse's action='count'.
      globals.verbose = (globals.verbose ?? 0) + (arg === '--verbose' ? 1 : arg.length - 1)
      continue
    }
    const eq = arg.indexOf('=')
    const name = SHORT[arg] ?? (arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg)
    const spec = byFlag.get(name)
    if (!spec || (spec.key === 'help' && command !== undefined)) {
      if (command === undefined && !arg.startsWith('-')) command = arg
      else rest.push(arg)
      continue
    }
    if (spec.boolean) {
      if (eq > 0 && arg.startsWith('--')) throw new UsageError(`argument ${spec.flag}: ignored explicit argument '${arg.slice(eq + 1)}'`)
      ;(globals as Record<string, unknown>)[spec.key] = true
      continue
    }
    let value: string | undefined
    if (arg.startsWith('--') && eq > 0) value = arg.slice(eq + 1)
    else {
      value = argv[i + 1]
      if (value === undefined || (value.startsWith('-') && value.length > 1 && !/^-\d/.test(value))) {
        throw new UsageError(`argument ${spec.flag}: expected one argument`)
      }
      i++
    }
    ;(globals as Record<string, unknown>)[spec.key] = value
  }
  for (const spec of GLOBAL_OPTIONS) {
    const record = globals as Record<string, unknown>
    if (!spec.env || record[spec.key] !== undefined) continue
    const value = env[spec.env]
    if (value === undefined || value === '') continue
    record[spec.key] = spec.boolean ? TRUE_ENV.test(value) : value
  }
  if (globals.monitoringEndpointOverride === undefined && env['OS_MONITORING_ENDPOINT_OVERRIDE']) {
    globals.monitoringEndpointOverride = env['OS_MONITORING_ENDPOINT_OVERRIDE']
  }
  return { globals, ...(command !== undefined ? { command } : {}), rest }
}

/** `--os-auth-url / OS_AUTH_URL`: how a user sets an option, for error messages. */
export function flagAndVariable(key: keyof GlobalOptions): string {
  const spec = GLOBAL_OPTIONS.find((o) => o.key === key && !o.hidden)
  if (!spec) return String(key)
  return spec.env ? `${spec.flag} / ${spec.env}` : spec.flag
}

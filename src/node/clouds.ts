/**
 * A Monasca client or a Keystone session from clouds.yaml, for SDK users on Node:
 *
 *   const monasca = await clientFromCloud('mycloud')          // or clientFromCloud() with OS_CLOUD set
 *   const session = await sessionFromCloud('mycloud', { store: fileStore() })
 *
 * The cloud is read as openstacksdk reads it (clouds-config.ts); options given here win over the
 * file, as flags win over clouds.yaml for the `openstack` CLI. Auth types: password / v3password,
 * token / v3token, v3applicationcredential (Keystone, with a refreshing Session), admin_token
 * (`auth: { token, endpoint }`, no Keystone). TLS settings (`verify: false`, `cacert`, `cert`/`key`)
 * give the client a node:http fetch that applies them.
 */
import { readFileSync } from 'node:fs'
import { identity, Session, type SessionOptions } from '../auth/index.js'
import type { AuthProvider } from '../auth/types.js'
import { createClient, type Client, type ClientOptions } from '../client.js'
import { CloudConfigError, loadCloud, type CloudSettings, type CloudsSearch } from './clouds-config.js'
import { createNodeFetch } from './node-fetch.js'

export { CloudConfigError, loadCloud, cloudsSearchPath, type CloudSettings, type CloudsSearch } from './clouds-config.js'

export interface FromCloudOptions extends CloudsSearch {
  /** The cloud's name; default OS_CLOUD, else the only cloud of the file. */
  cloud?: string
}

type AuthKind = 'password' | 'token' | 'appcred' | 'admin_token' | 'none'

const KINDS: Record<string, AuthKind> = {
  password: 'password', v3password: 'password',
  token: 'token', v3token: 'token',
  v3applicationcredential: 'appcred', applicationcredential: 'appcred',
  admin_token: 'admin_token', token_endpoint: 'admin_token',
  none: 'none', noauth: 'none',
}

/** The auth type written, or the one the settings imply (as keystoneauth's default "password" plugin would pick). */
export function cloudAuthKind(s: CloudSettings): AuthKind {
  if (s.authType) {
    const kind = KINDS[s.authType.toLowerCase().replace(/-/g, '_')]
    if (!kind) throw new CloudConfigError(`auth_type '${s.authType}' of cloud '${s.cloud}' (${s.file}) is not supported: use one of ${Object.keys(KINDS).join(', ')}`)
    return kind
  }
  if (s.applicationCredentialSecret || s.applicationCredentialId) return 'appcred'
  if (s.token && !s.password) return s.authUrl ? 'token' : 'admin_token'
  return 'password'
}

function need<T>(value: T | undefined, key: string, s: CloudSettings): T {
  if (value === undefined || value === '') throw new CloudConfigError(`cloud '${s.cloud}' (${s.file}) has no ${key}, which its auth type needs`)
  return value
}

/** The Keystone identity of a cloud that uses Keystone, with openstacksdk's default domain filled in. */
export function identityFromCloud(s: CloudSettings): identity.Password | identity.Token | identity.ApplicationCredential {
  const kind = cloudAuthKind(s)
  if (kind === 'admin_token' || kind === 'none') {
    throw new CloudConfigError(`cloud '${s.cloud}' (${s.file}) uses auth_type ${s.authType}: it has no Keystone session (use clientFromCloud)`)
  }
  const authUrl = need(s.authUrl, 'auth.auth_url', s)
  const domain = s.defaultDomain
  const project = {
    ...(s.projectId ? { projectId: s.projectId } : {}),
    ...(s.projectName ? { projectName: s.projectName } : {}),
    ...(s.projectDomainId || (s.projectName && !s.projectDomainName && domain) ? { projectDomainId: s.projectDomainId ?? domain } : {}),
    ...(s.projectDomainName ? { projectDomainName: s.projectDomainName } : {}),
  }
  const user = {
    ...(s.userId ? { userId: s.userId } : {}),
    ...(s.username ? { username: s.username } : {}),
    ...(s.userDomainId || (s.username && !s.userDomainName && domain) ? { userDomainId: s.userDomainId ?? domain } : {}),
    ...(s.userDomainName ? { userDomainName: s.userDomainName } : {}),
  }
  if (kind === 'token') return new identity.Token({ authUrl, token: need(s.token, 'auth.token', s), ...project } as never)
  if (kind === 'appcred') {
    return new identity.ApplicationCredential({
      authUrl,
      applicationCredentialSecret: need(s.applicationCredentialSecret, 'auth.application_credential_secret', s),
      ...(s.applicationCredentialId ? { applicationCredentialId: s.applicationCredentialId } : {}),
      ...(s.applicationCredentialName ? { applicationCredentialName: s.applicationCredentialName } : {}),
      ...user,
    } as never)
  }
  if (!s.username && !s.userId) need(undefined, 'auth.username (or auth.user_id)', s)
  return new identity.Password({ authUrl, password: need(s.password, 'auth.password', s), ...user, ...project } as never)
}

/** The fetch that applies the cloud's TLS settings, when it has any. */
function tlsFetch(s: CloudSettings): ClientOptions['fetch'] | undefined {
  if (s.verify !== false && !s.cacert && !s.cert) return undefined
  const read = (path: string, key: string) => {
    try {
      return readFileSync(path)
    } catch (error) {
      throw new CloudConfigError(`${key} of cloud '${s.cloud}' (${s.file}): cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
    }
  }
  return createNodeFetch({
    ...(s.verify === false ? { insecure: true } : {}),
    ...(s.cacert ? { ca: read(s.cacert, 'cacert') } : {}),
    ...(s.cert ? { cert: read(s.cert, 'cert'), key: s.key ? read(s.key, 'key') : read(s.cert, 'cert') } : {}),
  }) as ClientOptions['fetch']
}

const searchOf = (o: FromCloudOptions): CloudsSearch => ({ ...(o.env ? { env: o.env } : {}), ...(o.cwd ? { cwd: o.cwd } : {}) })
const cloudName = (name: string | undefined, o: FromCloudOptions) => name ?? o.cloud ?? ((o.env ?? process.env)['OS_CLOUD'] || undefined)

/** A Session (refreshing its token, keeping it in `store`) for a cloud that uses Keystone. */
export async function sessionFromCloud(name?: string, options: FromCloudOptions & Omit<SessionOptions, 'auth'> = {}): Promise<Session> {
  const { cloud: _cloud, env: _env, cwd: _cwd, ...sessionOptions } = options
  const settings = await loadCloud(cloudName(name, options), searchOf(options))
  const fetch = tlsFetch(settings)
  return new Session({
    ...(fetch ? { fetch } : {}),
    ...(settings.timeout ? { timeout: settings.timeout * 1000 } : {}),
    ...sessionOptions,
    auth: identityFromCloud(settings),
  } as SessionOptions)
}

/**
 * A Monasca client for a cloud of clouds.yaml. The endpoint is `monitoring_endpoint_override` (or
 * admin_token's `auth.endpoint`), else the catalog's `monitoring` service for the cloud's
 * `region_name` and `interface`. `overrides` win over the file (e.g. `{ regionName }`, `{ fetch }`).
 */
export async function clientFromCloud(name?: string, options: FromCloudOptions & Partial<ClientOptions> = {}): Promise<Client> {
  const { cloud: _cloud, env: _env, cwd: _cwd, ...overrides } = options
  const settings = await loadCloud(cloudName(name, options), searchOf(options))
  const kind = cloudAuthKind(settings)
  const fetch = tlsFetch(settings)
  const endpoint = settings.monitoringEndpointOverride ?? (kind === 'admin_token' || kind === 'none' ? settings.endpoint : undefined)
  const common: Partial<ClientOptions> = {
    ...(endpoint ? { endpoint } : {}),
    ...(settings.regionName ? { regionName: settings.regionName } : {}),
    ...(settings.interface ? { interface: settings.interface.replace(/URL$/, '') } : {}),
    ...(settings.timeout ? { timeout: settings.timeout * 1000 } : {}),
    ...(fetch ? { fetch } : {}),
  }
  if (kind === 'admin_token' || kind === 'none') {
    need(endpoint, 'auth.endpoint (or monitoring_endpoint_override)', settings)
    const auth: AuthProvider | undefined = kind === 'none' ? { getToken: async () => undefined, invalidate: () => false } : undefined
    return createClient({ ...common, ...(kind === 'admin_token' ? { token: need(settings.token, 'auth.token', settings) } : { session: auth! }), ...overrides } as ClientOptions)
  }
  const sessionFetch = overrides.fetch ?? fetch
  const session = new Session({
    auth: identityFromCloud(settings),
    ...(sessionFetch ? { fetch: sessionFetch } : {}),
    ...(settings.timeout ? { timeout: settings.timeout * 1000 } : {}),
    ...(overrides.store ? { store: overrides.store } : {}),
  } as SessionOptions)
  return createClient({ ...common, session, ...overrides } as ClientOptions)
}

/**
 * The lean client: one Monasca endpoint, and identity given as a fixed token, a ready session, or an
 * auth strategy (Octokit's shape). It names no Keystone code itself, so a page that passes a token
 * bundles none; a page that names `passwordAuth` or `Session` bundles only that.
 */
import type { AuthProvider, AuthStrategy, EndpointFilter } from './auth/types.js'
import { staticToken } from './auth/static.js'
import { checkSession } from './auth/check.js'
import { MonascaValidationError } from './errors.js'
import { AlarmDefinitions } from './resources/alarm-definitions.js'
import { Alarms } from './resources/alarms.js'
import { Metrics } from './resources/metrics.js'
import { Notifications, NotificationTypes } from './resources/notifications.js'
import { Versions } from './resources/versions.js'
import { Transport, type TransportOptions } from './transport.js'

export interface BaseClientOptions extends Omit<TransportOptions, 'auth' | 'endpointFilter'> {
  /** Only `2_0` exists (the Python client's spelling; `2.0` is accepted too). */
  apiVersion?: '2_0' | '2.0'
  /** Catalog lookup: service type (default `monitoring`). */
  serviceType?: string
  /** Catalog lookup: interface or preference list (default `public`). */
  interface?: string | string[]
  /** Catalog lookup: region. */
  regionName?: string
}

/** Identity for the lean client: exactly one of these. */
export interface CoreClientOptions<A = unknown> extends BaseClientOptions {
  /** A token sent as is (no Keystone). Needs `endpoint`. */
  token?: string
  /** A ready Session (or any AuthProvider). */
  session?: AuthProvider
  /** An auth strategy such as `passwordAuth`, called once with `auth`. */
  authStrategy?: AuthStrategy<A>
  /** The strategy's options. */
  auth?: A
}

export interface Client<M extends Metrics = Metrics> {
  readonly metrics: M
  readonly alarmDefinitions: AlarmDefinitions
  readonly alarms: Alarms
  readonly notifications: Notifications
  readonly notificationTypes: NotificationTypes
  readonly versions: Versions
  /** The auth in use (a Session, or a fixed token). */
  readonly auth: AuthProvider
  /** The Monasca base URL: the fixed one, or the catalog's (resolved on first use). */
  endpoint(): Promise<string>
}

/** Checks the options every form shares; throws a MonascaValidationError before anything is sent. */
export function checkBaseOptions(options: unknown): asserts options is BaseClientOptions {
  if (options === null || typeof options !== 'object') throw new MonascaValidationError('options', 'must be an object')
  const o = options as BaseClientOptions
  if (o.apiVersion !== undefined && o.apiVersion !== '2_0' && o.apiVersion !== '2.0') {
    throw new MonascaValidationError('apiVersion', `unsupported monitoring API version ${JSON.stringify(o.apiVersion)}; only 2_0 exists`)
  }
  // The rest (endpoint, timeouts, retries, hooks) is checked by the Transport, before any request.
}

/** The client around an already chosen AuthProvider; the main entry passes a Metrics class with `writer()`. */
export function clientWithAuth<M extends Metrics = Metrics>(
  options: BaseClientOptions,
  auth: AuthProvider,
  MetricsClass: new (transport: Transport) => M = Metrics as unknown as new (transport: Transport) => M,
): Client<M> {
  if (options.endpoint === undefined && !auth.getEndpoint) {
    throw new MonascaValidationError('endpoint', 'is required with a fixed token (or give authUrl to look it up in the Keystone catalog)')
  }
  const endpointFilter: EndpointFilter = {
    serviceType: options.serviceType ?? 'monitoring',
    interface: options.interface ?? 'public',
    ...(options.regionName === undefined ? {} : { regionName: options.regionName }),
  }
  const transport = new Transport({ ...options, auth, endpointFilter })
  return {
    metrics: new MetricsClass(transport),
    alarmDefinitions: new AlarmDefinitions(transport),
    alarms: new Alarms(transport),
    notifications: new Notifications(transport),
    notificationTypes: new NotificationTypes(transport),
    versions: new Versions(transport),
    auth,
    endpoint: () => transport.endpoint(),
  }
}

/**
 * A client for one Monasca endpoint: `{ endpoint, token }`, `{ session }` (endpoint optional: the
 * catalog's), or `{ authStrategy: passwordAuth, auth: { authUrl, username, password, projectName } }`.
 */
export function createClient<A>(options: CoreClientOptions<A>): Client {
  checkBaseOptions(options)
  return clientWithAuth(options, authFromCoreOptions(options))
}

/** The AuthProvider of the lean forms: exactly one of a token, a session or an auth strategy. */
export function authFromCoreOptions<A>(options: CoreClientOptions<A>): AuthProvider {
  const given = (['token', 'session', 'authStrategy'] as const).filter((key) => options[key] !== undefined)
  if (given.length > 1) throw new MonascaValidationError(given[1]!, `give one of token, session or authStrategy, not ${given.join(' and ')}`)
  let auth: AuthProvider
  if (options.session !== undefined) auth = checkSession(options.session)
  else if (options.authStrategy !== undefined) {
    if (typeof options.authStrategy !== 'function') throw new MonascaValidationError('authStrategy', 'must be a function such as passwordAuth')
    const context = { ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.timeout === undefined ? {} : { timeout: options.timeout }) }
    auth = checkSession(options.authStrategy(options.auth as A, context))
  } else if (typeof options.token === 'string' && options.token !== '') auth = staticToken(options.token)
  else throw new MonascaValidationError('token', 'give a token (with endpoint), a session, or an authStrategy with its auth options')
  return auth
}

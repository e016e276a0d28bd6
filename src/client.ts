import { authFromClientOptions, type KeystoneClientOptions } from './auth/options.js'
import type { AuthProvider, EndpointFilter } from './auth/types.js'
import { MonascaValidationError, redactUrl } from './errors.js'
import { AlarmDefinitions } from './resources/alarm-definitions.js'
import { Alarms } from './resources/alarms.js'
import { Metrics } from './resources/metrics.js'
import { Notifications, NotificationTypes } from './resources/notifications.js'
import { Versions } from './resources/versions.js'
import { Transport, type TransportOptions } from './transport.js'

/**
 * How to reach Monasca. Identity, as in the Python client: a `session`; or a `token` (with `authUrl`
 * it goes through Keystone, without it it is sent as is); or `username`/`userId` + `password` +
 * `authUrl`; or an application credential + `authUrl` (see KeystoneClientOptions).
 */
export interface ClientOptions
  extends Omit<KeystoneClientOptions, 'fetch' | 'timeout'>,
    Omit<TransportOptions, 'auth' | 'endpointFilter'> {
  /** Only `2_0` exists (the Python client's spelling; `2.0` is accepted too). */
  apiVersion?: '2_0' | '2.0'
  /** Catalog lookup: service type (default `monitoring`). */
  serviceType?: string
  /** Catalog lookup: interface or preference list (default `public`). */
  interface?: string | string[]
  /** Catalog lookup: region. */
  regionName?: string
}

export interface Client {
  readonly metrics: Metrics
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

/**
 * A client for one Monasca endpoint. Give it a `session`; or a `token` (with `authUrl` for Keystone);
 * or `username` + `password` + `authUrl`; or only `endpoint` + `token` for no Keystone at all.
 */
export function createClient(options: ClientOptions): Client {
  if (options === null || typeof options !== 'object') throw new MonascaValidationError('options', 'must be an object')
  if (options.apiVersion !== undefined && options.apiVersion !== '2_0' && options.apiVersion !== '2.0') {
    throw new MonascaValidationError('apiVersion', `unsupported monitoring API version ${JSON.stringify(options.apiVersion)}; only 2_0 exists`)
  }
  if (options.endpoint !== undefined && !/^https?:\/\/[^/]/.test(options.endpoint)) {
    throw new MonascaValidationError('endpoint', `must be an http(s) URL such as http://monasca:8070/v2.0, got ${JSON.stringify(redactUrl(String(options.endpoint)))}`)
  }
  if (/^https?:\/\/[^/]*@/.test(options.endpoint ?? '')) {
    throw new MonascaValidationError('endpoint', 'must not carry credentials (user:password@); use token, session or username/password options')
  }
  const auth = authFromClientOptions(options)
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
    metrics: new Metrics(transport),
    alarmDefinitions: new AlarmDefinitions(transport),
    alarms: new Alarms(transport),
    notifications: new Notifications(transport),
    notificationTypes: new NotificationTypes(transport),
    versions: new Versions(transport),
    auth,
    endpoint: () => transport.endpoint(),
  }
}

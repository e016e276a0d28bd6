/**
 * The client with every resource (what the main entry and the CLI hand out): the lean client of
 * `monasca-client/core` with all of Monasca's resources, `alarms.watch()` included. The lean entry
 * itself is `lean-client.ts`, where a page names the resources it uses.
 */
import type { AuthProvider } from './auth/types.js'
import { AlarmDefinitions } from './resources/alarm-definitions.js'
import { AlarmsWithWatch } from './resources/alarms-with-watch.js'
import { Metrics } from './resources/metrics.js'
import { Notifications, NotificationTypes } from './resources/notifications.js'
import { Versions } from './resources/versions.js'
import type { Transport } from './transport.js'
import { authFromCoreOptions, checkBaseOptions, clientWithResources, type BaseClientOptions, type CoreClientOptions } from './lean-client.js'

export { authFromCoreOptions, checkBaseOptions, type BaseClientOptions, type CoreClientOptions } from './lean-client.js'

export interface Client<M extends Metrics = Metrics> {
  readonly metrics: M
  readonly alarmDefinitions: AlarmDefinitions
  readonly alarms: AlarmsWithWatch
  readonly notifications: Notifications
  readonly notificationTypes: NotificationTypes
  readonly versions: Versions
  /** The auth in use (a Session, or a fixed token). */
  readonly auth: AuthProvider
  /** The Monasca base URL: the fixed one, or the catalog's (resolved on first use). */
  endpoint(): Promise<string>
}

/** The client around an already chosen AuthProvider; the main entry passes a Metrics class with `writer()`. */
export function clientWithAuth<M extends Metrics = Metrics>(
  options: BaseClientOptions,
  auth: AuthProvider,
  MetricsClass: new (transport: Transport) => M = Metrics as unknown as new (transport: Transport) => M,
): Client<M> {
  return clientWithResources(options, auth, {
    metrics: MetricsClass,
    alarmDefinitions: AlarmDefinitions,
    alarms: AlarmsWithWatch,
    notifications: Notifications,
    notificationTypes: NotificationTypes,
    versions: Versions,
  })
}

/** A client with every resource, from the lean identity forms (a token, a session or a strategy). */
export function createClient<A>(options: CoreClientOptions<A>): Client {
  checkBaseOptions(options)
  return clientWithAuth(options, authFromCoreOptions(options))
}

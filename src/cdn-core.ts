/**
 * The lean <script> build, `globalThis.MonascaCore` (dist/cdn/monasca-core.iife.min.js): the client of
 * `monasca-client/core` with every resource class, for pages that already hold a token (a Horizon
 * page, a proxy that adds it) or bring their own AuthProvider as `session`. It has no Keystone login,
 * watch, writer or expression parser: pages that need them load the full build (`globalThis.Monasca`).
 * Code written for it runs unchanged on `monasca-client/core` under a bundler.
 */
export { createClient } from './lean-client.js'
export type { CoreClient, ClientBase, CoreClientOptions, BaseClientOptions, ResourceClass, ResourceMap } from './lean-client.js'
export { Alarms } from './resources/alarms.js'
export { AlarmDefinitions } from './resources/alarm-definitions.js'
export { Metrics } from './resources/metrics.js'
export { Notifications, NotificationTypes } from './resources/notifications.js'
export { Versions } from './resources/versions.js'
export { staticToken } from './auth/static.js'
export type { AuthProvider, AuthCallOptions } from './auth/types.js'
export * from './errors.js'
export { PagePromise, offsetFromNextLink } from './paginate.js'
export type { Page, ToArrayOptions } from './paginate.js'
export type { RequestOptions, RetryPolicy, FetchLike } from './transport.js'
export type * from './types.js'
export { VERSION } from './version.js'

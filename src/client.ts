/**
 * The full client: every form the Python client accepts (a token with or without Keystone, a
 * password, an application credential, a session) on top of the lean one. Pages that mind their
 * size import `monasca-client/core` instead.
 */
import { authFromClientOptions, type KeystoneClientOptions } from './auth/options.js'
import type { AuthStrategy } from './auth/types.js'
import { authFromCoreOptions, checkBaseOptions, clientWithAuth, type BaseClientOptions, type Client as CoreClient } from './core-client.js'
import { MetricsWithWriter } from './resources/metrics-with-writer.js'

/** The main entry's client: the lean one, and `metrics.writer()`. */
export type Client = CoreClient<MetricsWithWriter>

/**
 * How to reach Monasca. Identity, as in the Python client: a `session`; or a `token` (with `authUrl`
 * it goes through Keystone, without it it is sent as is); or `username`/`userId` + `password` +
 * `authUrl`; or an application credential + `authUrl` (see KeystoneClientOptions); or an
 * `authStrategy` with its `auth` options.
 */
export interface ClientOptions extends Omit<KeystoneClientOptions, 'fetch' | 'timeout'>, BaseClientOptions {
  authStrategy?: AuthStrategy<unknown>
  auth?: unknown
}

/**
 * A client for one Monasca endpoint. Give it a `session`; or a `token` (with `authUrl` for Keystone);
 * or `username` + `password` + `authUrl`; or only `endpoint` + `token` for no Keystone at all.
 */
export function createClient(options: ClientOptions): Client {
  checkBaseOptions(options)
  const auth = options.authStrategy !== undefined ? authFromCoreOptions(options) : authFromClientOptions(options)
  return clientWithAuth(options, auth, MetricsWithWriter)
}

/**
 * The lean client of `monasca-client/core`, in Octokit's shape: the client itself is the wire and the
 * auth (one Monasca endpoint; a fixed token, a ready session or an auth strategy), and it carries only
 * the resources the page names in `resources`, so a page that lists alarms bundles no metrics,
 * definitions or notifications code. It names no Keystone code either: a token page bundles none.
 */
import type { AuthProvider, AuthStrategy, EndpointFilter } from './auth/types.js'
import { staticToken } from './auth/static.js'
import { checkSession } from './auth/check.js'
import { MonascaValidationError } from './errors.js'
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

/** A resource class (`Alarms`, `Metrics`, …): built once per client on the client's wire. */
export type ResourceClass<R = unknown> = new (transport: Transport) => R
/** The resources a lean client carries, by the names the page gives them. */
export type ResourceMap = Record<string, ResourceClass>

/** What every client has, whatever resources it carries. */
export interface ClientBase {
  /** The auth in use (a Session, or a fixed token). */
  readonly auth: AuthProvider
  /** The Monasca base URL: the fixed one, or the catalog's (resolved on first use). */
  endpoint(): Promise<string>
}

/** The lean client: its base and one instance of each resource named in `resources`. */
export type CoreClient<R extends ResourceMap = {}> = ClientBase & { readonly [K in keyof R]: InstanceType<R[K]> }

/** Checks the options every form shares; throws a MonascaValidationError before anything is sent. */
export function checkBaseOptions(options: unknown): asserts options is BaseClientOptions {
  if (options === null || typeof options !== 'object') throw new MonascaValidationError('options', 'must be an object')
  const o = options as BaseClientOptions
  if (o.apiVersion !== undefined && o.apiVersion !== '2_0' && o.apiVersion !== '2.0') {
    throw new MonascaValidationError('apiVersion', `unsupported monitoring API version ${JSON.stringify(o.apiVersion)}; only 2_0 exists`)
  }
  // The rest (endpoint, timeouts, retries, hooks) is checked by the Transport, before any request.
}

/** A client around an already chosen AuthProvider, with one instance of each resource class given. */
export function clientWithResources<R extends ResourceMap>(options: BaseClientOptions, auth: AuthProvider, resources: R): CoreClient<R> {
  if (options.endpoint === undefined && !auth.getEndpoint) {
    throw new MonascaValidationError('endpoint', 'is required with a fixed token (or give authUrl to look it up in the Keystone catalog)')
  }
  // Only what the client is told: a session's own serviceType/interface/regionName fill the rest.
  const endpointFilter: Partial<EndpointFilter> = {}
  if (options.serviceType !== undefined) endpointFilter.serviceType = options.serviceType
  if (options.interface !== undefined) endpointFilter.interface = options.interface
  if (options.regionName !== undefined) endpointFilter.regionName = options.regionName
  const transport = new Transport({ ...options, auth, endpointFilter })
  const client: Record<string, unknown> = { auth, endpoint: () => transport.endpoint() }
  for (const [name, Class] of Object.entries(resources)) {
    if (name in client || typeof Class !== 'function') throw new MonascaValidationError(`resources.${name}`, 'must be a resource class such as Alarms, under a name other than auth or endpoint')
    client[name] = new Class(transport)
  }
  return client as CoreClient<R>
}

/**
 * A lean client for one Monasca endpoint: `{ endpoint, token }`, `{ session }` (endpoint optional: the
 * catalog's), or `{ authStrategy: passwordAuth, auth: { … } }`; plus the resources the page uses, as
 * `resources: { alarms: Alarms }` (then `client.alarms.list()`). The main entry's client has them all.
 */
export function createClient<R extends ResourceMap = {}, A = unknown>(options: CoreClientOptions<A> & { resources?: R }): CoreClient<R> {
  checkBaseOptions(options)
  return clientWithResources(options, authFromCoreOptions(options), options.resources ?? ({} as R))
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

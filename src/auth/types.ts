/**
 * The seam between the transport and identity. The transport asks an AuthProvider for a token
 * before each attempt and, when it has no fixed endpoint, for the Monasca endpoint; on a 401 from
 * Monasca it reports the token that was rejected and resends once if the provider says it is worth it.
 */

/** How to pick the Monasca endpoint out of a Keystone service catalog (keystoneauth's filter). */
export interface EndpointFilter {
  /** Service type in the catalog. Default `monitoring`. */
  serviceType: string
  /** An interface name, or a preference list where the first interface with a match wins. Default `public`. */
  interface: string | string[]
  /** Region id (or name) of the endpoint; any region when absent. */
  regionName?: string
}

export interface AuthCallOptions {
  signal?: AbortSignal
}

export interface AuthProvider {
  /**
   * The token to send as `X-Auth-Token`, or undefined to send none. Cheap when cached; a provider
   * that already knows it may return it directly (the transport then awaits nothing).
   */
  getToken(options?: AuthCallOptions): string | undefined | Promise<string | undefined>
  /** The token when one is known and good right now, else undefined (then the transport awaits getToken). */
  currentToken?(): string | undefined
  /**
   * The Monasca base URL (…/v2.0) from the catalog; only called when the client has no `endpoint`.
   * The filter holds what the client's options say; a field they leave out takes the provider's own
   * default (a Session's `serviceType`, `interface`, `regionName`; else `monitoring` and `public`).
   */
  getEndpoint?(filter: Partial<EndpointFilter>, options?: AuthCallOptions): Promise<string>
  /**
   * Monasca rejected `rejectedToken` with a 401. Drop it if it is still the current token and
   * return true when a resend might succeed; false means the 401 is final.
   */
  invalidate(rejectedToken: string): boolean | Promise<boolean>
}

/** What a strategy gets from the client: its fetch and timeout, unless the strategy's options say otherwise. */
export interface StrategyContext {
  fetch?: import('../wire.js').FetchLike
  timeout?: number
}

/**
 * An auth strategy (Octokit's shape): a function of its own options that returns the provider the
 * client asks for tokens. `createClient({ authStrategy: passwordAuth, auth: {...} })`.
 */
export type AuthStrategy<A> = (auth: A, context: StrategyContext) => AuthProvider

/** What a Session needs from an identity method (identity.Password, identity.Token, identity.ApplicationCredential). */
import type { AccessInfo } from './access.js'
import type { KeystoneHttpOptions } from './keystone-http.js'

export interface IssuedToken {
  access: AccessInfo
  /** Keystone's clock at the moment of the answer (ms since epoch), when known. */
  serverNow: number | undefined
  /** Local clock at the moment of the answer. */
  receivedAt: number
}

export interface KeystoneIdentity {
  /** The identity API base, always ending in `/v3`. */
  readonly authUrl: string
  /** Keystone's method name: `password`, `token` or `application_credential`. */
  readonly method: string
  /** False when a new token cannot outlive the current one (a pre-issued token). */
  readonly renewable: boolean
  /**
   * Who this is (auth URL, user, scope, method, and a slow one-way verifier of the secret, never the
   * secret itself): hashed into the store key, so a stored token is reused only with the same secret.
   */
  cacheIdentity(): Promise<Record<string, unknown>>
  /** Ask Keystone for a token. */
  authenticate(http: KeystoneHttpOptions): Promise<IssuedToken>
}

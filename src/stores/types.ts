/**
 * Where a Session keeps its token between calls, page loads or processes. A store holds token state
 * only (never a password or secret), under a key that is a SHA-256 of the identity.
 */

/** What a Session writes. Everything in it came from Keystone; nothing came from the user's secrets. */
export interface StoredAuthState {
  v: 1
  /** The store key this entry was written under: an entry copied under another key is ignored. */
  key: string
  token: string
  /** Keystone's token response body, `{ token: {...} }`. */
  body: unknown
  /** Expiry on Keystone's clock (ISO 8601), or null. */
  expiresAt: string | null
  /** Keystone's clock minus ours, in ms, when the token was issued. */
  skewMs: number
  /** Local time of writing, ms since epoch. */
  storedAt: number
}

/** One small interface, sync or async (octokit's cache contract): memory, Web Storage, encrypted, file. */
export interface CredentialStore<T = StoredAuthState> {
  get(key: string): T | undefined | Promise<T | undefined>
  set(key: string, value: T): void | Promise<void>
  delete(key: string): void | Promise<void>
}

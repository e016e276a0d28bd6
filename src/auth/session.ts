/**
 * Session: keystoneauth's token behaviour (K4–K6, K12) behind the transport's AuthProvider seam.
 * One token request in flight for all callers, refresh before expiry on Keystone's clock, a
 * failed refresh never cached, a 401 drops only the token that was rejected, and token state
 * kept in a CredentialStore under a hash of the identity.
 */
import { MonascaAbortError, MonascaValidationError, SessionExpiredError } from '../errors.js'
import { memoryStore } from '../stores/memory.js'
import { parseStoredState } from '../stores/state.js'
import type { CredentialStore, StoredAuthState } from '../stores/types.js'
import { accessFromBody, type AccessInfo } from './access.js'
import { findEndpoint } from './catalog.js'
import { identityKey } from './hash.js'
import { keystoneRequest, type FetchLike } from './keystone-http.js'
import { checkFunction, checkTimeout, MAX_TIMER_MS } from '../wire.js'
import type { KeystoneIdentity } from './plugin.js'
import type { AuthCallOptions, AuthProvider, EndpointFilter } from './types.js'

export interface SessionOptions {
  /** How to authenticate: `new identity.Password({...})`, `identity.Token` or `identity.ApplicationCredential`. */
  auth: KeystoneIdentity
  /** Where the token state lives. Default `memoryStore()`. */
  store?: CredentialStore
  /** fetch for Keystone requests. Default: `globalThis.fetch`, looked up at each call. */
  fetch?: FetchLike
  /** Milliseconds per Keystone request. Default 30 000. */
  timeout?: number
  /**
   * Refresh when the token has less than this many seconds left (keystoneauth's
   * MIN_TOKEN_LIFE_SECONDS). Default 120; for tokens that live less than twice this, half their life.
   */
  minTokenLifeSeconds?: number
  /**
   * A session on a pre-issued token (identity.Token) cannot renew it: called once when that token
   * enters its last `minTokenLifeSeconds`, so the application can ask the user to log in again.
   * From then on getToken throws the same SessionExpiredError.
   */
  onExpired?: (error: SessionExpiredError) => void
  /** Catalog defaults for getEndpoint: service type (`monitoring`), interface (`public`), region (any). */
  serviceType?: string
  interface?: string | string[]
  regionName?: string
}

interface LiveState {
  access: AccessInfo
  /** Keystone's clock minus ours (ms). */
  skewMs: number
}

export class Session implements AuthProvider {
  readonly auth: KeystoneIdentity
  readonly store: CredentialStore
  readonly #fetch: FetchLike | undefined
  readonly #timeout: number
  readonly #minLifeMs: number
  readonly #onExpired: ((error: SessionExpiredError) => void) | undefined
  readonly #defaults: Partial<EndpointFilter>
  readonly #ownStore: boolean
  #state: LiveState | undefined
  #pending: Promise<LiveState> | undefined
  /** Bumped by clear(): a refresh that started before cannot install its result afterwards. */
  #generation = 0
  #loaded = false
  #key: Promise<string> | undefined
  #storeQueue: Promise<unknown> = Promise.resolve()
  #notifiedToken: string | undefined
  #expiryTimer: ReturnType<typeof setTimeout> | undefined

  constructor(options: SessionOptions) {
    const auth = options?.auth as Partial<KeystoneIdentity> | undefined
    if (!auth || typeof auth.authenticate !== 'function' || typeof auth.cacheIdentity !== 'function') {
      throw new MonascaValidationError('auth', 'give an identity: identity.Password, identity.Token or identity.ApplicationCredential')
    }
    const minLife = options.minTokenLifeSeconds ?? 120
    if (typeof minLife !== 'number' || !(minLife >= 0)) throw new MonascaValidationError('minTokenLifeSeconds', 'must be a number ≥ 0')
    const timeout = checkTimeout(options.timeout) ?? 30_000
    checkFunction(options.onExpired, 'onExpired')
    checkFunction(options.fetch, 'fetch')
    this.auth = options.auth
    this.store = options.store ?? memoryStore()
    this.#ownStore = options.store === undefined
    this.#fetch = options.fetch
    this.#timeout = timeout
    this.#minLifeMs = minLife * 1000
    this.#onExpired = options.onExpired
    const { serviceType, interface: iface, regionName } = options
    this.#defaults = { serviceType, interface: iface, regionName }
  }

  /** A token with more than the minimum life left; one Keystone request for all concurrent callers. */
  async getToken(options?: AuthCallOptions): Promise<string> {
    return (await this.#usable(options?.signal)).access.token
  }

  /** The current token if it has more than the minimum life left, without waiting; else undefined. */
  currentToken(): string | undefined {
    const state = this.#state
    return state && !this.#needsRefresh(state) ? state.access.token : undefined
  }

  /** Everything Keystone said about the current token (user, project, roles, expiry, catalog). */
  async getAccess(options?: AuthCallOptions): Promise<AccessInfo> {
    return (await this.#usable(options?.signal)).access
  }

  /** The endpoint URL from the token's catalog; the filter's fields override the session's defaults. */
  async getEndpoint(filter?: Partial<EndpointFilter>, options?: AuthCallOptions): Promise<string> {
    const { access } = await this.#usable(options?.signal)
    const merged: EndpointFilter = {
      serviceType: filter?.serviceType ?? this.#defaults.serviceType ?? 'monitoring',
      interface: filter?.interface ?? this.#defaults.interface ?? 'public',
    }
    const regionName = filter?.regionName ?? this.#defaults.regionName
    if (regionName !== undefined) merged.regionName = regionName
    return findEndpoint(access.catalog, merged)
  }

  /**
   * Monasca refused `rejectedToken`. It is dropped only if it is still the current token (a
   * parallel request may already hold a newer one). Returns true: the resend gets the current
   * token or a fresh one; the transport resends only once, so this never loops.
   */
  invalidate(rejectedToken: string): boolean {
    if (this.#state && this.#state.access.token === rejectedToken) {
      this.#state = undefined
      this.#clearTimer()
      void this.#storeOp((key) => this.store.delete(key))
    }
    return true
  }

  /** Forget the token here and in the store (a later call authenticates again). */
  async clear(): Promise<void> {
    this.#generation++
    this.#state = undefined
    this.#pending = undefined
    this.#clearTimer()
    await this.#storeOp((key) => this.store.delete(key))
  }

  /** Log out: revoke the current token at Keystone (DELETE /v3/auth/tokens), then clear(). */
  async revoke(options?: AuthCallOptions): Promise<void> {
    const token = this.#state?.access.token
    await this.clear()
    if (token === undefined) return
    await keystoneRequest(
      {
        method: 'DELETE',
        url: `${this.auth.authUrl}/auth/tokens`,
        headers: { 'X-Auth-Token': token, 'X-Subject-Token': token },
        secrets: [token],
      },
      { fetch: this.#fetch, timeout: this.#timeout, signal: options?.signal },
    )
  }

  /** The key of this identity's entry in the store (base64url SHA-256, no secret inside). */
  storeKey(): Promise<string> {
    this.#key ??= this.auth.cacheIdentity().then(identityKey)
    return this.#key
  }

  async #usable(signal: AbortSignal | undefined): Promise<LiveState> {
    if (signal?.aborted) throw abortError(signal)
    const state = this.#state
    if (state && !this.#needsRefresh(state)) return state
    if (state && !this.auth.renewable) throw this.#expired(state)
    const live = await waitFor(this.#refreshOnce(), signal)
    if (!this.auth.renewable && this.#needsRefresh(live)) throw this.#expired(live)
    return live
  }

  #refreshOnce(): Promise<LiveState> {
    if (!this.#pending) {
      const pending = this.#refresh()
      this.#pending = pending
      // Settled either way, the slot frees: a failed refresh is never handed to the next caller.
      const free = () => {
        if (this.#pending === pending) this.#pending = undefined
      }
      pending.then(free, free)
    }
    return this.#pending
  }

  async #refresh(): Promise<LiveState> {
    const generation = this.#generation
    // The session's own memory store is empty when it starts: no store key (a slow PBKDF2) to wait for.
    if (!this.#loaded && this.#ownStore) this.#loaded = true
    if (!this.#loaded) {
      this.#loaded = true
      const stored = await this.#readStore()
      if (stored && generation === this.#generation) {
        if (!this.#needsRefresh(stored)) {
          this.#install(stored)
          return stored
        }
        if (!this.auth.renewable) {
          this.#install(stored)
          throw this.#expired(stored)
        }
      }
    }
    const issued = await this.auth.authenticate({ fetch: this.#fetch, timeout: this.#timeout })
    const live: LiveState = {
      access: issued.access,
      skewMs: issued.serverNow === undefined ? 0 : issued.serverNow - issued.receivedAt,
    }
    // Cleared while Keystone answered: give the token to the callers that waited, keep nothing.
    if (generation !== this.#generation) return live
    this.#install(live)
    const write = this.#storeOp((key) => this.store.set(key, toStored(key, live)))
    // A store the caller gave is written before the token is handed out; the session's own is written behind it.
    if (!this.#ownStore) await write
    return live
  }

  /** Local time (ms) at which the token expires, or undefined when it does not. */
  #localExpiry(state: LiveState): number | undefined {
    const expiresAt = state.access.expiresAt
    return expiresAt === null ? undefined : expiresAt.getTime() - state.skewMs
  }

  /** The refresh margin: minTokenLifeSeconds, but at most half the token's life (short-lived tokens). */
  #margin(state: LiveState): number {
    const { expiresAt, issuedAt } = state.access
    const life = expiresAt && issuedAt ? expiresAt.getTime() - issuedAt.getTime() : Infinity
    return life > 0 ? Math.min(this.#minLifeMs, life / 2) : this.#minLifeMs
  }

  #needsRefresh(state: LiveState): boolean {
    const expiry = this.#localExpiry(state)
    return expiry !== undefined && Date.now() >= expiry - this.#margin(state)
  }

  #install(state: LiveState): void {
    this.#state = state
    this.#clearTimer()
    const expiry = this.#localExpiry(state)
    if (this.auth.renewable || !this.#onExpired || expiry === undefined) return
    const delay = expiry - this.#margin(state) - Date.now()
    if (delay <= 0 || delay > MAX_TIMER_MS) return
    this.#expiryTimer = setTimeout(() => {
      if (this.#state === state) this.#expired(state)
    }, delay)
    ;(this.#expiryTimer as { unref?: () => void }).unref?.()
  }

  #clearTimer(): void {
    if (this.#expiryTimer !== undefined) clearTimeout(this.#expiryTimer)
    this.#expiryTimer = undefined
  }

  /** The typed error for a pre-issued token at its end; tells onExpired once per token. */
  #expired(state: LiveState): SessionExpiredError {
    const expiresAt = state.access.expiresAt ?? undefined
    const error = new SessionExpiredError(
      `the token this session was built on expires at ${expiresAt?.toISOString() ?? 'an unknown time'}; Keystone cannot renew it: authenticate again`,
    )
    if (expiresAt) error.expiresAt = expiresAt
    if (this.#notifiedToken !== state.access.token) {
      this.#notifiedToken = state.access.token
      this.#clearTimer()
      try {
        this.#onExpired?.(error)
      } catch {
        // The application's hook failing must not change what the caller gets.
      }
    }
    return error
  }

  async #readStore(): Promise<LiveState | undefined> {
    return this.#storeOp(async (key) => {
      const value = await this.store.get(key)
      const stored = parseStoredState(value, key)
      let live: LiveState | undefined
      if (stored) {
        try {
          live = { access: accessFromBody(stored.token, stored.body), skewMs: stored.skewMs }
        } catch {
          live = undefined
        }
      }
      // Corrupt, tampered or foreign: ignore it and make room for a good one.
      if (!live && value !== undefined) await this.store.delete(key)
      return live
    })
  }

  /** Store operations run one after another (a delete never overtakes a later write); failures are ignored. */
  #storeOp<T>(operation: (key: string) => T | Promise<T>): Promise<T | undefined> {
    const run = this.#storeQueue.then(async () => operation(await this.storeKey()))
    const settled = run.catch(() => undefined)
    this.#storeQueue = settled
    return settled
  }
}

function toStored(key: string, state: LiveState): StoredAuthState {
  return {
    v: 1,
    key,
    token: state.access.token,
    body: state.access.body,
    expiresAt: state.access.expiresAt?.toISOString() ?? null,
    skewMs: state.skewMs,
    storedAt: Date.now(),
  }
}

function abortError(signal: AbortSignal): MonascaAbortError {
  return new MonascaAbortError('aborted while waiting for a Keystone token', { cause: signal.reason })
}

/** The shared refresh keeps running; only this caller stops waiting when its signal fires. */
function waitFor<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal))
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

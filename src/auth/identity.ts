/**
 * Keystone v3 identity methods, one class each, as keystoneauth's v3 plugins (K1–K3). Secrets live
 * in #private fields: not enumerable, not in JSON.stringify, never stored, never in an error.
 */
import { MonascaValidationError } from '../errors.js'
import { accessFromBody } from './access.js'
import { base64url, secretVerifier, sha256 } from './hash.js'
import { keystoneRequest, requireSubjectToken, type KeystoneHttpOptions, type KeystoneRequest } from './keystone-http.js'
import type { IssuedToken, KeystoneIdentity } from './plugin.js'
import { describeWho, normaliseAuthUrl, scopeBody, userBody, type ScopeOptions, type UserOptions } from './scope.js'

export interface PasswordOptions extends UserOptions, ScopeOptions {
  /** Keystone URL; `/v3` is appended when missing. */
  authUrl: string
  password: string
}

export interface TokenOptions extends ScopeOptions {
  authUrl: string
  /** A token issued earlier (e.g. the one a dashboard already holds). */
  token: string
}

export interface ApplicationCredentialOptions extends UserOptions {
  authUrl: string
  /** The credential's id; or its name together with the user (username + domain, or userId). */
  applicationCredentialId?: string
  applicationCredentialName?: string
  applicationCredentialSecret: string
}

function requireSecret(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new MonascaValidationError(field, 'is required (a non-empty string)')
  return value
}

/** POST /v3/auth/tokens and read the issued token from X-Subject-Token (K1). */
async function issue(request: KeystoneRequest, http: KeystoneHttpOptions): Promise<IssuedToken> {
  const reply = await keystoneRequest(request, http)
  const token = requireSubjectToken(reply, request)
  const access = accessFromBody(token, reply.body)
  // Keystone's clock: the Date header, else issued_at of this fresh token (1 s resolution).
  const serverNow = reply.serverDate ?? access.issuedAt?.getTime()
  return { access, serverNow, receivedAt: reply.receivedAt }
}

/** Username (or user id) and password; renewable: a new password auth gives a new expiry. */
export class Password implements KeystoneIdentity {
  readonly method = 'password'
  readonly renewable = true
  readonly authUrl: string
  readonly #password: string
  readonly #user: Record<string, unknown>
  readonly #scope: unknown

  constructor(options: PasswordOptions) {
    this.authUrl = normaliseAuthUrl(options?.authUrl)
    this.#password = requireSecret(options.password, 'password')
    this.#user = userBody(options, true)!
    this.#scope = scopeBody(options)
  }

  #cacheIdentity: Promise<Record<string, unknown>> | undefined

  cacheIdentity(): Promise<Record<string, unknown>> {
    const identity = { authUrl: this.authUrl, method: this.method, user: this.#user, scope: this.#scope ?? null }
    this.#cacheIdentity ??= secretVerifier(this.#password, identity).then((secret) => ({ ...identity, secret }))
    return this.#cacheIdentity
  }

  authenticate(http: KeystoneHttpOptions): Promise<IssuedToken> {
    const auth: Record<string, unknown> = {
      identity: { methods: ['password'], password: { user: { ...this.#user, password: this.#password } } },
    }
    if (this.#scope !== undefined) auth.scope = this.#scope
    const who = describeWho(this.#user, this.#scope)
    return issue({ method: 'POST', url: `${this.authUrl}/auth/tokens`, json: { auth }, secrets: [this.#password], who }, http)
  }
}

/**
 * A pre-issued token. Without a scope it is validated with GET /v3/auth/tokens (to learn its expiry
 * and catalog) and used as is; with a scope it is exchanged for a token of that scope (method
 * `token`). Either way the result expires when the original does: not renewable.
 */
export class Token implements KeystoneIdentity {
  readonly method = 'token'
  readonly renewable = false
  readonly authUrl: string
  readonly #token: string
  readonly #scope: unknown

  constructor(options: TokenOptions) {
    this.authUrl = normaliseAuthUrl(options?.authUrl)
    this.#token = requireSecret(options.token, 'token')
    this.#scope = scopeBody(options)
  }

  async cacheIdentity(): Promise<Record<string, unknown>> {
    // The token is the identity here; only its hash enters the key.
    return { authUrl: this.authUrl, method: this.method, token: base64url(await sha256(this.#token)), scope: this.#scope ?? null }
  }

  async authenticate(http: KeystoneHttpOptions): Promise<IssuedToken> {
    const url = `${this.authUrl}/auth/tokens`
    const secrets = [this.#token]
    if (this.#scope === undefined) {
      const request: KeystoneRequest = {
        method: 'GET',
        url,
        headers: { 'X-Auth-Token': this.#token, 'X-Subject-Token': this.#token },
        secrets,
      }
      const reply = await keystoneRequest(request, http)
      // issued_at is the original issue time here, not "now": only the Date header tells the server clock.
      return { access: accessFromBody(this.#token, reply.body), serverNow: reply.serverDate, receivedAt: reply.receivedAt }
    }
    const json = { auth: { identity: { methods: ['token'], token: { id: this.#token } }, scope: this.#scope } }
    return issue({ method: 'POST', url, headers: { 'X-Auth-Token': this.#token }, json, secrets }, http)
  }
}

/** An application credential (by id, or by name + user). Keystone scopes it to the credential's project. */
export class ApplicationCredential implements KeystoneIdentity {
  readonly method = 'application_credential'
  readonly renewable = true
  readonly authUrl: string
  readonly #secret: string
  readonly #credential: Record<string, unknown>

  constructor(options: ApplicationCredentialOptions) {
    this.authUrl = normaliseAuthUrl(options?.authUrl)
    this.#secret = requireSecret(options.applicationCredentialSecret, 'applicationCredentialSecret')
    const scoped = ['projectId', 'projectName', 'domainId', 'domainName', 'system', 'unscoped'].find(
      (field) => (options as unknown as Record<string, unknown>)[field] !== undefined,
    )
    if (scoped) throw new MonascaValidationError(scoped, 'an application credential carries its own scope: Keystone refuses another one')
    const { applicationCredentialId: id, applicationCredentialName: name } = options
    if (id !== undefined && name !== undefined) {
      throw new MonascaValidationError('applicationCredentialId', 'give applicationCredentialId or applicationCredentialName, not both')
    }
    if (typeof id === 'string' && id !== '') {
      this.#credential = { id }
    } else if (typeof name === 'string' && name !== '') {
      const user = userBody(options, false)
      if (!user) throw new MonascaValidationError('username', 'an application credential given by name needs its user (username or userId)')
      this.#credential = { name, user }
    } else {
      throw new MonascaValidationError('applicationCredentialId', 'give applicationCredentialId, or applicationCredentialName with the user')
    }
  }

  #cacheIdentity: Promise<Record<string, unknown>> | undefined

  cacheIdentity(): Promise<Record<string, unknown>> {
    const identity = { authUrl: this.authUrl, method: this.method, credential: this.#credential }
    this.#cacheIdentity ??= secretVerifier(this.#secret, identity).then((secret) => ({ ...identity, secret }))
    return this.#cacheIdentity
  }

  authenticate(http: KeystoneHttpOptions): Promise<IssuedToken> {
    const json = {
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: { ...this.#credential, secret: this.#secret },
        },
      },
    }
    const credential = this.#credential as { id?: string; name?: string }
    const who = `application credential ${JSON.stringify(credential.id ?? credential.name)}`
    return issue({ method: 'POST', url: `${this.authUrl}/auth/tokens`, json, secrets: [this.#secret], who }, http)
  }
}

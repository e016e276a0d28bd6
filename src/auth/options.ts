/**
 * createClient's auth options, read as the Python client reads them: a session as is; a token with
 * authUrl goes through Keystone; username/userId + password + authUrl; an application credential;
 * a token alone is sent as is (no Keystone at all).
 */
import { MonascaValidationError, type SessionExpiredError } from '../errors.js'
import type { CredentialStore } from '../stores/types.js'
import { ApplicationCredential, Password, Token } from './identity.js'
import type { FetchLike } from './keystone-http.js'
import { Session } from './session.js'
import { staticToken } from './static.js'
import { checkSession } from './check.js'
import type { AuthProvider } from './types.js'

export interface KeystoneClientOptions {
  /** A ready Session (or any AuthProvider): used as is, every other auth option is ignored. */
  session?: AuthProvider
  /** A token. With authUrl it is validated (and rescoped when a project is given) at Keystone; without, sent as is. */
  token?: string
  username?: string
  userId?: string
  password?: string
  /** Keystone URL (`/v3` appended when missing). */
  authUrl?: string
  projectName?: string
  projectId?: string
  /** Domain of projectName; default id `default`. */
  projectDomainId?: string
  projectDomainName?: string
  /** Domain of username; default id `default`. */
  userDomainId?: string
  userDomainName?: string
  applicationCredentialId?: string
  applicationCredentialName?: string
  applicationCredentialSecret?: string
  /** Where the Session keeps its token. Default memoryStore(). */
  store?: CredentialStore
  fetch?: FetchLike
  /** Milliseconds per request (also used for the Keystone requests). */
  timeout?: number
  minTokenLifeSeconds?: number
  onExpired?: (error: SessionExpiredError) => void
}

const has = (value: unknown) => value !== undefined && value !== null && value !== ''

export function authFromClientOptions(options: KeystoneClientOptions): AuthProvider {
  const o = options ?? {}
  if (has(o.session)) return checkSession(o.session)
  const project = pick(o, ['projectId', 'projectName', 'projectDomainId', 'projectDomainName'])
  const user = pick(o, ['username', 'userId', 'userDomainId', 'userDomainName'])
  const sessionOptions = pick(o, ['store', 'fetch', 'timeout', 'minTokenLifeSeconds', 'onExpired'])
  const usesPassword = has(o.username) || has(o.userId) || has(o.password)
  const usesAppCredential = has(o.applicationCredentialSecret) || has(o.applicationCredentialId) || has(o.applicationCredentialName)

  if (has(o.token)) {
    // The token wins over the other credentials, as in the Python client.
    if (!has(o.authUrl)) return staticToken(o.token)
    return new Session({ ...sessionOptions, auth: new Token({ authUrl: o.authUrl!, token: o.token!, ...project }) })
  }
  if (usesAppCredential) {
    if (!has(o.applicationCredentialSecret)) {
      throw new MonascaValidationError('applicationCredentialSecret', 'is required with an application credential id or name')
    }
    requireAuthUrl(o, 'an application credential')
    return new Session({
      ...sessionOptions,
      auth: new ApplicationCredential({
        authUrl: o.authUrl!,
        applicationCredentialSecret: o.applicationCredentialSecret!,
        ...pick(o, ['applicationCredentialId', 'applicationCredentialName']),
        ...user,
        ...project,
      }),
    })
  }
  if (usesPassword) {
    if (!has(o.username) && !has(o.userId)) throw new MonascaValidationError('username', 'is required with password (or give userId)')
    if (!has(o.password)) throw new MonascaValidationError('password', 'is required with username (or give a token)')
    requireAuthUrl(o, 'username and password')
    return new Session({ ...sessionOptions, auth: new Password({ authUrl: o.authUrl!, password: o.password!, ...user, ...project }) })
  }
  throw new MonascaValidationError(
    'token',
    'either a session, a token, username and password with authUrl, or an application credential with authUrl is required',
  )
}

function requireAuthUrl(o: KeystoneClientOptions, what: string): void {
  if (!has(o.authUrl)) throw new MonascaValidationError('authUrl', `is required with ${what} (the Keystone URL, e.g. http://keystone:5000/v3)`)
}

function pick<K extends keyof KeystoneClientOptions>(o: KeystoneClientOptions, keys: K[]): Pick<KeystoneClientOptions, K> {
  const out: Partial<KeystoneClientOptions> = {}
  for (const key of keys) if (o[key] !== undefined) (out as Record<string, unknown>)[key] = o[key]
  return out as Pick<KeystoneClientOptions, K>
}

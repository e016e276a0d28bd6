/**
 * Keystone auth strategies for `createClient({ authStrategy, auth })`: each builds a Session on one
 * identity method. Only the strategy a page names is bundled.
 */
import type { CredentialStore } from '../stores/types.js'
import type { SessionExpiredError } from '../errors.js'
import { ApplicationCredential, Password, Token, type ApplicationCredentialOptions, type PasswordOptions, type TokenOptions } from './identity.js'
import { Session } from './session.js'
import type { StrategyContext } from './types.js'

/** What every strategy accepts besides its identity: where the token lives and how Keystone is reached. */
export interface SessionSettings extends StrategyContext {
  store?: CredentialStore
  minTokenLifeSeconds?: number
  onExpired?: (error: SessionExpiredError) => void
  serviceType?: string
  interface?: string | string[]
  regionName?: string
}

const SETTINGS = ['store', 'minTokenLifeSeconds', 'onExpired', 'serviceType', 'interface', 'regionName', 'fetch', 'timeout'] as const

function split<T extends SessionSettings>(options: T, context: StrategyContext) {
  const settings: Record<string, unknown> = { ...context }
  const identity: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(options ?? {})) {
    if ((SETTINGS as readonly string[]).includes(key)) {
      if (value !== undefined) settings[key] = value
    } else identity[key] = value
  }
  return { settings: settings as SessionSettings, identity }
}

/** Username (or user id) and password: a renewable session. */
export function passwordAuth(options: PasswordOptions & SessionSettings, context: StrategyContext = {}): Session {
  const { settings, identity } = split(options, context)
  return new Session({ ...settings, auth: new Password(identity as unknown as PasswordOptions) })
}

/** A pre-issued Keystone token, validated (or rescoped) at Keystone: lives as long as that token. */
export function keystoneTokenAuth(options: TokenOptions & SessionSettings, context: StrategyContext = {}): Session {
  const { settings, identity } = split(options, context)
  return new Session({ ...settings, auth: new Token(identity as unknown as TokenOptions) })
}

/** An application credential (id, or name + user): a renewable session. */
export function applicationCredentialAuth(options: ApplicationCredentialOptions & SessionSettings, context: StrategyContext = {}): Session {
  const { settings, identity } = split(options, context)
  return new Session({ ...settings, auth: new ApplicationCredential(identity as unknown as ApplicationCredentialOptions) })
}

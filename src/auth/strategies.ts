/**
 * Keystone auth strategies for `createClient({ authStrategy, auth })`: each builds a Session on one
 * identity method. Only the strategy a page names is bundled.
 */
import { ApplicationCredential, Password, Token, type ApplicationCredentialOptions, type PasswordOptions, type TokenOptions } from './identity.js'
import { Session, type SessionOptions } from './session.js'
import type { KeystoneIdentity } from './plugin.js'
import type { StrategyContext } from './types.js'

/** What every strategy accepts besides its identity: the Session's own options (where the token lives, how Keystone is reached). */
export type SessionSettings = Omit<SessionOptions, 'auth'>

/** The Session around `identity`, made from the options' session settings; the client's fetch and timeout unless they say otherwise. */
function sessionOf<I>(options: I & SessionSettings, context: StrategyContext, identity: (rest: I) => KeystoneIdentity): Session {
  const { store, minTokenLifeSeconds, onExpired, serviceType, interface: iface, regionName, fetch, timeout, ...rest } = options ?? ({} as I & SessionSettings)
  return new Session({
    store, minTokenLifeSeconds, onExpired, serviceType, interface: iface, regionName,
    fetch: fetch ?? context.fetch,
    timeout: timeout ?? context.timeout,
    auth: identity(rest as I),
  })
}

/** Username (or user id) and password: a renewable session. */
export function passwordAuth(options: PasswordOptions & SessionSettings, context: StrategyContext = {}): Session {
  return sessionOf(options, context, (identity) => new Password(identity))
}

/** A pre-issued Keystone token, validated (or rescoped) at Keystone: lives as long as that token. */
export function keystoneTokenAuth(options: TokenOptions & SessionSettings, context: StrategyContext = {}): Session {
  return sessionOf(options, context, (identity) => new Token(identity))
}

/** An application credential (id, or name + user): a renewable session. */
export function applicationCredentialAuth(options: ApplicationCredentialOptions & SessionSettings, context: StrategyContext = {}): Session {
  return sessionOf(options, context, (identity) => new ApplicationCredential(identity))
}

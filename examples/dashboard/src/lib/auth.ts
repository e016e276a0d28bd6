/**
 * Logging in. Whatever the user typed, the page ends up with a session on a token
 * (identity.Token) kept in sessionStorage through webStorageStore: a reload finds the token there
 * and asks Keystone nothing, the password is never kept, and closing the tab forgets it all.
 * A token session cannot renew itself: when the token ends, the user logs in again.
 */
import { Session, identity, webStorageStore, type CredentialStore } from 'monasca-client'

const LOGIN_KEY = 'monasca-dashboard:login'
/** What the login page last used, to fill the form (never the password or the token). */
const FORM_KEY = 'monasca-dashboard:form'

export interface PasswordLogin {
  authUrl: string
  username: string
  password: string
  projectName: string
  userDomainName: string
  projectDomainName: string
}

interface StoredLogin {
  authUrl: string
  token: string
}

export interface SessionHooks {
  onExpired?: () => void
}

function tokenStore(storage: Storage): CredentialStore {
  return webStorageStore(storage, { prefix: 'monasca-dashboard:token:' })
}

function tokenSession(storage: Storage, login: StoredLogin, hooks: SessionHooks): Session {
  return new Session({
    auth: new identity.Token({ authUrl: login.authUrl, token: login.token }),
    store: tokenStore(storage),
    ...(hooks.onExpired ? { onExpired: () => hooks.onExpired?.() } : {}),
  })
}

/** Keystone password login (one POST), then the token's session (one GET that validates it and reads the catalog). */
export async function loginWithPassword(form: PasswordLogin, hooks: SessionHooks = {}, storage: Storage = sessionStorage): Promise<Session> {
  const scope = form.projectName ? { projectName: form.projectName, ...domain('project', form.projectDomainName) } : {}
  const password = new Session({
    auth: new identity.Password({ authUrl: form.authUrl, username: form.username, password: form.password, ...domain('user', form.userDomainName), ...scope }),
  })
  const access = await password.getAccess()
  remember(storage, { authUrl: form.authUrl, username: form.username, projectName: form.projectName, userDomainName: form.userDomainName, projectDomainName: form.projectDomainName })
  return loginWithToken(form.authUrl, access.token, hooks, storage)
}

/** A domain as typed: `default` or a 32-hex id is an id (Keystone's own default domain), anything else a name. */
export function domain(kind: 'user' | 'project', text: string): Record<string, string> {
  const value = text.trim() || 'default'
  return /^(default|[0-9a-f]{32})$/.test(value) ? { [`${kind}DomainId`]: value } : { [`${kind}DomainName`]: value }
}

/** A pasted token: Keystone validates it once and tells its project, expiry and catalog. */
export async function loginWithToken(authUrl: string, token: string, hooks: SessionHooks = {}, storage: Storage = sessionStorage): Promise<Session> {
  const login = { authUrl, token: token.trim() }
  const session = tokenSession(storage, login, hooks)
  await session.getAccess()
  storage.setItem(LOGIN_KEY, JSON.stringify(login))
  return session
}

/** The session of this tab, if it logged in before (no request is made here). */
export function restoreSession(hooks: SessionHooks = {}, storage: Storage = sessionStorage): Session | undefined {
  const text = storage.getItem(LOGIN_KEY)
  if (!text) return undefined
  try {
    const login = JSON.parse(text) as StoredLogin
    if (typeof login.authUrl !== 'string' || typeof login.token !== 'string') throw new Error('bad login record')
    return tokenSession(storage, login, hooks)
  } catch {
    storage.removeItem(LOGIN_KEY)
    return undefined
  }
}

/** Forget the token here; with `revoke`, also at Keystone (logout). */
export async function endSession(session: Session | undefined, revoke: boolean, storage: Storage = sessionStorage): Promise<void> {
  storage.removeItem(LOGIN_KEY)
  if (!session) return
  try {
    if (revoke) await session.revoke()
    else await session.clear()
  } catch {
    // A token Keystone already forgot cannot be revoked twice; it is gone from this tab either way.
    await session.clear().catch(() => undefined)
  }
}

export function rememberedForm(storage: Storage = sessionStorage): Partial<PasswordLogin> {
  try {
    return JSON.parse(storage.getItem(FORM_KEY) ?? '{}') as Partial<PasswordLogin>
  } catch {
    return {}
  }
}

function remember(storage: Storage, form: Omit<PasswordLogin, 'password'>): void {
  storage.setItem(FORM_KEY, JSON.stringify(form))
}

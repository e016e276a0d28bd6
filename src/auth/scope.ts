/** Keystone v3 scope and user options: checked before any request, turned into request body parts. */
import { MonascaValidationError } from '../errors.js'

/** Where a token is valid: one project, one domain, the system, or nowhere (unscoped). Pick one. */
export interface ScopeOptions {
  projectId?: string
  /** With `projectDomainId` or `projectDomainName`; the domain defaults to id `default`. */
  projectName?: string
  projectDomainId?: string
  projectDomainName?: string
  domainId?: string
  domainName?: string
  /** System scope (`{"system": {"all": true}}`). */
  system?: boolean
  /** Ask explicitly for an unscoped token, even when the user has a default project. */
  unscoped?: boolean
}

/** A user by id, or by name within a domain (default: the domain with id `default`). */
export interface UserOptions {
  userId?: string
  username?: string
  userDomainId?: string
  userDomainName?: string
}

const given = (value: unknown) => value !== undefined && value !== null && value !== ''

function notBoth(options: object, a: string, b: string): void {
  const o = options as Record<string, unknown>
  if (given(o[a]) && given(o[b])) throw new MonascaValidationError(a, `give ${a} or ${b}, not both`)
}

function requireString(options: object, field: string): void {
  const value = (options as Record<string, unknown>)[field]
  if (value !== undefined && (typeof value !== 'string' || value === '')) {
    throw new MonascaValidationError(field, 'must be a non-empty string')
  }
}

const domainRef = (id: string | undefined, name: string | undefined) => (given(name) && !given(id) ? { name } : { id: id ?? 'default' })

/** Keystone's `scope` value, or undefined for "let Keystone decide" (no scope key). */
export function scopeBody(options: ScopeOptions): unknown {
  for (const field of ['projectId', 'projectName', 'projectDomainId', 'projectDomainName', 'domainId', 'domainName']) {
    requireString(options, field)
  }
  notBoth(options, 'projectId', 'projectName')
  notBoth(options, 'projectDomainId', 'projectDomainName')
  notBoth(options, 'domainId', 'domainName')
  const kinds = [
    given(options.projectId) || given(options.projectName) ? 'project' : undefined,
    given(options.domainId) || given(options.domainName) ? 'domain' : undefined,
    options.system ? 'system' : undefined,
    options.unscoped ? 'unscoped' : undefined,
  ].filter((kind): kind is string => kind !== undefined)
  if (kinds.length > 1) {
    throw new MonascaValidationError('scope', `scopes are exclusive: give one of project, domain, system or unscoped, not ${kinds.join(' and ')}`)
  }
  if (options.projectId) return { project: { id: options.projectId } }
  if (options.projectName) {
    return { project: { name: options.projectName, domain: domainRef(options.projectDomainId, options.projectDomainName) } }
  }
  if (options.domainId) return { domain: { id: options.domainId } }
  if (options.domainName) return { domain: { name: options.domainName } }
  if (options.system) return { system: { all: true } }
  if (options.unscoped) return 'unscoped'
  return undefined
}

/** Keystone's `user` object for the password and application credential methods. */
export function userBody(options: UserOptions, required: boolean): Record<string, unknown> | undefined {
  for (const field of ['userId', 'username', 'userDomainId', 'userDomainName']) requireString(options, field)
  notBoth(options, 'userId', 'username')
  notBoth(options, 'userDomainId', 'userDomainName')
  if (options.userId) return { id: options.userId }
  if (options.username) return { name: options.username, domain: domainRef(options.userDomainId, options.userDomainName) }
  if (required) throw new MonascaValidationError('username', 'give username (with userDomainId or userDomainName) or userId')
  return undefined
}

/** `/v3` appended when the URL does not end in it; trailing slashes dropped. */
export function normaliseAuthUrl(authUrl: unknown): string {
  if (typeof authUrl !== 'string' || authUrl.trim() === '') {
    throw new MonascaValidationError('authUrl', 'the Keystone URL is required, e.g. http://keystone:5000/v3')
  }
  let url: URL
  try {
    url = new URL(authUrl.trim())
  } catch {
    throw new MonascaValidationError('authUrl', 'is not an absolute URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new MonascaValidationError('authUrl', 'must be http or https')
  if (url.username || url.password) throw new MonascaValidationError('authUrl', 'must not carry credentials')
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`
  if (/\/v2(\.0)?$/.test(base)) {
    throw new MonascaValidationError(
      'authUrl',
      `${base} is Keystone's v2.0 API (removed in Queens); Keystone v3 is needed: use ${base.replace(/\/v2(\.0)?$/, '/v3')}`,
    )
  }
  return /\/v3$/.test(base) ? base : `${base}/v3`
}

/** Who a request authenticates, for messages: `user "demo" (domain default) for project "demo" (domain default)`. */
export function describeWho(user: Record<string, unknown> | undefined, scope: unknown): string {
  const ref = (value: unknown, kind: string): string => {
    const r = (value ?? {}) as { id?: unknown; name?: unknown; domain?: { id?: unknown; name?: unknown } }
    const domain = r.domain ? ` (domain ${String(r.domain.name ?? r.domain.id)})` : ''
    return r.name !== undefined ? `${kind} ${JSON.stringify(r.name)}${domain}` : `${kind} id ${JSON.stringify(r.id)}`
  }
  const s = scope as { project?: unknown; domain?: unknown } | string | undefined
  const what =
    s === undefined ? " (no scope asked: the user's default project)"
    : typeof s === 'string' ? ' (unscoped)'
    : s.project ? ` for ${ref(s.project, 'project')}`
    : s.domain ? ` for ${ref(s.domain, 'domain')}`
    : ' for the system scope'
  return (user ? ref(user, 'user') : 'the caller') + what
}

/**
 * The Keystone v3 subset the SDK and the Python client use: version discovery, token issue
 * (password, token, application_credential; project scope by id or name+domain; unscoped),
 * validation (GET/HEAD, `?nocatalog`), revocation, and application-credential create/delete.
 * Bodies, headers and errors follow what a real Keystone 22 answers (shared/keystone/README.md).
 */
import { HttpError, KEYSTONE_UNAUTHORIZED_MESSAGE, isPlainObject, json, keystoneError, keystoneUnauthorized, noContent, readJson } from './http.js'
import { auditId, fernetLikeToken, hexId, stableHexId } from './ids.js'
import type { EmulatorApplicationCredential, EmulatorOptions, EmulatorProject, EmulatorUser, StaticToken } from './types.js'

export const DEFAULT_PROJECTS: EmulatorProject[] = [{ name: 'admin' }, { name: 'demo' }]

/** Default users: documented in the README; the demo credentials printed by `monasca-emulator`. */
export const DEFAULT_USERS: EmulatorUser[] = [
  { name: 'admin', password: 'secret', projects: { admin: ['admin', 'monasca-user'], demo: ['admin', 'monasca-user'] } },
  { name: 'demo', password: 'demo-secret', projects: { demo: ['monasca-user'] } },
  { name: 'readonly', password: 'readonly-secret', projects: { demo: ['monasca-read-only-user'] } },
  { name: 'agent', password: 'agent-secret', projects: { demo: ['monasca-agent'] } },
]

interface Project {
  id: string
  name: string
  domainId: string
}
interface User {
  id: string
  name: string
  password: string
  domainId: string
  /** project id → role names */
  roles: Map<string, string[]>
}
interface AppCred {
  id: string
  name: string
  secret: string
  userId: string
  projectId: string
  roles: string[]
}

export interface IssuedToken {
  id: string
  userId: string
  projectId?: string
  /** Role names (project-scoped tokens only). */
  roles: string[]
  methods: string[]
  auditIds: string[]
  issuedAt: number
  expiresAt: number
  appCredId?: string
  revoked?: boolean
}

const DOMAINS: Record<string, string> = { default: 'Default' }

/** Keystone's time format: second resolution, six zero micro digits. */
export const keystoneTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '.000000Z')

export class Keystone {
  readonly projects = new Map<string, Project>()
  readonly users = new Map<string, User>()
  readonly roleIds = new Map<string, string>()
  private readonly appCreds = new Map<string, AppCred>()
  private readonly issued = new Map<string, IssuedToken>()
  private readonly staticTokens: Map<string, StaticToken>
  readonly lifetimeMs: number

  constructor(
    private readonly options: EmulatorOptions,
    private readonly clock: () => number,
  ) {
    this.lifetimeMs = (options.tokenLifetimeSeconds ?? 3600) * 1000
    for (const p of options.projects ?? DEFAULT_PROJECTS) {
      const project = { id: p.id ?? stableHexId(`project:${p.name}`), name: p.name, domainId: p.domainId ?? 'default' }
      this.projects.set(project.id, project)
    }
    for (const u of options.users ?? DEFAULT_USERS) {
      const roles = new Map<string, string[]>()
      for (const [projectName, roleNames] of Object.entries(u.projects)) {
        const project = this.projectByName(projectName, u.domainId ?? 'default') ?? this.projectByName(projectName)
        if (project) roles.set(project.id, roleNames)
        roleNames.forEach((r) => this.roleId(r))
      }
      const user = { id: u.id ?? stableHexId(`user:${u.name}`), name: u.name, password: u.password, domainId: u.domainId ?? 'default', roles }
      this.users.set(user.id, user)
    }
    for (const r of options.roles ?? []) this.roleId(r)
    for (const c of options.applicationCredentials ?? []) this.addAppCred(c)
    this.staticTokens = new Map(Object.entries(options.tokens ?? {}))
  }

  roleId(name: string): string {
    let id = this.roleIds.get(name)
    if (!id) this.roleIds.set(name, (id = stableHexId(`role:${name}`)))
    return id
  }

  projectByName(name: string, domainId?: string): Project | undefined {
    for (const p of this.projects.values()) if (p.name === name && (domainId === undefined || p.domainId === domainId)) return p
    return undefined
  }

  private addAppCred(c: EmulatorApplicationCredential): AppCred {
    const user = [...this.users.values()].find((u) => u.name === c.user)
    const project = this.projectByName(c.project)
    if (!user || !project) throw new Error(`application credential ${c.name}: unknown user or project`)
    const cred = { id: c.id ?? hexId(), name: c.name, secret: c.secret, userId: user.id, projectId: project.id, roles: c.roles ?? user.roles.get(project.id) ?? [] }
    this.appCreds.set(cred.id, cred)
    return cred
  }

  // ---- tokens as Monasca's keystonemiddleware sees them ----------------------------------

  /** Resolve an X-Auth-Token: a static token, or a live token this Keystone issued. */
  resolve(token: string): { projectId?: string; roles: string[]; userId?: string } | undefined {
    const fixed = this.staticTokens.get(token)
    if (fixed) return { projectId: fixed.projectId, roles: fixed.roles ?? ['monasca-user'], ...(fixed.userId ? { userId: fixed.userId } : {}) }
    const issued = this.live(token)
    if (!issued) return undefined
    return { ...(issued.projectId ? { projectId: issued.projectId } : {}), roles: issued.roles, userId: issued.userId }
  }

  private live(token: string): IssuedToken | undefined {
    const t = this.issued.get(token)
    if (!t || t.revoked || this.isExpired(t) || (t.appCredId && !this.appCreds.has(t.appCredId))) return undefined
    return t
  }

  private isExpired(t: IssuedToken): boolean {
    return this.clock() >= t.expiresAt
  }

  /** Test hook: mint a project-scoped token without a password round trip. */
  issueToken(spec: { projectId: string; roles?: string[]; expiresInSeconds?: number; userId?: string }): string {
    const now = Math.floor(this.clock() / 1000) * 1000
    const id = fernetLikeToken()
    const userId = spec.userId ?? [...this.users.values()][0]?.id ?? stableHexId('user:emulator')
    this.issued.set(id, {
      id,
      userId,
      projectId: spec.projectId,
      roles: spec.roles ?? ['monasca-user'],
      methods: ['token'],
      auditIds: [auditId()],
      issuedAt: now,
      expiresAt: now + (spec.expiresInSeconds !== undefined ? spec.expiresInSeconds * 1000 : this.lifetimeMs),
    })
    return id
  }

  /** Test hook: end the life of every live issued token now (a session that expired); static tokens stay. Returns how many. */
  expireTokens(): number {
    const now = this.clock()
    let count = 0
    for (const t of this.issued.values()) {
      if (t.revoked || this.isExpired(t)) continue
      t.expiresAt = now
      count++
    }
    return count
  }

  /** Test hook: revoke a token (issued or static). Returns whether it was known. */
  revokeToken(token: string): boolean {
    const t = this.issued.get(token)
    if (t) {
      t.revoked = true
      return true
    }
    return this.staticTokens.delete(token)
  }

  // ---- HTTP ------------------------------------------------------------------------------

  async handle(request: Request, path: string, base: string): Promise<Response> {
    const method = request.method.toUpperCase()
    this.currentBase = base
    if (path === '/v3' || path === '/v3/') {
      if (method !== 'GET' && method !== 'HEAD') throw keystoneError(405, 'Method Not Allowed', 'The method is not allowed for the requested URL.')
      return json(200, this.versionDocument(base))
    }
    if (path === '/v3/auth/tokens') {
      if (method === 'POST') return this.issue(request, base)
      if (method === 'GET' || method === 'HEAD') return this.validate(request, base, method === 'HEAD')
      if (method === 'DELETE') return this.revoke(request)
      throw keystoneError(405, 'Method Not Allowed', 'The method is not allowed for the requested URL.')
    }
    const appCreds = /^\/v3\/users\/([^/]+)\/application_credentials(?:\/([^/]+))?$/.exec(path)
    if (appCreds) return this.applicationCredentials(request, method, decodeURIComponent(appCreds[1]!), appCreds[2] && decodeURIComponent(appCreds[2]), base)
    if (path === '/v3/auth/catalog' && method === 'GET') {
      this.authenticateHeader(request)
      return json(200, { catalog: this.catalog(base), links: { self: `${base}/v3/auth/catalog`, previous: null, next: null } })
    }
    throw keystoneError(404, 'Not Found', 'The resource could not be found.')
  }

  private versionDocument(base: string) {
    return {
      version: {
        id: 'v3.14',
        status: 'stable',
        updated: '2020-04-07T00:00:00Z',
        links: [{ rel: 'self', href: `${base}/v3/` }],
        'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
      },
    }
  }

  private unauthorized(extra: Record<string, unknown> = {}, message = KEYSTONE_UNAUTHORIZED_MESSAGE): HttpError {
    return keystoneUnauthorized(this.currentBase, message, extra)
  }
  /** Base URL of the request being handled (for WWW-Authenticate). */
  private currentBase = ''

  private badRequest(message: string): HttpError {
    return keystoneError(400, 'Bad Request', message)
  }

  private async issue(request: Request, base: string): Promise<Response> {
    const body = await readJson(request)
    if (!body.ok || body.empty) throw this.badRequest('The request body is not valid JSON.')
    const auth = isPlainObject(body.value) ? body.value.auth : undefined
    if (!isPlainObject(auth)) throw this.badRequest("'auth' is a required property")
    const identity = auth.identity
    if (!isPlainObject(identity)) throw this.badRequest("'identity' is a required property")
    const methods = identity.methods
    if (!Array.isArray(methods) || methods.length === 0 || !methods.every((m) => typeof m === 'string')) {
      throw this.badRequest("'methods' is a required property")
    }
    const scope = auth.scope
    const now = Math.floor(this.clock() / 1000) * 1000

    let userId: string
    let tokenMethods: string[]
    let expiresAt = now + this.lifetimeMs
    let audit = [auditId()]
    let appCred: AppCred | undefined
    let inheritedProject: string | undefined

    const method = methods[0] as string
    if (method === 'password') {
      const user = this.passwordUser(identity.password)
      userId = user.id
      tokenMethods = ['password']
    } else if (method === 'token') {
      const tokenSpec = identity.token
      const id = isPlainObject(tokenSpec) ? tokenSpec.id : undefined
      if (typeof id !== 'string') throw this.badRequest("'id' is a required property")
      const original = this.live(id)
      if (!original) throw keystoneError(404, 'Not Found', 'Failed to validate token')
      userId = original.userId
      tokenMethods = ['token', ...original.methods.filter((m) => m !== 'token')]
      expiresAt = original.expiresAt // rescoping never extends a token's life
      audit = [auditId(), original.auditIds[original.auditIds.length - 1]!]
      if (original.appCredId) {
        appCred = this.appCreds.get(original.appCredId)
        inheritedProject = original.projectId
      }
    } else if (method === 'application_credential') {
      appCred = this.applicationCredential(identity.application_credential)
      if (scope !== undefined) {
        throw this.unauthorized({ identity: {} }, 'Error authenticating with application credential: Application credentials cannot request a scope.')
      }
      userId = appCred.userId
      tokenMethods = ['application_credential']
      inheritedProject = appCred.projectId
    } else {
      throw this.unauthorized()
    }

    let projectId: string | undefined = inheritedProject
    let roles: string[] = []
    if (scope !== undefined) {
      const project = this.scopeProject(scope)
      if (appCred && project.id !== appCred.projectId) throw this.unauthorized()
      projectId = project.id
    }
    if (projectId) {
      roles = appCred ? appCred.roles : (this.users.get(userId)?.roles.get(projectId) ?? [])
      if (roles.length === 0) throw this.unauthorized()
    }

    const token: IssuedToken = {
      id: fernetLikeToken(),
      userId,
      ...(projectId ? { projectId } : {}),
      roles,
      methods: tokenMethods,
      auditIds: audit,
      issuedAt: now,
      expiresAt,
      ...(appCred ? { appCredId: appCred.id } : {}),
    }
    this.issued.set(token.id, token)
    const withCatalog = !new URL(request.url, 'http://emulator.invalid').searchParams.has('nocatalog')
    return json(201, { token: this.tokenBody(token, base, withCatalog) }, { 'X-Subject-Token': token.id, Vary: 'X-Auth-Token' })
  }

  private passwordUser(spec: unknown): User {
    const userSpec = isPlainObject(spec) ? spec.user : undefined
    if (!isPlainObject(userSpec)) throw this.badRequest("'user' is a required property")
    const password = userSpec.password
    if (typeof password !== 'string') throw this.badRequest("'password' is a required property")
    const user = this.findUser(userSpec)
    if (!user || user.password !== password) throw this.unauthorized()
    return user
  }

  private findUser(spec: Record<string, unknown>): User | undefined {
    if (typeof spec.id === 'string') return this.users.get(spec.id)
    if (typeof spec.name !== 'string') throw this.badRequest('Expecting to find domain in user. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.')
    const domain = spec.domain
    if (!isPlainObject(domain)) throw this.badRequest('Expecting to find domain in user. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.')
    const domainId = this.domainIdOf(domain)
    for (const u of this.users.values()) if (u.name === spec.name && u.domainId === domainId) return u
    return undefined
  }

  private domainIdOf(domain: Record<string, unknown>): string | undefined {
    if (typeof domain.id === 'string') return domain.id
    if (typeof domain.name === 'string') {
      for (const [id, name] of Object.entries(DOMAINS)) if (name === domain.name) return id
      return domain.name
    }
    return undefined
  }

  private applicationCredential(spec: unknown): AppCred {
    if (!isPlainObject(spec)) throw this.badRequest("'application_credential' is a required property")
    if (typeof spec.secret !== 'string') throw this.badRequest("'secret' is a required property")
    let cred: AppCred | undefined
    if (typeof spec.id === 'string') cred = this.appCreds.get(spec.id)
    else if (typeof spec.name === 'string' && isPlainObject(spec.user)) {
      const user = this.findUser(spec.user)
      cred = [...this.appCreds.values()].find((c) => c.name === spec.name && c.userId === user?.id)
    } else throw this.badRequest('Could not find application credential: Expecting id or name and user.')
    if (!cred || cred.secret !== spec.secret) throw this.unauthorized()
    return cred
  }

  private scopeProject(scope: unknown): Project {
    const projectSpec = isPlainObject(scope) ? scope.project : undefined
    if (!isPlainObject(projectSpec)) throw this.unauthorized()
    let project: Project | undefined
    if (typeof projectSpec.id === 'string') project = this.projects.get(projectSpec.id)
    else if (typeof projectSpec.name === 'string' && isPlainObject(projectSpec.domain)) {
      project = this.projectByName(projectSpec.name, this.domainIdOf(projectSpec.domain))
    } else throw this.badRequest('Expecting to find domain in project. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.')
    if (!project) throw this.unauthorized()
    return project
  }

  private tokenBody(t: IssuedToken, base: string, withCatalog: boolean): Record<string, unknown> {
    const user = this.users.get(t.userId)
    const domainName = (id: string) => DOMAINS[id] ?? id
    const body: Record<string, unknown> = {
      methods: t.methods,
      user: {
        domain: { id: user?.domainId ?? 'default', name: domainName(user?.domainId ?? 'default') },
        id: t.userId,
        name: user?.name ?? t.userId,
        password_expires_at: null,
      },
      audit_ids: t.auditIds,
      expires_at: keystoneTime(t.expiresAt),
      issued_at: keystoneTime(t.issuedAt),
    }
    if (t.projectId) {
      const project = this.projects.get(t.projectId)
      body.project = {
        domain: { id: project?.domainId ?? 'default', name: domainName(project?.domainId ?? 'default') },
        id: t.projectId,
        name: project?.name ?? t.projectId,
      }
      body.is_domain = false
      body.roles = t.roles.map((name) => ({ id: this.roleId(name), name }))
      if (withCatalog) body.catalog = this.catalog(base)
    }
    if (t.appCredId) {
      const cred = this.appCreds.get(t.appCredId)
      if (cred) body.application_credential = { id: cred.id, name: cred.name, restricted: true }
    }
    return body
  }

  /** identity and monitoring services, each with public/internal/admin endpoints on this emulator. */
  catalog(base: string): unknown[] {
    const region = this.options.region ?? 'RegionOne'
    const endpoints = (service: string, url: string) =>
      (['public', 'internal', 'admin'] as const).map((iface) => ({
        id: stableHexId(`endpoint:${service}:${iface}`),
        interface: iface,
        region_id: region,
        url,
        region,
      }))
    return [
      { endpoints: endpoints('identity', `${base}/v3/`), id: stableHexId('service:identity'), type: 'identity', name: 'keystone' },
      { endpoints: endpoints('monitoring', `${base}/v2.0`), id: stableHexId('service:monitoring'), type: 'monitoring', name: 'monasca' },
    ]
  }

  /** The caller's own token (X-Auth-Token) for Keystone APIs; 401 when missing or dead. */
  private authenticateHeader(request: Request): IssuedToken {
    const token = request.headers.get('x-auth-token')
    const t = token ? this.live(token) : undefined
    if (!t) throw this.unauthorized()
    return t
  }

  private validate(request: Request, base: string, head: boolean): Response {
    this.authenticateHeader(request)
    const subject = request.headers.get('x-subject-token') ?? ''
    const known = this.issued.get(subject)
    if (!known) throw keystoneError(404, 'Not Found', 'Could not recognize Fernet token')
    const url = new URL(request.url, 'http://emulator.invalid')
    const allowExpired = /^(1|true)$/i.test(url.searchParams.get('allow_expired') ?? '')
    if (known.revoked || (this.isExpired(known) && !allowExpired)) throw keystoneError(404, 'Not Found', 'Failed to validate token')
    const withCatalog = !url.searchParams.has('nocatalog')
    const headers = { 'X-Subject-Token': subject, Vary: 'X-Auth-Token' }
    if (head) return new Response(null, { status: 200, headers })
    return json(200, { token: this.tokenBody(known, base, withCatalog) }, headers)
  }

  private revoke(request: Request): Response {
    this.authenticateHeader(request)
    const subject = request.headers.get('x-subject-token') ?? ''
    const known = this.issued.get(subject)
    if (!known) throw keystoneError(404, 'Not Found', 'Could not recognize Fernet token')
    if (known.revoked || this.isExpired(known)) throw keystoneError(404, 'Not Found', 'Failed to validate token')
    known.revoked = true
    return noContent()
  }

  private async applicationCredentials(request: Request, method: string, userId: string, credId: string | undefined, base: string): Promise<Response> {
    const caller = this.authenticateHeader(request)
    if (caller.userId !== userId) throw keystoneError(403, 'Forbidden', 'You are not authorized to perform the requested action: identity:create_application_credential.')
    if (method === 'POST' && !credId) {
      if (caller.appCredId) {
        throw keystoneError(403, 'Forbidden', "You are not authorized to perform the requested action: Using method 'application_credential' is not allowed for managing additional application credentials..")
      }
      if (!caller.projectId) throw keystoneError(400, 'Bad Request', 'Application credentials must be created with a project-scoped token.')
      const body = await readJson(request)
      const spec = body.ok && isPlainObject(body.value) ? body.value.application_credential : undefined
      if (!isPlainObject(spec) || typeof spec.name !== 'string') throw this.badRequest("'name' is a required property")
      const secret = typeof spec.secret === 'string' ? spec.secret : fernetLikeToken().slice(7, 93)
      const user = this.users.get(userId)
      const project = this.projects.get(caller.projectId)
      const cred = this.addAppCred({ name: spec.name, secret, user: user?.name ?? userId, project: project?.name ?? caller.projectId, roles: caller.roles })
      return json(201, {
        application_credential: {
          id: cred.id,
          name: cred.name,
          description: typeof spec.description === 'string' ? spec.description : null,
          user_id: cred.userId,
          project_id: cred.projectId,
          system: null,
          expires_at: null,
          unrestricted: null,
          roles: cred.roles.map((name) => ({ id: this.roleId(name), name, domain_id: null, description: null, options: {} })),
          secret,
          links: { self: `${base}/v3/application_credentials/${cred.id}` },
        },
      })
    }
    if (method === 'DELETE' && credId) {
      const cred = this.appCreds.get(credId)
      if (!cred || cred.userId !== userId) throw keystoneError(404, 'Not Found', `Could not find application credential: ${credId}.`)
      this.appCreds.delete(credId)
      return noContent()
    }
    throw keystoneError(405, 'Method Not Allowed', 'The method is not allowed for the requested URL.')
  }
}

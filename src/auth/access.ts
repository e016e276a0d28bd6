/** What a Keystone token response says: who, which scope, until when, and the service catalog. */
import { KeystoneAuthError } from '../errors.js'

export interface CatalogEndpoint {
  id?: string
  interface: string
  region_id?: string | null
  region?: string | null
  url: string
}

export interface CatalogService {
  id?: string
  type: string
  name?: string
  endpoints: CatalogEndpoint[]
}

export interface AccessInfo {
  /** The token to send as X-Auth-Token. */
  token: string
  /** Expiry on Keystone's clock (`expires_at`, or `exp` of a JWS token); null when the token does not expire. */
  expiresAt: Date | null
  issuedAt: Date | null
  userId?: string
  userName?: string
  projectId?: string
  projectName?: string
  domainId?: string
  domainName?: string
  roles: string[]
  methods: string[]
  /** Empty for an unscoped token. */
  catalog: CatalogService[]
  /** Keystone's response body, `{ token: {...} }`. */
  body: unknown
}

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/** Build AccessInfo from a token and Keystone's `{ token: {...} }` body; throws when the body is not one. */
export function accessFromBody(token: string, body: unknown): AccessInfo {
  const data = isObject(body) ? body.token : undefined
  if (!isObject(data)) throw new KeystoneAuthError('Keystone answered without a token in the response body')
  const user = isObject(data.user) ? data.user : {}
  const project = isObject(data.project) ? data.project : {}
  const domain = isObject(data.domain) ? data.domain : {}
  const access: AccessInfo = {
    token,
    expiresAt: parseTime(data.expires_at) ?? jwsExpiry(token),
    issuedAt: parseTime(data.issued_at),
    roles: Array.isArray(data.roles) ? data.roles.flatMap((r) => (isObject(r) && typeof r.name === 'string' ? [r.name] : [])) : [],
    methods: Array.isArray(data.methods) ? data.methods.filter((m): m is string => typeof m === 'string') : [],
    catalog: Array.isArray(data.catalog) ? data.catalog.flatMap(parseService) : [],
    body,
  }
  const optional = {
    userId: str(user.id),
    userName: str(user.name),
    projectId: str(project.id),
    projectName: str(project.name),
    domainId: str(domain.id),
    domainName: str(domain.name),
  }
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (access as unknown as Json)[key] = value
  return access
}

function parseTime(value: unknown): Date | null {
  if (typeof value !== 'string') return null
  const ms = Date.parse(value)
  return Number.isFinite(ms) ? new Date(ms) : null
}

/** `exp` of a JWS-format token (Keystone's jws provider); null for fernet or anything unreadable. */
function jwsExpiry(token: string): Date | null {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  try {
    // Only the payload's `exp` is read; the signature is Keystone's business, not the client's.
    const base64 = parts[1]!.replace(/-/g, '+').replace(/_/g, '/')
    const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0))
    const payload = JSON.parse(new TextDecoder().decode(bytes)) as { exp?: unknown }
    return typeof payload?.exp === 'number' && Number.isFinite(payload.exp) ? new Date(payload.exp * 1000) : null
  } catch {
    return null
  }
}

function parseService(value: unknown): CatalogService[] {
  if (!isObject(value) || typeof value.type !== 'string') return []
  const endpoints = Array.isArray(value.endpoints) ? value.endpoints.flatMap(parseEndpoint) : []
  const service: CatalogService = { type: value.type, endpoints }
  if (typeof value.id === 'string') service.id = value.id
  if (typeof value.name === 'string') service.name = value.name
  return [service]
}

function parseEndpoint(value: unknown): CatalogEndpoint[] {
  if (!isObject(value) || typeof value.url !== 'string' || typeof value.interface !== 'string') return []
  const endpoint: CatalogEndpoint = { interface: value.interface, url: value.url }
  if (typeof value.id === 'string') endpoint.id = value.id
  if (typeof value.region_id === 'string' || value.region_id === null) endpoint.region_id = value.region_id
  if (typeof value.region === 'string' || value.region === null) endpoint.region = value.region
  return [endpoint]
}

/** /v2.0/notification-methods and /types: validation failures are 400s, name clashes 409. */
import { type Context, type LinkBase, ROLES } from './context.js'
import { badRequest, conflict, contentType, isPlainObject, json, noContent, notFound, readJson } from './http.js'
import { uuid } from './ids.js'
import { integerOffset, parseSortBy, pythonInt, queryLimit } from './query.js'
import { sortRows } from './alarm-definitions.js'
import type { Store } from './store.js'
import type { NotificationRecord } from './types.js'
import { pyLen, pyStr } from './validation.js'

export interface NotificationSettings {
  types: string[]
  validPeriods: number[]
  nextOffset: 'uuid' | 'integer'
}

/** Python's urlparse scheme/netloc split, enough for the WEBHOOK rule. */
function urlParts(address: string): { scheme: string; netloc: string } {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(address)
  const scheme = m ? m[1]!.toLowerCase() : ''
  const rest = m ? m[2]! : address
  if (!rest.startsWith('//')) return { scheme, netloc: '' }
  const end = rest.slice(2).search(/[/?#]/)
  return { scheme, netloc: end === -1 ? rest.slice(2) : rest.slice(2, 2 + end) }
}

const schemaError = (message: string, key: string) => badRequest(`${message} for dictionary value @ data['${key}']`)

/** notifications_request_body_schema.parse_and_validate; returns the normalised record fields. */
function parseAndValidate(body: Record<string, unknown>, settings: NotificationSettings, requireAll: boolean) {
  for (const key of Object.keys(body)) {
    if (!['name', 'type', 'address', 'period'].includes(key)) throw badRequest(`extra keys not allowed @ data['${key}']`)
  }
  for (const key of ['name', 'type', 'address'] as const) {
    if (!(key in body)) throw badRequest(`required key not provided @ data['${key}']`)
    if (typeof body[key] !== 'string') throw schemaError('expected str', key)
  }
  const name = body.name as string
  const type = body.type as string
  const address = body.address as string
  if (pyLen(name) > 250) throw schemaError('length of value must be at most 250', 'name')
  if (pyLen(address) > 512) throw schemaError('length of value must be at most 512', 'address')
  let period = 0
  if (!('period' in body)) {
    if (requireAll) throw badRequest('Period is required')
  } else {
    const raw = body.period
    if (!(typeof raw === 'number' && Number.isInteger(raw)) && typeof raw !== 'string' && typeof raw !== 'boolean') {
      throw schemaError('expected int', 'period')
    }
    const parsed = typeof raw === 'string' ? pythonInt(raw) : Number(raw)
    if (parsed === undefined) throw badRequest(`Period ${pyStr(raw)} must be a valid integer`)
    if (parsed !== 0 && !settings.validPeriods.includes(parsed)) {
      throw badRequest(`${parsed} is not in the configured list of valid periods: [${settings.validPeriods.join(', ')}]`)
    }
    period = parsed
  }
  const upper = type.toUpperCase()
  if (upper === 'EMAIL' && !/^.+@.+$/s.test(address)) throw badRequest(`Address ${address} is not of correct format`)
  if (upper === 'WEBHOOK') {
    const { scheme, netloc } = urlParts(address)
    if (!scheme) throw badRequest(`Address ${address} does not have URL scheme`)
    if (!netloc) throw badRequest(`Address ${address} does not have network location`)
    if (scheme !== 'http' && scheme !== 'https') throw badRequest(`Address ${address} scheme is not in ['http', 'https']`)
  }
  return { name, type: upper, address, period }
}

export function notificationBody(ctx: LinkBase, n: NotificationRecord) {
  return {
    id: n.id,
    links: [{ rel: 'self', href: ctx.href(`/v2.0/notification-methods/${n.id}`) }],
    name: n.name,
    type: n.type,
    address: n.address,
    period: n.period,
  }
}

export class Notifications {
  constructor(
    private readonly store: Store,
    private readonly settings: NotificationSettings,
  ) {}

  private find(ctx: Context, id: string): NotificationRecord {
    const n = this.store.notifications.get(id)
    if (!n || n.tenant !== ctx.tenant) throw notFound()
    return n
  }

  private nameConflict(tenant: string, name: string, expectedId?: string): void {
    const existing = this.store.notificationsOf(tenant).find((n) => n.name === name)
    if (!existing) return
    if (!expectedId) throw conflict(`A notification method with the name ${name} already exists`)
    if (existing.id !== expectedId) throw conflict(`A notification method with name ${name} already exists with id ${existing.id}`)
  }

  private typeExists(type: string): void {
    if (!this.settings.types.map((t) => t.toUpperCase()).includes(type)) {
      throw badRequest(`Not a valid notification method type ${type} `)
    }
  }

  private async body(ctx: Context): Promise<Record<string, unknown>> {
    const body = await readJson(ctx.request)
    if (!body.ok || body.empty) throw badRequest('Request body is not valid JSON', 'Bad request')
    if (!isPlainObject(body.value)) throw badRequest('expected a dictionary')
    return body.value
  }

  private requireJson(ctx: Context): void {
    if (contentType(ctx.request) !== 'application/json') throw badRequest('Bad content type. Must be application/json', 'Bad request')
  }

  async create(ctx: Context): Promise<Response> {
    this.requireJson(ctx)
    ctx.authorize(ROLES.write)
    const fields = parseAndValidate(await this.body(ctx), this.settings, false)
    this.nameConflict(ctx.tenant, fields.name)
    this.typeExists(fields.type)
    const now = Math.floor(ctx.now / 1000) * 1000
    const n: NotificationRecord = { id: uuid(), tenant: ctx.tenant, ...fields, created_at: now, updated_at: now }
    this.store.notifications.set(n.id, n)
    return json(201, notificationBody(ctx, n))
  }

  get(ctx: Context, id: string): Response {
    ctx.authorize(ROLES.read)
    return json(200, notificationBody(ctx, this.find(ctx, id)))
  }

  list(ctx: Context): Response {
    ctx.authorize(ROLES.read)
    const sortBy = parseSortBy(ctx.query, ['id', 'name', 'type', 'address', 'updated_at', 'created_at'])
    const offset = integerOffset(ctx.query, (raw) => `Offset value ${raw} must be an integer`)
    const limit = queryLimit(ctx.query)
    const rows = sortRows(
      this.store.notificationsOf(ctx.tenant),
      sortBy ?? [],
      (n, field) => n[field as keyof NotificationRecord] as string | number,
      (n) => n.id,
    )
      .slice(offset, offset + limit + 1)
      .map((n) => notificationBody(ctx, n))
    const links = [{ rel: 'self', href: ctx.selfLink() }]
    if (rows.length > limit && limit > 0) {
      // The real server puts the last element's UUID here (helpers.paginate) and then refuses it (422).
      const next = this.settings.nextOffset === 'uuid' ? rows[limit - 1]!.id : String(offset + limit)
      links.push({ rel: 'next', href: ctx.nextLink(next) })
    }
    return json(200, { links, elements: rows.slice(0, limit) })
  }

  async update(ctx: Context, id: string, patch: boolean): Promise<Response> {
    this.requireJson(ctx)
    ctx.authorize(ROLES.write)
    const body = await this.body(ctx)
    if (patch) {
      const old = this.find(ctx, id)
      for (const key of ['name', 'type', 'address', 'period'] as const) if (!(key in body)) body[key] = old[key]
    }
    const fields = parseAndValidate(body, this.settings, true)
    this.nameConflict(ctx.tenant, fields.name, id)
    this.typeExists(fields.type)
    const n = this.find(ctx, id)
    Object.assign(n, fields, { updated_at: Math.floor(ctx.now / 1000) * 1000 })
    return json(200, notificationBody(ctx, n))
  }

  delete(ctx: Context, id: string): Response {
    ctx.authorize(ROLES.write)
    this.find(ctx, id)
    this.store.notifications.delete(id)
    // ON DELETE CASCADE: the method leaves every action list.
    for (const d of this.store.definitions.values()) {
      d.alarm_actions = d.alarm_actions.filter((a) => a !== id)
      d.ok_actions = d.ok_actions.filter((a) => a !== id)
      d.undetermined_actions = d.undetermined_actions.filter((a) => a !== id)
    }
    return noContent()
  }

  types(ctx: Context): Response {
    ctx.authorize(ROLES.read)
    const elements = [...new Set(this.settings.types.map((t) => t.toUpperCase()))].sort().map((type) => ({ type }))
    return json(200, { links: [{ rel: 'self', href: ctx.selfLink() }], elements })
  }
}

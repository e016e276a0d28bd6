/** /v2.0/alarm-definitions: CRUD with the server's schema checks, 409/422 rules and list filters. */
import { ExpressionError, type AlarmExpression, type SubExpression, parseExpression } from '../expression/index.js'
import { type Context, type LinkBase, ROLES } from './context.js'
import { badRequest, conflict, isPlainObject, json, monascaError, noContent, notFound, readJson, unprocessable } from './http.js'
import { uuid } from './ids.js'
import { integerOffset, parseDimensions, parseSortBy, queryLimit } from './query.js'
import type { Store } from './store.js'
import type { AlarmDefinitionRecord, Severity } from './types.js'
import { MetricValidationError, pyLen, pyStr, validateDimensionKey } from './validation.js'

export const SEVERITIES: Severity[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']
const ACTION_LISTS = [
  ['alarm_actions', 'ALARM'],
  ['ok_actions', 'OK'],
  ['undetermined_actions', 'UNDETERMINED'],
] as const
const SCHEMA_KEYS = ['name', 'expression', 'description', 'severity', 'match_by', 'ok_actions', 'alarm_actions', 'undetermined_actions', 'actions_enabled'] as const

export interface DefinitionHooks {
  /** A definition was created or its expression changed: evaluate it against stored series. */
  changed(def: AlarmDefinitionRecord, created: boolean): void
  /** A definition was deleted: its alarms go with it. */
  deleted(def: AlarmDefinitionRecord): void
}

const voluptuous = (message: string, key: string) => unprocessable(`${message} for dictionary value @ data['${key}']`)

/** alarm_definition_request_body_schema, voluptuous-style messages; `requireAll` for PUT. */
function validateSchema(body: Record<string, unknown>, requireAll: boolean): void {
  for (const key of SCHEMA_KEYS) {
    if (!(key in body)) {
      if (requireAll || key === 'name' || key === 'expression') throw unprocessable(`required key not provided @ data['${key}']`)
      continue
    }
    const v = body[key]
    switch (key) {
      case 'name':
      case 'description':
        if (typeof v !== 'string') throw voluptuous('expected str', key)
        if (pyLen(v) > 255) throw voluptuous('length of value must be at most 255', key)
        break
      case 'expression':
        if (typeof v !== 'string') throw voluptuous('expected str', key)
        break
      case 'severity':
        if (typeof v !== 'string' || !(SEVERITIES as string[]).includes(v.toUpperCase())) throw voluptuous('not a valid value', key)
        break
      case 'match_by':
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw voluptuous('expected list', key)
        break
      case 'actions_enabled':
        if (typeof v !== 'boolean') throw voluptuous('expected bool', key)
        break
      default: {
        const label = ACTION_LISTS.find(([k]) => k === key)![1]
        validateActionList(v, label, key)
      }
    }
  }
}

function validateActionList(v: unknown, label: string, key: string): asserts v is string[] {
  if (!Array.isArray(v)) throw voluptuous(`Not a list: <class '${v === null ? 'NoneType' : typeof v === 'string' ? 'str' : 'dict'}'>`, key)
  const seen: string[] = []
  for (const id of v) {
    if (typeof id !== 'string') throw voluptuous(`list item <${pyStr(id)}> -> <class '${typeof id === 'number' ? 'int' : 'dict'}'> not one of (str, unicode)`, key)
    if (pyLen(id) > 50) throw voluptuous(`length ${pyLen(id)} > 50`, key)
    if (seen.includes(id)) throw voluptuous(`Duplicate ${label} notification method ${id}`, key)
    seen.push(id)
  }
}

/** Real expressions nest a few levels; the recursive-descent parser would overflow the stack long before this matters. */
const MAX_EXPRESSION_NESTING = 64

/** The deepest parenthesis nesting (quotes are not part of the grammar's dimension values). */
function nesting(expression: string): number {
  let depth = 0
  let max = 0
  for (const ch of expression) {
    if (ch === '(') max = Math.max(max, ++depth)
    else if (ch === ')') depth = Math.max(0, depth - 1)
  }
  return max
}

function parse(expression: string): AlarmExpression {
  if (nesting(expression) > MAX_EXPRESSION_NESTING) {
    const shown = expression.length > 120 ? `${expression.slice(0, 120)}…` : expression
    throw unprocessable(`parser failed on expression '${shown}': parentheses nested more than ${MAX_EXPRESSION_NESTING} levels deep`, 'Invalid alarm expression')
  }
  try {
    return parseExpression(expression)
  } catch (e) {
    if (e instanceof ExpressionError) throw unprocessable(e.message, 'Invalid alarm expression')
    // Whatever else the parser trips on is still the expression's fault, never the server's.
    if (e instanceof RangeError) throw unprocessable(`parser failed on expression: ${e.message}`, 'Invalid alarm expression')
    throw e
  }
}

export function definitionBody(ctx: LinkBase, d: AlarmDefinitionRecord, { list = false } = {}) {
  return {
    id: d.id,
    links: [{ rel: 'self', href: ctx.href(`/v2.0/alarm-definitions/${d.id}`) }],
    name: d.name,
    description: list ? d.description || '' : d.description,
    expression: d.expression,
    deterministic: d.parsed.deterministic,
    match_by: [...d.match_by],
    severity: d.severity,
    actions_enabled: d.actions_enabled,
    alarm_actions: [...d.alarm_actions],
    ok_actions: [...d.ok_actions],
    undetermined_actions: [...d.undetermined_actions],
  }
}

export class AlarmDefinitions {
  constructor(
    private readonly store: Store,
    private readonly hooks: DefinitionHooks,
  ) {}

  private find(ctx: Context, id: string): AlarmDefinitionRecord {
    const d = this.store.definitions.get(id)
    if (!d || d.tenant !== ctx.tenant) throw notFound()
    return d
  }

  private nameConflict(tenant: string, name: string, expectedId?: string): void {
    const existing = this.store.definitionsOf(tenant).find((d) => d.name === name)
    if (!existing) return
    if (!expectedId) throw conflict(`An alarm definition with the name ${name} already exists`)
    if (existing.id !== expectedId) throw conflict(`An alarm definition with the name ${name} already exists with id ${existing.id}`)
  }

  private checkActions(tenant: string, lists: Partial<Record<(typeof ACTION_LISTS)[number][0], string[]>>): void {
    for (const [key, label] of ACTION_LISTS) {
      for (const id of lists[key] ?? []) {
        const n = this.store.notifications.get(id)
        if (!n || n.tenant !== tenant) {
          throw monascaError(422, 'InvalidUpdateException', `Non-existent notification id ${id} submitted for ${label} notification action`)
        }
      }
    }
  }

  private async body(ctx: Context): Promise<Record<string, unknown>> {
    const body = await readJson(ctx.request)
    if (!body.ok || body.empty) throw badRequest('Request body is not valid JSON', 'Bad request')
    if (!isPlainObject(body.value)) throw unprocessable(`expected a dictionary`)
    return body.value
  }

  private validateMatchBy(body: Record<string, unknown>): void {
    if (!Array.isArray(body.match_by)) return
    try {
      for (const key of body.match_by) validateDimensionKey(key)
    } catch (e) {
      if (e instanceof MetricValidationError) throw unprocessable(e.message)
      throw e
    }
  }

  async create(ctx: Context): Promise<Response> {
    ctx.authorize(ROLES.write)
    const body = await this.body(ctx)
    validateSchema(body, false)
    this.validateMatchBy(body)
    const expression = body.expression as string
    const parsed = parse(expression)
    const name = body.name as string
    this.nameConflict(ctx.tenant, name)
    const lists = {
      alarm_actions: (body.alarm_actions as string[] | undefined) ?? [],
      ok_actions: (body.ok_actions as string[] | undefined) ?? [],
      undetermined_actions: (body.undetermined_actions as string[] | undefined) ?? [],
    }
    this.checkActions(ctx.tenant, lists)
    const now = Math.floor(ctx.now / 1000) * 1000
    const d: AlarmDefinitionRecord = {
      id: uuid(),
      tenant: ctx.tenant,
      name,
      description: (body.description as string | undefined) ?? '',
      expression,
      parsed,
      match_by: (body.match_by as string[] | undefined) ?? [],
      severity: ((body.severity as string | undefined)?.toUpperCase() ?? 'LOW') as Severity,
      actions_enabled: true,
      ...lists,
      created_at: now,
      updated_at: now,
    }
    this.store.definitions.set(d.id, d)
    this.hooks.changed(d, true)
    return json(201, definitionBody(ctx, d))
  }

  get(ctx: Context, id: string): Response {
    ctx.authorize(ROLES.read)
    return json(200, definitionBody(ctx, this.find(ctx, id)))
  }

  list(ctx: Context): Response {
    ctx.authorize(ROLES.read)
    const q = ctx.query
    const name = q.get('name')
    const dimensions = parseDimensions(q)
    const severityRaw = q.get('severity')
    let severities: string[] | undefined
    if (severityRaw !== undefined) {
      severities = severityRaw.split('|')
      for (const s of severities) {
        if (!(SEVERITIES as string[]).includes(s.toUpperCase())) {
          throw monascaError(422, 'Invalid Severity', `Severity ${s} must be one of ${pyList(SEVERITIES)}`)
        }
      }
      severities = severities.map((s) => s.toUpperCase())
    }
    const sortBy = parseSortBy(q, ['id', 'name', 'severity', 'updated_at', 'created_at'])
    const offset = integerOffset(q, (raw) => `Offset value ${raw} must be an integer`)
    const limit = queryLimit(q)
    let rows = this.store
      .definitionsOf(ctx.tenant)
      .filter((d) => name === undefined || d.name === name)
      .filter((d) => !severities || severities.includes(d.severity))
      .filter((d) => matchesExpressionDimensions(d, dimensions))
    rows = sortRows(rows, sortBy ?? [], (d, field) => (field === 'created_at' ? d.created_at : field === 'updated_at' ? d.updated_at : String(d[field as 'id'])), (d) => d.id)
    const page = rows.slice(offset, offset + limit + 1).map((d) => definitionBody(ctx, d, { list: true }))
    return json(200, paginateAlarming(ctx, page, offset, limit))
  }

  async update(ctx: Context, id: string, patch: boolean): Promise<Response> {
    ctx.authorize(ROLES.write)
    const body = await this.body(ctx)
    if (!patch) {
      validateSchema(body, true)
      this.validateMatchBy(body)
    } else {
      if ('severity' in body && (typeof body.severity !== 'string' || !(SEVERITIES as string[]).includes(body.severity.toUpperCase()))) {
        throw unprocessable('Invalid severity')
      }
      for (const key of ['name', 'description', 'expression'] as const) {
        if (key in body && body[key] !== null && typeof body[key] !== 'string') throw voluptuous('expected str', key)
      }
      if ('actions_enabled' in body && body.actions_enabled !== null && typeof body.actions_enabled !== 'boolean') throw voluptuous('expected bool', 'actions_enabled')
      if ('match_by' in body && body.match_by !== null && (!Array.isArray(body.match_by) || !body.match_by.every((x) => typeof x === 'string'))) {
        throw voluptuous('expected list', 'match_by')
      }
      for (const [key, label] of ACTION_LISTS) if (key in body && body[key] !== null) validateActionList(body[key], label, key)
    }
    const expression = typeof body.expression === 'string' && body.expression ? body.expression : undefined
    const parsed = expression !== undefined ? parse(expression) : undefined
    const name = typeof body.name === 'string' && body.name ? body.name : undefined
    if (name !== undefined) this.nameConflict(ctx.tenant, name, id)
    const d = this.find(ctx, id)
    if (parsed) checkSubExpressionChanges(d.parsed.sub_expressions, parsed.sub_expressions)
    const matchBy = Array.isArray(body.match_by) ? (body.match_by as string[]) : patch ? d.match_by : []
    if (matchBy.join(',') !== d.match_by.join(',')) throw monascaError(422, 'InvalidUpdateException', 'match_by must not change')
    const lists: Partial<Record<(typeof ACTION_LISTS)[number][0], string[]>> = {}
    for (const [key] of ACTION_LISTS) if (Array.isArray(body[key])) lists[key] = body[key] as string[]
    this.checkActions(ctx.tenant, lists)

    if (name !== undefined) d.name = name
    if (typeof body.description === 'string') d.description = body.description
    else if (!patch) d.description = ''
    if (parsed && expression !== undefined) {
      d.expression = expression
      d.parsed = parsed
    }
    if (typeof body.severity === 'string') d.severity = body.severity.toUpperCase() as Severity
    else if (!patch) d.severity = 'LOW'
    if (typeof body.actions_enabled === 'boolean') d.actions_enabled = body.actions_enabled
    for (const [key] of ACTION_LISTS) {
      const list = lists[key]
      if (list) d[key] = [...list]
    }
    d.updated_at = Math.floor(ctx.now / 1000) * 1000
    if (parsed) this.hooks.changed(d, false)
    return json(200, definitionBody(ctx, d))
  }

  delete(ctx: Context, id: string): Response {
    ctx.authorize(ROLES.write)
    const d = this.find(ctx, id)
    this.store.definitions.delete(id)
    this.hooks.deleted(d)
    return noContent()
  }
}

/** Python's str() of a list of strings: `['LOW', 'MEDIUM']`. */
export const pyList = (items: readonly string[]) => `[${items.map((i) => `'${i}'`).join(', ')}]`

function matchesExpressionDimensions(d: AlarmDefinitionRecord, filter: Record<string, string>): boolean {
  const entries = Object.entries(filter)
  if (entries.length === 0) return true
  return entries.every(([k, v]) => d.parsed.sub_expressions.some((s) => s.dimensions[k] === v))
}

function checkSubExpressionChanges(old: SubExpression[], next: SubExpression[]): void {
  const key = (s: SubExpression) => JSON.stringify([s.metric_name, Object.entries(s.dimensions).sort()])
  const oldKeys = old.map(key).sort()
  const newKeys = next.map(key).sort()
  if (oldKeys.length !== newKeys.length) throw monascaError(422, 'InvalidUpdateException', 'number of subexpressions must not change')
  if (oldKeys.some((k, i) => k !== newKeys[i])) throw monascaError(422, 'InvalidUpdateException', 'metrics in subexpression must not change')
}

/** Stable multi-key sort; `tiebreak` is appended as the server appends `id`. */
export function sortRows<T>(
  rows: T[],
  sortBy: Array<[string, 'asc' | 'desc']>,
  value: (row: T, field: string) => string | number | null,
  tiebreak: (row: T) => string,
): T[] {
  const cmp = (a: string | number | null, b: string | number | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1)
  return [...rows].sort((a, b) => {
    for (const [field, dir] of sortBy) {
      const c = cmp(value(a, field), value(b, field))
      if (c !== 0) return dir === 'asc' ? c : -c
    }
    return cmp(tiebreak(a), tiebreak(b))
  })
}

/** helpers.paginate_alarming: rows fetched as limit+1; next offset = old offset + limit. */
export function paginateAlarming<T>(ctx: Context, rows: T[], offset: number, limit: number) {
  const links = [{ rel: 'self', href: ctx.selfLink() }]
  if (rows.length > limit) {
    links.push({ rel: 'next', href: ctx.nextLink(String(offset + limit)) })
    return { links, elements: rows.slice(0, limit) }
  }
  return { links, elements: rows }
}


import { ExpressionError } from '../expression/errors.js'
import { precheckExpression } from '../expression/precheck.js'
import { UnprocessableEntityError } from '../errors.js'
import type { PagePromise } from '../paginate.js'
import { Query } from '../query.js'
import type { RequestOptions, Transport } from '../transport.js'
import type {
  AlarmDefinition,
  AlarmDefinitionCreate,
  AlarmDefinitionListParams,
  AlarmDefinitionPatch,
  AlarmDefinitionUpdate,
} from '../types.js'
import * as V from '../validate.js'
import { path, Resource } from './base.js'
import type { CallPromise } from './call-promise.js'
import { alarmDefinitionShape } from './shapes.js'

export { ALARM_DEFINITION_SORT_FIELDS } from '../validate.js'
const ACTION_LISTS = ['alarm_actions', 'ok_actions', 'undetermined_actions'] as const

export interface AlarmDefinitionsOptions {
  /**
   * How an expression is checked before it is sent. Default: a structural check (brackets, nesting,
   * characters, a comparison) that needs no parser; pass `parseExpression` for the full grammar,
   * at the cost of bundling the parser (~6 KB minified).
   */
  checkExpression?: (expression: string) => unknown
}

/**
 * Alarm definitions (`/v2.0/alarm-definitions`). A bad expression is an ExpressionError: from the
 * local check before any request, or from the server's 422 "Invalid alarm expression" (then with
 * its status and request id), with the same column, reason and `explain()` either way.
 */
export class AlarmDefinitions extends Resource {
  readonly #check: (expression: string) => unknown

  constructor(transport: Transport, options: AlarmDefinitionsOptions = {}) {
    super(transport)
    this.#check = options.checkExpression ?? precheckExpression
  }

  /** Create a definition (201). The expression is checked here first (see AlarmDefinitionsOptions). */
  create(body: AlarmDefinitionCreate, options?: RequestOptions): CallPromise<AlarmDefinition> {
    return this.call({ method: 'POST', path: '/alarm-definitions', body: () => this.#checked(body, 'create'), shape: alarmDefinitionShape, mapError: expressionError(body) }, options)
  }

  get(id: string, options?: RequestOptions): CallPromise<AlarmDefinition> {
    return this.call({ method: 'GET', path: () => path`/alarm-definitions/${id}`, shape: alarmDefinitionShape }, options)
  }

  list(params: AlarmDefinitionListParams = {}, options?: RequestOptions): PagePromise<AlarmDefinition> {
    return this.paged({
      path: '/alarm-definitions',
      shape: alarmDefinitionShape,
      query: () => {
        const query = new Query().text('name', params.name).dimensions('dimensions', params.dimensions)
        if (params.severity !== undefined) query.set('severity', V.severityList(params.severity))
        if (params.sort_by !== undefined) query.set('sort_by', V.sortBy(params.sort_by, V.ALARM_DEFINITION_SORT_FIELDS))
        return query.page(params, true)
      },
    }, options)
  }

  /** Replace a definition (PUT): every field is required; `match_by` and the metrics may not change. */
  update(id: string, body: AlarmDefinitionUpdate, options?: RequestOptions): CallPromise<AlarmDefinition> {
    return this.call({ method: 'PUT', path: () => path`/alarm-definitions/${id}`, body: () => this.#checked(body, 'update'), shape: alarmDefinitionShape, mapError: expressionError(body) }, options)
  }

  /** Change some fields (PATCH); the others keep their values. */
  patch(id: string, body: AlarmDefinitionPatch, options?: RequestOptions): CallPromise<AlarmDefinition> {
    return this.call({ method: 'PATCH', path: () => path`/alarm-definitions/${id}`, body: () => this.#checked(body, 'patch'), shape: alarmDefinitionShape, mapError: expressionError(body) }, options)
  }

  #checked(body: object, mode: Mode): Record<string, unknown> {
    return checkDefinition(body, mode, this.#check)
  }

  /** Delete a definition and its alarms (204). */
  delete(id: string, options?: RequestOptions): CallPromise<void> {
    return this.call({ method: 'DELETE', path: () => path`/alarm-definitions/${id}` }, options)
  }
}

type Mode = 'create' | 'update' | 'patch'

function checkDefinition(input: object, mode: Mode, checkExpression: (expression: string) => unknown): Record<string, unknown> {
  const body = V.objectBody(input, 'body')
  const required = (field: string) => mode === 'create' ? ['name', 'expression'].includes(field) : mode === 'update'
  const present = (field: string) => {
    if (body[field] !== undefined) return true
    if (required(field)) V.requireString(undefined, field) // throws "must be a string, got undefined"
    return false
  }
  if (present('name')) V.boundedString(body.name, 'name', V.LIMITS.alarmDefinitionName)
  if (present('expression')) checkExpression(V.requireString(body.expression, 'expression'))
  if (present('description')) V.boundedString(body.description, 'description', V.LIMITS.alarmDefinitionDescription, 0)
  if (present('severity')) V.enumValue(body.severity, V.SEVERITIES, 'severity')
  if (mode === 'update' && body.match_by === undefined) V.stringList(undefined, 'match_by')
  if (body.match_by !== undefined) V.stringList(body.match_by, 'match_by').forEach((key, i) => V.dimensionKey(key, `match_by[${i}]`))
  for (const list of ACTION_LISTS) {
    if (mode === 'update' && body[list] === undefined) V.stringList(undefined, list)
    if (body[list] !== undefined) V.stringList(body[list], list, V.LIMITS.actionId)
  }
  if (mode === 'update' && body.actions_enabled === undefined) V.booleanValue(undefined, 'actions_enabled')
  if (body.actions_enabled !== undefined) V.booleanValue(body.actions_enabled, 'actions_enabled')
  return body
}

/** The server's 422 on an expression, as the ExpressionError a local parse gives (status and request id kept). */
function expressionError(body: { expression?: unknown } | null | undefined) {
  return (error: unknown): unknown => {
    const expression = body?.expression
    if (!(error instanceof UnprocessableEntityError) || error.title !== 'Invalid alarm expression' || typeof expression !== 'string') return error
    const prefix = `parser failed on expression '${expression}' at column `
    const match = error.description?.startsWith(prefix) ? /^(\d+): ([^]*)$/.exec(error.description.slice(prefix.length)) : null
    if (!match) return error
    const local = new ExpressionError(expression, Number(match[1]), match[2]!)
    Object.defineProperties(local, {
      status: { value: error.status, enumerable: true },
      requestId: { value: error.requestId, enumerable: true },
      cause: { value: error, configurable: true },
    })
    return local
  }
}

import { parseExpression } from '../expression/index.js'
import type { PagePromise } from '../paginate.js'
import { Query } from '../query.js'
import type { RequestOptions } from '../transport.js'
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
import { SHAPES } from './shapes.js'
import { addDimensions, addPage } from './params.js'

export const ALARM_DEFINITION_SORT_FIELDS = ['id', 'name', 'severity', 'updated_at', 'created_at'] as const
const ACTION_LISTS = ['alarm_actions', 'ok_actions', 'undetermined_actions'] as const

/** Alarm definitions (`/v2.0/alarm-definitions`). */
export class AlarmDefinitions extends Resource {
  /** Create a definition (201). The expression is parsed here first, with the server's grammar. */
  create(body: AlarmDefinitionCreate, options?: RequestOptions): CallPromise<AlarmDefinition> {
    return this.call({ method: 'POST', path: '/alarm-definitions', body: () => checkDefinition(body, 'create'), shape: SHAPES.alarmDefinition }, options)
  }

  get(id: string, options?: RequestOptions): CallPromise<AlarmDefinition> {
    return this.call({ method: 'GET', path: () => path`/alarm-definitions/${id}`, shape: SHAPES.alarmDefinition }, options)
  }

  list(params: AlarmDefinitionListParams = {}, options?: RequestOptions): PagePromise<AlarmDefinition> {
    return this.paged({
      path: '/alarm-definitions',
      shape: SHAPES.alarmDefinition,
      query: () => {
        const query = new Query().set('name', params.name)
        addDimensions(query, 'dimensions', params.dimensions)
        if (params.severity !== undefined) query.set('severity', V.severityList(params.severity))
        if (params.sort_by !== undefined) query.set('sort_by', V.sortBy(params.sort_by, ALARM_DEFINITION_SORT_FIELDS))
        return addPage(query, params, true)
      },
    }, options)
  }

  /** Replace a definition (PUT): every field is required; `match_by` and the metrics may not change. */
  update(id: string, body: AlarmDefinitionUpdate, options?: RequestOptions): CallPromise<AlarmDefinition> {
    return this.call({ method: 'PUT', path: () => path`/alarm-definitions/${id}`, body: () => checkDefinition(body, 'update'), shape: SHAPES.alarmDefinition }, options)
  }

  /** Change some fields (PATCH); the others keep their values. */
  patch(id: string, body: AlarmDefinitionPatch, options?: RequestOptions): CallPromise<AlarmDefinition> {
    return this.call({ method: 'PATCH', path: () => path`/alarm-definitions/${id}`, body: () => checkDefinition(body, 'patch'), shape: SHAPES.alarmDefinition }, options)
  }

  /** Delete a definition and its alarms (204). */
  delete(id: string, options?: RequestOptions): CallPromise<void> {
    return this.call({ method: 'DELETE', path: () => path`/alarm-definitions/${id}` }, options)
  }
}

type Mode = 'create' | 'update' | 'patch'

function checkDefinition(input: object, mode: Mode): Record<string, unknown> {
  const body = V.objectBody(input, 'body')
  const required = (field: string) => mode === 'create' ? ['name', 'expression'].includes(field) : mode === 'update'
  const present = (field: string) => {
    if (body[field] !== undefined) return true
    if (required(field)) V.requireString(undefined, field) // throws "must be a string, got undefined"
    return false
  }
  if (present('name')) V.boundedString(body.name, 'name', V.LIMITS.alarmDefinitionName)
  if (present('expression')) parseExpression(V.requireString(body.expression, 'expression'))
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

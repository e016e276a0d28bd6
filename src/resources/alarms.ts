import type { PagePromise } from '../paginate.js'
import { encodeStrictUtcTime, Query } from '../query.js'
import type { RequestOptions } from '../transport.js'
import type {
  Alarm,
  AlarmCount,
  AlarmCountParams,
  AlarmFilterParams,
  AlarmHistoryListParams,
  AlarmHistoryParams,
  AlarmListParams,
  AlarmPatch,
  AlarmStateHistory,
  AlarmUpdate,
} from '../types.js'
import * as V from '../validate.js'
import { Resource, segment } from './base.js'
import { addDimensions, addPage, addTimeRange } from './params.js'

export const ALARM_SORT_FIELDS = [
  'alarm_id', 'alarm_definition_id', 'alarm_definition_name', 'state', 'severity', 'lifecycle_state', 'link',
  'state_updated_timestamp', 'updated_timestamp', 'created_timestamp',
] as const

export const ALARM_COUNT_GROUP_BY = [
  'alarm_definition_id', 'name', 'state', 'severity', 'link', 'lifecycle_state', 'metric_name', 'dimension_name', 'dimension_value',
] as const

/** Alarms, their counts and their state history (`/v2.0/alarms…`). Alarms are created by the server, never by POST. */
export class Alarms extends Resource {
  get(id: string, options?: RequestOptions): Promise<Alarm> {
    return this.call('GET', () => `/alarms/${segment(id, 'id')}`, undefined, options)
  }

  list(params: AlarmListParams = {}, options?: RequestOptions): PagePromise<Alarm> {
    return this.paged('/alarms', () => {
      const query = filterQuery(params)
      if (params.sort_by !== undefined) query.set('sort_by', V.sortBy(params.sort_by, ALARM_SORT_FIELDS))
      return addPage(query, params, true)
    }, options)
  }

  /** Replace state, lifecycle_state and link (PUT; all three required). */
  update(id: string, body: AlarmUpdate, options?: RequestOptions): Promise<Alarm> {
    return this.call('PUT', () => `/alarms/${segment(id, 'id')}`, () => ({ body: checkAlarmBody(body, true) }), options)
  }

  /** Change some of state, lifecycle_state and link (PATCH). */
  patch(id: string, body: AlarmPatch, options?: RequestOptions): Promise<Alarm> {
    return this.call('PATCH', () => `/alarms/${segment(id, 'id')}`, () => ({ body: checkAlarmBody(body, false) }), options)
  }

  delete(id: string, options?: RequestOptions): Promise<void> {
    return this.call('DELETE', () => `/alarms/${segment(id, 'id')}`, undefined, options)
  }

  /** Count alarms, optionally grouped (`{columns, counts}`; not paged into elements). */
  count(params: AlarmCountParams = {}, options?: RequestOptions): Promise<AlarmCount> {
    return this.call('GET', '/alarms/count', () => {
      const query = filterQuery(params)
      if (params.group_by !== undefined) query.set('group_by', V.groupBy(params.group_by, ALARM_COUNT_GROUP_BY))
      return { query: addPage(query, params, true) }
    }, options)
  }

  /** State transitions of one alarm, oldest first (an unknown id gives an empty list). */
  history(id: string, params: AlarmHistoryParams = {}, options?: RequestOptions): PagePromise<AlarmStateHistory> {
    return this.paged(() => `/alarms/${segment(id, 'id')}/state-history`, () => addPage(new Query(), params), options)
  }

  /** State transitions across the project's alarms, filtered by metric dimensions and time. */
  historyList(params: AlarmHistoryListParams = {}, options?: RequestOptions): PagePromise<AlarmStateHistory> {
    return this.paged('/alarms/state-history', () => {
      const query = addDimensions(new Query(), 'dimensions', params.dimensions)
      addTimeRange(query, params.start_time, params.end_time)
      return addPage(query, params)
    }, options)
  }
}

function filterQuery(params: AlarmFilterParams): Query {
  const query = new Query().set('alarm_definition_id', params.alarm_definition_id)
  if (params.metric_name !== undefined) query.set('metric_name', V.metricName(params.metric_name, 'metric_name'))
  addDimensions(query, 'metric_dimensions', params.metric_dimensions)
  if (params.state !== undefined) query.set('state', V.enumValue(params.state, V.ALARM_STATES, 'state'))
  if (params.severity !== undefined) query.set('severity', V.severityList(params.severity))
  if (params.lifecycle_state !== undefined) query.set('lifecycle_state', V.boundedString(params.lifecycle_state, 'lifecycle_state', V.LIMITS.lifecycleState))
  if (params.link !== undefined) query.set('link', V.boundedString(params.link, 'link', V.LIMITS.link))
  if (params.state_updated_start_time !== undefined) {
    query.set('state_updated_start_time', encodeStrictUtcTime(params.state_updated_start_time, 'state_updated_start_time'))
  }
  return query
}

function checkAlarmBody(input: object, allRequired: boolean): Record<string, unknown> {
  const body = V.objectBody(input, 'body')
  // The body's state is case-sensitive on the server, unlike the query's.
  if (allRequired || body.state !== undefined) V.enumValue(body.state, V.ALARM_STATES, 'state', false)
  if (allRequired || body.lifecycle_state !== undefined) V.boundedString(body.lifecycle_state, 'lifecycle_state', V.LIMITS.lifecycleState)
  if (allRequired || body.link !== undefined) V.boundedString(body.link, 'link', V.LIMITS.link)
  return body
}

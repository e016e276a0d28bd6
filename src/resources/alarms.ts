import type { PagePromise } from '../paginate.js'
import type { CallPromise } from './call-promise.js'
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
import { path, Resource } from './base.js'
import { alarmShape, alarmCountShape, stateHistoryShape } from './shapes.js'

export { ALARM_COUNT_GROUP_BY, ALARM_SORT_FIELDS } from '../validate.js'

/** Alarms, their counts and their state history (`/v2.0/alarms…`). Alarms are created by the server, never by POST. */
export class Alarms extends Resource {
  get(id: string, options?: RequestOptions): CallPromise<Alarm> {
    return this.call({ method: 'GET', path: () => path`/alarms/${id}`, shape: alarmShape }, options)
  }

  list(params: AlarmListParams = {}, options?: RequestOptions): PagePromise<Alarm> {
    return this.paged({
      path: '/alarms',
      shape: alarmShape,
      query: () => {
        const query = filterQuery(params)
        if (params.sort_by !== undefined) query.set('sort_by', V.sortBy(params.sort_by, V.ALARM_SORT_FIELDS))
        return query.page(params, true)
      },
    }, options)
  }

  /** Replace state, lifecycle_state and link (PUT; all three required). */
  update(id: string, body: AlarmUpdate, options?: RequestOptions): CallPromise<Alarm> {
    return this.call({ method: 'PUT', path: () => path`/alarms/${id}`, body: () => checkAlarmBody(body, true), shape: alarmShape }, options)
  }

  /** Change some of state, lifecycle_state and link (PATCH). */
  patch(id: string, body: AlarmPatch, options?: RequestOptions): CallPromise<Alarm> {
    return this.call({ method: 'PATCH', path: () => path`/alarms/${id}`, body: () => checkAlarmBody(body, false), shape: alarmShape }, options)
  }

  delete(id: string, options?: RequestOptions): CallPromise<void> {
    return this.call({ method: 'DELETE', path: () => path`/alarms/${id}` }, options)
  }

  /** Count alarms, optionally grouped (`{columns, counts}`; not paged into elements). */
  count(params: AlarmCountParams = {}, options?: RequestOptions): CallPromise<AlarmCount> {
    return this.call({
      method: 'GET',
      path: '/alarms/count',
      shape: alarmCountShape,
      query: () => {
        const query = filterQuery(params)
        if (params.group_by !== undefined) query.set('group_by', V.groupBy(params.group_by, V.ALARM_COUNT_GROUP_BY))
        return query.page(params, true)
      },
    }, options)
  }

  /** State transitions of one alarm, oldest first (an unknown id gives an empty list). */
  history(id: string, params: AlarmHistoryParams = {}, options?: RequestOptions): PagePromise<AlarmStateHistory> {
    return this.paged({ path: () => path`/alarms/${id}/state-history`, shape: stateHistoryShape, query: () => new Query().page(params) }, options)
  }

  /** State transitions across the project's alarms, filtered by metric dimensions and time. */
  historyList(params: AlarmHistoryListParams = {}, options?: RequestOptions): PagePromise<AlarmStateHistory> {
    return this.paged({
      path: '/alarms/state-history',
      shape: stateHistoryShape,
      query: () => {
        return new Query().dimensions('dimensions', params.dimensions).timeRange(params.start_time, params.end_time).page(params)
      },
    }, options)
  }
}

function filterQuery(params: AlarmFilterParams): Query {
  const query = new Query().text('alarm_definition_id', params.alarm_definition_id)
  if (params.metric_name !== undefined) query.set('metric_name', V.metricName(params.metric_name, 'metric_name'))
  query.dimensions('metric_dimensions', params.metric_dimensions)
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

/**
 * Monasca v2.0 request and response types. Field names are the API's own (`start_time`,
 * `alarm_actions`), so the API reference, the Python client and this code share one vocabulary.
 */

/** A link as the server writes it in `links`. */
export interface Link {
  rel: string
  href: string
}

/** A dimension value in a query: one value, several (OR-matched), or null/'' for "has this key". */
export type DimensionValue = string | readonly string[] | null | undefined
/** Dimensions for a query: an object, or the API's own string form `k:v1|v2,k2`. */
export type DimensionsQuery = string | Readonly<Record<string, DimensionValue>>
/** A point in time: a Date or an ISO-8601 string. */
export type TimeInput = Date | string

export type AlarmState = 'OK' | 'ALARM' | 'UNDETERMINED'
export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL'
export type Statistic = 'avg' | 'min' | 'max' | 'sum' | 'count'
/**
 * The lifecycle states Monasca UI-style consoles use. The API stores any text of ≤ 50 characters,
 * so results and filters take other strings too (`LifecycleState | (string & {})` keeps the hints).
 */
export type LifecycleState = 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED'
/** An alarm state in a query filter: any case (the server compares them case-insensitively). */
export type AlarmStateName = AlarmState | Lowercase<AlarmState>
/** A severity in any case, as the server accepts it in queries and bodies. */
export type SeverityName = Severity | Lowercase<Severity>
/** One severity, several (`['LOW', 'HIGH']`), or the API's `LOW|HIGH` string. */
export type SeverityFilter = SeverityName | readonly SeverityName[] | `${SeverityName}|${string}`

/** Paging parameters. `offset` is opaque: its format differs per resource (see the API reference). */
export interface PageParams {
  offset?: string | number
  /** Page size; the server's default and maximum is 10 000. */
  limit?: number
}

// ---------------------------------------------------------------- metrics

/** A measurement to write (POST /metrics). */
export interface MetricInput {
  name: string
  dimensions?: Record<string, string>
  /** Milliseconds since the epoch. Defaults to now when omitted. */
  timestamp?: number
  value: number
  value_meta?: Record<string, unknown> | null
}

export interface MetricCreateParams {
  /** Write into another project (needs the delegate role, `admin` by default). */
  tenant_id?: string
}

export interface Metric {
  id: string
  name: string
  dimensions: Record<string, string>
}

export interface MetricListParams extends PageParams {
  name?: string
  dimensions?: DimensionsQuery
  start_time?: TimeInput
  end_time?: TimeInput
  tenant_id?: string
}

export interface MetricNameListParams extends PageParams {
  dimensions?: DimensionsQuery
  tenant_id?: string
}

export interface MetricName {
  name: string
}

export interface MeasurementParams extends PageParams {
  name: string
  start_time: TimeInput
  end_time?: TimeInput
  dimensions?: DimensionsQuery
  /** Merge every series that matches (else several matches are a 409 MultipleMetrics). */
  merge_metrics?: boolean | string
  /** `*` or dimension keys: one element per distinct group. */
  group_by?: string | readonly string[]
  tenant_id?: string
}

/** A measurement row: [timestamp, value, value_meta]. */
export type Measurement = [timestamp: string, value: number, value_meta: Record<string, unknown>]

export interface MeasurementSeries {
  id: string
  name: string
  dimensions: Record<string, string>
  columns: string[]
  measurements: Measurement[]
}

export interface StatisticsParams extends MeasurementParams {
  /** Which statistics, in column order: one, a list, or the API's `avg,max` string. */
  statistics: Statistic | readonly Statistic[] | `${Statistic},${string}`
  /** Bucket size in seconds (server default 300). */
  period?: number | string
}

/** A statistics row: [timestamp, ...one number per requested statistic]. */
export type StatisticsRow = [timestamp: string, ...values: number[]]

export interface StatisticsSeries {
  id: string
  name: string
  dimensions: Record<string, string>
  columns: string[]
  statistics: StatisticsRow[]
}

export interface DimensionNameListParams extends PageParams {
  /** One metric name, or several (sent as repeated `metric_name` keys, as the Python client does). */
  metric_name?: string | readonly string[]
  start_time?: TimeInput
  end_time?: TimeInput
  tenant_id?: string
}

export interface DimensionValueListParams extends DimensionNameListParams {
  dimension_name: string
}

export interface DimensionName {
  dimension_name: string
}

export interface DimensionValueElement {
  dimension_value: string
}

// ---------------------------------------------------------------- alarm definitions

export interface AlarmDefinition {
  id: string
  links: Link[]
  name: string
  description: string
  expression: string
  deterministic: boolean
  match_by: string[]
  severity: Severity
  actions_enabled: boolean
  alarm_actions: string[]
  ok_actions: string[]
  undetermined_actions: string[]
}

export interface AlarmDefinitionCreate {
  name: string
  expression: string
  description?: string
  severity?: SeverityName
  match_by?: string[]
  alarm_actions?: string[]
  ok_actions?: string[]
  undetermined_actions?: string[]
}

/** PUT replaces the definition: every field is required (the server answers 422 otherwise). */
export interface AlarmDefinitionUpdate {
  name: string
  description: string
  expression: string
  severity: SeverityName
  match_by: string[]
  alarm_actions: string[]
  ok_actions: string[]
  undetermined_actions: string[]
  actions_enabled: boolean
}

export type AlarmDefinitionPatch = Partial<AlarmDefinitionUpdate>

export interface AlarmDefinitionListParams extends PageParams {
  name?: string
  /** Matched against the dimensions written in the expressions (`k:v,k2:v2`, no `|`). */
  dimensions?: DimensionsQuery
  /** One severity or several (`LOW|MEDIUM`, or a list). */
  severity?: SeverityFilter
  /** `name`, `name desc`, or a list of them. */
  sort_by?: string | readonly string[]
}

// ---------------------------------------------------------------- alarms

export interface AlarmMetric {
  id?: string | null
  name: string
  dimensions: Record<string, string>
}

export interface Alarm {
  id: string
  links: Link[]
  alarm_definition: { id: string; name: string; severity: Severity; links: Link[] }
  metrics: AlarmMetric[]
  state: AlarmState
  lifecycle_state: LifecycleState | (string & {}) | null
  link: string | null
  state_updated_timestamp: string
  updated_timestamp: string
  created_timestamp: string
}

export interface AlarmFilterParams {
  alarm_definition_id?: string
  metric_name?: string
  metric_dimensions?: DimensionsQuery
  state?: AlarmStateName
  severity?: SeverityFilter
  lifecycle_state?: LifecycleState | (string & {})
  link?: string
  /** Alarms whose state changed at or after this time. */
  state_updated_start_time?: TimeInput
}

export interface AlarmListParams extends AlarmFilterParams, PageParams {
  sort_by?: string | readonly string[]
}

export interface AlarmCountParams extends AlarmFilterParams, PageParams {
  group_by?: string | readonly string[]
}

export interface AlarmCount {
  links: Link[]
  columns: string[]
  counts: Array<Array<string | number | null>>
}

/** PUT /alarms/{id}: all three fields are required. */
export interface AlarmUpdate {
  state: AlarmState
  lifecycle_state: LifecycleState | (string & {})
  link: string
}

export type AlarmPatch = Partial<AlarmUpdate>

export interface AlarmHistoryParams extends PageParams {}

export interface AlarmHistoryListParams extends PageParams {
  dimensions?: DimensionsQuery
  start_time?: TimeInput
  end_time?: TimeInput
}

export interface AlarmStateHistory {
  id: string
  alarm_id: string
  metrics: AlarmMetric[]
  old_state: AlarmState
  new_state: AlarmState
  reason: string
  /** A JSON document, as a string. */
  reason_data: string
  timestamp: string
  sub_alarms: Array<{
    sub_alarm_expression: Record<string, unknown>
    sub_alarm_state: AlarmState
    current_values: number[]
  }>
}

// ---------------------------------------------------------------- notification methods

export interface NotificationMethod {
  id: string
  links: Link[]
  name: string
  type: string
  address: string
  period: number
}

export interface NotificationMethodCreate {
  name: string
  type: string
  address: string
  /** Seconds between repeats; 0 (default) or a period the server allows (60 by default). */
  period?: number | string
}

/** PUT replaces the method: name, type, address and period are required. */
export interface NotificationMethodUpdate {
  name: string
  type: string
  address: string
  period: number | string
}

export type NotificationMethodPatch = Partial<NotificationMethodUpdate>

export interface NotificationListParams extends PageParams {
  sort_by?: string | readonly string[]
}

export interface NotificationType {
  type: string
}

// ---------------------------------------------------------------- versions

export interface Version {
  id: string
  links: Link[]
  status: string
  updated: string
}

/** The list envelope every list endpoint answers with. */
export interface ListEnvelope<T> {
  links?: Link[]
  elements: T[]
}

// ---------------------------------------------------------------- watching alarms

/** What `alarms.watch()` follows: the project's state history, optionally of some metrics' alarms. */
export interface AlarmWatchParams {
  /** Only alarms whose metrics match these dimensions (as in `historyList`). */
  dimensions?: DimensionsQuery
  /**
   * Transitions at or after this time. Default: when `watch()` is called, by this machine's clock
   * (give the time your table was loaded, so nothing between the load and the watch is missed).
   */
  start_time?: TimeInput
  /** Page size of each request (default 1000, at most 10 000): the most a watch holds at once. */
  limit?: number
}

export interface AlarmWatchErrorInfo {
  /** Failed polls in a row, this one included. */
  failures: number
  /** Milliseconds until the next poll. */
  retryIn: number
}

export interface AlarmWatchOptions {
  /** Milliseconds between the end of one poll and the start of the next (default 10 000, at least 100). */
  interval?: number
  /** Longest wait after failed polls, in ms (default 300 000); waits double from `interval` with jitter. */
  maxBackoff?: number
  /** Ends the iteration (quietly: the loop finishes) and cancels the request in flight. */
  signal?: AbortSignal
  /**
   * Told of each failed poll that the watch survives (network, timeout, 408/429/5xx, a reply that is
   * not a state history); the watch backs off and tries again. Other errors (401, 403, 404, 422,
   * bad input) end the iteration by throwing.
   */
  onError?: (error: unknown, info: AlarmWatchErrorInfo) => void
  /** Milliseconds per request (the client's `timeout` otherwise). */
  timeout?: number
  /** Retries within one poll (default 0: the watch's own backoff takes over). */
  retries?: number
  headers?: Record<string, string>
}

/** An async iterator of state transitions, each yielded once; `return()` (or `break`) stops it at once. */
export interface AlarmWatch extends AsyncIterableIterator<AlarmStateHistory> {
  next(): Promise<IteratorResult<AlarmStateHistory, undefined>>
  return(value?: unknown): Promise<IteratorResult<AlarmStateHistory, undefined>>
  [Symbol.asyncIterator](): AlarmWatch
}

// ---------------------------------------------------------------- replies

/** `.withResponse()` results and the promise every non-list call returns (re-exported with the types). */
export type { ResponseInfo, WithResponse } from './paginate.js'
export type { CallPromise } from './resources/call-promise.js'

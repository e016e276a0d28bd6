import type { AlarmExpression } from '../expression/index.js'

export type AlarmState = 'OK' | 'ALARM' | 'UNDETERMINED'
export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL'

/** A token as keystonemiddleware would resolve it for Monasca. */
export interface StaticToken {
  projectId: string
  /** Default `['monasca-user']`. */
  roles?: string[]
  userId?: string
}

export interface EmulatorProject {
  /** Default: a stable 32-hex id derived from the name. */
  id?: string
  name: string
  /** Default `default`. */
  domainId?: string
}

export interface EmulatorUser {
  id?: string
  name: string
  password: string
  /** Default `default`. */
  domainId?: string
  /** Role names per project name, e.g. `{ admin: ['admin', 'monasca-user'] }`. */
  projects: Record<string, string[]>
}

export interface EmulatorApplicationCredential {
  id?: string
  name: string
  secret: string
  /** Owner (user name, domain `default`). */
  user: string
  /** Project name the credential is scoped to. */
  project: string
  /** Default: the user's roles on that project. */
  roles?: string[]
}

export interface RequestLogEntry {
  method: string
  /** Full request URL (query included; tokens never appear in URLs). */
  url: string
  path: string
  /** Request headers with X-Auth-Token and X-Subject-Token replaced by `<redacted>`. */
  headers: Record<string, string>
  /** Request body text, with passwords and secrets replaced by `<redacted>`. */
  body?: string
  /** The status answered; 0 when the connection was dropped (`failNext({ network: true })`). */
  status: number
  /** `keystone`, `monasca` or `other`. */
  service: 'keystone' | 'monasca' | 'other'
}

export interface EmulatorOptions {
  /** Static tokens, as keystonemiddleware would resolve them (no Keystone round trip). */
  tokens?: Record<string, StaticToken>
  /** Keystone users. Default: see DEFAULT_USERS (admin/secret, demo/demo-secret, readonly/readonly-secret, agent/agent-secret). */
  users?: EmulatorUser[]
  /** Keystone projects. Default: `admin` and `demo` in domain `default`. */
  projects?: EmulatorProject[]
  /** Extra role names to know about (roles named by users and tokens are always known). */
  roles?: string[]
  applicationCredentials?: EmulatorApplicationCredential[]
  /** Lifetime of tokens issued by the emulator's Keystone. Default 3600. */
  tokenLifetimeSeconds?: number
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number
  /** `'demo'`: hosts, services, a week of metrics, definitions, alarms in every state, notifications. */
  seed?: 'demo'
  /** Notification method types. Default `['EMAIL', 'PAGERDUTY', 'WEBHOOK']`. */
  notificationTypes?: string[]
  /** Allowed notification `period` values. Default `[0, 60]`. */
  validNotificationPeriods?: number[]
  /** Public base URL (scheme://host[:port]) for links and the catalog. Default: the request's origin. */
  baseUrl?: string
  /** Region of the catalog endpoints. Default `RegionOne`. */
  region?: string
  /** Accept `X-Tenant-Id`/`X-Project-Id` and `X-Roles` headers instead of a token (as Monasca's unit tests do). */
  trustTenantHeaders?: boolean
  /**
   * The real server's notification-methods `next` link carries the last element's UUID, which the
   * server itself then rejects (422). `'uuid'` (default) reproduces that; `'integer'` emits a usable offset.
   */
  notificationNextOffset?: 'uuid' | 'integer'
  /** Called after each request with what was asked and the status answered. */
  onRequest?: (entry: RequestLogEntry) => void
  /** Keep the last N requests in `emulator.requests`. Default 1000; 0 disables the log. */
  requestLogSize?: number
}

export interface Point {
  timestamp: number
  value: number
  value_meta: Record<string, unknown>
}

export interface Series {
  tenant: string
  name: string
  dimensions: Record<string, string>
  key: string
  points: Point[]
}

export interface AlarmDefinitionRecord {
  id: string
  tenant: string
  name: string
  description: string
  expression: string
  parsed: AlarmExpression
  match_by: string[]
  severity: Severity
  actions_enabled: boolean
  alarm_actions: string[]
  ok_actions: string[]
  undetermined_actions: string[]
  created_at: number
  updated_at: number
}

export interface SubAlarmState {
  state: AlarmState
  current_values: number[]
}

export interface AlarmRecord {
  id: string
  tenant: string
  definitionId: string
  /** match_by dimension values of this alarm's group. */
  group: Record<string, string>
  metrics: Array<{ name: string; dimensions: Record<string, string> }>
  state: AlarmState
  lifecycle_state: string | null
  link: string | null
  created_at: number
  updated_at: number
  state_updated_at: number
  subAlarms: SubAlarmState[]
}

export interface SubAlarmHistory {
  sub_alarm_expression: {
    function: string
    metric_name: string
    dimensions: Record<string, string>
    operator: string
    threshold: number
    period: number
    periods: number
    deterministic: boolean
  }
  sub_alarm_state: AlarmState
  current_values: number[]
}

export interface HistoryRecord {
  tenant: string
  alarm_id: string
  /** epoch ms, unique per tenant (the element id is this number as a string). */
  timestamp: number
  metrics: Array<{ name: string; dimensions: Record<string, string> }>
  old_state: AlarmState
  new_state: AlarmState
  reason: string
  reason_data: string
  sub_alarms: SubAlarmHistory[]
}

export interface NotificationRecord {
  id: string
  tenant: string
  name: string
  type: string
  address: string
  period: number
  created_at: number
  updated_at: number
}

/** Who is calling, after token resolution. */
export interface Caller {
  projectId?: string
  roles: string[]
  userId?: string
}

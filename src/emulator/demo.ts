/**
 * Demo data (`seed: 'demo'`): four hosts and their services, a week of metrics (5-minute resolution,
 * 1-minute for the last hour), alarm definitions, alarms in every state with a week of history, and
 * notification methods, in every Keystone project. Values are a pure function of (series, time),
 * so `tick()` can keep feeding the same curves live. The week is evaluated every 5 minutes, so the
 * state history shows real incidents: web-01 had a CPU spike yesterday, web-02 is overloaded now,
 * db-01's /var is filling up, web-01's API was down for 20 minutes two days ago, and batch-01
 * stopped reporting three hours ago (its alarms are UNDETERMINED).
 */
import { parseExpression } from '../expression/index.js'
import type { Evaluator } from './evaluator.js'
import { uuid } from './ids.js'
import type { Keystone } from './keystone.js'
import type { Store } from './store.js'
import type { AlarmDefinitionRecord, NotificationRecord, Series, Severity } from './types.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

interface HostSpec {
  hostname: string
  service: string
  cpuBase: number
}
const HOSTS: HostSpec[] = [
  { hostname: 'web-01', service: 'web', cpuBase: 28 },
  { hostname: 'web-02', service: 'web', cpuBase: 32 },
  { hostname: 'db-01', service: 'database', cpuBase: 22 },
  { hostname: 'batch-01', service: 'batch', cpuBase: 45 },
]

/** Deterministic noise in [0, 1) for a series key and a time. */
function noise(key: string, t: number): number {
  let h = 2166136261 ^ Math.floor(t / MINUTE)
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619)
  h = Math.imul(h ^ (h >>> 15), 2246822507)
  h = Math.imul(h ^ (h >>> 13), 3266489909)
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits

interface MetricSpec {
  name: string
  dimensions: Record<string, string>
  value(t: number): number
  /** Last time the host reported (batch-01 went silent). */
  until: number
}

function metricSpecs(t0: number): MetricSpec[] {
  const specs: MetricSpec[] = []
  for (const host of HOSTS) {
    const base = { hostname: host.hostname, service: host.service }
    const until = host.hostname === 'batch-01' ? t0 - 3 * HOUR : Infinity
    const daily = (t: number) => Math.sin((2 * Math.PI * ((t % DAY) - 8 * HOUR)) / DAY)
    const cpu = (t: number) => {
      let v = host.cpuBase + 14 * daily(t) + 8 * noise(`${host.hostname}cpu`, t)
      if (host.hostname === 'web-01' && t >= t0 - 30 * HOUR && t < t0 - 29 * HOUR) v = 90 + 6 * noise('spike', t)
      if (host.hostname === 'web-02' && t >= t0 - 40 * MINUTE) v = 91 + 5 * noise('incident', t)
      return round(Math.min(99.5, Math.max(0.5, v)))
    }
    specs.push({ name: 'cpu.user_perc', dimensions: base, value: cpu, until })
    specs.push({ name: 'cpu.idle_perc', dimensions: base, value: (t) => round(Math.max(0, 100 - cpu(t) - 2 - 2 * noise(`${host.hostname}sys`, t))), until })
    specs.push({ name: 'load.avg_1_min', dimensions: base, value: (t) => round(0.3 + cpu(t) / 22 + 0.4 * noise(`${host.hostname}load`, t)), until })
    specs.push({
      name: 'mem.usable_perc',
      dimensions: base,
      value: (t) => round((host.service === 'database' ? 24 : 55) + 10 * noise(`${host.hostname}mem`, t) - 6 * daily(t)),
      until,
    })
    specs.push({
      name: 'net.in_bytes_sec',
      dimensions: { ...base, device: 'eth0' },
      value: (t) => Math.round(120_000 + 90_000 * (daily(t) + 1) + 40_000 * noise(`${host.hostname}net`, t)),
      until,
    })
    for (const device of ['/', '/var']) {
      specs.push({
        name: 'disk.space_used_perc',
        dimensions: { ...base, device, mount_point: device },
        value: (t) => {
          if (host.hostname === 'db-01' && device === '/var') return round(Math.min(99, 70 + (25 * (t - (t0 - 7 * DAY))) / (7 * DAY) + noise('dbvar', t)))
          return round((device === '/' ? 38 : 52) + 3 * noise(`${host.hostname}${device}`, t))
        },
        until,
      })
    }
    if (host.service === 'web') {
      specs.push({
        name: 'http_status',
        dimensions: { ...base, url: `http://${host.hostname}:8080/healthcheck`, component: 'api' },
        value: (t) => (host.hostname === 'web-01' && t >= t0 - 2 * DAY - 20 * MINUTE && t < t0 - 2 * DAY ? 1 : 0),
        until,
      })
      specs.push({
        name: 'http.response_time_ms',
        dimensions: { ...base, url: `http://${host.hostname}:8080/`, component: 'web' },
        value: (t) => round(35 + 25 * (daily(t) + 1) + 30 * noise(`${host.hostname}rt`, t), 1),
        until,
      })
    }
  }
  return specs
}

interface DefinitionSpec {
  name: string
  description: string
  expression: string
  match_by: string[]
  severity: Severity
  alarm: string[]
  ok: string[]
  undetermined: string[]
}

const DEFINITIONS: DefinitionSpec[] = [
  {
    name: 'High CPU usage',
    description: 'Average user CPU above 85% for two 5-minute periods',
    expression: 'avg(cpu.user_perc, 300) > 85 times 2',
    match_by: ['hostname'],
    severity: 'HIGH',
    alarm: ['ops-email', 'on-call pager'],
    ok: ['ops-email'],
    undetermined: [],
  },
  {
    name: 'Disk almost full',
    description: 'A filesystem is more than 90% used',
    expression: 'max(disk.space_used_perc, 300) > 90',
    match_by: ['hostname', 'device'],
    severity: 'CRITICAL',
    alarm: ['on-call pager'],
    ok: [],
    undetermined: [],
  },
  {
    name: 'HTTP endpoint down',
    description: 'The health check of an HTTP endpoint failed',
    expression: 'max(http_status, 300) > 0',
    match_by: ['hostname', 'url'],
    severity: 'MEDIUM',
    alarm: ['chat webhook'],
    ok: ['chat webhook'],
    undetermined: ['chat webhook'],
  },
  {
    name: 'Memory pressure',
    description: 'Less than 10% of memory usable',
    expression: 'avg(mem.usable_perc, 300) < 10',
    match_by: ['hostname'],
    severity: 'LOW',
    alarm: [],
    ok: [],
    undetermined: [],
  },
  {
    name: 'Host overloaded',
    description: 'High load together with an idle CPU below 10%',
    expression: 'avg(load.avg_1_min, 300) > 4 and avg(cpu.idle_perc, 300) < 10',
    match_by: ['hostname'],
    severity: 'HIGH',
    alarm: ['ops-email'],
    ok: [],
    undetermined: [],
  },
]

const NOTIFICATIONS = [
  { name: 'ops-email', type: 'EMAIL', address: 'ops@example.com', period: 0 },
  { name: 'on-call pager', type: 'PAGERDUTY', address: 'a1b2c3d4e5f6-pagerduty-integration-key', period: 0 },
  { name: 'chat webhook', type: 'WEBHOOK', address: 'http://127.0.0.1:9000/hooks/monasca', period: 60 },
]

function copyAlarms(store: Store, from: string, to: string, defs: AlarmDefinitionRecord[]): void {
  const defByName = new Map(defs.map((d) => [d.name, d.id]))
  const alarmIds = new Map<string, string>()
  for (const a of store.alarmsOf(from)) {
    const name = store.definitions.get(a.definitionId)?.name
    const definitionId = name === undefined ? undefined : defByName.get(name)
    if (!definitionId) continue
    const id = uuid()
    alarmIds.set(a.id, id)
    store.alarms.set(id, { ...a, id, tenant: to, definitionId, metrics: a.metrics.map((m) => ({ ...m })), subAlarms: [...a.subAlarms] })
  }
  for (const h of store.history.filter((e) => e.tenant === from)) {
    const alarm_id = alarmIds.get(h.alarm_id)
    if (alarm_id) store.addHistory({ ...h, tenant: to, alarm_id })
  }
}

export interface DemoFeed {
  /** Post the next point of every live demo series at `now` (and evaluate alarms). */
  tick(now: number): void
}

export function seedDemo(deps: { store: Store; evaluator: Evaluator; keystone: Keystone; clock: () => number; notificationTypes?: string[] }): DemoFeed {
  const { store, evaluator, keystone } = deps
  const t0 = Math.floor(deps.clock() / MINUTE) * MINUTE
  const specs = metricSpecs(t0)
  const start = t0 - 7 * DAY
  const types = (deps.notificationTypes ?? ['EMAIL', 'PAGERDUTY', 'WEBHOOK']).map((t) => t.toUpperCase())
  const tenants = [...keystone.projects.values()].map((p) => p.id)

  // Points are computed once and shared (copied arrays, same point objects) by every project;
  // points without value_meta share one frozen empty object (nothing mutates value_meta).
  const none = Object.freeze({}) as Record<string, unknown>
  const pointsBySpec = specs.map((spec) => {
    const points: Series['points'] = []
    for (let t = start; t <= t0 && t <= spec.until; t += t >= t0 - HOUR ? MINUTE : 5 * MINUTE) {
      const value = spec.value(t)
      // The failed health checks carry value_meta, as the agent's http_check does.
      const value_meta = spec.name === 'http_status' && value === 1 ? { detail: 'HTTP 503 Service Unavailable', rc: '503' } : none
      points.push({ timestamp: t, value, value_meta })
    }
    return points
  })

  for (const tenant of tenants) {
    const series: Series[] = specs.map((spec, i) => {
      const points = pointsBySpec[i]!
      const s = store.addPoint(tenant, spec.name, spec.dimensions, points[0]!)
      s.points.push(...points.slice(1))
      return s
    })

    const byName = new Map<string, string>()
    for (const n of NOTIFICATIONS) {
      if (!types.includes(n.type)) continue
      const record: NotificationRecord = { id: uuid(), tenant, ...n, created_at: start, updated_at: start }
      store.notifications.set(record.id, record)
      byName.set(n.name, record.id)
    }
    const ids = (names: string[]) => names.map((n) => byName.get(n)).filter((id): id is string => id !== undefined)
    const defs: AlarmDefinitionRecord[] = DEFINITIONS.map((d) => ({
      id: uuid(),
      tenant,
      name: d.name,
      description: d.description,
      expression: d.expression,
      parsed: parseExpression(d.expression),
      match_by: d.match_by,
      severity: d.severity,
      actions_enabled: true,
      alarm_actions: ids(d.alarm),
      ok_actions: ids(d.ok),
      undetermined_actions: ids(d.undetermined),
      created_at: start,
      updated_at: start,
    }))
    for (const d of defs) store.definitions.set(d.id, d)

    if (tenant === tenants[0]) {
      // Replay the week through the threshold engine, one evaluation every 10 minutes (and at t0).
      for (const d of defs) evaluator.replay(d, series, t0 - 7 * DAY + 20 * MINUTE, t0, 10 * MINUTE)
      // A human acknowledged the ongoing CPU incident.
      for (const a of store.alarmsOf(tenant)) {
        const def = store.definitions.get(a.definitionId)
        if (def?.name === 'High CPU usage' && a.state === 'ALARM') {
          a.lifecycle_state = 'ACKNOWLEDGED'
          a.link = 'http://wiki.example.com/runbooks/high-cpu'
        } else if (a.state === 'ALARM') {
          a.lifecycle_state = 'OPEN'
        }
      }
    } else {
      // Same data, same outcome: copy the first project's alarms and history with fresh ids.
      copyAlarms(store, tenants[0]!, tenant, defs)
    }
  }

  return {
    tick(now: number) {
      const t = Math.floor(now / 1000) * 1000
      for (const tenant of tenants) {
        const touched: Series[] = []
        for (const spec of specs) {
          if (t > spec.until) continue
          touched.push(store.addPoint(tenant, spec.name, spec.dimensions, { timestamp: t, value: spec.value(t), value_meta: none }))
        }
        for (const d of store.definitionsOf(tenant)) evaluator.evaluate(d, now, { posted: touched })
      }
    },
  }
}

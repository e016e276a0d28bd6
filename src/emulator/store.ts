/** The emulator's in-memory state: one instance per emulator, every record tagged with its tenant. */
import type {
  AlarmDefinitionRecord,
  AlarmRecord,
  HistoryRecord,
  NotificationRecord,
  Point,
  Series,
} from './types.js'

export function seriesKey(name: string, dimensions: Record<string, string>): string {
  const dims = Object.keys(dimensions)
    .sort()
    .map((k) => `${k}=${dimensions[k]}`)
    .join(',')
  return `${name}{${dims}}`
}

export class Store {
  /** tenant → series key → series */
  private readonly series = new Map<string, Map<string, Series>>()
  readonly definitions = new Map<string, AlarmDefinitionRecord>()
  readonly alarms = new Map<string, AlarmRecord>()
  readonly history: HistoryRecord[] = []
  readonly notifications = new Map<string, NotificationRecord>()
  private lastHistoryTimestamp = new Map<string, number>()
  /** Sorted series per tenant, rebuilt only when a series is added. */
  private sortedCache = new Map<string, Series[]>()

  addPoint(tenant: string, name: string, dimensions: Record<string, string>, point: Point): Series {
    let tenantSeries = this.series.get(tenant)
    if (!tenantSeries) this.series.set(tenant, (tenantSeries = new Map()))
    const key = seriesKey(name, dimensions)
    let s = tenantSeries.get(key)
    if (!s) {
      tenantSeries.set(key, (s = { tenant, name, dimensions: { ...dimensions }, key, points: [] }))
      this.sortedCache.delete(tenant)
    }
    // Points stay sorted by time; appends are the common case.
    const pts = s.points
    if (pts.length === 0 || pts[pts.length - 1]!.timestamp <= point.timestamp) pts.push(point)
    else {
      let lo = 0
      let hi = pts.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (pts[mid]!.timestamp <= point.timestamp) lo = mid + 1
        else hi = mid
      }
      pts.splice(lo, 0, point)
    }
    return s
  }

  /** A tenant's series, sorted as InfluxDB lists series (by name, then dimensions). */
  seriesOf(tenant: string): Series[] {
    let sorted = this.sortedCache.get(tenant)
    if (!sorted) {
      sorted = [...(this.series.get(tenant)?.values() ?? [])].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      this.sortedCache.set(tenant, sorted)
    }
    return [...sorted]
  }

  tenants(): string[] {
    return [...this.series.keys()]
  }

  definitionsOf(tenant: string): AlarmDefinitionRecord[] {
    return [...this.definitions.values()].filter((d) => d.tenant === tenant)
  }

  alarmsOf(tenant: string): AlarmRecord[] {
    return [...this.alarms.values()].filter((a) => a.tenant === tenant)
  }

  notificationsOf(tenant: string): NotificationRecord[] {
    return [...this.notifications.values()].filter((n) => n.tenant === tenant)
  }

  /** Append a history entry; timestamps are made unique per tenant (ids are epoch ms). */
  addHistory(entry: HistoryRecord): HistoryRecord {
    const last = this.lastHistoryTimestamp.get(entry.tenant) ?? -Infinity
    if (entry.timestamp <= last) entry.timestamp = last + 1
    this.lastHistoryTimestamp.set(entry.tenant, entry.timestamp)
    this.history.push(entry)
    return entry
  }
}

/**
 * A small threshold engine: it turns posted metrics into alarms and state transitions the way
 * monasca-thresh does, synchronously so tests stay deterministic.
 *
 * - One alarm per alarm definition and distinct tuple of `match_by` dimension values (one alarm
 *   in all without match_by). An alarm is created when a matching metric arrives (or, when a
 *   definition is created, for matching series that have data in the evaluation window).
 * - A new alarm starts UNDETERMINED, or OK when every sub-expression is deterministic or uses last().
 * - A sub-expression's function is applied to all points of the group's matching series in each of
 *   the last `periods` windows of `period` seconds ending at the evaluation time: ALARM when every
 *   window breaches, UNDETERMINED when a window has no data (OK for deterministic ones), else OK.
 *   `last()` compares the newest point only.
 * - The evaluation time is the clock, or the newest point of the group when metrics were posted
 *   with timestamps ahead of the clock.
 * - `and` is OK if any operand is OK, else UNDETERMINED if any is, else ALARM; `or` is the dual.
 */
import { type ExpressionNode, type SubExpression, formatSubExpression } from '../expression/index.js'
import { pythonFloat } from '../expression/format.js'
import { uuid } from './ids.js'
import type { Store } from './store.js'
import type { AlarmDefinitionRecord, AlarmRecord, AlarmState, HistoryRecord, Series, SubAlarmHistory, SubAlarmState } from './types.js'

const compare = (sub: SubExpression, v: number): boolean => {
  switch (sub.operator) {
    case 'GT':
      return v > sub.threshold
    case 'GTE':
      return v >= sub.threshold
    case 'LT':
      return v < sub.threshold
    case 'LTE':
      return v <= sub.threshold
  }
}

function apply(fn: SubExpression['function'], values: number[]): number {
  switch (fn) {
    case 'AVG':
      return values.reduce((a, b) => a + b, 0) / values.length
    case 'SUM':
      return values.reduce((a, b) => a + b, 0)
    case 'MIN':
      return Math.min(...values)
    case 'MAX':
      return Math.max(...values)
    case 'COUNT':
      return values.length
    case 'LAST':
      return values[values.length - 1]!
  }
}

/** Index of the first point with timestamp > t (points are sorted). */
function firstAfter(points: Series['points'], t: number): number {
  let lo = 0
  let hi = points.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (points[mid]!.timestamp <= t) lo = mid + 1
    else hi = mid
  }
  return lo
}

export function evaluateSub(sub: SubExpression, series: Series[], at: number): SubAlarmState {
  if (sub.function === 'LAST') {
    let newest: { t: number; v: number } | undefined
    for (const s of series) {
      const p = s.points[firstAfter(s.points, at) - 1]
      if (p && (!newest || p.timestamp > newest.t)) newest = { t: p.timestamp, v: p.value }
    }
    if (!newest) return { state: sub.deterministic ? 'OK' : 'UNDETERMINED', current_values: [] }
    return { state: compare(sub, newest.v) ? 'ALARM' : 'OK', current_values: [newest.v] }
  }
  const periodMs = sub.period * 1000
  const values: number[] = []
  let missing = false
  let breaching = true
  for (let k = sub.periods - 1; k >= 0; k--) {
    const end = at - k * periodMs
    const start = end - periodMs
    const inWindow: number[] = []
    for (const s of series) {
      for (let i = firstAfter(s.points, start); i < s.points.length && s.points[i]!.timestamp <= end; i++) inWindow.push(s.points[i]!.value)
    }
    if (inWindow.length === 0) {
      if (sub.function === 'COUNT' && sub.deterministic) {
        values.push(0)
        if (!compare(sub, 0)) breaching = false
        continue
      }
      missing = true
      breaching = false
      continue
    }
    const v = apply(sub.function, inWindow)
    values.push(v)
    if (!compare(sub, v)) breaching = false
  }
  if (missing && !sub.deterministic) return { state: 'UNDETERMINED', current_values: values }
  return { state: breaching ? 'ALARM' : 'OK', current_values: values }
}

export function combine(node: ExpressionNode, states: Map<SubExpression, AlarmState>): AlarmState {
  if (node.type === 'sub') return states.get(node) ?? 'UNDETERMINED'
  const results = node.operands.map((op) => combine(op, states))
  if (node.type === 'AND') {
    if (results.includes('OK')) return 'OK'
    if (results.includes('UNDETERMINED')) return 'UNDETERMINED'
    return 'ALARM'
  }
  if (results.includes('ALARM')) return 'ALARM'
  if (results.includes('UNDETERMINED')) return 'UNDETERMINED'
  return 'OK'
}

export function initialState(def: AlarmDefinitionRecord): AlarmState {
  return def.parsed.sub_expressions.every((s) => s.deterministic || s.function === 'LAST') ? 'OK' : 'UNDETERMINED'
}

const matchesSub = (sub: SubExpression, s: Series) =>
  s.name === sub.metric_name && Object.entries(sub.dimensions).every(([k, v]) => s.dimensions[k] === v)

export function subAlarmExpression(sub: SubExpression): SubAlarmHistory['sub_alarm_expression'] {
  return {
    function: sub.function,
    metric_name: sub.metric_name,
    dimensions: { ...sub.dimensions },
    operator: sub.operator,
    threshold: sub.threshold,
    period: sub.period,
    periods: sub.periods,
    deterministic: sub.deterministic,
  }
}

function reasonFor(state: AlarmState, subs: SubExpression[], results: SubAlarmState[]): string {
  const describe = (i: number) =>
    `${formatSubExpression(subs[i]!, { pythonThreshold: true })} with the values: [${results[i]!.current_values.map(pythonFloat).join(', ')}]`
  const pick = (s: AlarmState) => results.map((r, i) => (r.state === s ? describe(i) : '')).filter(Boolean)
  if (state === 'ALARM') return `Thresholds were exceeded for the sub-alarms: ${pick('ALARM').join(', ')}`
  if (state === 'UNDETERMINED') return `No data was present for the sub-alarms: ${pick('UNDETERMINED').join(', ')}`
  return `The alarm threshold(s) have not been exceeded for the sub-alarms: ${results.map((_, i) => describe(i)).join(', ')}`
}

export class Evaluator {
  constructor(private readonly store: Store) {}

  /** Groups of the definition's matching series, keyed by match_by values. */
  private groups(def: AlarmDefinitionRecord, series: Series[]): Map<string, { group: Record<string, string>; perSub: Series[][] }> {
    const subs = def.parsed.sub_expressions
    const out = new Map<string, { group: Record<string, string>; perSub: Series[][] }>()
    for (const s of series) {
      const hits = subs.map((sub) => matchesSub(sub, s))
      if (!hits.some(Boolean)) continue
      if (def.match_by.some((k) => s.dimensions[k] === undefined)) continue
      const group = Object.fromEntries(def.match_by.map((k) => [k, s.dimensions[k]!]))
      const key = JSON.stringify(def.match_by.map((k) => s.dimensions[k]))
      let entry = out.get(key)
      if (!entry) out.set(key, (entry = { group, perSub: subs.map(() => []) }))
      hits.forEach((hit, i) => hit && entry!.perSub[i]!.push(s))
    }
    return out
  }

  /**
   * Evaluate one definition at `now`. `trigger` decides which groups may get a new alarm:
   * the series just posted, or (on definition create) series with data in the window.
   */
  evaluate(def: AlarmDefinitionRecord, now: number, trigger: { posted?: Series[]; recentOnly?: boolean; exact?: boolean } = {}): void {
    const all = this.store.seriesOf(def.tenant)
    const groups = this.groups(def, all)
    const alarms = this.store.alarmsOf(def.tenant).filter((a) => a.definitionId === def.id)
    const byGroup = new Map(alarms.map((a) => [JSON.stringify(def.match_by.map((k) => a.group[k])), a]))
    const posted = new Set((trigger.posted ?? []).map((s) => s.key))
    const window = Math.max(...def.parsed.sub_expressions.map((s) => s.period * s.periods)) * 1000
    for (const [key, { group, perSub }] of groups) {
      const members = perSub.flat()
      let newest = -Infinity
      for (const s of members) newest = Math.max(newest, s.points[s.points.length - 1]?.timestamp ?? -Infinity)
      const at = trigger.exact ? now : Math.max(now, newest)
      let alarm = byGroup.get(key)
      if (!alarm) {
        const wanted = trigger.posted ? members.some((s) => posted.has(s.key)) : trigger.recentOnly ? newest > now - window : false
        if (!wanted) continue
        alarm = this.createAlarm(def, group, members, now)
      } else {
        this.refreshMetrics(alarm, members)
      }
      this.transition(def, alarm, perSub, at, now)
    }
  }

  /**
   * Replay a definition over past data: the groups are computed once (the series set is fixed),
   * alarms are created at `from`, then evaluated every `step` ms up to `to` (demo seeding).
   */
  replay(def: AlarmDefinitionRecord, series: Series[], from: number, to: number, step: number): void {
    const groups = [...this.groups(def, series).values()].map(({ group, perSub }) => ({
      perSub,
      alarm: this.createAlarm(def, group, perSub.flat(), from),
    }))
    for (let t = from; t <= to; t += step) {
      for (const g of groups) this.transition(def, g.alarm, g.perSub, t, t)
    }
  }

  private createAlarm(def: AlarmDefinitionRecord, group: Record<string, string>, members: Series[], now: number): AlarmRecord {
    const seconds = Math.floor(now / 1000) * 1000
    const alarm: AlarmRecord = {
      id: uuid(),
      tenant: def.tenant,
      definitionId: def.id,
      group,
      metrics: [],
      state: initialState(def),
      lifecycle_state: null,
      link: null,
      created_at: seconds,
      updated_at: seconds,
      state_updated_at: seconds,
      subAlarms: def.parsed.sub_expressions.map(() => ({ state: 'UNDETERMINED', current_values: [] })),
    }
    this.refreshMetrics(alarm, members)
    this.store.alarms.set(alarm.id, alarm)
    return alarm
  }

  private refreshMetrics(alarm: AlarmRecord, members: Series[]): void {
    const seen = new Set(alarm.metrics.map((m) => JSON.stringify([m.name, Object.entries(m.dimensions).sort()])))
    for (const s of members) {
      const key = JSON.stringify([s.name, Object.entries(s.dimensions).sort()])
      if (!seen.has(key)) {
        seen.add(key)
        alarm.metrics.push({ name: s.name, dimensions: { ...s.dimensions } })
      }
    }
  }

  private transition(def: AlarmDefinitionRecord, alarm: AlarmRecord, perSub: Series[][], at: number, now: number): void {
    const subs = def.parsed.sub_expressions
    const results = subs.map((sub, i) => evaluateSub(sub, perSub[i]!, at))
    alarm.subAlarms = results
    const states = new Map(subs.map((sub, i) => [sub, results[i]!.state]))
    const next = combine(def.parsed.tree, states)
    if (next === alarm.state) return
    this.record(alarm, next, reasonFor(next, subs, results), now, subs.map((sub, i) => ({
      sub_alarm_expression: subAlarmExpression(sub),
      sub_alarm_state: results[i]!.state,
      current_values: results[i]!.current_values,
    })))
  }

  /** Change an alarm's state and write the history entry (also used by the API and test hooks). */
  record(alarm: AlarmRecord, next: AlarmState, reason: string, now: number, sub_alarms: SubAlarmHistory[] = []): HistoryRecord | undefined {
    const old = alarm.state
    if (old === next) return undefined
    const seconds = Math.floor(now / 1000) * 1000
    alarm.state = next
    alarm.state_updated_at = seconds
    alarm.updated_at = seconds
    return this.store.addHistory({
      tenant: alarm.tenant,
      alarm_id: alarm.id,
      timestamp: now,
      metrics: alarm.metrics.map((m) => ({ name: m.name, dimensions: { ...m.dimensions } })),
      old_state: old,
      new_state: next,
      reason,
      reason_data: '{}',
      sub_alarms,
    })
  }
}

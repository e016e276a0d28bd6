/** One alarm: its fields, its history as a timeline, and its metrics charted over the alarm's time with state bands. */
import type { Alarm, AlarmStateHistory } from 'monasca-client'
import { drawChart, type Chart } from '../chart.js'
import type { PageContext } from '../context.js'
import { clear, h } from '../lib/dom.js'
import { formatDimensions, formatDuration, formatTime, periodFor, RANGES, rangeFromParams, safeHref, timeAgo } from '../lib/format.js'
import { formatHash } from '../lib/route.js'
import { fromStatistics, stateBands } from '../lib/series.js'
import { confirmDialog, loading, pageHeader, promptDialog, stateBadge } from '../ui.js'
import { watchAlarms } from '../watch.js'

const DAY = 86_400_000

export async function alarmPage(ctx: PageContext): Promise<void> {
  const id = ctx.route.id
  if (!id) return ctx.go('#/alarms', true)
  const options = { signal: ctx.signal }
  const details = h('section', { class: 'card', 'aria-label': 'Alarm' }, loading())
  const charts = h('section', { class: 'card', 'aria-labelledby': 'charts-title' }, h('h2', { id: 'charts-title' }, 'Metrics'), loading())
  const timeline = h('section', { class: 'card', 'aria-labelledby': 'history-title' }, h('h2', { id: 'history-title' }, 'History'), loading())
  clear(ctx.main, pageHeader('Alarm', h('a', { href: '#/alarms', class: 'button' }, '← All alarms')), details, charts, timeline)
  let drawn: Chart[] = []
  ctx.signal.addEventListener('abort', () => drawn.forEach((c) => c.destroy()))

  async function load(): Promise<void> {
    try {
      const [alarm, history] = await Promise.all([
        ctx.client.alarms.get(id!, options),
        ctx.client.alarms.history(id!, { limit: 100 }, options),
      ])
      clear(details, describe(alarm), actions(alarm))
      clear(timeline, h('h2', { id: 'history-title' }, 'History'), historyList(history))
      // The alarm's time: from 3 h before its last state change (at least the last 6 h, at most 7 d),
      // unless the URL asks for a range.
      const asked = ctx.route.params.has('range') || ctx.route.params.has('from') ? rangeFromParams(ctx.route.params) : undefined
      const end = asked?.end.getTime() ?? Date.now()
      const changed = Date.parse(alarm.state_updated_timestamp)
      const start = asked?.start.getTime() ?? Math.max(Math.min(changed - 3 * 3600_000, end - 6 * 3600_000), end - 7 * DAY)
      const period = periodFor(end - start)
      const bands = stateBands(history, start / 1000, end / 1000)
      const series = await Promise.all(
        alarm.metrics.map((metric) =>
          ctx.client.metrics.listStatistics(
            { name: metric.name, dimensions: metric.dimensions, start_time: new Date(start), end_time: new Date(end), statistics: ['avg'], period, merge_metrics: true },
            options,
          ),
        ),
      )
      drawn.forEach((c) => c.destroy())
      drawn = []
      const presets = h('div', { class: 'presets', role: 'group', 'aria-label': 'Time range' },
        h('a', { class: 'button', href: formatHash('alarm', {}, id), 'aria-current': asked ? undefined : 'true' }, 'around the change'),
        ...Object.keys(RANGES).map((key) => h('a', { class: 'button', href: formatHash('alarm', { range: key }, id), 'aria-current': asked?.preset === key ? 'true' : undefined }, key)))
      clear(charts, h('div', { class: 'section-head' }, h('h2', { id: 'charts-title' }, 'Metrics'), presets),
        h('p', { class: 'hint' }, `Average per ${formatDuration(period * 1000)} from ${formatTime(start)}; the background shows the alarm's state (red: ALARM, grey: UNDETERMINED, green: OK).`))
      alarm.metrics.forEach((metric, i) => {
        const holder = h('div', { class: 'chart' })
        charts.append(holder)
        drawn.push(drawChart(holder, { title: `${metric.name} {${formatDimensions(metric.dimensions)}}`, series: fromStatistics(series[i]!, 'avg'), bands, range: [start / 1000, end / 1000], height: 220 }))
      })
      ctx.updated()
    } catch (error) {
      ctx.fail(error, details)
    }
  }
  /** The same actions as the list's, on this alarm. */
  function actions(alarm: Alarm): HTMLElement {
    const run = async (change: () => Promise<unknown>) => {
      try {
        await change()
        await load()
      } catch (error) {
        ctx.fail(error)
      }
    }
    const lifecycle = (to: string, label: string) => h('button', { type: 'button', onclick: () => run(() => ctx.client.alarms.patch(alarm.id, { lifecycle_state: to }, options)) }, label)
    return h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Alarm actions' },
      alarm.lifecycle_state !== 'ACKNOWLEDGED' && alarm.lifecycle_state !== 'RESOLVED' ? lifecycle('ACKNOWLEDGED', 'Acknowledge') : null,
      alarm.lifecycle_state !== 'RESOLVED' ? lifecycle('RESOLVED', 'Resolve') : lifecycle('OPEN', 'Reopen'),
      h('button', { type: 'button', onclick: async () => {
        const link = await promptDialog('Link (a ticket or runbook URL)', alarm.link ?? '', { type: 'url', placeholder: 'https://tickets.example/42' })
        if (link !== undefined) await run(() => ctx.client.alarms.patch(alarm.id, { link }, options))
      } }, 'Link…'),
      h('button', { type: 'button', class: 'danger', onclick: async () => {
        if (!(await confirmDialog('Delete this alarm? The threshold engine creates it again if its metrics still match.', 'Delete'))) return
        try {
          await ctx.client.alarms.delete(alarm.id, options)
          ctx.go('#/alarms')
        } catch (error) {
          ctx.fail(error)
        }
      } }, 'Delete'))
  }

  ctx.onRefresh(load)
  const since = new Date()
  await load()
  // A transition of this alarm redraws the page (its state, its history, its bands).
  watchAlarms(ctx, since, (transition) => {
    if (transition.alarm_id === id) void load()
  })
}

function describe(alarm: Alarm): HTMLElement {
  const rows: [string, Node | string][] = [
    ['State', stateBadge(alarm.state, alarm.alarm_definition.severity)],
    ['Definition', h('a', { href: formatHash('definitions', {}, alarm.alarm_definition.id) }, alarm.alarm_definition.name)],
    ['Severity', alarm.alarm_definition.severity],
    ['Lifecycle', alarm.lifecycle_state ?? '—'],
    ['Link', safeHref(alarm.link) ? h('a', { href: safeHref(alarm.link), rel: 'noopener noreferrer' }, alarm.link!) : alarm.link ?? '—'],
    ['Metrics', h('div', null, ...alarm.metrics.map((m) => h('div', null, h('code', null, m.name), ' ', formatDimensions(m.dimensions))))],
    ['State changed', `${formatTime(alarm.state_updated_timestamp)} (${timeAgo(alarm.state_updated_timestamp)})`],
    ['Created', formatTime(alarm.created_timestamp)],
    ['Id', h('code', null, alarm.id)],
  ]
  return h('dl', { class: 'facts', id: 'alarm-facts', 'data-state': alarm.state }, ...rows.flatMap(([term, value]) => [h('dt', null, term), h('dd', null, value)]))
}

function historyList(history: AlarmStateHistory[]): HTMLElement {
  if (history.length === 0) return h('p', null, 'No state change recorded.')
  const sorted = [...history].sort((a, b) => b.timestamp.localeCompare(a.timestamp))
  return h('ol', { class: 'timeline', id: 'timeline' },
    ...sorted.map((item) => h('li', null,
      h('time', { datetime: item.timestamp }, formatTime(item.timestamp)),
      h('span', { class: 'transition' }, stateBadge(item.old_state), ' → ', stateBadge(item.new_state)),
      h('p', { class: 'reason' }, item.reason),
    )))
}

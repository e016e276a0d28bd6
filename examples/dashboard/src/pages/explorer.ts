/**
 * Metrics explorer: a metric, then dimension filters and group_by scoped to that metric; raw
 * measurements or statistics over a preset or absolute range; several series in one chart.
 */
import type { DimensionsQuery } from 'monasca-client'
import { drawChart, type Chart } from '../chart.js'
import type { PageContext } from '../context.js'
import { clear, datalist, field, h, setFieldError } from '../lib/dom.js'
import { dimensionsQuery, FilterError, formatDimensionFilter, parseDimensionFilter, parseDimensionFilters } from '../lib/filters.js'
import { formatDuration, periodFor, RANGES, rangeFromParams, toLocalInput } from '../lib/format.js'
import { formatHash } from '../lib/route.js'
import { fromMeasurements, fromStatistics } from '../lib/series.js'
import { loading, pageHeader } from '../ui.js'

const FUNCTIONS = ['none', 'avg', 'min', 'max', 'sum', 'count'] as const
const PERIODS = [60, 300, 900, 3600, 21_600, 86_400]
const MAX_SERIES = 40

export interface ExplorerQuery {
  metric: string
  dimensions: ReturnType<typeof parseDimensionFilter>[]
  fn: (typeof FUNCTIONS)[number]
  /** Seconds; 0 = chosen from the range. */
  period: number
  groupBy: string[]
}

export function explorerQuery(params: URLSearchParams): ExplorerQuery {
  const fn = params.get('fn') ?? 'avg'
  const dims = params.getAll('dim').flatMap((d) => {
    try {
      return [parseDimensionFilter(d)]
    } catch {
      return []
    }
  })
  return {
    metric: params.get('metric') ?? '',
    dimensions: dims,
    fn: (FUNCTIONS as readonly string[]).includes(fn) ? (fn as ExplorerQuery['fn']) : 'avg',
    period: PERIODS.includes(Number(params.get('period'))) ? Number(params.get('period')) : 0,
    groupBy: params.getAll('group').filter(Boolean),
  }
}

export async function explorerPage(ctx: PageContext): Promise<void> {
  const options = { signal: ctx.signal }
  const query = explorerQuery(ctx.route.params)
  const range = rangeFromParams(ctx.route.params)
  const params = ctx.route.params

  const metric = h('input', { id: 'ex-metric', list: 'ex-metrics', value: query.metric, placeholder: 'cpu.idle_perc', autocomplete: 'off', required: true })
  const dims = h('input', { id: 'ex-dims', list: 'ex-dim-suggestions', value: query.dimensions.map(formatDimensionFilter).join(' '), placeholder: 'hostname:web-01 service:web|db', autocomplete: 'off' })
  const fn = h('select', { id: 'ex-fn' }, ...FUNCTIONS.map((f) => h('option', { value: f, selected: f === query.fn }, f === 'none' ? 'none (raw measurements)' : f)))
  const period = h('select', { id: 'ex-period' }, h('option', { value: '0' }, 'auto'), ...PERIODS.map((p) => h('option', { value: String(p), selected: p === query.period }, formatDuration(p * 1000))))
  const groupBy = h('fieldset', { class: 'checks', id: 'ex-group' }, h('legend', null, 'One series per'))
  const from = h('input', { id: 'ex-from', type: 'datetime-local', value: toLocalInput(range.start) })
  const to = h('input', { id: 'ex-to', type: 'datetime-local', value: toLocalInput(range.end) })
  const presets = h('div', { class: 'presets', role: 'group', 'aria-label': 'Time range' },
    ...Object.keys(RANGES).map((key) => h('button', { type: 'button', 'aria-pressed': String(range.preset === key), onclick: () => apply({ range: key }) }, key)))

  function apply(change: { range?: string; absolute?: boolean } = {}): void {
    setFieldError(dims, undefined)
    setFieldError(metric, metric.value.trim() ? undefined : 'Pick a metric')
    if (!metric.value.trim()) return
    let filters
    try {
      filters = dims.value.trim() ? parseDimensionFilters(dims.value) : []
    } catch (error) {
      if (error instanceof FilterError) return setFieldError(dims, error.message)
      throw error
    }
    const next: Record<string, string | string[] | undefined> = {
      metric: metric.value.trim(),
      dim: filters.map(formatDimensionFilter),
      fn: fn.value,
      period: period.value === '0' ? undefined : period.value,
      group: [...groupBy.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value),
    }
    if (change.absolute) {
      next.from = new Date(from.value).toISOString()
      next.to = new Date(to.value).toISOString()
    } else next.range = change.range ?? range.preset ?? params.get('range') ?? '6h'
    ctx.go(formatHash('explorer', next))
  }

  const form = h('form', { class: 'card explorer-form', id: 'explorer-form', onsubmit: (e: Event) => {
    e.preventDefault()
    apply()
  } },
    h('div', { class: 'row' }, field('Metric', metric), field('Dimensions (key:value)', dims), field('Function', fn), field('Period', period)),
    groupBy,
    h('div', { class: 'row range' }, presets, field('From', from), field('To', to),
      h('button', { type: 'button', onclick: () => apply({ absolute: true }) }, 'Use these times')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Draw')),
    datalist('ex-metrics', []), datalist('ex-dim-suggestions', []),
  )
  const chartBox = h('section', { class: 'card chart-card', 'aria-label': 'Chart' }, query.metric ? loading() : h('p', { class: 'empty' }, 'Pick a metric to draw it.'))
  clear(ctx.main, pageHeader('Metrics explorer'), h('div', { class: 'explorer' }, form, chartBox))

  void ctx.client.metrics.listNames({}, options).then((names) => datalist('ex-metrics', names.map((n) => n.name))).catch(() => undefined)
  /** Dimension names and values of the chosen metric only (a whole-cloud scan is what made monasca-ui slow). */
  async function scope(): Promise<void> {
    const name = metric.value.trim()
    if (!name) return
    try {
      const names = (await ctx.client.metrics.listDimensionNames({ metric_name: name }, options)).map((n) => n.dimension_name)
      const chosen = new Set(query.metric === name ? query.groupBy : [])
      clear(groupBy, h('legend', null, 'One series per'),
        ...names.map((n) => h('label', null, h('input', { type: 'checkbox', value: n, checked: chosen.has(n) }), ` ${n}`)),
        h('label', null, h('input', { type: 'checkbox', value: '*', checked: chosen.has('*') }), ' every series (*)'))
      const values = await Promise.all(names.slice(0, 10).map((n) =>
        ctx.client.metrics.listDimensionValues({ dimension_name: n, metric_name: name }, options).then((v) => v.map((x) => `${n}:${x.dimension_value}`))))
      datalist('ex-dim-suggestions', values.flat())
    } catch (error) {
      ctx.fail(error)
    }
  }
  metric.addEventListener('change', () => void scope())
  void scope()

  let chart: Chart | undefined
  ctx.signal.addEventListener('abort', () => chart?.destroy())

  async function load(): Promise<void> {
    if (!query.metric) return
    const now = rangeFromParams(params)
    const seconds = query.period || periodFor(now.end.getTime() - now.start.getTime())
    const base = {
      name: query.metric,
      start_time: now.start,
      end_time: now.end,
      ...(query.dimensions.length ? { dimensions: dimensionsQuery(query.dimensions) as DimensionsQuery } : {}),
      ...(query.groupBy.length ? { group_by: query.groupBy.includes('*') ? ['*'] : query.groupBy } : { merge_metrics: true }),
    }
    try {
      const series =
        query.fn === 'none'
          ? fromMeasurements(await ctx.client.metrics.listMeasurements({ ...base, limit: 10_000 }, options).toArray({ max: MAX_SERIES }))
          : fromStatistics(await ctx.client.metrics.listStatistics({ ...base, statistics: [query.fn], period: seconds, limit: 10_000 }, options).toArray({ max: MAX_SERIES }), query.fn)
      chart?.destroy()
      chart = undefined
      const holder = h('div', { class: 'chart', id: 'explorer-chart', 'data-series': String(series.length) })
      const what = query.fn === 'none' ? 'raw measurements' : `${query.fn} per ${formatDuration(seconds * 1000)}`
      clear(chartBox, h('h2', null, `${query.metric} · ${what}`),
        series.length === 0 ? h('p', { class: 'empty' }, 'No data in this range.') : holder,
        series.length >= MAX_SERIES ? h('p', { class: 'hint' }, `Showing the first ${MAX_SERIES} series; narrow the dimensions.`) : null)
      if (series.length) chart = drawChart(holder, { title: query.metric, series, range: [now.start.getTime() / 1000, now.end.getTime() / 1000], height: 360 })
      ctx.updated()
    } catch (error) {
      ctx.fail(error, chartBox)
    }
  }
  ctx.onRefresh(load)
  await load()
}

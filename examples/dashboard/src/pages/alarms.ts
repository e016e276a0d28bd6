/**
 * Alarms: a table of one server page, its filters and sort in the URL, paging on the server's
 * `next` offset, row and bulk actions (acknowledge, resolve, reopen, link, delete), rows updated
 * live from alarms.watch.
 */
import type { Alarm, AlarmStateHistory } from 'monasca-client'
import type { PageContext } from '../context.js'
import { clear, datalist, field, h, setFieldError } from '../lib/dom.js'
import {
  ALARM_SORTS, LIFECYCLE_STATES, SEVERITY_LIST, STATES, alarmListParams, filtersFromParams, filtersToParams, formatDimensionFilter,
  mergeDimensionFilters, nextPage, parseDimensionFilters, previousPage, withFilters, FilterError, type AlarmFilters,
} from '../lib/filters.js'
import { formatDimensions, formatTime, safeHref, timeAgo } from '../lib/format.js'
import { formatHash } from '../lib/route.js'
import { confirmDialog, loading, pageHeader, promptDialog, stateBadge } from '../ui.js'
import { watchAlarms } from '../watch.js'

const SORT_LABELS: Record<string, string> = {
  state: 'State', severity: 'Severity', alarm_definition_name: 'Definition', state_updated_timestamp: 'State changed', updated_timestamp: 'Updated', created_timestamp: 'Created',
}

export async function alarmsPage(ctx: PageContext): Promise<void> {
  const filters = filtersFromParams(ctx.route.params)
  const go = (next: AlarmFilters) => ctx.go(formatHash('alarms', filtersToParams(next)))
  const options = { signal: ctx.signal }

  // Filters
  const state = h('select', { id: 'filter-state', onchange: () => go(withFilters(filters, { state: (state.value || undefined) as AlarmFilters['state'] })) },
    h('option', { value: '' }, 'Any state'), ...STATES.map((s) => h('option', { value: s, selected: s === filters.state }, s)))
  const severities = h('fieldset', { class: 'checks', id: 'filter-severity' }, h('legend', null, 'Severity'),
    ...SEVERITY_LIST.map((s) => h('label', null, h('input', { type: 'checkbox', value: s, checked: filters.severities.includes(s), onchange: () => {
      const chosen = [...severities.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value) as AlarmFilters['severities']
      go(withFilters(filters, { severities: chosen }))
    } }), ` ${s}`)))
  const metric = h('input', { id: 'filter-metric', value: filters.metricName ?? '', list: 'metric-names', placeholder: 'any metric', autocomplete: 'off' })
  const lifecycle = h('select', { id: 'filter-lifecycle', onchange: () => go(withFilters(filters, { lifecycle: lifecycle.value || undefined })) },
    h('option', { value: '' }, 'Any'), ...LIFECYCLE_STATES.map((s) => h('option', { value: s, selected: s === filters.lifecycle }, s)))
  const dimension = h('input', { id: 'filter-dimension', list: 'dimension-suggestions', placeholder: 'hostname:web-01', autocomplete: 'off' })
  const definitionChip = filters.definitionId
    ? h('p', { class: 'chips' }, h('span', { class: 'chip' }, h('span', null, `definition: ${filters.definitionId}`),
      h('button', { type: 'button', 'aria-label': 'Show the alarms of every definition', onclick: () => go(withFilters(filters, { definitionId: undefined })) }, '×')))
    : null
  const chips = h('ul', { class: 'chips', 'aria-label': 'Dimension filters' },
    ...filters.dimensions.map((d) => h('li', { class: 'chip' }, h('span', null, formatDimensionFilter(d)),
      h('button', { type: 'button', 'aria-label': `Remove filter ${formatDimensionFilter(d)}`, onclick: () => go(withFilters(filters, { dimensions: filters.dimensions.filter((x) => x !== d) })) }, '×'))))
  const form = h('form', {
    class: 'filters card', role: 'search', 'aria-label': 'Alarm filters',
    onsubmit: (event: Event) => {
      event.preventDefault()
      setFieldError(dimension, undefined)
      try {
        const added = dimension.value.trim() ? parseDimensionFilters(dimension.value) : []
        go(withFilters(filters, { metricName: metric.value.trim() || undefined, dimensions: mergeDimensionFilters([...filters.dimensions, ...added]) }))
      } catch (error) {
        if (error instanceof FilterError) setFieldError(dimension, error.message)
        else throw error
      }
    },
  },
    definitionChip,
    field('State', state),
    severities,
    field('Metric name', metric),
    h('div', { class: 'field dims' }, field('Dimension (key:value)', dimension), chips),
    field('Lifecycle', lifecycle),
    h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Apply'),
      h('a', { href: '#/alarms', class: 'button' }, 'Clear')),
    datalist('metric-names', []),
    datalist('dimension-suggestions', []),
  )

  // On a phone the filters fold away behind one line that says how many are set.
  const active = [filters.definitionId, filters.state, filters.severities.length, filters.metricName, filters.dimensions.length, filters.lifecycle].filter(Boolean).length
  const panel = h('details', { class: 'filter-panel', open: !matchMedia('(max-width: 700px)').matches },
    h('summary', null, active ? `Filters (${active} set)` : 'Filters'), form)
  const body = h('div', null, loading())
  const bulk = h('div', { class: 'bulk', role: 'toolbar', 'aria-label': 'Actions on selected alarms', hidden: true })
  clear(ctx.main, pageHeader('Alarms'), panel, h('section', { class: 'card', 'aria-label': 'Alarm list' }, bulk, body))

  // Autocomplete: metric names once; dimension names, then the values of the name typed before ':'.
  void ctx.client.metrics.listNames({}, options).then((names) => datalist('metric-names', names.map((n) => n.name))).catch(() => undefined)
  const valuesOf = new Map<string, Promise<string[]>>()
  const dimensionNames = ctx.client.metrics.listDimensionNames({}, options).then((names) => names.map((n) => n.dimension_name)).catch(() => [] as string[])
  const suggest = async () => {
    const text = dimension.value.split(/[,\s]+/).at(-1) ?? ''
    const colon = text.indexOf(':')
    if (colon === -1) return datalist('dimension-suggestions', (await dimensionNames).map((n) => `${n}:`))
    const key = text.slice(0, colon)
    if (!valuesOf.has(key)) valuesOf.set(key, ctx.client.metrics.listDimensionValues({ dimension_name: key }, options).then((v) => v.map((x) => x.dimension_value)).catch(() => []))
    datalist('dimension-suggestions', (await valuesOf.get(key)!).map((v) => `${key}:${v}`))
  }
  dimension.addEventListener('input', () => void suggest())
  dimension.addEventListener('focus', () => void suggest(), { once: true })

  let rows: Alarm[] = []
  /** The definition's name once a row shows it (the URL holds its id). */
  function definitionName(definitionId: string): string {
    return rows.find((r) => r.alarm_definition.id === definitionId)?.alarm_definition.name ?? definitionId
  }
  const selected = new Set<string>()

  const act = async (ids: string[], what: string, run: (id: string) => Promise<unknown>) => {
    try {
      await Promise.all(ids.map(run))
      selected.clear()
      announce(`${what}: ${ids.length} alarm${ids.length === 1 ? '' : 's'}`)
      await load()
    } catch (error) {
      ctx.fail(error)
    }
  }
  const lifecycleTo = (ids: string[], to: string) => act(ids, to.toLowerCase(), (id) => ctx.client.alarms.patch(id, { lifecycle_state: to }, options))
  const remove = async (ids: string[]) => {
    if (await confirmDialog(`Delete ${ids.length === 1 ? 'this alarm' : `${ids.length} alarms`}? The threshold engine creates it again if its metrics still match.`, 'Delete')) {
      await act(ids, 'deleted', (id) => ctx.client.alarms.delete(id, options))
    }
  }
  const setLink = async (alarm: Alarm) => {
    const link = await promptDialog('Link (a ticket or runbook URL)', alarm.link ?? '', { type: 'url', placeholder: 'https://tickets.example/42' })
    if (link !== undefined) await act([alarm.id], 'link set', (id) => ctx.client.alarms.patch(id, { link }, options))
  }

  function renderBulk(): void {
    bulk.hidden = selected.size === 0
    const ids = [...selected]
    clear(bulk, h('span', null, `${ids.length} selected`),
      h('button', { type: 'button', onclick: () => lifecycleTo(ids, 'ACKNOWLEDGED') }, 'Acknowledge'),
      h('button', { type: 'button', onclick: () => lifecycleTo(ids, 'RESOLVED') }, 'Resolve'),
      h('button', { type: 'button', onclick: () => lifecycleTo(ids, 'OPEN') }, 'Reopen'),
      h('button', { type: 'button', class: 'danger', onclick: () => remove(ids) }, 'Delete'))
  }

  function sortHeader(fieldName: string, label: string): HTMLElement {
    const [current, direction] = filters.sort.split(' ')
    const active = current === fieldName
    const nextDirection = active && direction !== 'desc' ? 'desc' : active ? 'asc' : fieldName.endsWith('timestamp') ? 'desc' : 'asc'
    return h('th', { scope: 'col', 'aria-sort': active ? (direction === 'desc' ? 'descending' : 'ascending') : undefined },
      h('button', { type: 'button', class: 'sort', onclick: () => go(withFilters(filters, { sort: `${fieldName} ${nextDirection}` })) }, label, active ? (direction === 'desc' ? ' ▼' : ' ▲') : ''))
  }

  function row(alarm: Alarm): HTMLElement {
    const box = h('input', { type: 'checkbox', 'aria-label': `Select alarm ${alarm.alarm_definition.name}`, checked: selected.has(alarm.id), onchange: () => {
      if (box.checked) selected.add(alarm.id)
      else selected.delete(alarm.id)
      renderBulk()
    } })
    return h('tr', { 'data-alarm': alarm.id },
      h('td', null, box),
      h('td', { class: 'state-cell' }, stateBadge(alarm.state, alarm.alarm_definition.severity)),
      h('td', null, h('a', { href: formatHash('alarm', {}, alarm.id) }, alarm.alarm_definition.name)),
      h('td', { class: 'metrics' }, ...alarm.metrics.map((m) => h('div', null, h('code', null, m.name), ' ', h('span', { class: 'dims' }, formatDimensions(m.dimensions))))),
      h('td', { class: 'lifecycle' }, alarm.lifecycle_state ?? '—'),
      h('td', { class: 'link-cell' }, safeHref(alarm.link) ? h('a', { href: safeHref(alarm.link), rel: 'noopener noreferrer', target: '_blank', title: alarm.link }, 'link') : alarm.link ? h('span', { title: 'Not an http(s) URL: shown, not linked' }, alarm.link) : '—'),
      h('td', { class: 'updated-cell', title: formatTime(alarm.updated_timestamp) }, timeAgo(alarm.state_updated_timestamp)),
      h('td', { class: 'row-actions' },
        alarm.lifecycle_state === 'ACKNOWLEDGED'
          ? h('button', { type: 'button', onclick: () => lifecycleTo([alarm.id], 'RESOLVED') }, 'Resolve')
          : alarm.lifecycle_state === 'RESOLVED'
            ? h('button', { type: 'button', onclick: () => lifecycleTo([alarm.id], 'OPEN') }, 'Reopen')
            : h('button', { type: 'button', onclick: () => lifecycleTo([alarm.id], 'ACKNOWLEDGED') }, 'Acknowledge'),
        h('button', { type: 'button', onclick: () => setLink(alarm) }, 'Link…'),
        h('button', { type: 'button', class: 'danger', 'aria-label': `Delete alarm ${alarm.alarm_definition.name}`, onclick: () => remove([alarm.id]) }, 'Delete')),
    )
  }

  async function load(): Promise<void> {
    try {
      const page = await ctx.client.alarms.list(alarmListParams(filters), options).page()
      rows = page.elements
      for (const id of [...selected]) if (!rows.some((r) => r.id === id)) selected.delete(id)
      renderBulk()
      const all = h('input', { type: 'checkbox', 'aria-label': 'Select all alarms on this page', checked: rows.length > 0 && rows.every((r) => selected.has(r.id)), onchange: () => {
        for (const r of rows) (all.checked ? selected.add(r.id) : selected.delete(r.id))
        body.querySelectorAll<HTMLInputElement>('tbody input[type=checkbox]').forEach((b) => (b.checked = all.checked))
        renderBulk()
      } })
      clear(body,
        h('div', { class: 'table-wrap' },
          h('table', { class: 'alarms', id: 'alarm-table' },
            h('caption', { class: 'sr-only' }, 'Alarms'),
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, all), sortHeader('state', SORT_LABELS.state!), sortHeader('alarm_definition_name', SORT_LABELS.alarm_definition_name!),
              h('th', { scope: 'col' }, 'Metrics and dimensions'), h('th', { scope: 'col' }, 'Lifecycle'), h('th', { scope: 'col' }, 'Link'),
              sortHeader('state_updated_timestamp', SORT_LABELS.state_updated_timestamp!), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
            h('tbody', null, ...rows.map(row)),
          ),
        ),
        rows.length === 0 ? h('p', { class: 'empty' }, 'No alarm matches these filters.') : null,
        h('nav', { class: 'pager', 'aria-label': 'Pages' },
          h('button', { type: 'button', disabled: !filters.offset, onclick: () => go(previousPage(filters)) }, '← Previous'),
          h('span', null, `Page ${filters.trail.length + 1} · ${rows.length} alarms`),
          h('button', { type: 'button', id: 'next-page', disabled: page.nextOffset === undefined, onclick: () => page.nextOffset && go(nextPage(filters, page.nextOffset)) }, 'Next →'),
          h('label', { for: 'page-size' }, 'Per page'),
          h('select', { id: 'page-size', onchange: (e: Event) => go(withFilters(filters, { limit: Number((e.target as HTMLSelectElement).value) })) },
            ...[10, 20, 50, 100].map((n) => h('option', { value: String(n), selected: n === filters.limit }, String(n)))),
          h('label', { for: 'sort-by' }, 'Sort by'),
          h('select', { id: 'sort-by', onchange: (e: Event) => go(withFilters(filters, { sort: (e.target as HTMLSelectElement).value })) },
            ...ALARM_SORTS.flatMap((s) => ['asc', 'desc'].map((d) => h('option', { value: `${s} ${d}`, selected: filters.sort === `${s} ${d}` }, `${SORT_LABELS[s]} ${d === 'asc' ? '↑' : '↓'}`)))),
        ),
      )
      if (definitionChip) definitionChip.querySelector('span span')!.textContent = `definition: ${definitionName(filters.definitionId!)}`
      ctx.updated()
    } catch (error) {
      ctx.fail(error, body)
    }
  }

  function announce(text: string): void {
    const live = document.getElementById('announce') ?? document.body.appendChild(h('div', { id: 'announce', class: 'sr-only', role: 'status' }))
    live.textContent = text
  }

  /** A transition from the watch: update that row in place (no reload); a new alarm shows at the next refresh. */
  function apply(transition: AlarmStateHistory): void {
    const index = rows.findIndex((r) => r.id === transition.alarm_id)
    if (index === -1) return
    const alarm = { ...rows[index]!, state: transition.new_state, state_updated_timestamp: transition.timestamp, updated_timestamp: transition.timestamp }
    rows[index] = alarm
    const old = body.querySelector(`tr[data-alarm="${CSS.escape(alarm.id)}"]`)
    if (!old) return
    const fresh = row(alarm)
    fresh.classList.add('flash')
    old.replaceWith(fresh)
    announce(`${alarm.alarm_definition.name} is now ${alarm.state}`)
  }

  ctx.onRefresh(load)
  const since = new Date()
  await load()
  watchAlarms(ctx, since, apply)
}

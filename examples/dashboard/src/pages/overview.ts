/**
 * Overview: state × severity counters from one alarms.count call, and tiles per host or service
 * (the user picks the dimension) coloured by their worst state; every number and tile links to the
 * alarm list filtered to it.
 */
import type { AlarmCount } from 'monasca-client'
import type { PageContext } from '../context.js'
import { clear, h } from '../lib/dom.js'
import { filtersToParams, SEVERITY_LIST, STATES, withFilters, filtersFromParams } from '../lib/filters.js'
import { countMatrix, dimensionNames, worstByDimension, type TileSummary } from '../lib/counts.js'
import { formatHash } from '../lib/route.js'
import { loading, pageHeader } from '../ui.js'
import { watchAlarms } from '../watch.js'

const TILE_DIMENSIONS = ['hostname', 'service']

export async function overviewPage(ctx: PageContext): Promise<void> {
  const by = ctx.route.params.get('by') ?? 'hostname'
  const countersBody = h('div', null, loading())
  const tilesBody = h('div', null, loading())
  const counters = h('section', { class: 'card', 'aria-labelledby': 'counters-title' }, h('h2', { id: 'counters-title' }, 'Alarms by state and severity'), countersBody)
  const picker = h(
    'select',
    { id: 'tile-by', onchange: (e: Event) => ctx.go(formatHash('overview', { by: (e.target as HTMLSelectElement).value }), true) },
    ...[...new Set([...TILE_DIMENSIONS, by])].map((d) => h('option', { value: d, selected: d === by }, d)),
  )
  const tiles = h('section', { class: 'card', 'aria-labelledby': 'tiles-title' },
    h('div', { class: 'section-head' }, h('h2', { id: 'tiles-title' }, `Alarms per ${by}`), h('label', { for: 'tile-by' }, 'Group by '), picker),
    tilesBody,
  )
  clear(ctx.main, pageHeader('Overview'), counters, tiles)

  const link = (change: Parameters<typeof withFilters>[1]) => formatHash('alarms', filtersToParams(withFilters(filtersFromParams(new URLSearchParams()), change)))

  async function load(): Promise<void> {
    const options = { signal: ctx.signal }
    try {
      const [matrix, grouped] = await Promise.all([
        ctx.client.alarms.count({ group_by: ['state', 'severity'] }, options),
        ctx.client.alarms.count({ group_by: ['state', 'dimension_name', 'dimension_value'] }, options),
      ])
      clear(countersBody, countersTable(matrix, link))
      clear(tilesBody, tileGrid(worstByDimension(grouped, by), by, link))
      // Any dimension the alarms have can group the tiles; the count already names them all.
      const names = [...new Set([...TILE_DIMENSIONS, by, ...dimensionNames(grouped)])]
      if (names.length !== picker.options.length) clear(picker, ...names.map((d) => h('option', { value: d, selected: d === by }, d)))
      ctx.updated()
    } catch (error) {
      ctx.fail(error, countersBody)
    }
  }
  ctx.onRefresh(load)
  const since = new Date()
  await load()
  // A burst of transitions costs one reload of the two counts.
  let pending: ReturnType<typeof setTimeout> | undefined
  watchAlarms(ctx, since, () => {
    pending ??= setTimeout(() => {
      pending = undefined
      if (!ctx.signal.aborted) void load()
    }, 250)
  })
}

function countersTable(count: AlarmCount, link: (change: object) => string): HTMLElement {
  const { cells, byState, total } = countMatrix(count)
  const cell = (n: number, change: object, label: string) =>
    n === 0 ? h('span', { class: 'zero', 'aria-label': `${label}: none` }, '0') : h('a', { href: link(change), 'aria-label': `${label}: ${n}` }, String(n))
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { class: 'counters', id: 'counters' },
      h('caption', null, `${total} alarms in all`),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'State'), ...SEVERITY_LIST.map((s) => h('th', { scope: 'col' }, s)), h('th', { scope: 'col' }, 'All'))),
      h('tbody', null,
        ...STATES.map((state) =>
          h('tr', { 'data-state': state },
            h('th', { scope: 'row' }, h('span', { class: `badge state-${state.toLowerCase()}` }, state)),
            ...SEVERITY_LIST.map((severity) => h('td', { 'data-severity': severity }, cell(cells[state]?.[severity] ?? 0, { state, severities: [severity] }, `${state} ${severity}`))),
            h('td', { 'data-severity': 'ALL' }, cell(byState[state] ?? 0, { state }, `${state} total`)),
          ),
        ),
      ),
    ),
  )
}

function tileGrid(summaries: TileSummary[], by: string, link: (change: object) => string): HTMLElement {
  if (summaries.length === 0) return h('p', null, `No alarm has a ${by} dimension.`)
  return h(
    'ul',
    { class: 'tile-grid', id: 'tiles' },
    ...summaries.map((tile) =>
      h('li', null,
        h('a', { class: `tile state-${tile.worst.toLowerCase()}`, href: link({ dimensions: [{ key: by, values: [tile.value] }] }), 'data-value': tile.value, 'data-worst': tile.worst },
          h('span', { class: 'tile-name' }, tile.value),
          h('span', { class: 'tile-state' }, tile.worst),
          h('span', { class: 'tile-counts' }, STATES.filter((s) => tile.counts[s]).map((s) => `${tile.counts[s]} ${s.toLowerCase()}`).join(' · ')),
        ),
      ),
    ),
  )
}

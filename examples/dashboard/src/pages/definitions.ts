/**
 * Alarm definitions: the list (enable/disable actions, delete) and the create/edit form with an
 * expression editor that checks the expression as the user types and points at the column at fault.
 */
import type { AlarmDefinition, NotificationMethod, Severity } from 'monasca-client'
import type { PageContext } from '../context.js'
import { clear, datalist, field, h, setFieldError, uid } from '../lib/dom.js'
import { describeFailure, fieldOfServerError } from '../lib/errors.js'
import { checkExpression } from '../lib/expression.js'
import { SEVERITY_LIST } from '../lib/filters.js'
import { formatHash } from '../lib/route.js'
import { confirmDialog, errorBox, loading, pageHeader, severityBadge } from '../ui.js'

/** Definitions per request: 100, or `?page-size=` in the page URL. */
const pageSize = () => Number(new URLSearchParams(location.search).get('page-size')) || 100

export async function definitionsPage(ctx: PageContext): Promise<void> {
  if (ctx.route.id) return editPage(ctx, ctx.route.id === 'new' ? undefined : ctx.route.id)
  const options = { signal: ctx.signal }
  const body = h('div', null, loading())
  clear(ctx.main, pageHeader('Alarm definitions', h('a', { href: '#/definitions/new', class: 'button primary', id: 'new-definition' }, 'New definition')), h('section', { class: 'card' }, body))

  /** Pages of 100 by name, one more each time the user asks (the SDK follows the server's next offset). */
  async function load(): Promise<void> {
    try {
      const size = pageSize()
      const pages = ctx.client.alarmDefinitions.list({ sort_by: 'name', limit: size }, options).pages()
      const first = await pages.next()
      const rows = h('tbody', null, ...(first.done ? [] : first.value.elements.map(row)))
      const more = h('button', { type: 'button', id: 'more-definitions', hidden: first.done || first.value.nextOffset === undefined, onclick: async () => {
        more.disabled = true
        try {
          const next = await pages.next()
          if (!next.done) rows.append(...next.value.elements.map(row))
          more.hidden = next.done || next.value.nextOffset === undefined
        } catch (error) {
          ctx.fail(error)
        } finally {
          more.disabled = false
        }
      } }, `Show ${size} more`)
      clear(body,
        h('div', { class: 'table-wrap' }, h('table', { id: 'definition-table' },
          h('caption', { class: 'sr-only' }, 'Alarm definitions'),
          h('thead', null, h('tr', null, ...['Name', 'Expression', 'Severity', 'Match by', 'Actions', ''].map((t) => h('th', { scope: 'col' }, t || h('span', { class: 'sr-only' }, 'Manage'))))),
          rows,
        )),
        rows.childElementCount === 0 ? h('p', { class: 'empty' }, 'No alarm definition yet.') : null,
        h('div', { class: 'pager' }, more),
      )
      ctx.updated()
    } catch (error) {
      ctx.fail(error, body)
    }
  }

  function row(definition: AlarmDefinition): HTMLElement {
    return h('tr', { 'data-definition': definition.id },
      h('td', null, h('a', { href: formatHash('definitions', {}, definition.id) }, definition.name)),
      h('td', null, h('code', { class: 'expression' }, definition.expression)),
      h('td', null, severityBadge(definition.severity)),
      h('td', null, definition.match_by.join(', ') || '—'),
      h('td', null, h('button', {
        type: 'button', 'aria-pressed': String(definition.actions_enabled),
        'aria-label': `${definition.actions_enabled ? 'Enabled' : 'Disabled'}: notifications of ${definition.name}`,
        title: definition.actions_enabled ? 'Notifications are sent; click to silence this definition' : 'Silenced; click to send notifications again',
        onclick: async () => {
          try {
            await ctx.client.alarmDefinitions.patch(definition.id, { actions_enabled: !definition.actions_enabled }, options)
            await load()
          } catch (error) {
            ctx.fail(error)
          }
        },
      }, definition.actions_enabled ? 'Enabled' : 'Disabled')),
      h('td', { class: 'row-actions' },
        h('a', { href: formatHash('alarms', { definition: definition.id }), class: 'button', 'aria-label': `Alarms of ${definition.name}` }, 'Alarms'),
        h('a', { href: formatHash('definitions', {}, definition.id), class: 'button', 'aria-label': `Edit ${definition.name}` }, 'Edit'),
        h('button', { type: 'button', class: 'danger', 'aria-label': `Delete definition ${definition.name}`, onclick: async () => {
          if (!(await confirmDialog(`Delete the definition "${definition.name}" and all its alarms?`, 'Delete'))) return
          try {
            await ctx.client.alarmDefinitions.delete(definition.id, options)
            await load()
          } catch (error) {
            ctx.fail(error)
          }
        } }, 'Delete')),
    )
  }
  ctx.onRefresh(load)
  await load()
}

const FUNCTIONS = ['avg', 'max', 'min', 'sum', 'count', 'last']
const OPERATORS = ['>', '>=', '<', '<=']

async function editPage(ctx: PageContext, id: string | undefined): Promise<void> {
  const options = { signal: ctx.signal }
  clear(ctx.main, pageHeader(id ? 'Edit alarm definition' : 'New alarm definition'), loading())
  let existing: AlarmDefinition | undefined
  let methods: NotificationMethod[] = []
  try {
    ;[existing, methods] = await Promise.all([
      id ? ctx.client.alarmDefinitions.get(id, options) : Promise.resolve(undefined),
      ctx.client.notifications.list({ sort_by: 'name', limit: 100 }, options),
    ])
  } catch (error) {
    return ctx.fail(error, ctx.main)
  }

  const name = h('input', { id: 'def-name', required: true, maxlength: 255, value: existing?.name ?? '' })
  const description = h('input', { id: 'def-description', maxlength: 255, value: existing?.description ?? '' })
  const expression = h('textarea', { id: 'def-expression', rows: 2, required: true, spellcheck: 'false', autocomplete: 'off', class: 'mono' })
  expression.value = existing?.expression ?? ''
  const caret = h('pre', { class: 'caret', id: 'expression-caret', 'aria-hidden': 'true', hidden: true })
  const verdict = h('p', { class: 'verdict', id: 'expression-verdict', 'aria-live': 'polite' })
  const severity = h('select', { id: 'def-severity' }, ...SEVERITY_LIST.slice().reverse().map((s) => h('option', { value: s, selected: s === (existing?.severity ?? 'LOW') }, s)))
  const matchBy = h('fieldset', { class: 'checks', id: 'def-match-by' }, h('legend', null, 'Match by (one alarm per value of)'))
  const chosenMatchBy = new Set(existing?.match_by ?? [])

  // The builder: pick a function, a metric (autocomplete) and dimensions scoped to it, then insert.
  const fn = h('select', { id: uid('fn'), 'aria-label': 'Function' }, ...FUNCTIONS.map((f) => h('option', { value: f }, f)))
  const metric = h('input', { id: 'builder-metric', list: 'builder-metrics', placeholder: 'cpu.user_perc', autocomplete: 'off' })
  const dims = h('input', { id: 'builder-dims', list: 'builder-dims-list', placeholder: 'hostname=web-01', autocomplete: 'off' })
  const operator = h('select', { id: uid('op'), 'aria-label': 'Comparison' }, ...OPERATORS.map((o) => h('option', { value: o }, o)))
  const threshold = h('input', { id: 'builder-threshold', type: 'number', step: 'any', value: '90' })
  const join = h('select', { id: uid('join'), 'aria-label': 'Join with' }, h('option', { value: 'and' }, 'and'), h('option', { value: 'or' }, 'or'))
  const builder = h('fieldset', { class: 'builder' }, h('legend', null, 'Add a condition'),
    field('Function', fn), field('Metric', metric), field('Dimensions', dims, 'name=value, comma separated'), field('Comparison', operator), field('Threshold', threshold), field('Join', join),
    h('button', { type: 'button', onclick: () => {
      if (!metric.value.trim()) return setFieldError(metric, 'Pick a metric first')
      setFieldError(metric, undefined)
      const sub = `${fn.value}(${metric.value.trim()}${dims.value.trim() ? `{${dims.value.trim()}}` : ''}) ${operator.value} ${threshold.value || 0}`
      expression.value = expression.value.trim() ? `${expression.value.trim()} ${join.value} ${sub}` : sub
      check()
      expression.focus()
    } }, 'Insert'),
    datalist('builder-metrics', []), datalist('builder-dims-list', []))

  void ctx.client.metrics.listNames({}, options).then((n) => datalist('builder-metrics', n.map((x) => x.name))).catch(() => undefined)
  const scopedDims = async () => {
    const m = metric.value.trim()
    if (!m) return
    try {
      const names = await ctx.client.metrics.listDimensionNames({ metric_name: m }, options)
      const values = await Promise.all(names.slice(0, 8).map((n) => ctx.client.metrics.listDimensionValues({ dimension_name: n.dimension_name, metric_name: m }, options).then((v) => v.map((x) => `${n.dimension_name}=${x.dimension_value}`))))
      datalist('builder-dims-list', values.flat())
    } catch {
      // Suggestions are a convenience; typing still works.
    }
  }
  metric.addEventListener('change', () => void scopedDims())

  const pickers = (['alarm_actions', 'ok_actions', 'undetermined_actions'] as const).map((key) => {
    const chosen = new Set(existing?.[key] ?? [])
    const label = { alarm_actions: 'On ALARM, notify', ok_actions: 'On OK, notify', undetermined_actions: 'On UNDETERMINED, notify' }[key]
    const set = h('fieldset', { class: 'checks', id: `def-${key}` }, h('legend', null, label),
      methods.length === 0 ? h('p', { class: 'hint' }, 'No notification method yet: add one under Notifications.') : null,
      ...methods.map((m) => h('label', null, h('input', { type: 'checkbox', value: m.id, checked: chosen.has(m.id) }), ` ${m.name} (${m.type})`)))
    return { key, set }
  })

  let scopedFor = ''
  async function refreshMatchBy(metrics: string[]): Promise<void> {
    const key = metrics.join(',')
    if (key === scopedFor) return
    scopedFor = key
    let names: string[] = [...chosenMatchBy]
    if (metrics.length) {
      try {
        const found = await ctx.client.metrics.listDimensionNames({ metric_name: metrics }, options)
        names = [...new Set([...names, ...found.map((n) => n.dimension_name)])].sort()
      } catch {
        // Keep what is chosen.
      }
    }
    clear(matchBy, h('legend', null, 'Match by (one alarm per value of)'),
      names.length === 0 ? h('p', { class: 'hint' }, 'Write the expression to see its metrics\' dimensions.') : null,
      ...names.map((n) => h('label', null, h('input', { type: 'checkbox', value: n, checked: chosenMatchBy.has(n), disabled: !!existing, onchange: (e: Event) => {
        if ((e.target as HTMLInputElement).checked) chosenMatchBy.add(n)
        else chosenMatchBy.delete(n)
      } }), ` ${n}`)),
      existing ? h('p', { class: 'hint' }, 'The server does not allow changing match_by after creation.') : null)
  }

  function check(): boolean {
    const result = checkExpression(expression.value)
    if (result.ok) {
      caret.hidden = true
      verdict.className = 'verdict ok'
      verdict.textContent = `✓ Valid expression (${result.metrics.join(', ')})`
      setFieldError(expression, undefined)
      void refreshMatchBy(result.metrics)
      return true
    }
    caret.textContent = result.caret ?? ''
    caret.hidden = expression.value.trim() === ''
    verdict.className = 'verdict bad'
    verdict.textContent = ''
    verdict.dataset.column = String(result.column ?? '')
    verdict.dataset.line = String(result.line ?? '')
    setFieldError(expression, result.message)
    return false
  }
  expression.addEventListener('input', check)

  const result = h('div', { 'aria-live': 'polite' })
  const form = h('form', {
    class: 'card definition-form', id: 'definition-form',
    onsubmit: async (event: Event) => {
      event.preventDefault()
      clear(result)
      setFieldError(name, name.value.trim() ? undefined : 'Give the definition a name')
      if (!name.value.trim() || !check()) return
      const body = {
        name: name.value.trim(),
        description: description.value.trim(),
        expression: expression.value.trim(),
        severity: severity.value as Severity,
        match_by: [...chosenMatchBy],
        ...Object.fromEntries(pickers.map(({ key, set }) => [key, [...set.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value)])),
      } as { name: string; description: string; expression: string; severity: Severity; match_by: string[]; alarm_actions: string[]; ok_actions: string[]; undetermined_actions: string[] }
      try {
        if (existing) await ctx.client.alarmDefinitions.update(existing.id, { ...body, actions_enabled: existing.actions_enabled }, options)
        else await ctx.client.alarmDefinitions.create(body, options)
        ctx.go('#/definitions')
      } catch (error) {
        const failure = describeFailure(error)
        if (failure.kind === 'session' || failure.kind === 'connection') return ctx.fail(error)
        const controls = { expression, name, description, severity }
        const key = (failure.field ?? fieldOfServerError(`${failure.title} ${failure.description}`, Object.keys(controls))) as keyof typeof controls | undefined
        const target = key ? controls[key] : undefined
        if (target) setFieldError(target, failure.description)
        clear(result, errorBox(failure))
      }
    },
  },
    field('Name', name),
    field('Description', description),
    h('div', { class: 'field expression-field' },
      h('label', { for: 'def-expression' }, 'Expression'),
      expression, caret,
      h('p', { class: 'field-error', id: 'def-expression-error', role: 'alert', hidden: true }),
      verdict),
    builder,
    field('Severity', severity),
    matchBy,
    ...pickers.map((p) => p.set),
    h('div', { class: 'actions' }, h('a', { href: '#/definitions', class: 'button' }, 'Cancel'), h('button', { type: 'submit', class: 'primary' }, existing ? 'Save' : 'Create')),
    result,
  )
  expression.setAttribute('aria-describedby', 'def-expression-error expression-verdict')
  clear(ctx.main, pageHeader(existing ? `Edit ${existing.name}` : 'New alarm definition'), form)
  if (existing) check()
  else void refreshMatchBy([])
  name.focus()
}

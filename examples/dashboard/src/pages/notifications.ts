/** Notification methods: list, create, edit, delete; the address checked for its type before sending. */
import type { NotificationMethod } from 'monasca-client'
import type { PageContext } from '../context.js'
import { clear, field, h, setFieldError } from '../lib/dom.js'
import { describeFailure, fieldOfServerError } from '../lib/errors.js'
import { checkAddress, periodChoices } from '../lib/notify.js'
import { confirmDialog, errorBox, loading, pageHeader } from '../ui.js'

export async function notificationsPage(ctx: PageContext): Promise<void> {
  const options = { signal: ctx.signal }
  const body = h('div', null, loading())
  const editor = h('section', { class: 'card', 'aria-labelledby': 'editor-title' })
  clear(ctx.main, pageHeader('Notification methods'), h('section', { class: 'card' }, body), editor)
  let types: string[] = []

  async function load(): Promise<void> {
    try {
      const [methods, typeList] = await Promise.all([
        ctx.client.notifications.list({ sort_by: 'name', limit: 100 }, options),
        types.length ? Promise.resolve(types.map((type) => ({ type }))) : ctx.client.notificationTypes.list(options),
      ])
      types = typeList.map((t) => t.type)
      clear(body, h('div', { class: 'table-wrap' }, h('table', { id: 'notification-table' },
        h('caption', { class: 'sr-only' }, 'Notification methods'),
        h('thead', null, h('tr', null, ...['Name', 'Type', 'Address', 'Period'].map((t) => h('th', { scope: 'col' }, t)), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Manage')))),
        h('tbody', null, ...methods.map((m) => h('tr', { 'data-notification': m.id, 'data-name': m.name },
          h('td', null, m.name), h('td', null, m.type), h('td', { class: 'address' }, m.address), h('td', null, m.period ? `${m.period} s` : 'once'),
          h('td', { class: 'row-actions' },
            h('button', { type: 'button', onclick: () => edit(m) }, 'Edit'),
            h('button', { type: 'button', class: 'danger', 'aria-label': `Delete notification ${m.name}`, onclick: async () => {
              if (!(await confirmDialog(`Delete the notification method "${m.name}"? Definitions that use it stop notifying it.`, 'Delete'))) return
              try {
                await ctx.client.notifications.delete(m.id, options)
                await load()
              } catch (error) {
                ctx.fail(error)
              }
            } }, 'Delete')))))),
      ), methods.length === 0 ? h('p', { class: 'empty' }, 'No notification method yet.') : null)
      if (!editor.hasChildNodes()) edit(undefined)
      ctx.updated()
    } catch (error) {
      ctx.fail(error, body)
    }
  }

  function edit(method: NotificationMethod | undefined): void {
    const name = h('input', { id: 'nm-name', required: true, maxlength: 250, value: method?.name ?? '' })
    const type = h('select', { id: 'nm-type' }, ...types.map((t) => h('option', { value: t, selected: t === (method?.type ?? types[0]) }, t)))
    const address = h('input', { id: 'nm-address', required: true, maxlength: 512, value: method?.address ?? '' })
    const period = h('select', { id: 'nm-period' })
    const result = h('div', { 'aria-live': 'polite' })
    const retype = () => {
      const choices = periodChoices(type.value)
      const current = Number(period.value || method?.period || 0)
      clear(period, ...choices.map((p) => h('option', { value: String(p), selected: p === current }, p === 0 ? 'Once (0)' : `Every ${p} s while in alarm`)))
      address.placeholder = type.value === 'EMAIL' ? 'ops@example.com' : /WEBHOOK|SLACK|HIPCHAT/.test(type.value) ? 'https://hooks.example/ops' : 'address'
      address.type = type.value === 'EMAIL' ? 'email' : 'text'
    }
    type.addEventListener('change', () => {
      retype()
      if (address.value) setFieldError(address, checkAddress(type.value, address.value))
    })
    // Checked when the user leaves the field; an error goes as soon as the text is right (while typing,
    // so the layout never shifts under a click).
    address.addEventListener('blur', () => setFieldError(address, address.value ? checkAddress(type.value, address.value) : undefined))
    address.addEventListener('input', () => {
      if (address.getAttribute('aria-invalid') && !checkAddress(type.value, address.value)) setFieldError(address, undefined)
    })
    retype()
    const form = h('form', {
      id: 'notification-form', novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault()
        clear(result)
        const nameError = name.value.trim() ? undefined : 'Give the method a name'
        const addressError = checkAddress(type.value, address.value)
        setFieldError(name, nameError)
        setFieldError(address, addressError)
        if (nameError || addressError) return
        const body = { name: name.value.trim(), type: type.value, address: address.value.trim(), period: Number(period.value) }
        try {
          if (method) await ctx.client.notifications.update(method.id, body, options)
          else await ctx.client.notifications.create(body, options)
          clear(editor)
          await load()
        } catch (error) {
          const failure = describeFailure(error)
          if (failure.kind === 'session' || failure.kind === 'connection') return ctx.fail(error)
          const controls = { name, address, period, type }
          const key = (failure.field ?? fieldOfServerError(failure.description, Object.keys(controls))) as keyof typeof controls | undefined
          const target = key ? controls[key] : undefined
          if (target) setFieldError(target, failure.description)
          clear(result, errorBox(failure))
        }
      },
    },
      h('div', { class: 'row' }, field('Name', name), field('Type', type), field('Address', address), field('Period', period)),
      h('div', { class: 'actions' },
        method ? h('button', { type: 'button', onclick: () => edit(undefined) }, 'Cancel') : null,
        h('button', { type: 'submit', class: 'primary' }, method ? 'Save' : 'Create')),
      result)
    clear(editor, h('h2', { id: 'editor-title' }, method ? `Edit ${method.name}` : 'New notification method'), form)
    if (method) name.focus()
  }

  ctx.onRefresh(load)
  await load()
}

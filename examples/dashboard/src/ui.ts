/** Small shared pieces: badges, the error box, confirmation and one-field dialogs. */
import type { AlarmState, Severity } from 'monasca-client'
import { h } from './lib/dom.js'
import { describeFailure, type Failure } from './lib/errors.js'

export function stateBadge(state: AlarmState | string, severity?: Severity | string): HTMLElement {
  const text = state === 'ALARM' && severity ? `ALARM · ${severity}` : state
  return h('span', { class: `badge state-${state.toLowerCase()}${state === 'ALARM' && severity ? ` sev-${String(severity).toLowerCase()}` : ''}`, 'data-state': state }, text)
}

export function severityBadge(severity: Severity | string): HTMLElement {
  return h('span', { class: `badge sev-${severity.toLowerCase()}` }, severity)
}

/** A failure in the page: the server's title and description, the request id to quote to the operator. */
export function errorBox(error: unknown | Failure, retry?: () => void): HTMLElement {
  const failure = isFailure(error) ? error : describeFailure(error)
  return h(
    'div',
    { class: 'error-box', role: 'alert' },
    h('strong', { class: 'error-title' }, failure.status ? `${failure.title} (HTTP ${failure.status})` : failure.title),
    h('p', { class: 'error-description' }, failure.description),
    failure.requestId ? h('p', { class: 'request-id' }, 'Request id: ', h('code', null, failure.requestId)) : null,
    retry ? h('button', { type: 'button', onclick: retry }, 'Retry') : null,
  )
}

function isFailure(value: unknown): value is Failure {
  return !!value && typeof value === 'object' && 'kind' in value && 'title' in value && !(value instanceof Error)
}

/** A modal confirmation (native <dialog>: focus trapped, Escape cancels). */
export function confirmDialog(message: string, confirm: string, danger = true): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-label': confirm },
      h('form', { method: 'dialog' },
        h('p', null, message),
        h('div', { class: 'actions' },
          h('button', { value: 'cancel', type: 'button', onclick: () => dialog.close('cancel') }, 'Cancel'),
          h('button', { value: 'ok', type: 'submit', class: danger ? 'danger' : 'primary' }, confirm),
        ),
      ),
    )
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok')
      dialog.remove()
    })
    document.body.append(dialog)
    dialog.showModal()
  })
}

/** A modal with one text field; resolves to the text, or undefined when cancelled. */
export function promptDialog(label: string, initial: string, options: { type?: string; placeholder?: string } = {}): Promise<string | undefined> {
  return new Promise((resolve) => {
    const input = h('input', { id: 'prompt-input', type: options.type ?? 'text', value: initial, placeholder: options.placeholder })
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-label': label },
      h('form', { method: 'dialog' },
        h('div', { class: 'field' }, h('label', { for: 'prompt-input' }, label), input),
        h('div', { class: 'actions' },
          // Not a submit button: Enter in the field must save, not pick the first submit button.
          h('button', { value: 'cancel', type: 'button', onclick: () => dialog.close('cancel') }, 'Cancel'),
          h('button', { value: 'ok', type: 'submit', class: 'primary' }, 'Save'),
        ),
      ),
    )
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok' ? input.value.trim() : undefined)
      dialog.remove()
    })
    document.body.append(dialog)
    dialog.showModal()
  })
}

export function loading(text = 'Loading…'): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, text)
}

export function pageHeader(title: string, ...extra: (Node | null)[]): HTMLElement {
  return h('div', { class: 'page-head' }, h('h1', null, title), ...extra)
}

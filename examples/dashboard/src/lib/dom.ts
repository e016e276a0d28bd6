/** A tiny element builder: h('button', { class: 'x', onclick }, 'text'). No virtual DOM, no framework. */
type Child = Node | string | number | null | undefined | false | Child[]
type Attrs = Record<string, unknown>

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value as EventListener)
    else if (key === 'dataset') Object.assign(element.dataset, value)
    else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled' || key === 'open') (element as unknown as Record<string, unknown>)[key] = value
    else element.setAttribute(key, value === true ? '' : String(value))
  }
  append(element, children)
  return element
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    if (Array.isArray(child)) append(parent, child)
    else parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child)
  }
}

export function clear(element: Element, ...children: Child[]): void {
  element.replaceChildren()
  append(element, children)
}

let ids = 0
/** A unique id for label/field pairs. */
export const uid = (prefix: string) => `${prefix}-${++ids}`

/** A labelled field: the label, the control, and a slot for its error message. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uid('f')
  control.id = id
  const error = h('p', { class: 'field-error', id: `${id}-error`, role: 'alert', hidden: true })
  const describedBy = [hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' ')
  control.setAttribute('aria-describedby', describedBy)
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null, error)
}

/** Shows (or clears, with undefined) the error message under a field made by `field`. */
export function setFieldError(control: HTMLElement, message: string | undefined): void {
  const error = document.getElementById(`${control.id}-error`)
  if (!error) return
  error.textContent = message ?? ''
  error.hidden = !message
  if (message) control.setAttribute('aria-invalid', 'true')
  else control.removeAttribute('aria-invalid')
}

export function datalist(id: string, values: string[]): HTMLDataListElement {
  const list = (document.getElementById(id) as HTMLDataListElement | null) ?? h('datalist', { id })
  list.replaceChildren(...values.map((value) => h('option', { value })))
  return list
}

/** Login: Keystone password (user, project, domains) or a pasted token. */
import type { Session } from 'monasca-client'
import { loginWithPassword, loginWithToken, rememberedForm, type SessionHooks } from '../lib/auth.js'
import { clear, field, h, setFieldError } from '../lib/dom.js'
import { describeFailure } from '../lib/errors.js'
import { errorBox } from '../ui.js'

export interface LoginOptions {
  main: HTMLElement
  signal: AbortSignal
  message?: string | undefined
  hooks: SessionHooks
  done(session: Session): void
}

/** Keystone next to the page (`npm start` serves both), unless `?keystone=` says otherwise. */
export function defaultAuthUrl(): string {
  return new URLSearchParams(location.search).get('keystone') ?? `${location.origin}/v3`
}

export function loginPage(options: LoginOptions): void {
  const remembered = rememberedForm()
  const input = (id: string, value: string, extra: Record<string, unknown> = {}) => h('input', { id, name: id, value, ...extra })
  const authUrl = input('auth-url', remembered.authUrl ?? defaultAuthUrl(), { type: 'url', required: true, autocomplete: 'url' })
  const username = input('username', remembered.username ?? '', { required: true, autocomplete: 'username' })
  const password = input('password', '', { type: 'password', required: true, autocomplete: 'current-password' })
  const project = input('project', remembered.projectName ?? '', { autocomplete: 'off' })
  const userDomain = input('user-domain', remembered.userDomainName ?? 'default')
  const projectDomain = input('project-domain', remembered.projectDomainName ?? 'default')
  const token = h('textarea', { id: 'token', name: 'token', rows: 3, spellcheck: 'false', autocomplete: 'off' })
  const result = h('div', { class: 'login-result', 'aria-live': 'polite' })
  let mode: 'password' | 'token' = 'password'

  const passwordFields = h('div', { class: 'password-fields' },
    field('User name', username),
    field('Password', password),
    field('Project', project, 'Leave empty for the user\'s default project.'),
    h('div', { class: 'row' }, field('User domain', userDomain), field('Project domain', projectDomain)),
  )
  const tokenFields = h('div', { class: 'token-fields', hidden: true }, field('Token', token, 'A Keystone token issued before (X-Auth-Token).'))
  // Two toggle buttons (aria-pressed) rather than ARIA tabs, which would promise arrow-key handling.
  const tabs = (['password', 'token'] as const).map((m) =>
    h('button', { type: 'button', id: `tab-${m}`, 'aria-pressed': String(m === mode), onclick: () => switchTo(m) }, m === 'password' ? 'Password' : 'Token'),
  )
  function switchTo(next: typeof mode): void {
    mode = next
    tabs.forEach((tab, i) => tab.setAttribute('aria-pressed', String((i === 0 ? 'password' : 'token') === mode)))
    passwordFields.hidden = mode !== 'password'
    tokenFields.hidden = mode !== 'token'
    for (const control of [username, password]) control.required = mode === 'password'
    token.required = mode === 'token'
  }

  const submit = h('button', { type: 'submit', class: 'primary' }, 'Log in')
  const form = h(
    'form',
    {
      class: 'login card',
      'aria-labelledby': 'login-title',
      onsubmit: async (event: Event) => {
        event.preventDefault()
        clear(result)
        for (const control of [authUrl, username, password, token]) setFieldError(control, undefined)
        if (!/^https?:\/\/[^/]+/.test(authUrl.value.trim())) return setFieldError(authUrl, 'Give the Keystone URL, e.g. http://127.0.0.1:5000/v3')
        submit.disabled = true
        submit.textContent = 'Logging in…'
        try {
          const url = authUrl.value.trim()
          const session =
            mode === 'password'
              ? await loginWithPassword({ authUrl: url, username: username.value.trim(), password: password.value, projectName: project.value.trim(), userDomainName: userDomain.value, projectDomainName: projectDomain.value }, options.hooks)
              : await loginWithToken(url, token.value, options.hooks)
          password.value = ''
          options.done(session)
        } catch (error) {
          const failure = describeFailure(error)
          if (failure.kind === 'validation' && failure.field) {
            const control = { password, username, token, authUrl, projectName: project }[failure.field] as HTMLElement | undefined
            if (control) setFieldError(control, failure.description)
          }
          const shown = failure.kind === 'session' ? { ...failure, title: mode === 'password' ? 'Keystone refused the login' : 'Keystone refused the token' } : failure
          clear(result, errorBox(shown))
        } finally {
          submit.disabled = false
          submit.textContent = 'Log in'
        }
      },
    },
    h('h1', { id: 'login-title' }, 'Log in to Monasca'),
    options.message ? h('p', { class: 'notice', role: 'status', id: 'login-message' }, options.message) : null,
    field('Keystone URL', authUrl),
    h('div', { class: 'tabs', role: 'group', 'aria-label': 'Log in with' }, ...tabs),
    passwordFields,
    tokenFields,
    submit,
    result,
  )
  clear(options.main, h('section', { class: 'login-page' }, form))
  ;(username.value ? password : username).focus()
}

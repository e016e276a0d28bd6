/**
 * The shell: login or the app, the navigation, the router (hash routes), the refresh control, the
 * banner for lost connections, and the AbortController that cancels a page's requests when the user
 * leaves it.
 */
import { createClient, type Client, type Session } from 'monasca-client'
import './styles.css'
import type { Page, PageContext } from './context.js'
import { endSession, restoreSession } from './lib/auth.js'
import { clear, h } from './lib/dom.js'
import { describeFailure } from './lib/errors.js'
import { timeAgo } from './lib/format.js'
import { REFRESH_CHOICES, Refresher } from './lib/live.js'
import { formatHash, parseHash } from './lib/route.js'
import { errorBox } from './ui.js'
import { alarmPage } from './pages/alarm.js'
import { alarmsPage } from './pages/alarms.js'
import { definitionsPage } from './pages/definitions.js'
import { explorerPage } from './pages/explorer.js'
import { loginPage } from './pages/login.js'
import { notificationsPage } from './pages/notifications.js'
import { overviewPage } from './pages/overview.js'

const PAGES: Record<string, Page> = {
  overview: overviewPage,
  alarms: alarmsPage,
  alarm: alarmPage,
  definitions: definitionsPage,
  notifications: notificationsPage,
  explorer: explorerPage,
}
const NAV: [string, string][] = [
  ['overview', 'Overview'],
  ['alarms', 'Alarms'],
  ['definitions', 'Alarm definitions'],
  ['notifications', 'Notifications'],
  ['explorer', 'Metrics explorer'],
]
const REFRESH_KEY = 'monasca-dashboard:refresh'

const top = document.getElementById('top')!
const banner = document.getElementById('banner')!
const main = document.getElementById('main')!

let session: Session | undefined
let client: Client | undefined
let controller: AbortController | undefined
let pageRefresh: (() => Promise<void>) | undefined
let loginMessage: string | undefined
const status = h('span', { class: 'updated', 'aria-live': 'off' })
const refresher = new Refresher({ refresh: () => pageRefresh?.() ?? Promise.resolve(), onChange: () => showStatus() })

function showStatus(): void {
  const last = refresher.lastUpdated
  status.textContent = `${last === undefined ? 'Not loaded yet' : `Updated ${timeAgo(last)}`}${refresher.paused ? ' · paused while hidden' : ''}`
  if (last !== undefined) status.title = new Date(last).toLocaleString()
}
setInterval(showStatus, 5000)

/** Milliseconds per attempt: 20 s, or `?timeout=<ms>` in the page URL (to see the timeout banner in a demo or a test). */
function requestTimeout(): number {
  const asked = Number(new URLSearchParams(location.search).get('timeout'))
  return Number.isFinite(asked) && asked >= 100 ? asked : 20_000
}

function connect(restored: Session): void {
  session = restored
  client = createClient({ session, timeout: requestTimeout(), retries: 1 })
}

/** The session ended (expired, revoked, logged out): back to the login page, saying why. */
async function toLogin(message?: string): Promise<void> {
  // The page's requests and its watch may all fail on the same ended token: go to login once.
  if (!session) return
  controller?.abort()
  const ended = session
  session = undefined
  client = undefined
  loginMessage = message
  await endSession(ended, false)
  const back = location.hash.startsWith('#/login') ? '' : location.hash.replace(/^#/, '')
  // pushState fires no hashchange: one render, which shows the message.
  history.pushState(null, '', formatHash('login', back && back !== '/' ? { next: back } : {}))
  render()
}

function hooks() {
  return { onExpired: () => void toLogin('Your session has expired: the token reached its end. Log in again to continue.') }
}

function showBanner(error: unknown, retry: () => void): void {
  const failure = describeFailure(error)
  clear(banner, h('div', { class: 'banner' }, errorBox(failure, () => {
    clear(banner)
    retry()
  })))
}

function header(active: string): HTMLElement {
  const select = h(
    'select',
    { id: 'refresh', 'aria-label': 'Refresh every', onchange: (e: Event) => {
      const seconds = Number((e.target as HTMLSelectElement).value)
      localStorage.setItem(REFRESH_KEY, String(seconds))
      refresher.setInterval(seconds)
    } },
    ...REFRESH_CHOICES.map((s) => h('option', { value: String(s), selected: s === refresher.seconds }, s === 0 ? 'Refresh: off' : s < 60 ? `Every ${s} s` : 'Every 1 min')),
  )
  return h(
    'div',
    { class: 'bar' },
    h('a', { class: 'brand', href: '#/overview' }, 'Monasca'),
    h('nav', { 'aria-label': 'Main' },
      h('ul', null, ...NAV.map(([page, label]) => h('li', null, h('a', { href: `#/${page}`, 'aria-current': page === active || (active === 'alarm' && page === 'alarms') ? 'page' : undefined }, label)))),
    ),
    h('div', { class: 'live' },
      select,
      h('button', { type: 'button', class: 'icon', 'aria-label': 'Refresh now', title: 'Refresh now', onclick: () => void refresher.tick() }, '⟳'),
      status,
      h('button', { type: 'button', id: 'logout', onclick: async () => {
        controller?.abort()
        const ended = session
        session = undefined
        await endSession(ended, true)
        loginMessage = 'You have logged out.'
        location.hash = '#/login'
      } }, 'Log out'),
    ),
  )
}

function render(): void {
  controller?.abort()
  controller = new AbortController()
  const signal = controller.signal
  pageRefresh = undefined
  clear(banner)
  const route = parseHash(location.hash)
  if (!session || !client || route.page === 'login') {
    if (route.page !== 'login' && !session) {
      const next = location.hash.replace(/^#/, '')
      history.replaceState(null, '', formatHash('login', next && next !== '/' ? { next } : {}))
    }
    if (session && route.page === 'login') {
      history.replaceState(null, '', route.params.get('next') ? `#${route.params.get('next')}` : '#/overview')
      return render()
    }
    clear(top)
    document.body.dataset.page = 'login'
    const message = loginMessage
    loginMessage = undefined
    void loginPage({
      main,
      signal,
      message,
      hooks: hooks(),
      done: (fresh) => {
        connect(fresh)
        const next = parseHash(location.hash).params.get('next')
        location.hash = next ? `#${next}` : '#/overview'
      },
    })
    return
  }
  document.body.dataset.page = route.page
  clear(top, header(route.page))
  showStatus()
  const context: PageContext = {
    client,
    session,
    route,
    signal,
    main,
    go: (hash, replace) => {
      if (replace) {
        history.replaceState(null, '', hash)
        render()
      } else location.hash = hash
    },
    fail: (error, where) => {
      if (signal.aborted) return
      const failure = describeFailure(error)
      if (failure.kind === 'aborted') return
      if (failure.kind === 'session') return void toLogin(`${failure.title}. ${failure.description}`)
      if (failure.kind === 'connection') return showBanner(error, () => (pageRefresh ? void pageRefresh() : render()))
      const box = errorBox(failure)
      if (where) clear(where, box)
      else main.prepend(box)
    },
    onRefresh: (refresh) => {
      pageRefresh = refresh
    },
    updated: () => refresher.markUpdated(),
  }
  clear(main)
  try {
    const done = PAGES[route.page]!(context)
    if (done) done.catch((error: unknown) => context.fail(error))
  } catch (error) {
    context.fail(error)
  }
}

document.querySelector('.skip')?.addEventListener('click', (event) => {
  event.preventDefault()
  main.focus()
})
window.addEventListener('hashchange', render)
const saved = Number(localStorage.getItem(REFRESH_KEY))
refresher.setInterval((REFRESH_CHOICES as readonly number[]).includes(saved) ? saved : 0)
const restored = restoreSession(hooks())
if (restored) connect(restored)
render()

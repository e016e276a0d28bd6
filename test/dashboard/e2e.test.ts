/**
 * The dashboard in Debian's Chromium against the demo emulator over HTTP (the emulator serves the
 * built page under /dashboard/, next to its /v3 and /v2.0): login, the session kept across a reload
 * without Keystone, each page's main job read back through the SDK, errors, expiry and revocation,
 * live updates from alarms.watch, and a screenshot of every page (examples/dashboard/screenshots/).
 */
import { existsSync, rmSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createClient, validateExpression, type Client } from '../../src/index.js'
import { chromiumAvailable, launchChromium } from '../browser/chromium.js'
import { describeWithSystemPart } from '../helpers/env.js'
import { buildDashboard, dashboardUrl, passwordLogin, screenshot, SDK_BUILD, startDemo, type DemoServer } from './harness.js'

const available = chromiumAvailable && existsSync(SDK_BUILD)
// A browser test waits on a page that waits on a server: give it room on a busy 2-core CI machine.
vi.setConfig({ testTimeout: 60_000 })

describeWithSystemPart('Chromium (the dashboard; needs npm run build)', available, () => {
  let browser: Browser
  let built: string
  let demo: DemoServer
  let sdk: Client
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    built = await buildDashboard()
    ;[demo, browser] = await Promise.all([startDemo(built), launchChromium()])
    sdk = newSdk()
  })
  /** The tests' own client, reading back what the page did (a fresh token: one test expires them all). */
  const newSdk = () => createClient({ endpoint: `${demo.url}/v2.0`, token: demo.emulator.issueToken({ projectId: demo.projectId, roles: ['monasca-user'] }) })
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined)
    await browser?.close()
    if (built) rmSync(built, { recursive: true, force: true })
    await demo?.served.close()
  })

  let lastPage: Page | undefined
  /** Uncaught exceptions and Content-Security-Policy violations in any page of this file. */
  const problems: string[] = []
  afterEach(async (test) => {
    // A failing test leaves a picture of the page behind (not committed) to see what the user saw.
    if (test.task.result?.state === 'fail' && lastPage && !lastPage.isClosed()) await lastPage.screenshot({ path: `/tmp/dashboard-failure-${test.task.name.slice(0, 20).replace(/\W+/g, '-')}.png` }).catch(() => undefined)
  })

  async function open(hash = '', options: { viewport?: { width: number; height: number }; dark?: boolean; timeoutMs?: number } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, colorScheme: options.dark ? 'dark' : 'light' })
    contexts.push(context)
    const page = await context.newPage()
    lastPage = page
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`)
    })
    await page.goto(dashboardUrl(demo.page, hash, options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}))
    return page
  }
  /** A fresh tab logged in as demo, on `hash`. */
  async function loggedIn(hash = '#/overview', options: Parameters<typeof open>[1] = {}): Promise<Page> {
    const page = await open(hash, options)
    await page.waitForSelector('form.login')
    await passwordLogin(page)
    await page.waitForSelector('#logout')
    return page
  }
  const keystoneRequests = () => demo.emulator.requests.filter((r) => r.service === 'keystone').length
  const hashOf = (page: Page) => decodeURIComponent(new URL(page.url()).hash)

  describe('login and session', () => {
    let page: Page
    it('logs in with a password through Keystone and lands on the page asked for', async () => {
      page = await open('#/alarms?state=ALARM')
      await page.waitForSelector('form.login')
      expect(hashOf(page)).toContain('next=/alarms?state=ALARM')
      await screenshot(page, 'login')
      const before = keystoneRequests()
      await passwordLogin(page)
      await page.waitForSelector('#alarm-table')
      expect(hashOf(page)).toBe('#/alarms?state=ALARM')
      // One POST for the password, one GET that validates the token the page keeps.
      expect(keystoneRequests() - before).toBe(2)
      expect(await page.evaluate(() => Object.keys(sessionStorage).some((k) => k.startsWith('monasca-dashboard:token:')))).toBe(true)
      expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain('demo-secret')
    })

    it('keeps the session across a reload without asking Keystone', async () => {
      const before = keystoneRequests()
      await page.reload()
      await page.waitForSelector('#alarm-table')
      expect(keystoneRequests()).toBe(before)
      expect(hashOf(page)).toBe('#/alarms?state=ALARM')
    })

    it('a wrong password is refused in the page with Keystone\'s words', async () => {
      const other = await open()
      await other.waitForSelector('form.login')
      await passwordLogin(other, { username: 'demo', password: 'not-the-password', project: 'demo' })
      const box = other.locator('.login-result .error-box')
      await box.waitFor()
      expect(await box.textContent()).toMatch(/Keystone refused the login.*401/)
      expect(await other.content()).not.toContain('not-the-password')
    })

    it('logout revokes the token and forgets it', async () => {
      const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('monasca-dashboard:login') ?? '{}').token as string)
      await page.click('#logout')
      await page.waitForSelector('form.login')
      expect(await page.textContent('#login-message')).toMatch(/logged out/)
      expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => !k.endsWith(':form')))).toEqual([])
      const response = await fetch(`${demo.url}/v2.0/alarms`, { headers: { 'X-Auth-Token': token } })
      expect(response.status).toBe(401)
    })
  })

  it('overview: the counters equal alarms.count, the tiles follow the chosen dimension, a tile opens the filtered list', async () => {
    const page = await loggedIn('#/overview')
    await page.waitForSelector('#counters')
    const { columns, counts } = await sdk.alarms.count({ group_by: ['state', 'severity'] })
    const expected: Record<string, number> = {}
    for (const row of counts) expected[`${row[columns.indexOf('state')]} ${row[columns.indexOf('severity')]}`] = Number(row[columns.indexOf('count')])
    const shown = await page.$$eval('#counters tbody tr', (rows) =>
      rows.flatMap((tr) => [...tr.querySelectorAll('td')].filter((td) => td.dataset.severity !== 'ALL').map((td) => [`${(tr as HTMLElement).dataset.state} ${td.dataset.severity}`, Number(td.textContent)] as const)))
    for (const [key, n] of shown) expect(n, key).toBe(expected[key] ?? 0)
    expect(shown.reduce((sum, [, n]) => sum + n, 0)).toBe(Object.values(expected).reduce((a, b) => a + b, 0))
    expect(Object.keys(expected).length).toBeGreaterThan(3)

    const tiles = await page.$$eval('#tiles .tile', (els) => els.map((el) => [(el as HTMLElement).dataset.value, (el as HTMLElement).dataset.worst]))
    expect(tiles).toContainEqual(['web-02', 'ALARM'])
    expect(tiles).toContainEqual(['batch-01', 'UNDETERMINED'])
    await screenshot(page, 'overview')
    await page.selectOption('#tile-by', 'service')
    await page.waitForSelector('#tiles .tile[data-value="database"]')
    await page.click('#tiles .tile[data-value="web"]')
    await page.waitForSelector('#alarm-table')
    expect(hashOf(page)).toBe('#/alarms?dim=service:web')
    const dims = await page.$$eval('#alarm-table tbody td.metrics', (cells) => cells.map((c) => c.textContent ?? ''))
    expect(dims.length).toBeGreaterThan(0)
    for (const text of dims) expect(text).toContain('service=web')
  })

  it('alarms: filtering by state and a dimension changes the URL and the rows; back restores them; acknowledge is read back through the SDK', async () => {
    const page = await loggedIn('#/alarms')
    await page.waitForSelector('#alarm-table tbody tr')
    const all = await page.locator('#alarm-table tbody tr').count()
    await page.selectOption('#filter-state', 'ALARM')
    await page.waitForFunction(() => location.hash === '#/alarms?state=ALARM')
    await page.waitForFunction(() => [...document.querySelectorAll('#alarm-table tbody .badge')].every((b) => (b as HTMLElement).dataset.state === 'ALARM'))
    const alarmRows = await page.locator('#alarm-table tbody tr').count()
    expect(alarmRows).toBe((await sdk.alarms.list({ state: 'ALARM' })).length)
    expect(alarmRows).toBeLessThan(all)

    await page.fill('#filter-dimension', 'hostname:web-02')
    await page.press('#filter-dimension', 'Enter')
    await page.waitForFunction(() => location.hash.includes('dim='))
    expect(hashOf(page)).toBe('#/alarms?state=ALARM&dim=hostname:web-02')
    const expected = await sdk.alarms.list({ state: 'ALARM', metric_dimensions: { hostname: 'web-02' }, sort_by: 'state_updated_timestamp desc' })
    await page.waitForFunction((n) => document.querySelectorAll('#alarm-table tbody tr').length === n && !!document.querySelector('.chip'), expected.length)
    const ids = await page.$$eval('#alarm-table tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.alarm))
    expect(ids).toEqual(expected.map((a) => a.id))
    await screenshot(page, 'alarms')

    await page.goBack()
    await page.waitForFunction((n) => location.hash === '#/alarms?state=ALARM' && document.querySelectorAll('#alarm-table tbody tr').length === n, alarmRows)
    await page.goForward()
    await page.waitForFunction(() => location.hash.includes('dim='))

    const target = expected.find((a) => a.lifecycle_state !== 'ACKNOWLEDGED')!
    const row = page.locator(`tr[data-alarm="${target.id}"]`)
    await row.getByRole('button', { name: 'Acknowledge' }).click()
    await page.waitForFunction((id) => document.querySelector(`tr[data-alarm="${id}"] .lifecycle`)?.textContent === 'ACKNOWLEDGED', target.id)
    expect((await sdk.alarms.get(target.id)).lifecycle_state).toBe('ACKNOWLEDGED')
  })

  it('alarms: server-side sort and paging on the next offset, both in the URL', async () => {
    const page = await loggedIn('#/alarms?limit=10&sort=severity%20desc')
    await page.waitForSelector('#alarm-table tbody tr')
    const first = await sdk.alarms.list({ limit: 10, sort_by: 'severity desc' }).page()
    expect(await page.$$eval('#alarm-table tbody tr', (r) => r.map((x) => (x as HTMLElement).dataset.alarm))).toEqual(first.elements.map((a) => a.id))
    await page.click('#next-page')
    await page.waitForFunction(() => location.hash.includes('offset='))
    const second = await sdk.alarms.list({ limit: 10, sort_by: 'severity desc', offset: first.nextOffset! }).page()
    await page.waitForFunction((id) => document.querySelector('#alarm-table tbody tr')?.getAttribute('data-alarm') === id, second.elements[0]!.id)
    // The link works on its own (a shared URL).
    const shared = await loggedIn(new URL(page.url()).hash)
    await shared.waitForFunction((id) => document.querySelector('#alarm-table tbody tr')?.getAttribute('data-alarm') === id, second.elements[0]!.id)
  })

  it('alarms: bulk resolve of a selection, and delete after a confirmation', async () => {
    const page = await loggedIn('#/alarms?dim=hostname:batch-01')
    await page.waitForSelector('#alarm-table tbody tr')
    const ids = await page.$$eval('#alarm-table tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.alarm!))
    expect(ids.length).toBeGreaterThan(2)
    for (const id of ids.slice(0, 2)) await page.check(`tr[data-alarm="${id}"] input[type=checkbox]`)
    expect(await page.textContent('.bulk span')).toBe('2 selected')
    await page.click('.bulk button:text-is("Resolve")')
    await page.waitForFunction((two) => two.every((id) => document.querySelector(`tr[data-alarm="${id}"] .lifecycle`)?.textContent === 'RESOLVED'), ids.slice(0, 2))
    for (const id of ids.slice(0, 2)) expect((await sdk.alarms.get(id)).lifecycle_state).toBe('RESOLVED')
    expect((await sdk.alarms.get(ids[2]!)).lifecycle_state).not.toBe('RESOLVED')

    // Set a link on one alarm: the dialog's URL is sent as the alarm's link.
    await page.click(`tr[data-alarm="${ids[2]}"] button:text-is("Link…")`)
    await page.fill('#prompt-input', 'https://tickets.example/E2E-7')
    await page.press('#prompt-input', 'Enter')
    await page.waitForSelector(`tr[data-alarm="${ids[2]}"] a[href="https://tickets.example/E2E-7"]`)
    expect((await sdk.alarms.get(ids[2]!)).link).toBe('https://tickets.example/E2E-7')

    const victim = ids.at(-1)!
    await page.click(`tr[data-alarm="${victim}"] button.danger`)
    await page.click('dialog button[value=cancel]')
    expect((await sdk.alarms.get(victim)).id).toBe(victim)
    await page.click(`tr[data-alarm="${victim}"] button.danger`)
    await page.click('dialog button[value=ok]')
    await page.waitForSelector(`tr[data-alarm="${victim}"]`, { state: 'detached' })
    await expect(sdk.alarms.get(victim)).rejects.toMatchObject({ status: 404 })
  })

  it('keyboard only: log in, move between pages, filter and act without a mouse', async () => {
    const page = await open('#/overview')
    await page.waitForSelector('form.login')
    // The login page focuses the user name.
    await page.keyboard.type('demo')
    await page.keyboard.press('Tab')
    await page.keyboard.type('demo-secret')
    await page.keyboard.press('Tab')
    await page.keyboard.type('demo')
    await page.keyboard.press('Enter')
    await page.waitForSelector('#counters')
    await page.locator('nav a:text-is("Alarms")').focus()
    await page.keyboard.press('Enter')
    await page.waitForSelector('#alarm-table tbody tr')
    await page.focus('#filter-state')
    await page.keyboard.press('ArrowDown')
    await page.waitForFunction(() => location.hash === '#/alarms?state=ALARM')
    await page.focus('#filter-dimension')
    await page.keyboard.type('service:web')
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => location.hash.includes('dim=service%3Aweb'))
    await page.waitForSelector('.chip')
    const focused = async () => page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent ?? ''}`)
    // Tab reaches the first row's link button; Enter opens the dialog, Escape closes it.
    await page.locator('#alarm-table tbody tr').first().locator('button:text-is("Link…")').focus()
    await page.keyboard.press('Enter')
    await page.waitForSelector('dialog[open]')
    expect(await focused()).toMatch(/^INPUT/)
    await page.keyboard.press('Escape')
    await page.waitForSelector('dialog', { state: 'detached' })
  })

  it('an alarm\'s page: its history timeline and its metrics charted with state bands', async () => {
    const alarm = (await sdk.alarms.list({ state: 'ALARM', metric_dimensions: { hostname: 'web-02' } }))[0]!
    const page = await loggedIn(`#/alarm/${alarm.id}`)
    await page.waitForSelector('#timeline li')
    await page.waitForSelector('.chart .uplot')
    const history = await sdk.alarms.history(alarm.id)
    expect(await page.locator('#timeline li').count()).toBe(history.length)
    expect(await page.locator('.chart .uplot').count()).toBe(alarm.metrics.length)
    await screenshot(page, 'alarm')
    // Live: a transition of this alarm shows up in its facts and its timeline.
    demo.emulator.setAlarmState(alarm.id, 'OK', 'e2e: recovered')
    await page.waitForSelector('#alarm-facts[data-state="OK"]', { timeout: 10_000 })
    expect(await page.locator('#timeline li').count()).toBe(history.length + 1)
    expect(await page.textContent('#timeline li:first-child .reason')).toBe('e2e: recovered')
    // Its actions: resolve, read back through the SDK.
    await page.click('[aria-label="Alarm actions"] button:text-is("Resolve")')
    await page.waitForSelector('[aria-label="Alarm actions"] button:text-is("Reopen")')
    expect((await sdk.alarms.get(alarm.id)).lifecycle_state).toBe('RESOLVED')
    demo.emulator.setAlarmState(alarm.id, 'ALARM', 'e2e: back in alarm')
  })

  it('definitions: an invalid expression shows its error at the right column as the user types; a valid one creates the definition', async () => {
    const page = await loggedIn('#/definitions')
    await page.waitForSelector('#definition-table')
    await screenshot(page, 'definitions')
    await page.click('#new-definition')
    await page.waitForSelector('#definition-form')
    const name = `e2e-cpu-${Date.now()}`
    await page.fill('#def-name', name)
    const bad = 'avg(cpu.user_perc{hostname=web-01}) > 90 times'
    await page.locator('#def-expression').pressSequentially(bad, { delay: 2 })
    const verdict = validateExpression(bad)
    expect(verdict.ok).toBe(false)
    if (verdict.ok) return
    await page.waitForFunction(() => !document.getElementById('def-expression-error')?.hidden)
    expect(await page.getAttribute('#expression-verdict', 'data-column')).toBe(String(verdict.error.column))
    const caret = (await page.textContent('#expression-caret'))!.split('\n')
    expect(caret[0]).toBe(bad)
    expect(caret[1]!.indexOf('^')).toBe(verdict.error.column - 1)
    expect(await page.textContent('#def-expression-error')).toBe(`"times" at column ${verdict.error.column} needs a whole number after it: how many periods in a row must breach, e.g. times 3.`)
    await screenshot(page, 'definition-editor')
    // Submitting the bad one sends nothing.
    const posts = demo.emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/alarm-definitions')).length
    await page.click('#definition-form button[type=submit]')
    expect(demo.emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/alarm-definitions')).length).toBe(posts)

    await page.locator('#def-expression').pressSequentially(' 3', { delay: 2 })
    await page.waitForSelector('#expression-verdict.ok')
    await page.waitForSelector('#def-match-by input[value="hostname"]')
    await page.check('#def-match-by input[value="hostname"]')
    await page.selectOption('#def-severity', 'HIGH')
    const method = (await sdk.notifications.list())[0]!
    await page.check(`#def-alarm_actions input[value="${method.id}"]`)
    await page.click('#definition-form button[type=submit]')
    await page.waitForSelector(`#definition-table a:text-is("${name}")`)
    const [created] = await sdk.alarmDefinitions.list({ name })
    expect(created).toMatchObject({ name, expression: `${bad} 3`, severity: 'HIGH', match_by: ['hostname'], alarm_actions: [method.id] })

    // Disable its actions from the list.
    await page.click(`tr[data-definition="${created!.id}"] button[aria-pressed]`)
    await page.waitForSelector(`tr[data-definition="${created!.id}"] button[aria-pressed="false"]`)
    expect((await sdk.alarmDefinitions.get(created!.id)).actions_enabled).toBe(false)

    // And delete it, after a confirmation.
    await page.click(`tr[data-definition="${created!.id}"] button.danger`)
    await page.click('dialog button[value=ok]')
    await page.waitForSelector(`tr[data-definition="${created!.id}"]`, { state: 'detached' })
    expect(await sdk.alarmDefinitions.list({ name })).toEqual([])
  })

  it('definitions: the list pages on the server\'s next offset, one more page per click', async () => {
    const all = await sdk.alarmDefinitions.list({ sort_by: 'name' })
    expect(all.length).toBeGreaterThan(4)
    const page = await loggedIn('#/definitions')
    await page.waitForSelector('#definition-table')
    await page.goto(page.url().replace('?', '?page-size=2&'))
    await page.waitForSelector('#definition-table tbody tr')
    const shown = () => page.$$eval('#definition-table tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.definition))
    expect(await shown()).toEqual(all.slice(0, 2).map((d) => d.id))
    await page.click('#more-definitions')
    await page.waitForFunction(() => document.querySelectorAll('#definition-table tbody tr').length === 4)
    while (await page.isVisible('#more-definitions')) {
      const count = (await shown()).length
      await page.click('#more-definitions')
      await page.waitForFunction((n) => document.querySelectorAll('#definition-table tbody tr').length > n || !!document.querySelector('#more-definitions[hidden]'), count)
    }
    expect(await shown()).toEqual(all.map((d) => d.id))
  })

  it('definitions: a definition\'s alarms are one click away (the list filtered by alarm_definition_id)', async () => {
    const [definition] = await sdk.alarmDefinitions.list({ name: 'Disk almost full' })
    const page = await loggedIn('#/definitions')
    await page.click(`a[aria-label="Alarms of ${definition!.name}"]`)
    await page.waitForSelector('#alarm-table tbody tr')
    expect(hashOf(page)).toBe(`#/alarms?definition=${definition!.id}`)
    const expected = await sdk.alarms.list({ alarm_definition_id: definition!.id, sort_by: 'state_updated_timestamp desc' })
    expect(await page.$$eval('#alarm-table tbody tr', (r) => r.map((x) => (x as HTMLElement).dataset.alarm))).toEqual(expected.map((a) => a.id))
    expect(await page.textContent('.filters .chip')).toContain(`definition: ${definition!.name}`)
  })

  it('definitions: editing keeps what is not changed and saves what is (a full PUT)', async () => {
    const [definition] = await sdk.alarmDefinitions.list({ name: 'Memory pressure' })
    const page = await loggedIn(`#/definitions/${definition!.id}`)
    await page.waitForSelector('#definition-form')
    expect(await page.inputValue('#def-expression')).toBe(definition!.expression)
    await page.waitForSelector('#expression-verdict.ok')
    // match_by cannot change after creation: shown, not editable.
    expect(await page.isDisabled('#def-match-by input[value="hostname"]')).toBe(true)
    await page.fill('#def-description', 'edited by the e2e test')
    await page.selectOption('#def-severity', 'MEDIUM')
    await page.click('#definition-form button[type=submit]')
    await page.waitForSelector('#definition-table')
    const after = await sdk.alarmDefinitions.get(definition!.id)
    expect(after).toMatchObject({ ...definition, description: 'edited by the e2e test', severity: 'MEDIUM', links: after.links })
  })

  it('notifications: the address is checked for its type, then a method is created and deleted', async () => {
    const page = await loggedIn('#/notifications')
    await page.waitForSelector('#notification-form')
    const types = (await sdk.notificationTypes.list()).map((t) => t.type)
    expect(await page.$$eval('#nm-type option', (o) => o.map((x) => (x as HTMLOptionElement).value))).toEqual(types)
    const name = `e2e-mail-${Date.now()}`
    await page.fill('#nm-name', name)
    await page.selectOption('#nm-type', 'EMAIL')
    await page.fill('#nm-address', 'not-an-address')
    await page.click('#notification-form button[type=submit]')
    expect(await page.textContent('#nm-address-error')).toMatch(/not an email address/)
    expect((await sdk.notifications.list()).some((m) => m.name === name)).toBe(false)
    await page.fill('#nm-address', 'ops-e2e@example.com')
    await page.click('#notification-form button[type=submit]')
    await page.waitForSelector(`tr[data-name="${name}"]`)
    const created = (await sdk.notifications.list({ limit: 100 })).find((m) => m.name === name)
    expect(created).toMatchObject({ type: 'EMAIL', address: 'ops-e2e@example.com', period: 0 })
    await screenshot(page, 'notifications')
    // The server's 409 for a second method of that name is shown next to the name.
    await page.fill('#nm-name', name)
    await page.fill('#nm-address', 'other@example.com')
    await page.click('#notification-form button[type=submit]')
    await page.waitForSelector('#nm-name-error:not([hidden])')
    expect(await page.textContent('#nm-name-error')).toMatch(/already exists/)
    expect(await page.textContent('#notification-form .error-box')).toMatch(/409/)

    // Edit: a webhook may repeat every 60 s.
    await page.click(`tr[data-name="${name}"] button:text-is("Edit")`)
    await page.waitForSelector('#editor-title:text-is("Edit ' + name + '")')
    await page.selectOption('#nm-type', 'WEBHOOK')
    expect(await page.textContent('#nm-address-error')).toMatch(/not a URL/)
    await page.fill('#nm-address', 'https://hooks.example/e2e')
    await page.selectOption('#nm-period', '60')
    await page.click('#notification-form button[type=submit]')
    await page.waitForSelector(`tr[data-name="${name}"] td.address:text-is("https://hooks.example/e2e")`)
    expect(await sdk.notifications.get(created!.id)).toMatchObject({ name, type: 'WEBHOOK', address: 'https://hooks.example/e2e', period: 60 })

    await page.click(`tr[data-name="${name}"] button.danger`)
    await page.click('dialog button[value=ok]')
    await page.waitForSelector(`tr[data-name="${name}"]`, { state: 'detached' })
    expect((await sdk.notifications.list({ limit: 100 })).some((m) => m.name === name)).toBe(false)
  })

  it('explorer: one series per host, a legend, values under the cursor', async () => {
    const hosts = await sdk.metrics.listDimensionValues({ dimension_name: 'hostname', metric_name: 'cpu.idle_perc' })
    expect(hosts.length).toBeGreaterThan(1)
    const page = await loggedIn('#/explorer?metric=cpu.idle_perc&fn=avg&group=hostname&range=24h')
    await page.waitForSelector('#explorer-chart .uplot')
    expect(await page.getAttribute('#explorer-chart', 'data-series')).toBe(String(hosts.length))
    const legend = await page.$$eval('#explorer-chart .u-legend .u-series .u-label', (labels) => labels.map((l) => l.textContent ?? ''))
    expect(legend.slice(1).sort()).toEqual(hosts.map((h) => `cpu.idle_perc {hostname=${h.dimension_value}}`).sort())
    const box = (await page.locator('#explorer-chart .u-over').boundingBox())!
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5)
    const values = await page.$$eval('#explorer-chart .u-legend .u-series .u-value', (v) => v.map((x) => x.textContent ?? ''))
    expect(values.slice(1).some((v) => /^\d/.test(v))).toBe(true)
    await screenshot(page, 'explorer')
    // Raw measurements of one host.
    await page.evaluate(() => (location.hash = '#/explorer?metric=cpu.idle_perc&fn=none&dim=hostname:web-01&range=1h'))
    await page.waitForFunction(() => document.querySelector('#explorer-chart')?.getAttribute('data-series') === '1' && document.querySelector('h2')?.textContent?.includes('raw'))
    // An absolute range, typed in the form, goes into the URL and into the request.
    await page.fill('#ex-from', '2026-01-01T00:00')
    await page.fill('#ex-to', '2026-01-02T00:00')
    await page.click('button:text-is("Use these times")')
    await page.waitForFunction(() => location.hash.includes('from='))
    const params = new URLSearchParams(new URL(page.url()).hash.split('?')[1])
    expect([params.get('from'), params.get('to'), params.get('range')]).toEqual([
      await page.evaluate(() => new Date('2026-01-01T00:00').toISOString()), await page.evaluate(() => new Date('2026-01-02T00:00').toISOString()), null])
    await page.waitForSelector('section[aria-label="Chart"] .empty:text-is("No data in this range.")')
    const asked = demo.emulator.requests.filter((r) => r.path === '/v2.0/metrics/measurements').at(-1)!
    expect(new URL(asked.url).searchParams.get('start_time')).toBe(params.get('from'))
  })

  it('a 500 from the server shows its title, description and request id', async () => {
    const page = await loggedIn('#/notifications')
    await page.waitForSelector('#notification-table')
    demo.emulator.failNext({ path: '/v2.0/alarm-definitions', method: 'GET', status: 500, times: 5, body: { title: 'Internal Server Error', description: 'The repository failed: influxdb timed out' } })
    // The request id the server sent, as the browser received it.
    const ids: string[] = []
    page.on('response', (response) => {
      if (response.url().includes('/v2.0/alarm-definitions') && response.status() === 500) ids.push(response.headers()['x-openstack-request-id'] ?? '')
    })
    await page.evaluate(() => (location.hash = '#/definitions'))
    const box = page.locator('.error-box')
    await box.waitFor()
    const text = (await box.textContent())!
    expect(ids.length).toBeGreaterThan(0)
    expect(ids.at(-1)).toMatch(/^req-/)
    expect(text).toContain('Internal Server Error (HTTP 500)')
    expect(text).toContain('The repository failed: influxdb timed out')
    expect(await page.textContent('.error-box .request-id code')).toBe(ids.at(-1))
    demo.emulator.clearFailures()
    await screenshot(page, 'error-500')
  })

  it('a lost connection is a banner with a retry that works', async () => {
    const page = await loggedIn('#/notifications')
    await page.waitForSelector('#notification-table')
    // Until cancelled: the browser itself retries a GET once on a dropped keep-alive connection.
    const failure = demo.emulator.failNext({ path: '/v2.0/alarm-definitions', method: 'GET', network: true, times: Infinity })
    await page.evaluate(() => (location.hash = '#/definitions'))
    await page.waitForSelector('.banner .error-box')
    expect(await page.textContent('.banner')).toMatch(/Cannot reach the server/)
    failure.cancel()
    await page.click('.banner button')
    await page.waitForSelector('#definition-table')
    expect(await page.locator('.banner').count()).toBe(0)
  })

  it('a server that takes too long is a banner with a retry', async () => {
    const page = await loggedIn('#/notifications', { timeoutMs: 1500 })
    await page.waitForSelector('#notification-table')
    const slow = demo.emulator.failNext({ path: '/v2.0/alarm-definitions', method: 'GET', delayMs: 10_000, times: Infinity })
    await page.evaluate(() => (location.hash = '#/definitions'))
    await page.waitForSelector('.banner .error-box', { timeout: 10_000 })
    expect(await page.textContent('.banner')).toMatch(/took too long/)
    slow.cancel()
    await page.click('.banner button')
    await page.waitForSelector('#definition-table')
  })

  it('an expired token returns to the login page, saying so', async () => {
    // 16 s of life: the session treats its last half (8 s) as expired, leaving time to log in on a busy machine.
    const token = demo.emulator.issueToken({ projectId: demo.projectId, roles: ['monasca-user'], expiresInSeconds: 16 })
    const page = await open('#/overview')
    await page.waitForSelector('form.login')
    await page.click('#tab-token')
    await page.fill('#token', token)
    await page.click('form.login button[type=submit]')
    await page.waitForSelector('#counters')
    await page.waitForSelector('#login-message', { timeout: 30_000 })
    expect(await page.textContent('#login-message')).toMatch(/expired/)
    expect(hashOf(page)).toContain('#/login')
    expect(await page.evaluate(() => sessionStorage.getItem('monasca-dashboard:login'))).toBeNull()
  })

  it('a password session whose token the server expired returns to the login page at the next request', async () => {
    const page = await loggedIn('#/alarms')
    await page.waitForSelector('#alarm-table')
    demo.emulator.expireTokens()
    sdk = newSdk()
    await page.click('button[aria-label="Refresh now"]')
    await page.waitForSelector('#login-message')
    expect(await page.textContent('#login-message')).toMatch(/session has ended.*revoked or has expired/)
    expect(hashOf(page)).toBe('#/login?next=/alarms')
    // Logging in again lands back on the page.
    await passwordLogin(page)
    await page.waitForSelector('#alarm-table')
    expect(hashOf(page)).toBe('#/alarms')
  })

  it('a revoked token returns to the login page at the next request', async () => {
    const page = await loggedIn('#/notifications')
    await page.waitForSelector('#notification-table')
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('monasca-dashboard:login') ?? '{}').token as string)
    expect(demo.emulator.revokeToken(token)).toBe(true)
    await page.click('button[aria-label="Refresh now"]')
    await page.waitForSelector('#login-message')
    expect(await page.textContent('#login-message')).toMatch(/session has ended|revoked/)
    expect(hashOf(page)).toBe('#/login?next=/notifications')
  })

  it('live: a watched alarm changing state updates its row and the counters without a reload', async () => {
    const page = await loggedIn('#/alarms?state=OK&limit=50')
    await page.waitForSelector('#alarm-table tbody tr')
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42))
    const id = (await page.getAttribute('#alarm-table tbody tr', 'data-alarm'))!
    const lists = demo.emulator.requests.filter((r) => r.path === '/v2.0/alarms' && r.method === 'GET').length
    demo.emulator.setAlarmState(id, 'ALARM', 'e2e: made to fire')
    await page.waitForFunction((alarm) => document.querySelector(`tr[data-alarm="${alarm}"] .badge`)?.getAttribute('data-state') === 'ALARM', id, { timeout: 10_000 })
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42)
    expect(demo.emulator.requests.filter((r) => r.path === '/v2.0/alarms' && r.method === 'GET').length).toBe(lists)

    await page.evaluate(() => (location.hash = '#/overview'))
    await page.waitForSelector('#counters')
    const alarmTotal = async () => Number(await page.textContent('#counters tr[data-state="ALARM"] td[data-severity="ALL"]'))
    const before = await alarmTotal()
    demo.emulator.setAlarmState(id, 'OK', 'e2e: back to normal')
    await page.waitForFunction((n) => Number(document.querySelector('#counters tr[data-state="ALARM"] td[data-severity="ALL"]')?.textContent) === n, before - 1, { timeout: 10_000 })
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42)
  })

  it('navigating away aborts the requests in flight', async () => {
    const page = await loggedIn('#/notifications')
    await page.waitForSelector('#notification-table')
    demo.emulator.failNext({ path: '/v2.0/alarm-definitions', method: 'GET', delayMs: 5000, status: 500 })
    const failed: string[] = []
    page.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText}`))
    await page.evaluate(() => (location.hash = '#/definitions'))
    await page.waitForTimeout(300)
    await page.evaluate(() => (location.hash = '#/notifications'))
    await page.waitForSelector('#notification-table')
    await page.waitForFunction(() => true)
    expect(failed.some((f) => f.includes('/v2.0/alarm-definitions') && /ERR_ABORTED/.test(f))).toBe(true)
    expect(await page.locator('.error-box').count()).toBe(0)
    demo.emulator.clearFailures()
  })

  it('phone width and dark mode', async () => {
    const phone = await loggedIn('#/alarms', { viewport: { width: 390, height: 844 } })
    await phone.waitForSelector('#alarm-table tbody tr')
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await screenshot(phone, 'alarms-phone')
    const alarm = (await sdk.alarms.list({ state: 'ALARM' }))[0]!
    for (const [hash, ready] of [
      ['#/overview', '#tiles'], [`#/alarm/${alarm.id}`, '.chart .uplot'], ['#/definitions', '#definition-table'], ['#/definitions/new', '#definition-form'],
      ['#/notifications', '#notification-form'], ['#/explorer?metric=cpu.idle_perc&group=hostname', '#explorer-chart .uplot'],
    ] as const) {
      await phone.evaluate((h) => (location.hash = h), hash)
      await phone.waitForSelector(ready)
      expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), hash).toBeLessThanOrEqual(0)
    }
    await screenshot(phone, 'explorer-phone')
    const dark = await loggedIn('#/overview', { dark: true })
    await dark.waitForSelector('#counters')
    const background = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor)
    expect(background).toBe('rgb(18, 21, 27)')
    await screenshot(dark, 'overview-dark')
  })

  it('no page threw an uncaught exception or broke its Content-Security-Policy', () => {
    expect(contexts.length).toBeGreaterThan(10)
    expect(problems).toEqual([])
  })

  describe('accessibility (axe-core): no serious or critical finding on any page, light and dark', () => {
    const scan = async (page: Page) => {
      const results = await new AxeBuilder({ page }).analyze()
      expect(results.passes.length).toBeGreaterThan(10)
      return results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`)
    }
    for (const dark of [false, true]) {
      it(`every page, ${dark ? 'dark' : 'light'}`, async () => {
        const page = await open('#/overview', { dark })
        await page.waitForSelector('form.login')
        expect(await scan(page), 'login').toEqual([])
        await passwordLogin(page)
        await page.waitForSelector('#counters')
        const alarm = (await sdk.alarms.list({ state: 'ALARM' }))[0]!
        const pages: [string, string][] = [
          ['#/overview', '#tiles'],
          ['#/alarms', '#alarm-table tbody tr'],
          [`#/alarm/${alarm.id}`, '.chart .uplot'],
          ['#/definitions', '#definition-table'],
          ['#/definitions/new', '#definition-form'],
          ['#/notifications', '#notification-form'],
          ['#/explorer?metric=cpu.idle_perc&group=hostname', '#explorer-chart .uplot'],
        ]
        for (const [hash, ready] of pages) {
          await page.evaluate((h) => (location.hash = h), hash)
          await page.waitForSelector(ready)
          expect(await scan(page), hash).toEqual([])
        }
        // The editor with an error showing.
        await page.evaluate(() => (location.hash = '#/definitions/new'))
        await page.locator('#def-expression').pressSequentially('avg(cpu.user_perc) >')
        await page.waitForFunction(() => !document.getElementById('def-expression-error')?.hidden)
        expect(await scan(page), 'editor with an error').toEqual([])
      }, 60_000)
    }
  })
})

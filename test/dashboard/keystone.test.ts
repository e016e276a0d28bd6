/**
 * The dashboard's login against the real Keystone on 127.0.0.1:5000 (its CORS exposes
 * X-Subject-Token), from a page on another origin. The catalog's monitoring endpoint
 * (127.0.0.1:8070) is routed by the browser to an emulator that validates every token at that
 * Keystone, as keystonemiddleware does.
 */
import { existsSync, rmSync } from 'node:fs'
import type { Browser, Route } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { chromiumAvailable, launchChromium } from '../browser/chromium.js'
import { describeWithSystemPart } from '../helpers/env.js'
import { ADMIN, KEYSTONE, reachable, startMonasca, type MonascaServer } from '../keystone/helpers.js'
import { buildDashboard, dashboardUrl, passwordLogin, SDK_BUILD, startDemo, type DemoServer } from './harness.js'

const available = chromiumAvailable && existsSync(SDK_BUILD) && (await reachable(KEYSTONE))

describeWithSystemPart('Chromium + Keystone (the dashboard)', available, () => {
  let browser: Browser
  let built: string
  let site: DemoServer
  let monasca: MonascaServer

  beforeAll(async () => {
    built = await buildDashboard()
    ;[site, monasca, browser] = await Promise.all([startDemo(built), startMonasca(KEYSTONE), launchChromium()])
  })
  afterAll(async () => {
    await browser?.close()
    if (built) rmSync(built, { recursive: true, force: true })
    await site?.served.close()
    await monasca?.close()
  })

  /** The catalog's endpoint, answered by our Keystone-checked emulator, with the CORS a real Monasca would need. */
  async function monascaRoute(route: Route): Promise<void> {
    const request = route.request()
    const cors = {
      'access-control-allow-origin': request.headers().origin ?? '*',
      'access-control-allow-headers': 'x-auth-token, content-type',
      'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
      'access-control-expose-headers': 'x-openstack-request-id',
    }
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors })
    const url = new URL(request.url())
    const answer = await fetch(`${monasca.url.replace(/\/v2\.0$/, '')}${url.pathname}${url.search}`, {
      method: request.method(),
      headers: Object.fromEntries(Object.entries(request.headers()).filter(([key]) => ['x-auth-token', 'content-type', 'accept'].includes(key))),
      ...(request.postData() ? { body: request.postData()! } : {}),
    })
    await route.fulfill({ status: answer.status, headers: { ...Object.fromEntries(answer.headers), ...cors }, body: Buffer.from(await answer.arrayBuffer()) })
  }

  it('logs in with a password, reads the catalog, and a reload asks Keystone nothing', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.route('http://127.0.0.1:8070/**', monascaRoute)
    const keystoneCalls: string[] = []
    page.on('request', (request) => {
      if (request.url().startsWith(`${KEYSTONE}/`) && request.method() !== 'OPTIONS') keystoneCalls.push(`${request.method()} ${request.url()}`)
    })
    await page.goto(dashboardUrl(site.page, '#/overview', { keystone: `${KEYSTONE}/v3` }))
    await page.waitForSelector('form.login')
    await passwordLogin(page, { username: ADMIN.username, password: ADMIN.password, project: ADMIN.projectName })
    await page.waitForSelector('#counters')
    expect(keystoneCalls).toEqual([`POST ${KEYSTONE}/v3/auth/tokens`, `GET ${KEYSTONE}/v3/auth/tokens`])
    // The overview's two counts reached Monasca with a token Keystone accepted.
    expect(monasca.seen.length).toBeGreaterThanOrEqual(2)
    expect(monasca.seen.every((s) => s.accepted)).toBe(true)
    expect(await page.textContent('#counters caption')).toBe('0 alarms in all')

    await page.reload()
    await page.waitForSelector('#counters')
    expect(keystoneCalls).toHaveLength(2)
    const token = monasca.seen.at(-1)!.token

    // Logout revokes it at Keystone: Monasca's middleware refuses it from then on.
    await page.click('#logout')
    await page.waitForSelector('form.login')
    expect(keystoneCalls.at(-1)).toBe(`DELETE ${KEYSTONE}/v3/auth/tokens`)
    const after = await fetch(`${monasca.url}/alarms`, { headers: { 'X-Auth-Token': token } })
    expect(after.status).toBe(401)
    await context.close()
  })

  it('a wrong password shows Keystone\'s 401 in the page, without the password', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(dashboardUrl(site.page, '', { keystone: `${KEYSTONE}/v3` }))
    await page.waitForSelector('form.login')
    await passwordLogin(page, { username: ADMIN.username, password: 'dashboard-wrong-pw-42', project: ADMIN.projectName })
    await page.waitForSelector('.login-result .error-box')
    expect(await page.textContent('.login-result .error-box')).toMatch(/401.*requires authentication/)
    expect(await page.content()).not.toContain('dashboard-wrong-pw-42')
    await context.close()
  })
})

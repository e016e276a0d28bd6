/**
 * Two promises of issue #12 in Debian's Chromium against the emulator over HTTP (unit-tested in
 * happy-dom too, proved here in a real browser): the refresh control stops polling while the tab is
 * hidden and resumes when it is shown again, and the explorer leaves a gap where data is missing
 * instead of joining a line across the hole.
 */
import { existsSync, rmSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { chromiumAvailable, launchChromium } from '../browser/chromium.js'
import { describeWithSystemPart } from '../helpers/env.js'
import { buildDashboard, dashboardUrl, passwordLogin, SDK_BUILD, startDemo, type DemoServer } from './harness.js'

const available = chromiumAvailable && existsSync(SDK_BUILD)
vi.setConfig({ testTimeout: 60_000 })

/**
 * Headless Chromium reports every tab as visible (a tab in the background, a minimised window: still
 * 'visible'), so the page is told what a real browser tells it when the user switches tabs:
 * `document.hidden` and `visibilityState` change, then `visibilitychange` fires on the document.
 */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((value) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value })
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (value ? 'hidden' : 'visible') })
    document.dispatchEvent(new Event('visibilitychange'))
  }, hidden)
}

describeWithSystemPart('Chromium: refresh paused while hidden, gaps in the explorer (needs npm run build)', available, () => {
  let browser: Browser
  let built: string
  let demo: DemoServer
  const contexts: BrowserContext[] = []
  const problems: string[] = []

  beforeAll(async () => {
    built = await buildDashboard()
    ;[demo, browser] = await Promise.all([startDemo(built), launchChromium()])
  })
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined)
    await browser?.close()
    if (built) rmSync(built, { recursive: true, force: true })
    await demo?.served.close()
  })

  /** A fresh tab logged in as demo on `hash`; `clock` fakes the page's timers (Playwright's clock) from the start. */
  async function loggedIn(hash: string, options: { clock?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    contexts.push(context)
    if (options.clock) await context.clock.install()
    const page = await context.newPage()
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`))
    await page.goto(dashboardUrl(demo.page, hash))
    await page.waitForSelector('form.login')
    await passwordLogin(page)
    await page.waitForSelector('#logout')
    return page
  }

  it('refresh every 10 s: polls while visible, sends nothing while the tab is hidden, resumes (and "updated" moves) once shown', async () => {
    const page = await loggedIn('#/explorer?metric=cpu.idle_perc&fn=none&dim=hostname:web-01&range=1h', { clock: true })
    await page.waitForSelector('#explorer-chart .uplot')
    // Every request the emulator receives from now on, by its own log; polls are the measurements GETs.
    const log = demo.emulator.requests
    const since = (mark: number) => log.slice(mark).filter((r) => r.service !== 'keystone')
    const polls = (mark: number) => since(mark).filter((r) => r.method === 'GET' && r.path === '/v2.0/metrics/measurements')
    const status = () => page.locator('.live .updated')

    await page.selectOption('#refresh', '10')
    expect(await status().textContent()).not.toMatch(/paused/)
    let mark = log.length
    // Nothing before the interval is up…
    await page.clock.runFor(5_000)
    expect(polls(mark)).toHaveLength(0)
    // …one refresh when it is.
    await page.clock.runFor(5_500)
    await expect.poll(() => polls(mark).length).toBe(1)
    await page.waitForSelector('#explorer-chart .uplot')
    const updatedBefore = await status().getAttribute('title')

    // Hidden: three intervals pass and not one request reaches the server.
    await setHidden(page, true)
    await expect.poll(() => status().textContent()).toMatch(/paused while hidden/)
    mark = log.length
    for (let i = 0; i < 3; i++) await page.clock.runFor(10_000)
    // Give a poll the page might (wrongly) have started time to arrive over HTTP.
    await page.waitForTimeout(500)
    expect(since(mark).map((r) => `${r.method} ${r.path}`)).toEqual([])

    // Shown again after more than an interval: it refreshes at once, then every 10 s.
    await setHidden(page, false)
    await expect.poll(() => polls(mark).length).toBe(1)
    await expect.poll(() => status().textContent()).not.toMatch(/paused/)
    await expect.poll(() => status().getAttribute('title')).not.toBe(updatedBefore)
    await page.clock.runFor(10_500)
    await expect.poll(() => polls(mark).length).toBe(2)

    // Off: no more polls, visible or not.
    await page.selectOption('#refresh', '0')
    mark = log.length
    await page.clock.runFor(30_000)
    await page.waitForTimeout(300)
    expect(polls(mark)).toHaveLength(0)
  })

  it('explorer: a series with a hole is drawn with a gap there (a null in the chart data, no line across it)', async () => {
    // One point a minute for an hour, none from minute 20 to minute 39: a 20-minute hole.
    const minute = 60_000
    const start = Math.floor(Date.now() / minute) * minute - 90 * minute
    const end = start + 60 * minute
    const points = Array.from({ length: 60 }, (_, i) => i).filter((i) => i < 20 || i >= 40)
    demo.emulator.addMetrics(demo.projectId, points.map((i) => ({
      name: 'e2e.gappy', dimensions: { hostname: 'gap-01' }, timestamp: start + i * minute, value: 50 + 10 * Math.sin(i),
    })))
    const from = new Date(start).toISOString()
    const to = new Date(end).toISOString()
    const page = await loggedIn(`#/explorer?metric=e2e.gappy&fn=none&dim=hostname:gap-01&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)
    await page.waitForSelector('#explorer-chart .uplot')
    expect(await page.getAttribute('#explorer-chart', 'data-series')).toBe('1')

    // The rendered path: for each pixel column of the plot, is any pixel of the series' colour (#0072b2) there?
    const over = (await page.locator('#explorer-chart .u-over').boundingBox())!
    const inked = await page.evaluate(({ x: left, y: top, width, height }) => {
      const canvas = document.querySelector<HTMLCanvasElement>('#explorer-chart canvas')!
      const box = canvas.getBoundingClientRect()
      const scale = canvas.width / box.width
      const x0 = Math.round((left - box.left) * scale)
      const y0 = Math.round((top - box.top) * scale)
      const w = Math.round(width * scale)
      const h = Math.round(height * scale)
      const pixels = canvas.getContext('2d')!.getImageData(x0, y0, w, h).data
      const columns: boolean[] = []
      for (let x = 0; x < w; x++) {
        let blue = false
        for (let y = 0; y < h && !blue; y++) {
          const at = (y * w + x) * 4
          const [r, g, b, a] = [pixels[at]!, pixels[at + 1]!, pixels[at + 2]!, pixels[at + 3]!]
          blue = a > 100 && b > 120 && b - r > 90 && g > 60 && g < 170
        }
        columns.push(blue)
      }
      return { columns, scale }
    }, over)
    /** Whether the line is drawn anywhere between minutes a and b (columns of the plot, x scale = the asked range). */
    const drawnBetween = (a: number, b: number) => {
      const px = (m: number) => Math.round((m / 60) * inked.columns.length)
      return inked.columns.slice(px(a), px(b))
    }
    expect(drawnBetween(2, 18).filter(Boolean).length).toBeGreaterThan(drawnBetween(2, 18).length * 0.9)
    expect(drawnBetween(41, 58).filter(Boolean).length).toBeGreaterThan(drawnBetween(41, 58).length * 0.9)
    // Inside the hole (a little in from both ends, where the line's last point and its width end): nothing.
    expect(drawnBetween(21.5, 38.5).some(Boolean)).toBe(false)

    // The data under the cursor: at minute 20 (the gap's start) the value is missing, at minute 10 it is a number.
    const valueAt = async (m: number) => {
      await page.mouse.move(over.x + (m / 60) * over.width, over.y + over.height / 2)
      return page.locator('#explorer-chart .u-legend .u-series').nth(1).locator('.u-value').textContent()
    }
    expect(await valueAt(10)).toBe((50 + 10 * Math.sin(10)).toLocaleString('en-US', { maximumFractionDigits: 2 }))
    expect(await valueAt(20)).toBe('—')
    expect(await valueAt(40)).toBe((50 + 10 * Math.sin(40)).toLocaleString('en-US', { maximumFractionDigits: 2 }))
  })

  it('no page threw an uncaught exception', () => {
    expect(contexts.length).toBe(2)
    expect(problems).toEqual([])
  })
})

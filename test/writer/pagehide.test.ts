/**
 * The writer in Chromium: when the page goes away (a navigation fires pagehide), what is waiting is
 * sent with fetch's `keepalive` up to the 64 KiB quota, and what does not fit is handed to
 * onPageHide as unsent (the page stores it in localStorage here). Nothing is sent before: the
 * flush interval is ten minutes.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { build } from 'esbuild'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { chromiumAvailable, launchChromium } from '../browser/chromium.js'
import { describeWithSystemPart } from '../helpers/env.js'

describeWithSystemPart('Chromium', chromiumAvailable, () => {
  let browser: Browser
  let server: Server
  let origin: string
  let script: string
  let posts: Array<{ keepalive: string | undefined; bytes: number; ids: string[] }> = []

  beforeAll(async () => {
    const bundle = await build({ entryPoints: [join(import.meta.dirname, 'pagehide-page.ts')], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' })
    script = bundle.outputFiles[0]!.text
    server = createServer((req, res) => {
      if (req.method === 'POST' && req.url?.startsWith('/v2.0/metrics')) {
        const chunks: Buffer[] = []
        req.on('data', (c: Buffer) => chunks.push(c))
        req.on('end', () => {
          const body = Buffer.concat(chunks)
          const ids = (JSON.parse(body.toString()) as Array<{ dimensions: { id: string } }>).map((m) => m.dimensions.id)
          posts.push({ keepalive: req.headers['x-test-keepalive'] as string | undefined, bytes: body.length, ids })
          res.writeHead(204).end()
        })
        return
      }
      if (req.url === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
      const page = req.url === '/' ? '<script type="module" src="/app.js"></script><p>writer</p>' : '<p>next page</p>'
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><meta charset="utf-8"><title>t</title>${page}`)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    server?.closeAllConnections()
    await new Promise((resolve) => server?.close(resolve))
  })

  beforeEach(() => {
    posts = []
  })

  async function leaveAfterAdding(count: number, padding: number) {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(`${origin}/`)
    await page.waitForFunction(() => 'addMetrics' in globalThis)
    expect(await page.evaluate(([n, p]) => (globalThis as unknown as { addMetrics(n: number, p: number): boolean }).addMetrics(n, p), [count, padding] as const)).toBe(true)
    expect(posts).toEqual([])
    await page.goto(`${origin}/next`)
    for (let i = 0; i < 100 && posts.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50))
    await new Promise((resolve) => setTimeout(resolve, 200))
    const report = JSON.parse((await page.evaluate(() => localStorage.getItem('pagehide'))) ?? 'null') as { sent: number; unsent: string[] }
    await page.close()
    expect(errors).toEqual([])
    return report
  }

  it('sends what is waiting with keepalive when the page goes away', async () => {
    const report = await leaveAfterAdding(50, 0)
    expect(posts).toHaveLength(1)
    expect(posts[0]!.keepalive).toBe('true')
    expect(posts[0]!.ids).toEqual(Array.from({ length: 50 }, (_, i) => String(i)))
    expect(report).toEqual({ sent: 50, unsent: [] })
  })

  it('sends only what fits the 64 KiB keepalive quota; the rest is reported unsent, in order', async () => {
    const report = await leaveAfterAdding(200, 1_000) // about 210 KB of JSON
    expect(posts).toHaveLength(1)
    expect(posts[0]!.keepalive).toBe('true')
    expect(posts[0]!.bytes).toBeLessThanOrEqual(65_536)
    const sent = posts[0]!.ids
    expect(sent.length).toBe(report.sent)
    expect(sent.length).toBeGreaterThan(50)
    // Every metric is either sent or reported unsent, never both, never neither.
    expect([...sent, ...report.unsent]).toEqual(Array.from({ length: 200 }, (_, i) => String(i)))
  })
})

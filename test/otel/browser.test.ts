/**
 * The exporter in Chromium: a page bundled (esbuild) from the built `dist/otel.js` and `dist/index.js`
 * with the OpenTelemetry SDK, logging in to the emulator's Keystone on another origin (CORS) and
 * exporting through the browser's own fetch; Node then reads back what the emulator stored.
 */
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { build } from 'esbuild'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { serveEmulator } from '../../src/emulator/serve.js'
import { createClient } from '../../src/index.js'
import { fnv1a } from '../../src/otel/names.js'
import { chromiumAvailable, launchChromium } from '../browser/chromium.js'
import { describeWithSystemPart } from '../helpers/env.js'

/** Dimensions as a string that does not depend on key order. */
const key = (dims: Record<string, string>) => JSON.stringify(Object.entries(dims).sort())

const DIST = new URL('../../dist/otel.js', import.meta.url)

describeWithSystemPart('Chromium', chromiumAvailable, () => {
  let browser: Browser
  let page: Server
  let pageOrigin: string
  let served: Awaited<ReturnType<typeof serveEmulator>>
  const emulator = createEmulator()

  beforeAll(async () => {
    if (!existsSync(DIST)) throw new Error('dist/otel.js is missing: run npm run build first')
    const bundle = await build({
      entryPoints: [new URL('./page/main.js', import.meta.url).pathname],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    })
    const script = bundle.outputFiles[0]!.text
    const html = '<!doctype html><meta charset="utf-8"><title>otel</title><script type="module" src="/main.js"></script>'
    page = createServer((req, res) => {
      const isScript = req.url === '/main.js'
      res.setHeader('content-type', isScript ? 'text/javascript' : 'text/html')
      res.end(isScript ? script : html)
    })
    await new Promise<void>((ready) => page.listen(0, '127.0.0.1', ready))
    pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`
    served = await serveEmulator(emulator, { port: 0 })
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise((done) => page?.close(done))
    await served?.close()
  })

  it('a page exports counters, up-down counters, gauges and histograms; Node reads back what was recorded', async () => {
    const tab = await browser.newPage()
    const errors: string[] = []
    tab.on('pageerror', (e) => errors.push(String(e)))
    await tab.goto(`${pageOrigin}/?monasca=${encodeURIComponent(served.url)}`)
    await tab.waitForFunction(() => (window as { otelResult?: unknown }).otelResult !== undefined, undefined, { timeout: 15_000 })
    const result = (await tab.evaluate(() => (window as { otelResult?: unknown }).otelResult)) as {
      error?: string
      results: Array<{ code: number; error?: string }>
      stats: { added: number; acked: number; dropped: number; closed: boolean }
    }
    expect(result.error).toBeUndefined()
    expect(errors).toEqual([])
    // forceFlush, then the final export of shutdown: both succeeded, and the writer was closed.
    expect(result.results).toEqual([{ code: 0 }, { code: 0 }])
    expect(result.stats).toMatchObject({ dropped: 0, closed: true })
    expect(result.stats.acked).toBe(result.stats.added)

    const node = createClient({ authUrl: `${served.url}/v3`, username: 'demo', password: 'demo-secret', projectName: 'demo', fetch: emulator.fetch })
    const read = async (name: string) =>
      Object.fromEntries(
        (await node.metrics.listMeasurements({ name, start_time: new Date(Date.now() - 600_000), group_by: '*' }).toArray()).map((s) => [
          key(Object.fromEntries(Object.entries(s.dimensions).filter(([k]) => !['service', 'hostname', 'page'].includes(k)))),
          s.measurements.map((m) => m[1]),
        ]),
      )
    const base = (await node.metrics.list({ name: 'ui.fps' }).toArray())[0]!.dimensions
    expect(base).toEqual({ service: 'web-shop', hostname: 'chromium', page: 'otel-test' })
    const longUrl = `${pageOrigin}/${'a'.repeat(300)}`
    expect(await read('ui.clicks')).toEqual({
      [key({ button: 'buy _now_', aria_label: 'x_y' })]: [2],
      // Delta temporality: 1 in the first export, 5 in the last.
      [key({ button: 'cart', url: `${longUrl.slice(0, 246)}~${fnv1a(longUrl)}` })]: [1, 5],
    })
    expect(await read('ui.open_dialogs')).toEqual({ [key({})]: [2, 2] })
    expect(await read('ui.fps')).toEqual({ [key({})]: [59.5, 59.5] })
    expect(await read('ui.paint.count')).toEqual({ [key({})]: [4] })
    expect(await read('ui.paint.sum')).toEqual({ [key({})]: [185] })
    expect(await read('ui.paint.bucket')).toEqual({ [key({ le: '16' })]: [1], [key({ le: '33' })]: [2], [key({ le: '100' })]: [3], [key({ le: '+Inf' })]: [4] })
    expect(emulator.requests.some((r) => r.status === 422)).toBe(false)
    await tab.close()
  })
})

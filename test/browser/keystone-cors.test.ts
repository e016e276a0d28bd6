/**
 * In a real browser, a Keystone 201 whose X-Subject-Token the page may not read (CORS without
 * Access-Control-Expose-Headers) must become a KeystoneAuthError that says what to fix.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithSystemPart } from '../helpers/env.js'
import { chromiumAvailable, launchChromium, serveFiles } from './chromium.js'

describeWithSystemPart('Chromium', chromiumAvailable, () => {
  let browser: Browser
  let files: Awaited<ReturnType<typeof serveFiles>>
  let keystone: Server
  let keystoneUrl: string

  beforeAll(async () => {
    files = await serveFiles()
    browser = await launchChromium()
    // A Keystone that allows the page's origin but does not expose X-Subject-Token.
    keystone = createServer((req, res) => {
      res.setHeader('access-control-allow-origin', '*')
      res.setHeader('access-control-allow-headers', 'content-type')
      res.setHeader('access-control-allow-methods', 'POST, GET')
      if (req.method === 'OPTIONS') return res.end()
      res.statusCode = 201
      res.setHeader('content-type', 'application/json')
      res.setHeader('x-subject-token', 'hidden-token-value')
      const expires = new Date(Date.now() + 3600_000).toISOString()
      res.end(JSON.stringify({ token: { expires_at: expires, issued_at: new Date().toISOString(), methods: ['password'], catalog: [], project: { id: 'p', name: 'demo' } } }))
    })
    await new Promise<void>((ready) => keystone.listen(0, '127.0.0.1', ready))
    keystoneUrl = `http://127.0.0.1:${(keystone.address() as AddressInfo).port}/v3`
  })

  afterAll(async () => {
    await browser?.close()
    await files?.close()
    await new Promise<void>((done) => keystone?.close(() => done()))
  })

  it('explains that X-Subject-Token must be exposed, without leaking the password', async () => {
    const page = await browser.newPage()
    await page.goto(`${files.origin}/test/browser/pages/keystone-cors.html?keystone=${encodeURIComponent(keystoneUrl)}`)
    const result = await page.evaluate(() => (window as unknown as { result: Promise<Record<string, unknown>> }).result)
    expect(result).toMatchObject({ ok: false, name: 'KeystoneAuthError' })
    expect(String(result.message)).toMatch(/X-Subject-Token/)
    expect(String(result.message)).toMatch(/expose/i)
    expect(JSON.stringify(result)).not.toContain('pw-in-page')
    expect(JSON.stringify(result)).not.toContain('hidden-token-value')
    await page.close()
  })
})

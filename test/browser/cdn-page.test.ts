/**
 * examples/cdn.html in Chromium: the IIFE from a <script> tag, Keystone and Monasca of the emulator
 * on another origin (CORS), a token kept in sessionStorage across a reload. examples/cdn-core.html:
 * the lean core's IIFE with a token the page already holds, and a refused token as a typed error.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { serveEmulator } from '../../src/emulator/serve.js'
import { createClient } from '../../src/index.js'
import { describeWithSystemPart } from '../helpers/env.js'
import { chromiumAvailable, launchChromium, serveFiles } from './chromium.js'

describeWithSystemPart('Chromium', chromiumAvailable, () => {
  let browser: Browser
  let files: Awaited<ReturnType<typeof serveFiles>>
  let served: Awaited<ReturnType<typeof serveEmulator>>
  const emulator = createEmulator({ seed: 'demo', tokens: { 'page-token': { projectId: createEmulator().projectId('demo'), roles: ['monasca-user'] } } })

  beforeAll(async () => {
    files = await serveFiles()
    served = await serveEmulator(emulator, { port: 0 })
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await files?.close()
    await served?.close()
  })

  it('lists the same alarms as the SDK in Node, and a reload reuses the stored token', async () => {
    const node = createClient({ authUrl: `${served.url}/v3`, username: 'demo', password: 'demo-secret', projectName: 'demo', fetch: emulator.fetch })
    const expected = await node.alarms.list({ sort_by: 'severity desc' }).toArray()
    expect(expected.length).toBeGreaterThan(2)

    const keystonePosts = () => emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v3/auth/tokens').length
    const before = keystonePosts()
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(`${files.origin}/examples/cdn.html?monasca=${encodeURIComponent(served.url)}`)
    await page.waitForFunction(() => !document.getElementById('status')!.textContent!.startsWith('loading'))
    expect(await page.textContent('#status')).toBe(`${expected.length} alarms`)
    const states = await page.$$eval('#alarms li', (items) => items.map((li) => (li as HTMLElement).dataset.state))
    expect(states).toEqual(expected.map((a) => a.state))
    expect(keystonePosts() - before).toBe(1)

    await page.reload()
    await page.waitForFunction(() => !document.getElementById('status')!.textContent!.startsWith('loading'))
    expect(await page.textContent('#status')).toBe(`${expected.length} alarms`)
    expect(keystonePosts() - before).toBe(1) // the token came from sessionStorage
    const stored = await page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)))
    expect(stored).not.toContain('demo-secret')
    expect(errors).toEqual([])
    await page.close()
  })

  it('the lean core script lists the same alarms with a token the page holds, and a refused token is a typed 401', async () => {
    const node = createClient({ endpoint: `${served.url}/v2.0`, token: 'page-token', fetch: emulator.fetch })
    const expected = await node.alarms.list({ sort_by: 'severity desc' }).toArray()
    expect(expected.length).toBeGreaterThan(2)
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    const open = async (token: string) => {
      await page.goto(`${files.origin}/examples/cdn-core.html?monasca=${encodeURIComponent(served.url)}&token=${token}`)
      await page.waitForFunction(() => !document.getElementById('status')!.textContent!.startsWith('loading'))
      return page.textContent('#status')
    }
    expect(await open('page-token')).toBe(`${expected.length} alarms`)
    expect(await page.$$eval('#alarms li', (items) => items.map((li) => (li as HTMLElement).dataset.state))).toEqual(expected.map((a) => a.state))
    expect(await page.evaluate(() => [typeof globalThis.MonascaCore.createClient, 'Session' in globalThis.MonascaCore, 'Monasca' in globalThis])).toEqual(['function', false, false])
    expect(await open('not-a-token')).toMatch(/^AuthenticationError \(HTTP 401\): /)
    expect(errors).toEqual([])
    await page.close()
  })
})

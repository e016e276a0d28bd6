// The SDK's CDN build in Debian's Chromium against the real Keystone (its CORS allows any origin and
// exposes X-Subject-Token by default): a token, the catalog, a wrong password, a reload that reuses
// the sessionStorage token without asking Keystone.
import { existsSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { chromiumAvailable, launchChromium, serveFiles } from '../browser/chromium.js'
import { describeWithSystemPart } from '../helpers/env.js'
import { ADMIN, KEYSTONE, reachable } from './helpers.js'

const CDN_BUILD = 'dist/cdn/monasca.iife.min.js'
const available = chromiumAvailable && existsSync(CDN_BUILD) && (await reachable(KEYSTONE))

describeWithSystemPart('Chromium + Keystone', available, () => {
  let browser: Browser
  let files: Awaited<ReturnType<typeof serveFiles>>

  beforeAll(async () => {
    files = await serveFiles()
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await files?.close()
  })

  async function openPage(page: Page): Promise<void> {
    await page.goto(`${files.origin}/test/browser/pages/keystone-cors.html?keystone=${encodeURIComponent('http://127.0.0.1:9/v3')}`)
    await page.waitForFunction(() => 'Monasca' in globalThis)
  }

  /** Runs in the page: a Password session kept in sessionStorage; what the SDK saw. */
  const useSession = (page: Page, password: string) =>
    page.evaluate(
      async ({ authUrl, username, password, projectName }) => {
        const { Session, identity, webStorageStore } = (globalThis as any).Monasca
        const session = new Session({
          auth: new identity.Password({ authUrl, username, password, projectName }),
          store: webStorageStore(sessionStorage),
        })
        try {
          const access = await session.getAccess()
          return { ok: true, token: access.token, project: access.projectName, endpoint: await session.getEndpoint({ regionName: 'RegionOne' }) }
        } catch (error: any) {
          return { ok: false, name: error.name, status: error.status, description: error.description, json: JSON.stringify(error) }
        }
      },
      { authUrl: KEYSTONE, username: ADMIN.username, password, projectName: ADMIN.projectName },
    )

  it('gets a token across origins, reads the catalog, and reuses the stored token after a reload', async () => {
    const page = await browser.newPage()
    const tokenRequests: string[] = []
    page.on('request', (request) => {
      if (request.url() === `${KEYSTONE}/v3/auth/tokens` && request.method() === 'POST') tokenRequests.push(request.url())
    })
    await openPage(page)
    const first = await useSession(page, ADMIN.password)
    expect(first).toMatchObject({ ok: true, project: ADMIN.projectName })
    expect(first.endpoint).toMatch(/^http:\/\/.+\/v2\.0$/)
    expect(tokenRequests).toHaveLength(1)

    await page.reload()
    await page.waitForFunction(() => 'Monasca' in globalThis)
    const again = await useSession(page, ADMIN.password)
    expect(again).toMatchObject({ ok: true, token: first.token })
    expect(tokenRequests).toHaveLength(1)
    await page.close()
  })

  it('a wrong password is a readable KeystoneAuthError 401 in the page, without the password', async () => {
    const page = await browser.newPage()
    await openPage(page)
    const wrong = 'browser-wrong-password-77'
    const result = await useSession(page, wrong)
    expect(result).toMatchObject({ ok: false, name: 'KeystoneAuthError', status: 401 })
    expect(result.description).toBe('The request you have made requires authentication.')
    expect(JSON.stringify(result)).not.toContain(wrong)
    await page.close()
  })
})

/**
 * For the dashboard's browser tests: the built dashboard (dist/dashboard, built here from
 * examples/dashboard with its own Vite config) served by the demo emulator under /dashboard/ on a
 * free port, the same origin as its /v3 and /v2.0, as `npm start` does.
 */
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { build } from 'vite'
import { createEmulator, type Emulator } from '../../src/emulator/index.js'
import { serveEmulator, type ServedEmulator } from '../../src/emulator/serve.js'

export const ROOT = resolve(import.meta.dirname, '../..')
export const DASHBOARD_DIST = join(ROOT, 'dist/dashboard')
export const SCREENSHOTS = join(ROOT, 'examples/dashboard/screenshots')
export const SDK_BUILD = join(ROOT, 'dist/index.js')

/** Builds the dashboard from examples/dashboard into `outDir` (the SDK must be built: npm run build). */
export async function buildDashboard(outDir = DASHBOARD_DIST): Promise<void> {
  await build({
    configFile: join(ROOT, 'examples/dashboard/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  })
}

export interface DemoServer {
  emulator: Emulator
  served: ServedEmulator
  /** The emulator's base, e.g. http://127.0.0.1:40123 */
  url: string
  /** The dashboard's page, e.g. http://127.0.0.1:40123/dashboard/ */
  page: string
  projectId: string
}

export async function startDemo(): Promise<DemoServer> {
  const emulator = createEmulator({ seed: 'demo' })
  const served = await serveEmulator(emulator, { port: 0, dashboard: DASHBOARD_DIST })
  return { emulator, served, url: served.url, page: served.dashboardUrl ?? `${served.url}/dashboard/`, projectId: emulator.projectId('demo') }
}

export const DEMO_LOGIN = { username: 'demo', password: 'demo-secret', project: 'demo' }

/** The dashboard's URL with a fast watch for the live tests; `keystone` another Keystone than the page's origin. */
export function dashboardUrl(page: string, hash = '', options: { watchMs?: number; keystone?: string; timeoutMs?: number } = {}): string {
  const search = new URLSearchParams({ watch: String(options.watchMs ?? 1000) })
  if (options.timeoutMs) search.set('timeout', String(options.timeoutMs))
  if (options.keystone) search.set('keystone', options.keystone)
  return `${page}?${search}${hash}`
}

export async function passwordLogin(page: Page, login = DEMO_LOGIN): Promise<void> {
  await page.fill('#username', login.username)
  await page.fill('#password', login.password)
  await page.fill('#project', login.project)
  await page.click('form.login button[type=submit]')
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false })
}

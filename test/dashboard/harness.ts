/**
 * For the dashboard's browser tests: the built dashboard (dist/dashboard, built here from
 * examples/dashboard with its own Vite config) served by the demo emulator under /dashboard/ on a
 * free port, the same origin as its /v3 and /v2.0, as `npm start` does.
 */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { build } from 'vite'
import { createEmulator, type Emulator } from '../../src/emulator/index.js'
import { serveEmulator, type ServedEmulator } from '../../src/emulator/serve.js'

export const ROOT = resolve(import.meta.dirname, '../..')
/**
 * Where the tests save a screenshot of every page: dist/dashboard-screenshots/ (ignored by git), or
 * with UPDATE_SCREENSHOTS=1 the committed examples/dashboard/screenshots/ that the README shows, so
 * that an ordinary test run leaves the checkout clean.
 */
export const SCREENSHOTS = join(ROOT, process.env.UPDATE_SCREENSHOTS ? 'examples/dashboard/screenshots' : 'dist/dashboard-screenshots')
export const SDK_BUILD = join(ROOT, 'dist/index.js')

/**
 * Builds the dashboard from examples/dashboard (the SDK must be built: npm run build) into a fresh
 * temporary directory, so that test files running in parallel never empty each other's build.
 */
export async function buildDashboard(outDir = mkdtempSync(join(tmpdir(), 'dashboard-'))): Promise<string> {
  await build({
    configFile: join(ROOT, 'examples/dashboard/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  })
  return outDir
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

/** The demo emulator serving the dashboard built in `dashboard`. */
export async function startDemo(dashboard: string): Promise<DemoServer> {
  const emulator = createEmulator({ seed: 'demo' })
  const served = await serveEmulator(emulator, { port: 0, dashboard })
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

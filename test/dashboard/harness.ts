/**
 * For the dashboard's browser tests: the built dashboard (dist/dashboard, built here from
 * examples/dashboard with its own Vite config), the demo emulator over HTTP on a free port, a static
 * server for the page on another origin (so the page reaches the emulator through its CORS, as a
 * dashboard on its own host would), and Chromium.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve } from 'node:path'
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

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml' }

/** dist/dashboard under /dashboard/ on 127.0.0.1:<free port>. */
export async function serveDashboard(dir = DASHBOARD_DIST): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
    if (!path.startsWith('/dashboard/')) {
      res.statusCode = 404
      return res.end('not found')
    }
    let file = join(dir, path.slice('/dashboard/'.length))
    if (file === dir || path.endsWith('/')) file = join(dir, 'index.html')
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.statusCode = 404
      return res.end('not found')
    }
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream')
    res.end(readFileSync(file))
  })
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}

export interface DemoServer {
  emulator: Emulator
  served: ServedEmulator
  /** The emulator's base, e.g. http://127.0.0.1:40123 */
  url: string
  projectId: string
}

export async function startDemo(): Promise<DemoServer> {
  const emulator = createEmulator({ seed: 'demo' })
  const served = await serveEmulator(emulator, { port: 0 })
  return { emulator, served, url: served.url, projectId: emulator.projectId('demo') }
}

export const DEMO_LOGIN = { username: 'demo', password: 'demo-secret', project: 'demo' }

/** The dashboard's URL: Keystone of the emulator, a fast watch for the live tests. */
export function dashboardUrl(origin: string, keystone: string, hash = '', watchMs = 1000): string {
  return `${origin}/dashboard/?keystone=${encodeURIComponent(keystone)}&watch=${watchMs}${hash}`
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

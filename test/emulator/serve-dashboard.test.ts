/** serveEmulator({ dashboard }): built files under /dashboard/ on the API's origin; `/` stays the API's. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { type ServedEmulator, serveEmulator } from '../../src/emulator/serve.js'

let dir: string
let served: ServedEmulator | undefined
const INDEX = '<!doctype html><title>dash</title><script type="module" src="/dashboard/assets/app-1234.js"></script>'

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-dashboard-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), INDEX)
  writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log("app")\n')
  writeFileSync(join(dir, 'assets', 'app-1234.css'), 'body{}\n')
  // A file outside the served directory that a traversal would reach.
  writeFileSync(join(dir, '..', `secret-${process.pid}.txt`), 'secret')
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  rmSync(join(dir, '..', `secret-${process.pid}.txt`), { force: true })
})
afterEach(async () => {
  await served?.close()
  served = undefined
})

/** A raw request, so that paths are sent exactly as written (fetch would normalise `..`). */
function raw(url: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
    })
    req.once('error', reject)
    req.end()
  })
}

describe('serveEmulator({ dashboard })', () => {
  it('serves index.html, assets with their types, and names the page URL', async () => {
    served = await serveEmulator(createEmulator(), { dashboard: dir })
    expect(served.dashboardUrl).toBe(`${served.url}/dashboard/`)
    const page = await fetch(served.dashboardUrl!)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('cache-control')).toBe('no-cache')
    expect(await page.text()).toBe(INDEX)
    const js = await fetch(`${served.url}/dashboard/assets/app-1234.js`)
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(js.headers.get('cache-control')).toContain('immutable')
    expect(await js.text()).toBe('console.log("app")\n')
    expect((await fetch(`${served.url}/dashboard/assets/app-1234.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8')
  })

  it('redirects /dashboard to /dashboard/ and answers client-side routes with the page', async () => {
    served = await serveEmulator(createEmulator(), { dashboard: dir })
    const bare = await fetch(`${served.url}/dashboard?x=1`, { redirect: 'manual' })
    expect(bare.status).toBe(301)
    expect(bare.headers.get('location')).toBe('/dashboard/?x=1')
    const route = await fetch(`${served.url}/dashboard/alarms?state=ALARM`)
    expect(route.status).toBe(200)
    expect(await route.text()).toBe(INDEX)
    // A missing asset is a 404, not the page (a script must not get HTML).
    expect((await fetch(`${served.url}/dashboard/assets/missing.js`)).status).toBe(404)
  })

  it('keeps the API on the same origin: / is the version document, /v3 and /v2.0 answer', async () => {
    served = await serveEmulator(createEmulator({ tokens: { t: { projectId: 'p' } } }), { dashboard: dir })
    const root = await fetch(`${served.url}/`, { headers: { 'X-Auth-Token': 't' } })
    expect((await root.json()).elements[0].id).toBe('v2.0')
    expect((await fetch(`${served.url}/v3`)).status).toBe(200)
    expect((await fetch(`${served.url}/v2.0/alarms`, { headers: { 'X-Auth-Token': 't' } })).status).toBe(200)
    // Without the option there is no dashboard: the path is the API's (a version that does not exist).
    await served.close()
    served = await serveEmulator(createEmulator({ tokens: { t: { projectId: 'p' } } }))
    expect(served.dashboardUrl).toBeUndefined()
    expect((await fetch(`${served.url}/dashboard/`, { headers: { 'X-Auth-Token': 't' } })).status).toBe(422)
  })

  it('never serves a file outside the directory', async () => {
    served = await serveEmulator(createEmulator(), { dashboard: dir })
    for (const path of [`/dashboard/../secret-${process.pid}.txt`, `/dashboard/%2e%2e/secret-${process.pid}.txt`, `/dashboard/..%2fsecret-${process.pid}.txt`, '/dashboard/%00']) {
      const reply = await raw(served.url, path)
      expect(reply.body, path).not.toContain('secret')
      expect([400, 401, 404], `${path} -> ${reply.status}`).toContain(reply.status)
    }
    const bad = await raw(served.url, '/dashboard/%E0%A4%A')
    expect(bad.status).toBe(400)
  })

  it('fuzzed paths under the prefix never reach outside the directory and never get a 5xx', async () => {
    served = await serveEmulator(createEmulator(), { dashboard: dir })
    const url = served.url
    const piece = fc.constantFrom('..', '.', '%2e%2e', '%2E%2E', '%2f', '%2F', '%5c', '\\', '%00', '%', '%zz', 'assets', 'index.html', `secret-${process.pid}.txt`, '', '~', '%252e%252e')
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 6 }), async (parts) => {
        const path = `/dashboard/${parts.join('/')}`
        const reply = await raw(url, path)
        expect(reply.status, `${path} -> ${reply.status}`).toBeLessThan(500)
        expect(reply.body, path).not.toBe('secret')
      }),
      { numRuns: 300 },
    )
  }, 60_000)

  it('answers only GET and HEAD under the prefix', async () => {
    served = await serveEmulator(createEmulator(), { dashboard: dir })
    const post = await fetch(`${served.url}/dashboard/`, { method: 'POST', body: 'x' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    const head = await raw(served.url, '/dashboard/', {}, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.headers['content-length']).toBe(String(INDEX.length))
    expect(head.body).toBe('')
  })

  it('says the dashboard is not built when the directory has no index.html', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'emulator-empty-'))
    try {
      served = await serveEmulator(createEmulator(), { dashboard: empty })
      const reply = await fetch(served.dashboardUrl!)
      expect(reply.status).toBe(404)
      expect(await reply.text()).toContain('is the dashboard built?')
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })
})

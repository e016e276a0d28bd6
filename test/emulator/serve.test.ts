import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { type ServedEmulator, serveEmulator } from '../../src/emulator/serve.js'

let served: ServedEmulator | undefined
afterEach(async () => {
  await served?.close()
  served = undefined
})

const login = {
  auth: {
    identity: { methods: ['password'], password: { user: { name: 'demo', domain: { id: 'default' }, password: 'demo-secret' } } },
    scope: { project: { name: 'demo', domain: { id: 'default' } } },
  },
}


/** What the bin printed up to its "Press Ctrl+C" line; rejects if it exits first. */
function untilListening(child: ChildProcessByStdio<null, Readable, Readable>): Promise<string> {
  let out = ''
  return new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('Press Ctrl+C')) resolve(out)
    })
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
  })
}

describe('serveEmulator over node:http', () => {
  it('serves Keystone and Monasca on 127.0.0.1 with links and catalog on the served address', async () => {
    served = await serveEmulator(createEmulator())
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const auth = await fetch(`${served.url}/v3/auth/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(login) })
    expect(auth.status).toBe(201)
    const token = auth.headers.get('x-subject-token')!
    const body = await auth.json()
    const monitoring = body.token.catalog.find((s: { type: string }) => s.type === 'monitoring').endpoints[0].url
    expect(monitoring).toBe(`${served.url}/v2.0`)
    const post = await fetch(`${monitoring}/metrics`, { method: 'POST', headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'm', value: 1, timestamp: Date.now() }) })
    expect(post.status).toBe(204)
    const list = await fetch(`${monitoring}/metrics`, { headers: { 'X-Auth-Token': token } })
    expect((await list.json()).links[0].href).toBe(`${served.url}/v2.0/metrics`)
    const head = await fetch(`${served.url}/healthcheck`, { method: 'HEAD' })
    expect(head.status).toBe(204)
  })

  it('answers CORS preflights and lets a browser read X-Subject-Token and error bodies', async () => {
    served = await serveEmulator(createEmulator())
    const preflight = await fetch(`${served.url}/v3/auth/tokens`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:8080', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-auth-token' },
    })
    expect(preflight.status).toBe(200)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:8080')
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,x-auth-token')
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH')
    const auth = await fetch(`${served.url}/v3/auth/tokens`, { method: 'POST', headers: { Origin: 'http://localhost:8080', 'Content-Type': 'application/json' }, body: JSON.stringify(login) })
    expect(auth.headers.get('access-control-allow-origin')).toBe('http://localhost:8080')
    expect(auth.headers.get('access-control-expose-headers')).toMatch(/X-Subject-Token/)
    expect(auth.headers.get('access-control-expose-headers')).toMatch(/X-OpenStack-Request-Id/)
    expect(auth.headers.get('vary')).toContain('Origin')
    const denied = await fetch(`${served.url}/v2.0/alarms`, { headers: { Origin: 'http://localhost:8080' } })
    expect(denied.status).toBe(401)
    expect(denied.headers.get('access-control-allow-origin')).toBe('http://localhost:8080')
  })

  it('leaves out CORS headers for an origin outside corsOrigins', async () => {
    served = await serveEmulator(createEmulator(), { corsOrigins: ['http://allowed.example'] })
    const other = await fetch(`${served.url}/v3`, { headers: { Origin: 'http://evil.example' } })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    const allowed = await fetch(`${served.url}/v3`, { headers: { Origin: 'http://allowed.example' } })
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://allowed.example')
  })
})

const BIN = 'dist/bin/monasca-emulator.js'

describe('monasca-emulator bin (built by npm run build)', () => {
  it('is built', () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true)
  })

  it.runIf(existsSync(BIN))('starts with demo data, prints the URLs and how to connect, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, '--port', '0', '--demo', '--tick-seconds', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
    const out = await untilListening(child)
    const root = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!
    expect(out).toContain(`Keystone v3   ${root}/v3`)
    expect(out).toContain(`Monasca v2.0  ${root}/v2.0`)
    expect(out).toContain('monasca --os-auth-type admin_token --os-token demo-token \\\n')
    expect(out).toContain(`--os-endpoint ${root}/v2.0 alarm-list`)
    expect(out).toContain(`node dist/bin/monasca.js --os-auth-url ${root}/v3`)
    expect(out).toContain("import { createClient } from 'monasca-client'")
    expect(out, 'the tour runs only with --tour').not.toContain('Tour finished')
    const alarms = await (await fetch(`${root}/v2.0/alarms`, { headers: { 'X-Auth-Token': 'demo-token' } })).json()
    expect(new Set(alarms.elements.map((a: { state: string }) => a.state))).toEqual(new Set(['OK', 'ALARM', 'UNDETERMINED']))
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  it.runIf(existsSync(BIN))('--dashboard DIR serves the built page under /dashboard/ and names it; a DIR without index.html is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bin-dashboard-'))
    try {
      const refused = spawn(process.execPath, [BIN, '--port', '0', '--dashboard', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
      let err = ''
      refused.stderr.on('data', (c: Buffer) => (err += c.toString()))
      expect(await new Promise<number | null>((resolve) => refused.once('exit', resolve))).toBe(2)
      expect(err).toContain(`--dashboard ${dir}: no index.html there`)

      writeFileSync(join(dir, 'index.html'), '<!doctype html><title>dashboard</title>')
      const child = spawn(process.execPath, [BIN, '--port', '0', '--demo', '--tick-seconds', '0', '--dashboard', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
      const out = await untilListening(child)
      const root = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!
      expect(out).toContain(`  Dashboard     ${root}/dashboard/\n`)
      expect(out).toContain(`Dashboard: ${root}/dashboard/\n  log in as demo / demo-secret, project demo`)
      const page = await fetch(`${root}/dashboard/`)
      expect(await page.text()).toBe('<!doctype html><title>dashboard</title>')
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      child.kill('SIGHUP')
      expect(await exited).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it.runIf(existsSync(BIN))('refuses a bad option with exit code 2 and the usage', async () => {
    const child = spawn(process.execPath, [BIN, '--port', 'x'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    child.stderr.on('data', (c: Buffer) => (err += c.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(2)
    expect(err).toContain('--port must be a non-negative integer')
  })
})

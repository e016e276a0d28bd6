/**
 * The bin's stand-ins for Node's undici-backed Headers/Response/FormData (src/cli/web-globals.ts):
 * they behave as the web classes do where the CLI relies on them, they never replace a loaded
 * undici, and the built bin runs a command without loading undici at all.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { installLightWebGlobals, LightHeaders, LightResponse } from '../../src/cli/web-globals.js'

describe('LightHeaders', () => {
  it('agrees with Headers on get/has/iteration for any names and values (case-insensitive, appended values joined, sorted)', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,12}$/)
    const value = fc.stringMatching(/^[!-~]([ -~]{0,10}[!-~])?$/)
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 8 }), (pairs) => {
        const real = new Headers()
        const light = new LightHeaders()
        for (const [k, v] of pairs) {
          real.append(k, v)
          light.append(k, v)
        }
        expect([...light]).toEqual([...real])
        for (const [k] of pairs) expect([light.get(k.toUpperCase()), light.has(k)]).toEqual([real.get(k.toUpperCase()), real.has(k)])
        expect([...new LightHeaders(light)]).toEqual([...new Headers(real)])
      }),
    )
  })

  it('takes a record or a list of pairs, and set/delete replace and remove', () => {
    const h = new LightHeaders({ 'Content-Type': 'application/json', 'X-A': '1' })
    h.set('x-a', '2')
    h.delete('CONTENT-TYPE')
    expect([...h]).toEqual([['x-a', '2']])
    expect([...new LightHeaders([['B', 'x'], ['b', 'y']])]).toEqual([['b', 'x, y']])
  })
})

describe('LightResponse', () => {
  it('reads its body once, as text, JSON or bytes; status, ok, headers; null body for none', async () => {
    const r = new LightResponse('{"a":1}', { status: 201, statusText: 'Created', headers: { 'X-Openstack-Request-Id': 'req-1' } })
    expect([r.status, r.ok, r.statusText, r.headers.get('x-openstack-request-id'), r.body !== null]).toEqual([201, true, 'Created', 'req-1', true])
    const copy = r.clone()
    expect(await r.json()).toEqual({ a: 1 })
    await expect(r.text()).rejects.toThrow(TypeError)
    expect(new TextDecoder().decode(await copy.arrayBuffer())).toBe('{"a":1}')
    const empty = new LightResponse(null, { status: 404 })
    expect([empty.ok, empty.body, await empty.text()]).toEqual([false, null, ''])
    const streamed = new LightResponse(new Uint8Array([104, 105]))
    expect((await streamed.body!.getReader().read()).value).toEqual(new Uint8Array([104, 105]))
  })
})

describe('installLightWebGlobals', () => {
  it('replaces lazy getters only, never a value (undici already loaded)', () => {
    const lazy = {} as typeof globalThis
    Object.defineProperty(lazy, 'Headers', { get: () => Headers, configurable: true })
    Object.defineProperty(lazy, 'Response', { value: Response, writable: true, configurable: true })
    expect(installLightWebGlobals(lazy)).toEqual(['Headers', 'FormData'])
    expect(lazy.Headers).toBe(LightHeaders)
    expect(lazy.Response).toBe(Response)
  })
})

const bin = join(resolve(import.meta.dirname, '../..'), 'dist/bin/monasca.js')

describe('the built bin', () => {
  it('runs a command without loading undici (and with MONASCA_CLI_UNDICI=1 it does load it)', async () => {
    expect(existsSync(bin), 'dist/bin/monasca.js is missing: run npm run build').toBe(true)
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ links: [], elements: [{ name: 'light.ok', dimensions: {} }] }))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2.0`
    const probe = "data:text/javascript,process.on('exit',()=>process.stderr.write('undici:'+process.moduleLoadList.some((m)=>m.includes('undici'))))"
    const run = (undici: string) => promisify(execFile)(process.execPath, ['--import', probe, bin, '--os-token', 'tok', '--os-endpoint', url, 'metric-list'], { env: { ...process.env, MONASCA_CLI_UNDICI: undici } })
    try {
      const light = await run('0')
      expect(light.stdout).toContain('light.ok')
      expect(light.stderr).toBe('undici:false')
      expect((await run('1')).stderr).toBe('undici:true')
    } finally {
      server.close()
    }
  })
})

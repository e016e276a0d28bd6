/**
 * The same built bundle in Deno and Bun (and Node as the control): one script, one local server.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithSystemPart } from '../helpers/env.js'

const root = resolve(import.meta.dirname, '../..')
const run = promisify(execFile)
const names = ['cpu.idle_perc', 'disk.used', 'mem.free_mb']
const seenTokens: string[] = []
let server: Server
let endpoint: string

beforeAll(async () => {
  server = createServer((req, res) => {
    seenTokens.push(String(req.headers['x-auth-token']))
    const url = new URL(req.url!, 'http://x')
    res.setHeader('content-type', 'application/json')
    if (url.pathname.endsWith('/notification-methods/types')) return res.end(JSON.stringify({ links: [], elements: [{ type: 'EMAIL' }, { type: 'WEBHOOK' }] }))
    if (url.pathname.endsWith('/metrics/names')) {
      const offset = url.searchParams.get('offset')
      const start = offset === null ? 0 : names.indexOf(offset) + 1
      const page = names.slice(start, start + 2)
      const links = start + 2 < names.length ? [{ rel: 'next', href: `${endpoint}/metrics/names?offset=${page.at(-1)}&limit=2` }] : []
      return res.end(JSON.stringify({ links, elements: page.map((name) => ({ name })) }))
    }
    res.statusCode = 404
    res.end(JSON.stringify({ title: '404 Not Found' }))
  })
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2.0`
})
afterAll(() => new Promise<void>((done) => server.close(() => done())))

const bin = (name: string) => join(root, 'node_modules/.bin', name)
const runtimes: Array<[string, string, (script: string) => string[]]> = [
  ['node', process.execPath, (script) => [script]],
  ['deno', bin('deno'), (script) => ['run', '--node-modules-dir=manual', '--allow-net', '--allow-read', '--allow-env', script]],
  ['bun', bin('bun'), (script) => [script]],
]

for (const [runtime, executable, argv] of runtimes) {
  describeWithSystemPart(runtime === 'node' ? 'Node' : runtime === 'deno' ? 'Deno' : 'Bun', existsSync(executable), () => {
    it(`${runtime} runs the built bundle: calls, paging, typed errors, validation`, async () => {
      const { stdout } = await run(executable, [...argv(join(root, 'test/runtimes/probe.mjs')), endpoint], { cwd: root, timeout: 60_000 })
      const report = JSON.parse(stdout.trim().split('\n').at(-1)!)
      expect(report).toEqual({
        runtime,
        VERSION: expect.stringMatching(/^\d+\.\d+\.\d+/),
        types: [{ type: 'EMAIL' }, { type: 'WEBHOOK' }],
        names,
        error: { name: 'NotFoundError', status: 404, title: '404 Not Found', branded: true },
        validation: { name: 'MonascaValidationError', field: 'metric.name' },
      })
      expect(seenTokens).toContain(`token-from-${runtime}`)
    }, 90_000)
  })
}

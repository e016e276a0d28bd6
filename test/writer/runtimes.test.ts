/**
 * The built writer in Deno and Bun (and Node as the control): each runtime's own network errors
 * must be told apart (a refused connection is safe to replay; a timeout is not), and its timers and
 * aborts must end a hang. One script (runtime-probe.mjs), one local server. Needs `npm run build`.
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
let server: Server
let endpoint: string
let closedEndpoint: string
const firstSeen = new Set<string>()

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/hang/')) return // never answers
    const token = String(req.headers['x-auth-token'])
    req.resume()
    req.on('end', () => {
      if (!firstSeen.has(token)) {
        firstSeen.add(token)
        return void res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' }).end('{"title":"Too Many Requests"}')
      }
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2.0`
  // A port that was free a moment ago and has no listener now.
  const probe = createServer()
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready))
  closedEndpoint = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/v2.0`
  await new Promise((done) => probe.close(done))
})
afterAll(() => {
  server.closeAllConnections()
  return new Promise<void>((done) => server.close(() => done()))
})

const bin = (name: string) => join(root, 'node_modules/.bin', name)
const runtimes: Array<[string, string, string, (script: string) => string[]]> = [
  ['node', 'Node', process.execPath, (script) => [script]],
  ['deno', 'Deno', bin('deno'), (script) => ['run', '--node-modules-dir=manual', '--allow-net', '--allow-read', '--allow-env', script]],
  ['bun', 'Bun', bin('bun'), (script) => [script]],
]

for (const [runtime, part, executable, argv] of runtimes) {
  describeWithSystemPart(part, existsSync(executable), () => {
    it(`${runtime}: the writer retries a 429, drops a timed-out batch as unconfirmed, replays a refused one safely`, async () => {
      if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)')
      const { stdout } = await run(executable, [...argv(join(root, 'test/writer/runtime-probe.mjs')), endpoint, closedEndpoint], { cwd: root, timeout: 60_000 })
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
        runtime,
        retried: { acked: 7, unsent: 0, drops: [], risks: [], requests: 4 },
        timedOut: { acked: 0, unsent: 0, drops: [[1, 'unconfirmed']], risks: [1], requests: 1 },
        refused: { acked: 0, unsent: 0, drops: [[1, 'retries-exhausted']], risks: [], requests: 2 },
      })
    }, 90_000)
  })
}

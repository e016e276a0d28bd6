/**
 * The timeout and truncated-body faults in every runtime: the built ESM entry in Node, Deno and Bun
 * (test/faults/runtime-probe.mjs), and in Chromium (the same probe loaded by a page of the fault
 * server, same origin).
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { chromiumAvailable, launchChromium } from '../browser/chromium.js'
import { describeWithSystemPart } from '../helpers/env.js'
import { startFaultServer, type FaultServer } from './fault-server.js'

const root = resolve(import.meta.dirname, '../..')
const run = promisify(execFile)
const bin = (name: string) => join(root, 'node_modules/.bin', name)
let server: FaultServer
beforeAll(async () => {
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)')
  server = await startFaultServer()
})
afterAll(() => server?.close())

const expected = {
  never: { name: 'MonascaTimeoutError', status: null, branded: true, leaks: false, withinTimeout: true },
  slowHeaders: { name: 'MonascaTimeoutError', status: null, branded: true, leaks: false, withinTimeout: true },
  truncated: { name: 'MonascaResponseError', status: 200, branded: true, leaks: false, withinTimeout: true },
  text: { name: 'MonascaResponseError', status: 200, branded: true, leaks: false, withinTimeout: true },
}

const runtimes: Array<[string, string, string, (script: string) => string[]]> = [
  ['Node', 'node', process.execPath, (script) => [script]],
  ['Deno', 'deno', bin('deno'), (script) => ['run', '--node-modules-dir=manual', '--allow-net', '--allow-read', '--allow-env', script]],
  ['Bun', 'bun', bin('bun'), (script) => [script]],
]

for (const [part, runtime, executable, argv] of runtimes) {
  describeWithSystemPart(part, existsSync(executable), () => {
    it(`${runtime}: timeouts and cut-short bodies are typed errors, no token in them`, async () => {
      const { stdout } = await run(executable, [...argv(join(root, 'test/faults/runtime-probe.mjs')), server.origin], { cwd: root, timeout: 60_000 })
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ runtime, ...expected })
    }, 90_000)
  })
}

describeWithSystemPart('Chromium', chromiumAvailable, () => {
  it('chromium: timeouts and cut-short bodies are typed errors, no token in them', async () => {
    const browser = await launchChromium()
    try {
      const page = await browser.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(String(e)))
      await page.goto(`${server.origin}/page.html`)
      // A string, so that the test runner does not rewrite the page's dynamic import.
      const report = await page.evaluate(`import('${server.origin}/test/faults/runtime-probe.mjs').then((m) => m.probe('${server.origin}'))`)
      expect(report).toEqual(expected)
      expect(errors).toEqual([])
    } finally {
      await browser.close()
    }
  }, 90_000)
})

/**
 * The built otel entry in Deno and Bun (Node and Chromium have their own tests): runtime-probe.mjs
 * exports a counter and a histogram into the emulator, and what it stored is the same as in Node.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, expect, it } from 'vitest'
import { describeWithSystemPart } from '../helpers/env.js'

const root = resolve(import.meta.dirname, '../..')
const probe = join(root, 'test/otel/runtime-probe.mjs')
const run = promisify(execFile)
const bin = (name: string) => join(root, 'node_modules/.bin', name)

interface Probe {
  stats: { added: number; acked: number; dropped: number; closed: boolean }
  stored: Array<[string, Record<string, string>, number[]]>
}
const parse = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Probe
/** The probe names its service after the runtime it ran in: compared apart. */
const withoutService = (p: Probe) => p.stored.map(([name, { service, ...dims }, values]) => [name, dims, values])

let node: Probe
beforeAll(async () => {
  if (!existsSync(join(root, 'dist/otel.js'))) throw new Error('dist/otel.js is missing: run npm run build first')
  node = parse((await run(process.execPath, [probe], { cwd: root, timeout: 60_000 })).stdout)
})

it('in Node, the probe stores the counter (names made valid) and the five histogram series', () => {
  expect(node.stats).toMatchObject({ added: 7, acked: 7, dropped: 0, closed: true })
  expect(new Set(node.stored.map(([, dims]) => dims.service))).toEqual(new Set(['node']))
  expect(withoutService(node)).toEqual([
    ['probe.count', { k_1: 'v_1' }, [3]],
    ['probe.latency.bucket', { le: '+Inf' }, [1]],
    ['probe.latency.bucket', { le: '10' }, [1]],
    ['probe.latency.count', {}, [1]],
    ['probe.latency.max', {}, [4]],
    ['probe.latency.min', {}, [4]],
    ['probe.latency.sum', {}, [4]],
  ])
})

const runtimes: Array<[string, string[]]> = [
  ['deno', ['run', '--node-modules-dir=manual', '--allow-read', '--allow-env', probe]],
  ['bun', [probe]],
]
for (const [runtime, args] of runtimes) {
  describeWithSystemPart(runtime === 'deno' ? 'Deno' : 'Bun', existsSync(bin(runtime)), () => {
    it(`in ${runtime}, the same metrics are stored as in Node`, async () => {
      const result = parse((await run(bin(runtime), args, { cwd: root, timeout: 60_000 })).stdout)
      expect(result.stats).toMatchObject({ added: 7, acked: 7, dropped: 0, closed: true })
      expect(withoutService(result)).toEqual(withoutService(node))
      expect(new Set(result.stored.map(([, dims]) => dims.service))).toEqual(new Set([runtime]))
    }, 90_000)
  })
}

/** The built emulator (dist/emulator.js, no Node built-ins) runs the same in Node, Deno and Bun. */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { describeWithSystemPart } from '../helpers/env.js'

const root = resolve(import.meta.dirname, '../..')
const probe = join(root, 'test/emulator/runtime-probe.mjs')
const bin = (name: string) => join(root, 'node_modules/.bin', name)
const run = promisify(execFile)

const expected = (runtime: string) => ({
  runtime,
  login: 201,
  states: ['ALARM', 'OK', 'UNDETERMINED'],
  expression: "parser failed on expression 'avg(x) >' at column 9: Expected {'OR' | '||'} term",
})

it('node runs the built emulator', async () => {
  const { stdout } = await run(process.execPath, [probe], { cwd: root, timeout: 60_000 })
  expect(JSON.parse(stdout)).toEqual(expected('node'))
}, 90_000)

describeWithSystemPart('Deno', existsSync(bin('deno')), () => {
  it('deno runs the built emulator', async () => {
    const { stdout } = await run(bin('deno'), ['run', '--allow-read', probe], { cwd: root, timeout: 60_000 })
    expect(JSON.parse(stdout)).toEqual(expected('deno'))
  }, 90_000)
})

describeWithSystemPart('Bun', existsSync(bin('bun')), () => {
  it('bun runs the built emulator', async () => {
    const { stdout } = await run(bin('bun'), [probe], { cwd: root, timeout: 60_000 })
    expect(JSON.parse(stdout)).toEqual(expected('bun'))
  }, 90_000)
})

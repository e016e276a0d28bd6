/** examples/emulator-test.mjs runs as a user would run it: `node --test` against the built package. */
import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')

it('node --test examples/emulator-test.mjs passes both of its tests', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--test', 'examples/emulator-test.mjs'], { cwd: root, timeout: 60_000 })
  expect(stdout).toMatch(/^# pass 2$/m)
  expect(stdout).toMatch(/^# fail 0$/m)
}, 90_000)

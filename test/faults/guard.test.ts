/** The setupFiles guard (test/helpers/unhandled-guard.ts) fails the test that leaves an unhandled rejection, and only that one. */
import { execFile } from 'node:child_process'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')

it('a test that leaves an unhandled rejection fails, naming it; the next test passes', { timeout: 60_000 }, async () => {
  const config = join(root, 'test/faults/guard-fixture/vitest.config.ts')
  const result = await promisify(execFile)(join(root, 'node_modules/.bin/vitest'), ['run', '--config', config, '--reporter=json'], { cwd: root }).catch(
    (error: { stdout: string }) => error,
  )
  const report = JSON.parse(result.stdout) as { testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[] }
  const tests = report.testResults.flatMap((file) => file.assertionResults)
  expect(tests.map((t) => [t.title, t.status])).toEqual([
    ['leaves a rejection behind', 'failed'],
    ['a clean test after it', 'passed'],
  ])
  expect(tests[0]!.failureMessages.join('\n')).toContain('left behind on purpose')
})

import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

describe('TypeScript', () => {
  it('the whole project (sources, tests, examples, benches) type-checks under strict settings', () => {
    let output = ''
    try {
      execFileSync(process.execPath, [resolve(import.meta.dirname, '../../node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
        cwd: resolve(import.meta.dirname, '../..'),
        encoding: 'utf8',
        stdio: 'pipe',
      })
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error)
    }
    expect(output).toBe('')
  }, 120_000)
})

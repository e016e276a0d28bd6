/** The tour's failure reports and its table trimming, in process (start-tour.test.ts runs the built bin). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { type ServedEmulator, serveEmulator } from '../../src/emulator/serve.js'
import { TOUR_DONE, pickColumns, runTour } from '../../src/bin/tour.js'

describe('runTour reports a failing step and goes on', () => {
  let served: ServedEmulator
  let dir: string
  beforeAll(async () => {
    served = await serveEmulator(createEmulator({ seed: 'demo' }))
    dir = mkdtempSync(join(tmpdir(), 'tour-'))
  })
  afterAll(async () => {
    await served.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const tour = async (root: string, cliPath: string) => {
    let out = ''
    const result = await runTour({ root, cliPath, write: (text) => (out += text), timeoutMs: 10_000 })
    return { out, failures: result.failures }
  }

  it('says the CLI is not built when its file is missing, after a working SDK session', async () => {
    const { out, failures } = await tour(served.url, join(dir, 'missing.js'))
    expect(failures).toEqual(['CLI'])
    expect(out).toContain(`✗ our CLI is not built (${join(dir, 'missing.js')} is missing): run npm run build`)
    expect(out).toMatch(/alarms by state +ALARM \d+, OK \d+, UNDETERMINED \d+/)
    expect(out).toContain(`${TOUR_DONE} 1 step(s) failed (CLI; see ✗ above). The server keeps running.`)
  })

  it("names each CLI command that exits non-zero, with the end of its error output", async () => {
    const failing = join(dir, 'failing-cli.mjs')
    writeFileSync(failing, "process.stderr.write('Unable to connect: ' + process.argv.at(-1) + '\\n'); process.exit(1)\n")
    const { out, failures } = await tour(served.url, failing)
    expect(failures).toEqual(['monasca alarm-list', 'monasca metric-statistics'])
    expect(out).toContain('✗ monasca alarm-list exited 1: Unable to connect: ALARM')
    expect(out).toContain('✗ monasca metric-statistics exited 1: Unable to connect: --chart')
  })

  it('reports an SDK session that cannot reach Keystone, without the password', async () => {
    const closed = await serveEmulator(createEmulator())
    await closed.close()
    const { out, failures } = await tour(closed.url, join(dir, 'missing.js'))
    expect(failures).toEqual(['SDK session', 'CLI'])
    const line = out.split('\n').find((l) => l.includes('✗ the SDK session failed:'))
    expect(line).toBeDefined()
    expect(line).toContain(closed.url)
    expect(line).not.toContain('demo-secret')
  })
})

describe('pickColumns', () => {
  const table = [
    '+----+-------+--------+',
    '| id | name  | state  |',
    '+----+-------+--------+',
    '| 1  | a     | OK     |',
    '|    | b     |        |',
    '| 2  | c     | ALARM  |',
    '+----+-------+--------+',
    '',
  ].join('\n')

  it('keeps the named columns, borders and continuation lines', () => {
    expect(pickColumns(table, ['id', 'state'])).toBe(
      ['+----+--------+', '| id | state  |', '+----+--------+', '| 1  | OK     |', '|    |        |', '| 2  | ALARM  |', '+----+--------+', ''].join('\n'),
    )
  })

  it('returns text that is not a table, or names no column, unchanged', () => {
    expect(pickColumns('No alarms found\n', ['id'])).toBe('No alarms found\n')
    expect(pickColumns(table, ['missing'])).toBe(table)
  })
})

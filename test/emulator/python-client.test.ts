/**
 * Debian's python3-monascaclient CLI works against the emulator unchanged. Each command in
 * python-scenario.ts runs against a freshly seeded emulator served over HTTP (admin_token with a
 * static token, or password auth through the emulator's /v3 and catalog). The test checks the exit
 * code and output, and that the client still sends the requests recorded in
 * test/fixtures/python-recordings/<name>.json. `RECORD_PYTHON=1 npx vitest run test/emulator/python-client.test.ts`
 * rewrites those recordings (they are produced by our own emulator, never fetched).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { it } from 'vitest'
import { describeWithSystemPart } from '../helpers/env.js'
import { COMMANDS, type Exchange, PYTHON_MONASCA, normalise, runPython } from './python-scenario.js'

const DIR = new URL('../fixtures/python-recordings/', import.meta.url)
const RECORD = process.env.RECORD_PYTHON === '1'

/** What must stay the same between runs: method, path and query keys of each request. */
const shape = (exchanges: Exchange[]) => exchanges.map((e) => `${e.request.method} ${e.request.path}?${e.request.query.map(([k]) => k).join('&')} -> ${e.response.status}`)

describeWithSystemPart('python3-monascaclient', existsSync(PYTHON_MONASCA), () => {
  // Each command starts its own emulator and server, so they can run side by side.
  it.concurrent.for(COMMANDS.map((c) => [c.name, c] as const))('monasca %s', { timeout: 90_000 }, async ([, command], { expect }) => {
    const result = await runPython(command)
    const output = command.exitCode === 0 ? result.stdout : result.stderr
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(command.exitCode)
    for (const text of command.expect) expect(output, output).toContain(text)
    const exchanges = JSON.parse(normalise(JSON.stringify(result.exchanges), result.ids, result.origin)) as Exchange[]
    const file = new URL(`${command.name}.json`, DIR)
    if (RECORD) {
      mkdirSync(DIR, { recursive: true })
      const recording = {
        command: ['monasca', ...command.args],
        auth: command.auth,
        exitCode: result.exitCode,
        output: normalise(output, result.ids, result.origin),
        exchanges,
      }
      writeFileSync(file, `${JSON.stringify(recording, null, 2)}\n`)
      return
    }
    expect(existsSync(file), `missing recording ${command.name}.json (RECORD_PYTHON=1 records it)`).toBe(true)
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as { command: string[]; exchanges: Exchange[] }
    expect(recorded.command).toEqual(['monasca', ...command.args])
    expect(shape(exchanges)).toEqual(shape(recorded.exchanges))
  })
})

/**
 * The differential suite against the emulator: Python's `monasca` and ours run EMULATOR_CASES, each
 * invocation against its own freshly seeded, reproducible emulator behind the recording server, so
 * the answers come from a server with state and real validation (400/409/422 of its own making).
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithSystemPart } from '../helpers/env.js'
import { EMULATOR_CASES, type CliCase } from './cases.js'
import { compareCase, type Observed } from './compare.js'
import { EMULATOR_TOKEN, reproducibleEmulator } from './emulator-backend.js'
import { resolvePlaceholders, runCase } from './harness.js'
import { startRecordingServer, type RecordingServer } from './recording-server.js'
import { OUR_MONASCA, oursBuilt, pool, pythonAvailable, snapshotOurs, usePythonForkServer } from './run-cli.js'

describeWithSystemPart('python3-monascaclient', pythonAvailable(), () => {
  let server: RecordingServer | undefined
  let stopForkServer: (() => void) | undefined
  let dropSnapshot: (() => void) | undefined
  const observed = new Map<CliCase, { python?: Observed; ours?: Observed; error?: unknown }>()
  // One clock for every emulator of this run, on a minute boundary.
  const clockMs = Math.floor(Date.now() / 60_000) * 60_000

  beforeAll(async () => {
    server = await startRecordingServer()
    stopForkServer = usePythonForkServer()
    if (oursBuilt()) dropSnapshot = snapshotOurs()
    const reference = reproducibleEmulator(clockMs).emulator
    const clis = oursBuilt() ? (['python', 'ours'] as const) : (['python'] as const)
    const jobs = EMULATOR_CASES.flatMap((c) => clis.map((cli) => ({ c, cli })))
    await pool(jobs, 2, async ({ c, cli }) => {
      const entry = observed.get(c) ?? {}
      observed.set(c, entry)
      try {
        const argv = resolvePlaceholders(c.argv, reference, clockMs)
        entry[cli] = await runCase(server!, cli, c, { argv, token: EMULATOR_TOKEN, runOptions: () => ({ backend: reproducibleEmulator(clockMs).handler }) })
      } catch (error) {
        entry.error = error
      }
    })
  }, 600_000)

  afterAll(async () => {
    stopForkServer?.()
    dropSnapshot?.()
    await server?.close()
  })

  it.each(EMULATOR_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const entry = observed.get(c)!
    if (entry.error) throw entry.error
    expect(entry.ours, `${OUR_MONASCA} is missing: run npx vite build`).toBeDefined()
    expect(compareCase(c, entry.python!, entry.ours!)).toEqual([])
  })
})

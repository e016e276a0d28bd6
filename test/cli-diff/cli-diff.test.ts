/**
 * The differential suite: Debian's Python `monasca` (python3-monascaclient 2.6.0) and ours run the same
 * command lines (cases.ts) against the recording server; compare.ts reports every difference that is
 * neither a normalisation nor a deviation the case declares. Both CLIs run live, two at a time.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithSystemPart } from '../helpers/env.js'
import { CASES, type CliCase } from './cases.js'
import { compareCase, type Observed } from './compare.js'
import { runCase } from './harness.js'
import { startRecordingServer, type RecordingServer } from './recording-server.js'
import { OUR_MONASCA, oursBuilt, pool, pythonAvailable } from './run-cli.js'

describeWithSystemPart('python3-monascaclient', pythonAvailable(), () => {
  let server: RecordingServer | undefined
  const observed = new Map<CliCase, { python: Observed; ours?: Observed }>()

  beforeAll(async () => {
    server = await startRecordingServer()
    const withOurs = oursBuilt()
    const jobs = CASES.flatMap((c) => [{ c, cli: 'python' as const }, ...(withOurs ? [{ c, cli: 'ours' as const }] : [])])
    const results = await pool(jobs, 2, ({ c, cli }) => runCase(server!, cli, c))
    jobs.forEach(({ c, cli }, i) => {
      const entry = observed.get(c) ?? ({} as { python: Observed; ours?: Observed })
      entry[cli] = results[i]!
      observed.set(c, entry)
    })
  }, 600_000)

  afterAll(async () => {
    await server?.close()
  })

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const entry = observed.get(c)!
    expect(entry.ours, `${OUR_MONASCA} is missing: run npx vite build`).toBeDefined()
    expect(compareCase(c, entry.python, entry.ours!)).toEqual([])
  })
})

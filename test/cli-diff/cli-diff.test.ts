/**
 * The differential suite: Debian's Python `monasca` (python3-monascaclient 2.6.0) and ours run the same
 * command lines (cases.ts) against the recording server; compare.ts reports every difference that is
 * neither a normalisation nor a deviation the case declares. Both CLIs run live, two at a time.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithSystemPart } from '../helpers/env.js'
import { CASES, type CliCase } from './cases.js'
import { compareCase, type Observed } from './compare.js'
import { AUTH_MODES, runCase } from './harness.js'
import { startRecordingServer, type RecordingServer } from './recording-server.js'
import { OUR_MONASCA, oursBuilt, pool, pythonAvailable, snapshotOurs, runProcess, usePythonForkServer } from './run-cli.js'

describeWithSystemPart('python3-monascaclient', pythonAvailable(), () => {
  let server: RecordingServer | undefined
  let stopForkServer: (() => void) | undefined
  let dropSnapshot: (() => void) | undefined
  const observed = new Map<CliCase, { python: Observed; ours?: Observed }>()

  beforeAll(async () => {
    server = await startRecordingServer()
    stopForkServer = usePythonForkServer()
    if (oursBuilt()) dropSnapshot = snapshotOurs()
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
    stopForkServer?.()
    dropSnapshot?.()
    await server?.close()
  })

  /**
   * The fork server must be a faithful stand-in for /usr/bin/monasca: for a sample of cases (a table,
   * b'...' cells, JSON, an HTTP error, a validation message, password auth, a usage error) the real
   * binary and the fork server must do the same, under the same comparison.
   */
  const FIDELITY = [
    'metric-list every filter',
    'alarm-definition-list plain',
    'alarm-show -j',
    '404 alarm-show',
    'invalid alarm-list --state',
    'password flow: metric-list',
    'usage error: missing positional',
    'help: alarm-definition-patch --help',
  ]
  it.each(FIDELITY)('python-forkserver runs %s as /usr/bin/monasca does', async (name) => {
    const c = CASES.find((x) => x.name === name)!
    const run = server!.run(c.faults ? { faults: c.faults } : {})
    const auth = AUTH_MODES[c.auth ?? 'admin_token'](run)
    const result = await runProcess('python', [...auth.args, ...c.argv], auth.env ? { env: auth.env } : {})
    const exec: Observed = { result, requests: [...run.requests], runPrefix: `/r/${run.id}` }
    expect(compareCase({ name, argv: c.argv }, exec, observed.get(c)!.python)).toEqual([])
  }, 60_000)

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const entry = observed.get(c)!
    expect(entry.ours, `${OUR_MONASCA} is missing: run npx vite build`).toBeDefined()
    expect(compareCase(c, entry.python, entry.ours!)).toEqual([])
  })
})

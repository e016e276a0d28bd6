/**
 * A process that writes metrics through a spooled writer until it is killed (SIGKILL): the spool
 * test runs it many times on one directory. Every id it generates starts with its run number; it
 * records synchronously what add() accepted and what onDuplicateRisk was told, so the test can
 * compare with what the server stored. It says `ready` on stdout when it starts and `retrying` each
 * time a batch is to be sent again.
 */
import { appendFileSync } from 'node:fs'
import { createClient } from '../../src/index.js'
import { spool } from '../../src/node/spool.js'

const env = (name: string): string => process.env[name] ?? ''
const [SPOOL_DIR, ENDPOINT, RUN, ACCEPTED, RISKY, REPLAY] = ['SPOOL_DIR', 'ENDPOINT', 'RUN', 'ACCEPTED', 'RISKY', 'REPLAY'].map(env) as [string, string, string, string, string, string]
const client = createClient({ endpoint: ENDPOINT, token: 'spool-token' })
const writer = client.metrics.writer({
  spool: spool({ directory: SPOOL_DIR, fsync: 'never' }),
  batchSize: 25,
  flushInterval: 5,
  maxInFlight: Number(process.env.IN_FLIGHT ?? 2),
  maxBuffered: 2_000,
  replayUnknown: REPLAY === '1',
  onRetry: () => process.stdout.write('retrying\n'),
  onDuplicateRisk: (metrics) => appendFileSync(RISKY, metrics.map((m) => `${m.dimensions!.id}\n`).join('')),
})
let n = 0
process.stdout.write('ready\n')
const tick = () => {
  const batch = Array.from({ length: 10 }, () => ({ name: 'spool.metric', dimensions: { id: `${RUN}-${n++}` }, timestamp: Date.now(), value: n }))
  if (writer.add(batch)) appendFileSync(ACCEPTED, batch.map((m) => `${m.dimensions.id}\n`).join(''))
  setTimeout(tick, 1)
}
tick()

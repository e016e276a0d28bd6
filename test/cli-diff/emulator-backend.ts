/**
 * The emulator as the recording server's backend, made reproducible: every CLI invocation gets its
 * own emulator, seeded with the demo data at one fixed clock, whose random UUIDs come from a counter.
 * So Python and ours each start from the same state, with the same ids, and a create or delete by one
 * never shows in the other's run.
 *
 * The emulator draws ids from the global `crypto.randomUUID`; while one of these emulators runs, that
 * function is swapped for the invocation's counter. Requests to the emulators are handled one at a
 * time (a few milliseconds each), so two invocations running side by side never share a counter.
 */
import { createEmulator, type Emulator } from '../../src/emulator/index.js'
import type { FetchHandler } from './recording-server.js'

export const EMULATOR_TOKEN = 'cli-diff-emulator-token'

type UUID = `${string}-${string}-${string}-${string}-${string}`

const originalRandomUUID = crypto.randomUUID.bind(crypto)
let current: (() => UUID) | undefined

/** A counter of v4-shaped UUIDs: 00000000-0000-4000-8000-000000000001, … */
function idCounter(): () => UUID {
  let n = 0
  return () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}` as UUID
}

function installHook() {
  if ((crypto.randomUUID as { cliDiffHook?: boolean }).cliDiffHook) return
  const hooked = Object.assign((): UUID => (current ? current() : originalRandomUUID()), { cliDiffHook: true })
  Object.defineProperty(crypto, 'randomUUID', { value: hooked, configurable: true, writable: true })
}

function withIds<T>(ids: () => UUID, fn: () => T): T {
  const before = current
  current = ids
  try {
    return fn()
  } finally {
    current = before
  }
}

let queue: Promise<unknown> = Promise.resolve()
/** One emulator request at a time, with its invocation's id counter installed for the whole of it. */
function serialised<T>(ids: () => UUID, fn: () => Promise<T>): Promise<T> {
  const run = queue.then(async () => {
    const before = current
    current = ids
    try {
      return await fn()
    } finally {
      current = before
    }
  })
  queue = run.catch(() => undefined)
  return run
}

export interface ReproducibleEmulator {
  emulator: Emulator
  handler: FetchHandler
}

/** A fresh demo emulator at `clockMs`; two made with the same clock hold identical data and ids. */
export function reproducibleEmulator(clockMs: number): ReproducibleEmulator {
  installHook()
  const ids = idCounter()
  const emulator = withIds(ids, () => {
    const projectId = createEmulator({ requestLogSize: 0 }).projectId('admin')
    return createEmulator({
      seed: 'demo',
      clock: () => clockMs,
      requestLogSize: 0,
      tokens: { [EMULATOR_TOKEN]: { projectId, roles: ['admin', 'monasca-user'] } },
    })
  })
  return { emulator, handler: (request) => serialised(ids, () => emulator.handle(request)) }
}

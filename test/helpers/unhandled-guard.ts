/**
 * vitest setupFiles entry: an unhandled promise rejection or uncaught exception during a test file
 * fails that file, naming what was left behind (vitest alone may only print it at the very end).
 */
import { afterAll, afterEach } from 'vitest'

const leftOver: unknown[] = []
// Taken before any test can install fake timers: the guard's own wait must never be a faked one.
const realSetImmediate = globalThis.setImmediate
const aTurn = () => new Promise<void>((resolve) => realSetImmediate(() => resolve()))
const onRejection = (reason: unknown) => leftOver.push(reason)
const onException = (error: unknown) => leftOver.push(error)

process.on('unhandledRejection', onRejection)
process.on('uncaughtException', onException)

const check = () => {
  if (leftOver.length === 0) return
  const found = leftOver.splice(0)
  const first = found[0] as { stack?: string; message?: string }
  throw new Error(`${found.length} unhandled rejection(s)/exception(s) were left by this test: ${first?.stack ?? first?.message ?? String(first)}`)
}

afterEach(async () => {
  // Rejections surface a turn after the promise settles: give them that turn.
  await aTurn()
  check()
})

afterAll(async () => {
  await aTurn()
  check()
  process.off('unhandledRejection', onRejection)
  process.off('uncaughtException', onException)
})

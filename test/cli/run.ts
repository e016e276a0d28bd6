/** Runs the CLI's main() in-process with a fetch stub or the emulator behind the SDK client. */
import { createClient } from '../../src/client.js'
import type { CliClient } from '../../src/cli/client-types.js'
import { main } from '../../src/cli/main.js'
import type { FetchLike } from '../../src/transport.js'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  /** How many times the command asked for a client (0: nothing would have been sent). */
  connects: number
}

export interface RunOptions {
  fetch?: FetchLike
  env?: Record<string, string>
  /** Clock for relative start times and default timestamps. */
  now?: number
  columns?: number
  stderrIsTTY?: boolean
  token?: string
}

export const ENDPOINT = 'http://monasca.test/v2.0'

export async function runCli(argv: string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  let connects = 0
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stderrIsTTY: options.stderrIsTTY ?? false,
    columns: options.columns ?? 80,
    env: options.env ?? {},
    now: () => options.now ?? Date.UTC(2024, 0, 2, 3, 4, 5, 678),
    connect: async () => {
      connects++
      if (!options.fetch) throw new Error('this test expected no request')
      return createClient({ endpoint: ENDPOINT, token: options.token ?? 't', fetch: options.fetch, retries: 0 })
    },
  })
  return { code, stdout, stderr, connects }
}

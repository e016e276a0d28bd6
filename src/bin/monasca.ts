/** The `monasca` executable. */
import { main } from '../cli/main.js'

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // `monasca … | head`: the reader went away; stop quietly like a well-behaved Unix tool.
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

main(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
  columns: process.stdout.columns || Number(process.env.COLUMNS) || 80,
  env: process.env,
  now: () => Date.now(),
  ...(process.stdin.isTTY ? { promptPassword: () => import('../cli/prompt.js').then((m) => m.promptHidden('Password: ')) } : {}),
}).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)

/** The `monasca` executable. */
import { installLightWebGlobals } from '../cli/web-globals.js'

// Node's Headers/Response/FormData globals load undici on first touch (tens of ms); the CLI sends its
// requests with node:http and needs only small stand-ins (see web-globals.ts). MONASCA_CLI_UNDICI=1 keeps Node's.
if (process.env['MONASCA_CLI_UNDICI'] !== '1') installLightWebGlobals()

// --debug prints stack traces; with source maps on, their frames name src/… files and lines instead
// of the minified bundle's. Turned on before the CLI's chunks load, since maps are read at load time.
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true)

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // `monasca … | head`: the reader went away; stop quietly like a well-behaved Unix tool.
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

const { main } = await import('../cli/main.js')

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

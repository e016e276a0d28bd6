/**
 * The `monasca` command: global options, then one of the Python client's 29 commands. Only what
 * the command needs is loaded: its own group of commands, and the SDK when it makes a request.
 */
import { parseCommandArgs, wantsHelp } from './argv.js'
import type { CliClient, CliContext } from './client-types.js'
import { COMMANDS, loadCommand, similarCommands } from './commands/index.js'
import { GLOBAL_OPTIONS, parseGlobalArgs, type GlobalOptions } from './globals.js'
import { commandHelp, usageLine } from './help.js'
import { describeError } from './report-error.js'
import { CommandError } from './errors.js'
import { createLogger, type Logger } from './log.js'
import { VERSION } from '../version.js'

export interface CliIO {
  stdout(text: string): void
  stderr(text: string): void
  stderrIsTTY: boolean
  columns: number
  env: Record<string, string | undefined>
  now(): number
  /** Asks for a missing password (the bin sets it when stdin is a terminal). */
  promptPassword?: () => Promise<string>
  /** Where clouds.yaml is looked for first (default: process.cwd()). */
  cwd?: string
  /** The process id, for --log-file lines (default: process.pid). */
  pid?: number
  /** Builds the SDK client; tests replace it to inject a fetch stub or the emulator. */
  connect?(globals: GlobalOptions): Promise<CliClient>
}

const PROG = 'monasca'

function globalHelp(): string {
  const lines = [
    `usage: ${PROG} [--version] [-v | -q] [-h] [--debug] [--os-* options] [--monasca-api-url URL] <command> [<args>]`,
    '',
    'Command-line interface to the Monasca API (a TypeScript drop-in for python-monascaclient).',
    '',
    'options:',
  ]
  for (const o of GLOBAL_OPTIONS) {
    if (o.hidden) continue
    const short = { '--verbose': '-v, ', '--quiet': '-q, ', '--help': '-h, ' }[o.flag] ?? ''
    const head = `  ${short}${o.flag}${o.boolean ? '' : ` ${o.metavar}`}`
    lines.push(head.length < 38 ? head.padEnd(38) + o.help : `${head}\n${' '.repeat(38)}${o.help}`)
  }
  lines.push('', 'Commands:')
  const names = [...COMMANDS.map(([n, , s]) => [n, s] as const), ['help', 'print detailed help for another command'] as const, ['complete', 'print a bash completion script'] as const].sort(([a], [b]) => a.localeCompare(b))
  for (const [name, summary] of names) lines.push(`  ${name.padEnd(26)}${summary}`)
  lines.push('', `See '${PROG} help <command>' for the options of a command.`)
  return lines.join('\n')
}

/** Run one command line; resolves to the exit status. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const out = (text: string) => io.stdout(text + '\n')
  const err = (text: string) => io.stderr(text + '\n')
  let globals: GlobalOptions = {}
  let logger: Logger | undefined
  let usage: string | undefined
  let prog = PROG
  try {
    const parsed = parseGlobalArgs(argv, io.env)
    globals = parsed.globals
    logger = await openLog(globals, io)
    if (globals.version) {
      out(`${PROG} ${VERSION}`)
      return 0
    }
    let name = parsed.command
    let rest = parsed.rest
    if (name === 'help') {
      if (rest.length === 0) {
        out(globalHelp())
        return 0
      }
      name = rest[0]!
      rest = ['--help']
    }
    if (name === 'complete') {
      out(await (await import('./complete.js')).bashCompletion())
      return 0
    }
    if (name === undefined) {
      out(globalHelp())
      return 0
    }
    if (globals.help && rest.length === 0) rest = ['--help']
    const spec = await loadCommand(name)
    if (!spec) {
      const similar = similarCommands(name)
      err(`${PROG}: '${name}' is not a ${PROG} command. See '${PROG} --help'.`)
      if (similar.length > 0) err(`Did you mean one of these?\n${similar.map((s) => `  ${s}`).join('\n')}`)
      return 2
    }
    prog = `${PROG} ${spec.name}`
    usage = usageLine(prog, spec as never)
    if (wantsHelp(spec as never, rest)) {
      out(commandHelp(prog, spec as never))
      return 0
    }
    const args = parseCommandArgs(spec as never, rest)
    let client: Promise<CliClient> | undefined
    const ctx: CliContext = {
      out,
      err,
      errRaw: (text) => io.stderr(text),
      errIsTTY: io.stderrIsTTY,
      columns: io.columns,
      now: io.now,
      client: () => (client ??= io.connect ? io.connect(globals) : import('./connect.js').then(async (m) => {
          // The cloud's settings join the globals here, so that an error explained later names them.
          globals = await m.withCloud(globals, { env: io.env, ...(io.cwd ? { cwd: io.cwd } : {}) })
          logger?.addSecrets([globals.password, globals.token, globals.applicationCredentialSecret])
          return m.buildClient(globals, {
            ...(logger ? { log: logger } : {}),
            ...(io.promptPassword ? { promptPassword: io.promptPassword } : {}),
          })
        })),
    }
    await spec.run(ctx, args)
    return 0
  } catch (error) {
    const report = describeError(error, prog, usage, globals.debug === true, globals)
    err(report.text)
    logger?.toFile('error', report.text)
    return report.exitCode
  }
}

/** The log at osc-lib's level; with --log-file, lines are appended there too (the file is 0600 when created). */
async function openLog(globals: GlobalOptions, io: CliIO): Promise<Logger> {
  let file: ((line: string) => void) | undefined
  if (globals.logFile) {
    const path = globals.logFile
    const { appendFileSync } = await import('node:fs')
    const append = (line: string) => appendFileSync(path, `${line}\n`, { mode: 0o600 })
    try {
      appendFileSync(path, '', { mode: 0o600 }) // fail now, not at the first line
    } catch (error) {
      throw new CommandError(`--log-file: cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
    }
    file = append
  }
  return createLogger(globals, {
    stderr: (line) => io.stderr(`${line}\n`),
    ...(file ? { file } : {}),
    now: io.now,
    pid: io.pid ?? process.pid,
  })
}

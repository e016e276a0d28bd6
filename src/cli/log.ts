/**
 * The CLI's log, with osc-lib's levels: WARNING by default, ERROR with -q/--quiet, INFO with one
 * -v, DEBUG with -vv or --debug. Lines go to stderr as bare messages (osc-lib's console format) and,
 * with --log-file, are appended to that file at the same level with osc-lib's file format
 * (`2026-12-01 21:30:00.123 4242 INFO monasca [cloud user project] message`).
 *
 * What is logged: DEBUG, each HTTP request and answer (method, URL, status, request id, time;
 * never a header or a body) and how the client was configured; INFO, the auth plugin, Keystone and
 * Monasca URLs in use; WARNING, settings that weaken security or are ignored; ERROR, the error
 * report. Every line goes through `scrub`, which blanks any secret the user gave (password, token,
 * application credential secret), so none can reach a log even by way of a URL or a server's words.
 */
import type { GlobalOptions } from './globals.js'

export const LEVELS = { debug: 10, info: 20, warning: 30, error: 40 } as const
export type LevelName = keyof typeof LEVELS

export interface Logger {
  readonly level: number
  enabled(level: LevelName): boolean
  log(level: LevelName, message: string): void
  /** For the error report: written to the file only (main prints it on stderr itself). */
  toFile(level: LevelName, message: string): void
  /** More secrets to blank (those read from clouds.yaml / secure.yaml after the log was opened). */
  addSecrets(values: Array<string | undefined>): void
}

/** osc-lib's log_level_from_options: -q → ERROR, default WARNING, -v → INFO, -vv (or --debug) → DEBUG. */
export function levelFromOptions(g: Pick<GlobalOptions, 'quiet' | 'verbose' | 'debug'>): number {
  if (g.debug) return LEVELS.debug
  const verbosity = g.quiet ? 0 : 1 + (g.verbose ?? 0)
  if (verbosity === 0) return LEVELS.error
  if (verbosity === 1) return LEVELS.warning
  if (verbosity === 2) return LEVELS.info
  return LEVELS.debug
}

/**
 * Secrets shorter than this are not blanked: log lines hold no secret by construction (URLs, names,
 * statuses), the scrub is a second line of defence, and blanking `t` would blank every letter t.
 */
const MIN_SCRUBBED = 4
const secretList = (values: Array<string | undefined>) =>
  [...new Set(values.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SCRUBBED))].sort((a, b) => b.length - a.length)

/** The secrets given on the command line or in the environment, longest first. */
function secretsOf(g: GlobalOptions): string[] {
  return secretList([g.password, g.token, g.applicationCredentialSecret])
}

function scrubber(g: GlobalOptions): ((text: string) => string) & { add(values: Array<string | undefined>): void } {
  let secrets = secretsOf(g)
  const scrub = (text: string) => secrets.reduce((out, secret) => out.split(secret).join('***'), text)
  return Object.assign(scrub, {
    add(values: Array<string | undefined>) {
      secrets = secretList([...secrets, ...values])
    },
  })
}

const two = (n: number) => String(n).padStart(2, '0')
function timestamp(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`
}

export interface LoggerSinks {
  stderr(line: string): void
  /** Appends to the --log-file; absent without one. */
  file?(line: string): void
  now(): number
  pid: number
}

export function createLogger(g: GlobalOptions, sinks: LoggerSinks): Logger {
  const level = levelFromOptions(g)
  const scrub = scrubber(g)
  const context = `[${g.cloud ?? ''} ${g.username ?? ''} ${g.projectName ?? ''}] `
  const fileLine = (name: LevelName, message: string) =>
    `${timestamp(sinks.now())} ${sinks.pid} ${name.toUpperCase()} monasca ${context}${message}`
  const write = (name: LevelName, message: string, console: boolean) => {
    if (LEVELS[name] < level) return
    const text = scrub(message)
    if (console) sinks.stderr(text)
    sinks.file?.(fileLine(name, text))
  }
  return {
    level,
    enabled: (name) => LEVELS[name] >= level,
    log: (name, message) => write(name, message, true),
    toFile: (name, message) => write(name, message, false),
    addSecrets: (values) => scrub.add(values),
  }
}

/**
 * Command-line parsing with node:util parseArgs, bent to argparse's rules the Python client's users
 * rely on: unique prefixes of long options (`--dim` for `--dimensions`), and negative numbers as
 * values and positionals (`--starttime -120`, `measurement-list cpu -60`).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './errors.js'
import type { CommandSpec, OptionSpec, ParsedArgs } from './spec.js'

/** Options every command has. */
export const COMMON_OPTIONS: OptionSpec[] = [
  { flag: '--json', short: '-j', help: 'output raw json response', boolean: true },
]
export const HELP_OPTION: OptionSpec = { flag: '--help', short: '-h', help: 'show this help message and exit', boolean: true }

const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/

export function allOptions(spec: CommandSpec<never>): OptionSpec[] {
  return [HELP_OPTION, ...spec.options, ...COMMON_OPTIONS]
}

/** True when -h/--help (or a unique prefix of --help) appears before any `--`. */
export function wantsHelp(spec: CommandSpec<never>, argv: readonly string[]): boolean {
  const longs = allOptions(spec).map((o) => o.flag)
  for (const arg of argv) {
    if (arg === '--') return false
    if (arg === '-h' || (/^-[a-zA-Z]+$/.test(arg) && arg.includes('h') && arg.length > 2 && !NEGATIVE_NUMBER.test(arg))) return true
    if (arg.startsWith('--') && expandLong(arg.split('=')[0]!, longs, false) === '--help') return true
  }
  return false
}

/** The long option `name` stands for: itself, or the one option it is a unique prefix of. */
function expandLong(name: string, longs: readonly string[], strict: boolean): string {
  if (longs.includes(name)) return name
  const candidates = longs.filter((l) => l.startsWith(name))
  if (candidates.length === 1) return candidates[0]!
  if (candidates.length > 1 && strict) {
    throw new UsageError(`ambiguous option: ${name} could match ${candidates.join(', ')}`, true)
  }
  return name
}

/** Parse a command's argv (after the command name) into options and named positionals. */
export function parseCommandArgs(spec: CommandSpec<never>, argv: readonly string[]): ParsedArgs {
  const options = allOptions(spec)
  const longs = options.map((o) => o.flag)
  const valueTaking = new Set(options.filter((o) => !o.boolean).map((o) => o.flag))
  const shortValueTaking = new Set(options.filter((o) => !o.boolean && o.short).map((o) => o.short!))

  // Rewrite: expand prefixes, glue negative-number values to their option, park negative positionals.
  const parked: string[] = []
  const args: string[] = []
  let afterDashes = false
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!
    if (afterDashes) {
      args.push(arg)
      continue
    }
    if (arg === '--') {
      afterDashes = true
      args.push(arg)
      continue
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const name = expandLong(eq < 0 ? arg : arg.slice(0, eq), longs, true)
      arg = eq < 0 ? name : name + arg.slice(eq)
      const next = argv[i + 1]
      if (eq < 0 && valueTaking.has(name) && next !== undefined && next.startsWith('-') && NEGATIVE_NUMBER.test(next)) {
        args.push(`${name}=${next}`)
        i++
        continue
      }
      args.push(arg)
      continue
    }
    if (NEGATIVE_NUMBER.test(arg)) {
      const prev = args[args.length - 1]
      if (prev !== undefined && shortValueTaking.has(prev)) {
        args.push(arg)
        continue
      }
      parked.push(arg)
      args.push(`\u0000${parked.length - 1}`)
      continue
    }
    args.push(arg)
  }

  const config: ParseArgsConfig['options'] = {}
  for (const o of options) {
    config[o.flag.slice(2)] = {
      type: o.boolean ? 'boolean' : 'string',
      ...(o.multiple ? { multiple: true } : {}),
      ...(o.short ? { short: o.short.slice(1) } : {}),
    }
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args, options: config, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(argparseMessage(error as Error & { code?: string }), true)
  }
  const unpark = (v: string) => (v.startsWith('\u0000') ? parked[Number(v.slice(1))] ?? v : v)

  const values: ParsedArgs['options'] = {}
  for (const [key, value] of Object.entries(parsed.values)) {
    values[key] = Array.isArray(value) ? value.map((v) => unpark(String(v))) : typeof value === 'string' ? unpark(value) : value
  }
  const given = parsed.positionals.map(unpark)
  const missing = spec.positionals.slice(given.length).map((p) => p.metavar)
  if (missing.length > 0) throw new UsageError(`the following arguments are required: ${missing.join(', ')}`, true)
  if (given.length > spec.positionals.length) {
    throw new UsageError(`unrecognized arguments: ${given.slice(spec.positionals.length).join(' ')}`, true)
  }
  const positionals: Record<string, string> = {}
  spec.positionals.forEach((p, i) => (positionals[p.name] = given[i]!))
  return { options: values, positionals }
}

/** parseArgs' messages, reworded the way argparse says them. */
function argparseMessage(error: Error & { code?: string }): string {
  const m = error.message
  const unknown = /^Unknown option '([^']+)'/.exec(m)
  if (unknown) return `unrecognized arguments: ${unknown[1]}`
  const missingValue = /^Option '(?:-\w, )?(--[^ ']+)[^']*' argument missing/.exec(m)
  if (missingValue) return `argument ${missingValue[1]}: expected one argument`
  const ambiguous = /^Option '(?:-\w, )?(--[^ ']+)[^']*' argument is ambiguous/.exec(m)
  if (ambiguous) return `argument ${ambiguous[1]}: expected one argument`
  const inlineBool = /^Option '(?:-\w, )?(--[^ ']+)' does not take an argument/.exec(m)
  if (inlineBool) return `argument ${inlineBool[1]}: ignored explicit argument`
  return m
}

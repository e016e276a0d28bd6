/** How a command declares its arguments, and the parsed result it receives. */

export interface OptionSpec {
  /** Long flag exactly as the Python client spells it, e.g. `--merge_metrics`, `--alarm-actions`. */
  flag: string
  short?: string
  metavar?: string
  help: string
  /** A flag without a value. */
  boolean?: boolean
  /** May be given several times (argparse `action='append'`). */
  multiple?: boolean
}

export interface PositionalSpec {
  /** Name the command reads the value under. */
  name: string
  metavar: string
  help: string
}

export interface ParsedArgs {
  /** Option values by flag without the leading dashes (`merge_metrics`, `alarm-actions`). */
  options: Record<string, string | boolean | string[] | undefined>
  positionals: Record<string, string>
}

export interface CommandSpec<Ctx = unknown> {
  name: string
  /** First line of the Python command's docstring. */
  summary: string
  /** Extra paragraphs for `--help`: where this CLI behaves differently from the Python one. */
  notes?: string
  positionals: PositionalSpec[]
  options: OptionSpec[]
  run(ctx: Ctx, args: ParsedArgs): Promise<void>
}

/** Typed readers over ParsedArgs. */
export function str(args: ParsedArgs, flag: string): string | undefined {
  const v = args.options[flag]
  return typeof v === 'string' ? v : undefined
}
export function list(args: ParsedArgs, flag: string): string[] | undefined {
  const v = args.options[flag]
  return Array.isArray(v) ? v : undefined
}
export function flag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true
}
export function pos(args: ParsedArgs, name: string): string {
  return args.positionals[name] ?? ''
}

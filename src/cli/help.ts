/** `--help` text laid out the way argparse lays it out (usage, positional arguments, options). */
import { allOptions } from './argv.js'
import type { CommandSpec, OptionSpec } from './spec.js'

/** argparse's width: $COLUMNS (80) minus 2. */
const WIDTH = 78
const MAX_HELP_POSITION = 24

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}

function optionInvocation(o: OptionSpec): string {
  const value = o.boolean ? '' : ` ${o.metavar ?? o.flag.slice(2).toUpperCase()}`
  return (o.short ? `${o.short}${value}, ` : '') + o.flag + value
}

function usagePart(o: OptionSpec): string {
  const name = o.short && o.boolean ? o.short : o.flag
  return o.boolean ? `[${name}]` : `[${o.flag} ${o.metavar ?? o.flag.slice(2).toUpperCase()}]`
}

/** Parts packed into lines of WIDTH, each line after the first starting at `indent`. */
function packLines(parts: readonly string[], indent: string, firstLength?: number): string[] {
  const lines: string[][] = []
  let line: string[] = []
  let length = firstLength !== undefined ? firstLength - 1 : indent.length - 1
  for (const part of parts) {
    if (length + 1 + part.length > WIDTH && line.length > 0) {
      lines.push(line)
      line = []
      length = indent.length - 1
    }
    line.push(part)
    length += part.length + 1
  }
  if (line.length > 0) lines.push(line)
  return lines.map((l) => indent + l.join(' '))
}

/** `usage: monasca <cmd> [-h] …`, wrapped as argparse wraps it (positionals on their own lines). */
export function usageLine(prog: string, spec: CommandSpec<never>): string {
  const prefix = 'usage: '
  const optionals = allOptions(spec).map(usagePart)
  const positionals = spec.positionals.map((p) => p.metavar)
  const oneLine = [prog, ...optionals, ...positionals].join(' ')
  if (prefix.length + oneLine.length <= WIDTH) return prefix + oneLine
  const indent = ' '.repeat(prefix.length + prog.length + 1)
  const lines = packLines([prog, ...optionals], indent, prefix.length)
  lines[0] = lines[0]!.slice(indent.length)
  lines.push(...packLines(positionals, indent))
  return prefix + lines.join('\n')
}

export function commandHelp(prog: string, spec: CommandSpec<never>): string {
  const options = allOptions(spec)
  const invocations = [...spec.positionals.map((p) => p.metavar), ...options.map(optionInvocation)]
  const helpPosition = Math.min(Math.max(...invocations.map((i) => i.length + 2)) + 2, MAX_HELP_POSITION)
  const entry = (invocation: string, help: string): string[] => {
    const helpLines = wrap(help, Math.max(WIDTH - helpPosition, 11))
    const pad = ' '.repeat(helpPosition)
    if (invocation.length <= helpPosition - 4 && helpLines.length > 0) {
      return [`  ${invocation.padEnd(helpPosition - 4)}  ${helpLines[0]}`, ...helpLines.slice(1).map((l) => pad + l)]
    }
    return [`  ${invocation}`, ...helpLines.map((l) => pad + l)]
  }
  const out = [usageLine(prog, spec), '', spec.summary]
  if (spec.positionals.length > 0) {
    out.push('', 'positional arguments:')
    for (const p of spec.positionals) out.push(...entry(p.metavar, p.help))
  }
  out.push('', 'options:')
  for (const o of options) out.push(...entry(optionInvocation(o), o.help))
  if (spec.notes) out.push('', ...wrap(spec.notes, WIDTH))
  // cliff repeats the summary as the epilog.
  out.push('', spec.summary)
  return out.join('\n')
}

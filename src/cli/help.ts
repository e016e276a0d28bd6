/** `--help` text laid out the way argparse lays it out (usage, positional arguments, options). */
import { allOptions } from './argv.js'
import type { CommandSpec, OptionSpec } from './spec.js'

const WIDTH = 78
const HELP_COLUMN = 24

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
  return (o.short ? `${o.short}, ` : '') + o.flag + value
}

function usageParts(o: OptionSpec): string {
  const name = o.short && o.boolean ? o.short : o.flag
  return o.boolean ? `[${name}]` : `[${o.flag} ${o.metavar ?? o.flag.slice(2).toUpperCase()}]`
}

/** `usage: monasca <cmd> [-h] …` wrapped under its own indent. */
export function usageLine(prog: string, spec: CommandSpec<never>): string {
  const prefix = `usage: ${prog} `
  const indent = ' '.repeat(prefix.length)
  const lines: string[] = []
  let line = prefix.trimEnd()
  const push = (part: string, first: boolean) => {
    if (!first && line.length + 1 + part.length > WIDTH) {
      lines.push(line)
      line = indent + part
    } else line = `${line} ${part}`
  }
  allOptions(spec).forEach((o, i) => push(usageParts(o), i === 0))
  const positionals = spec.positionals.map((p) => p.metavar)
  if (positionals.length > 0) {
    if (lines.length > 0) {
      lines.push(line)
      line = indent + positionals.join(' ')
    } else positionals.forEach((p) => push(p, false))
  }
  lines.push(line)
  return lines.join('\n')
}

function entry(invocation: string, help: string): string[] {
  const helpLines = wrap(help, WIDTH - HELP_COLUMN)
  const head = `  ${invocation}`
  const pad = ' '.repeat(HELP_COLUMN)
  if (head.length <= HELP_COLUMN - 2 && helpLines.length > 0) {
    return [head.padEnd(HELP_COLUMN) + helpLines[0], ...helpLines.slice(1).map((l) => pad + l)]
  }
  return [head, ...helpLines.map((l) => pad + l)]
}

export function commandHelp(prog: string, spec: CommandSpec<never>): string {
  const out = [usageLine(prog, spec), '', spec.summary]
  if (spec.positionals.length > 0) {
    out.push('', 'positional arguments:')
    for (const p of spec.positionals) out.push(...entry(p.metavar, p.help))
  }
  out.push('', 'options:')
  for (const o of allOptions(spec)) out.push(...entry(optionInvocation(o), o.help))
  if (spec.notes) out.push('', ...spec.notes.split('\n\n').flatMap((para, i) => [...(i ? [''] : []), ...wrap(para, WIDTH)]))
  return out.join('\n')
}

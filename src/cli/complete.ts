/** `monasca complete`: a bash completion script for the commands and their options (as cliff offers). */
import { allOptions } from './argv.js'
import { COMMANDS, loadCommand } from './commands/index.js'
import { GLOBAL_OPTIONS } from './globals.js'

export async function bashCompletion(): Promise<string> {
  const globals = GLOBAL_OPTIONS.filter((o) => !o.hidden).map((o) => o.flag)
  // Values of global options (`--os-token x`) are not the command name.
  const valueTaking = GLOBAL_OPTIONS.filter((o) => !o.boolean).map((o) => o.flag).join('|')
  const lines = [
    '# monasca bash completion: eval "$(monasca complete)" or save it under /etc/bash_completion.d/',
    '_monasca()',
    '{',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" cmd="" word opts skip=0',
    '  for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do',
    '    if [ "$skip" = 1 ]; then skip=0; continue; fi',
    `    case "$word" in ${valueTaking}) skip=1 ;; -*) ;; *) cmd="$word"; break ;; esac`,
    '  done',
    '  case "$cmd" in',
  ]
  for (const [name] of COMMANDS) {
    const spec = (await loadCommand(name))!
    const flags = allOptions(spec as never).flatMap((o) => (o.short ? [o.short, o.flag] : [o.flag]))
    lines.push(`    ${name}) opts="${flags.join(' ')}" ;;`)
  }
  lines.push(
    `    "") opts="${[...COMMANDS.map(([n]) => n), 'help', 'complete', ...globals].join(' ')}" ;;`,
    '    *) opts="" ;;',
    '  esac',
    '  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )',
    '}',
    'complete -F _monasca monasca',
  )
  return lines.join('\n')
}

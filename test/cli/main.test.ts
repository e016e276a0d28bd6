/** The top level: help, version, unknown commands, global options and the list of commands. */
import { describe, expect, it } from 'vitest'
import { COMMANDS, loadCommand } from '../../src/cli/commands/index.js'
import { parseGlobalArgs } from '../../src/cli/globals.js'
import { runCli } from './run.js'

describe('commands', () => {
  it('has the 29 commands of the Python client, each loadable with a matching summary', async () => {
    expect(COMMANDS).toHaveLength(29)
    for (const [name, , summary] of COMMANDS) {
      const spec = await loadCommand(name)
      expect(spec?.name).toBe(name)
      expect(spec?.summary).toBe(summary)
    }
  })

  it('prints a command help on -h, --help, a prefix of --help, and `help <cmd>`, without sending', async () => {
    for (const argv of [['measurement-list', '-h'], ['measurement-list', '--he'], ['help', 'measurement-list'], ['-h', 'measurement-list'], ['measurement-list', '-jh']]) {
      const out = await runCli(argv)
      expect(out.code).toBe(0)
      expect(out.stdout).toMatch(/^usage: monasca measurement-list \[-h\]/)
      expect(out.stdout).toContain('  --merge_metrics       Merge multiple metrics into a single result.')
      expect(out.stdout).toContain('  -j, --json            output raw json response')
      expect(out.connects).toBe(0)
    }
  })

  it('lists every command in the global help', async () => {
    const out = await runCli(['--help'])
    expect(out.code).toBe(0)
    for (const [name] of COMMANDS) expect(out.stdout).toContain(`  ${name} `)
    expect(out.stdout).toContain('--os-auth-url')
    expect(out.stdout).not.toContain('--monasca_api_url')
  })

  it('prints the version', async () => {
    const out = await runCli(['--version'])
    expect(out.stdout).toMatch(/^monasca \S+\n$/)
  })

  it('rejects an unknown command with suggestions and exit 2', async () => {
    const out = await runCli(['alarm-lst'])
    expect(out.code).toBe(2)
    expect(out.stderr).toContain("monasca: 'alarm-lst' is not a monasca command. See 'monasca --help'.")
    expect(out.stderr).toContain('  alarm-list')
  })
})

describe('global options', () => {
  it('are taken from anywhere before --, with values, and the rest goes to the command', () => {
    const parsed = parseGlobalArgs(['--os-token', 't', 'metric-list', '--name', 'x', '--os-endpoint=http://e', '--debug'], {})
    expect(parsed.command).toBe('metric-list')
    expect(parsed.rest).toEqual(['--name', 'x'])
    expect(parsed.globals).toMatchObject({ token: 't', endpoint: 'http://e', debug: true })
  })

  it('fill in from the environment, options first', () => {
    const parsed = parseGlobalArgs(['--os-username', 'cli', 'alarm-list'], {
      OS_USERNAME: 'env', OS_PASSWORD: 'pw', OS_AUTH_TYPE: 'password', MONASCA_API_URL: 'http://m', OS_INSECURE: 'true',
      OS_MONITORING_ENDPOINT_OVERRIDE: 'http://o',
    })
    expect(parsed.globals).toMatchObject({ username: 'cli', password: 'pw', authType: 'password', monascaApiUrl: 'http://m', insecure: true, monitoringEndpointOverride: 'http://o' })
  })

  it('take negative-number-like values but refuse a missing one', () => {
    expect(() => parseGlobalArgs(['--os-token'], {})).toThrow('argument --os-token: expected one argument')
    expect(() => parseGlobalArgs(['--os-token', '--debug'], {})).toThrow('expected one argument')
  })

  it('a command option after -- is left to the command', async () => {
    const out = await runCli(['metric-create', '--', 'cpu', '-1', '--debug'])
    expect(out.code).toBe(2)
    expect(out.stderr).toContain('unrecognized arguments: --debug')
  })
})

describe('complete', () => {
  it('prints a bash completion script that completes commands, skipping global option values, and command options', async () => {
    const out = await runCli(['complete'])
    expect(out.code).toBe(0)
    const { spawnSync } = await import('node:child_process')
    const complete = (words: string[]) =>
      spawnSync('bash', ['-c', `${out.stdout}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _monasca; echo "\${COMPREPLY[@]}"`], { encoding: 'utf8' }).stdout.trim()
    expect(complete(['monasca', 'alarm-defi']).split(' ')).toEqual([
      'alarm-definition-create', 'alarm-definition-show', 'alarm-definition-list', 'alarm-definition-delete', 'alarm-definition-update', 'alarm-definition-patch',
    ])
    expect(complete(['monasca', '--os-token', 'x', 'measurement-list', '--me'])).toBe('--merge_metrics')
    expect(complete(['monasca', 'metric-statistics', '--gr'])).toBe('--group_by')
  })
})

describe('help layout (argparse)', () => {
  it('narrows the help column when every invocation is short, and repeats the summary at the end', async () => {
    const out = await runCli(['help', 'alarm-delete'])
    expect(out.stdout).toBe(
      [
        'usage: monasca alarm-delete [-h] [-j] <ALARM_ID>',
        '',
        'Delete the alarm.',
        '',
        'positional arguments:',
        '  <ALARM_ID>  The ID of the alarm.',
        '',
        'options:',
        '  -h, --help  show this help message and exit',
        '  -j, --json  output raw json response',
        '',
        'Delete the alarm.',
        '',
      ].join('\n'),
    )
  })

  it('puts positionals on their own line once the usage wraps', async () => {
    const out = await runCli(['alarm-definition-update', '-h'])
    expect(out.stdout.split('\n').slice(0, 2)).toEqual([
      'usage: monasca alarm-definition-update [-h] [-j]',
      '                                       <ALARM_DEFINITION_ID>',
    ])
  })
})

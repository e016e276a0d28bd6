/**
 * -v / -q / --debug / --log-file with osc-lib's levels (osc_lib/logs.py: verbose_level 0 → ERROR,
 * 1 (default) → WARNING, 2 → INFO, 3+ or --debug → DEBUG; the file gets the same level, with
 * `date time.ms pid LEVEL name [cloud user project] message`). Never a secret in a log line.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseGlobalArgs } from '../../src/cli/globals.js'
import { createLogger, levelFromOptions, LEVELS } from '../../src/cli/log.js'
import { main } from '../../src/cli/main.js'
import { createEmulator } from '../../src/emulator/index.js'
import { serveEmulator, type ServedEmulator } from '../../src/emulator/serve.js'

describe('levels', () => {
  it.each([
    [[], LEVELS.warning],
    [['-q'], LEVELS.error],
    [['--quiet'], LEVELS.error],
    [['-v'], LEVELS.info],
    [['--verbose'], LEVELS.info],
    [['-vv'], LEVELS.debug],
    [['-v', '-v'], LEVELS.debug],
    [['-vvv'], LEVELS.debug],
    [['--debug'], LEVELS.debug],
    [['-q', '--debug'], LEVELS.debug],
  ] as const)('%j', (argv, level) => {
    expect(levelFromOptions(parseGlobalArgs([...argv, 'metric-list'], {}).globals)).toBe(level)
  })

  it('blanks every secret given, wherever it appears in a line', () => {
    const lines: string[] = []
    const log = createLogger({ password: 'pw-123', token: 'tok-456', applicationCredentialSecret: 'acs-789', debug: true }, { stderr: (l) => lines.push(l), now: () => 0, pid: 1 })
    log.log('debug', 'GET http://h/?x=tok-456 said pw-123 and acs-789')
    expect(lines).toEqual(['GET http://h/?x=*** said *** and ***'])
  })

  it('leaves secrets under 4 characters alone (blanking "t" would blank every t)', () => {
    const lines: string[] = []
    createLogger({ token: 't', debug: true }, { stderr: (l) => lines.push(l), now: () => 0, pid: 1 }).log('debug', 'auth plugin admin_token')
    expect(lines).toEqual(['auth plugin admin_token'])
  })
})

describe('through the CLI, against the emulator and its Keystone', () => {
  let served: ServedEmulator
  let dir: string
  const PASSWORD = 'demo-secret'
  beforeAll(async () => {
    served = await serveEmulator(createEmulator({ seed: 'demo' }), { port: 0 })
    dir = mkdtempSync(join(tmpdir(), 'monasca-cli-log-'))
  })
  afterAll(async () => {
    await served.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function cli(flags: string[], command = ['metric-name-list']) {
    let stdout = ''
    let stderr = ''
    const argv = ['--no-cache', '--os-auth-url', `${served.url}/v3`, '--os-username', 'demo', '--os-password', PASSWORD, '--os-project-name', 'demo', ...flags, ...command]
    const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTTY: false, columns: 80, env: {}, now: () => Date.UTC(2026, 11, 1, 12, 0, 0, 7), pid: 4242 })
    return { code, stdout, stderr }
  }

  it('default (WARNING): a successful command writes nothing on stderr', async () => {
    const out = await cli([])
    expect(out.code).toBe(0)
    expect(out.stdout).toContain('cpu.idle_perc')
    expect(out.stderr).toBe('')
  })

  it('-v (INFO): the auth plugin and URLs, no HTTP lines', async () => {
    const out = await cli(['-v'])
    expect(out.stderr).toBe(`auth plugin password: Keystone at ${served.url}/v3; Monasca at the catalog's monitoring endpoint (interface public, region any)\n`)
  })

  it('-vv (DEBUG): one line per request and answer, never a header or the password', async () => {
    const out = await cli(['-vv'])
    const lines = out.stderr.trimEnd().split('\n')
    expect(lines.slice(0, 3)).toEqual([
      `auth plugin password: Keystone at ${served.url}/v3; Monasca at the catalog's monitoring endpoint (interface public, region any)`,
      'token cache: off (--no-cache)',
      `REQ: POST ${served.url}/v3/auth/tokens`,
    ])
    expect(lines[3]).toMatch(new RegExp(`^RESP: 201 POST ${served.url}/v3/auth/tokens \\(req-[\\w-]+\\) in \\d+ ms$`))
    expect(lines[4]).toBe(`REQ: GET ${served.url}/v2.0/metrics/names`)
    expect(lines[5]).toMatch(/^RESP: 200 GET .*\/v2\.0\/metrics\/names \(req-[\w-]+\) in \d+ ms$/)
    expect(lines).toHaveLength(6)
    expect(out.stderr).not.toContain(PASSWORD)
    expect(out.stderr).not.toMatch(/x-auth-token|x-subject-token/i)
  })

  it('-q (ERROR): an error still shows', async () => {
    const out = await cli(['-q'], ['alarm-show', 'no-such-alarm'])
    expect(out.code).toBe(1)
    expect(out.stderr).toMatch(/^Not Found \(HTTP 404\)/)
  })

  it('--log-file: the same lines at the same level in osc-lib\'s file format, the error report too, mode 0600, no secret', async () => {
    const file = join(dir, 'monasca.log')
    const out = await cli(['-vv', '--log-file', file], ['alarm-show', 'no-such-alarm'])
    expect(out.code).toBe(1)
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n')
    const prefix = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} 4242 (DEBUG|INFO|ERROR) monasca \[ demo demo\] /
    for (const line of lines.filter((l) => !l.startsWith('  '))) expect(line).toMatch(prefix)
    expect(lines.map((l) => prefix.exec(l)?.[1]).filter(Boolean)).toEqual(['INFO', 'DEBUG', 'DEBUG', 'DEBUG', 'DEBUG', 'DEBUG', 'ERROR'])
    expect(lines.find((l) => l.includes(' ERROR '))).toMatch(/ERROR monasca \[ demo demo\] Not Found \(HTTP 404\) \(Request-ID: req-[\w-]+\)$/)
    expect(readFileSync(file, 'utf8')).not.toContain(PASSWORD)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    // Appends: a second run adds to the file.
    await cli(['--log-file', file], ['alarm-show', 'no-such-alarm'])
    expect(readFileSync(file, 'utf8').trimEnd().split('\n').filter((l) => / ERROR /.test(l))).toHaveLength(2)
  })

  it('--log-file that cannot be written: exit 1 naming the flag', async () => {
    const out = await cli(['--log-file', join(dir, 'missing-dir', 'x.log')])
    expect(out).toMatchObject({ code: 1, stderr: `--log-file: cannot write ${join(dir, 'missing-dir', 'x.log')}: ENOENT\n` })
  })
})

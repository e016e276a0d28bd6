/**
 * Runs one `monasca` CLI (Debian's Python one or ours) as a child process with a clean environment,
 * and a small pool that bounds how many run at once (Python spends ~1.5 s of CPU importing).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export type Cli = 'python' | 'ours'

export const PYTHON_MONASCA = '/usr/bin/monasca'
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')
export const OUR_MONASCA = join(REPO_ROOT, 'dist/bin/monasca.js')

export const pythonAvailable = () => existsSync(PYTHON_MONASCA)
export const oursBuilt = () => existsSync(OUR_MONASCA)

/** The bin our runs start: dist/bin/monasca.js, or a snapshot of dist/ (see snapshotOurs). */
let oursEntry = OUR_MONASCA

/**
 * Runs our CLI from a copy of dist/ taken now, so a `vite build` running meanwhile in the same
 * checkout (other suites, other engineers) cannot swap chunks under a run. The copy sits below
 * node_modules/.cache so the packages dist/ leaves external (jose, the OpenTelemetry SDK) still
 * resolve from the project. Returns a cleanup.
 */
export function snapshotOurs(): () => void {
  const dir = join(REPO_ROOT, 'node_modules/.cache/cli-diff', `dist-${process.pid}-${Date.now()}`)
  mkdirSync(dir, { recursive: true })
  cpSync(join(REPO_ROOT, 'dist'), join(dir, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') && !src.includes('/cdn') })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }))
  oursEntry = join(dir, 'dist/bin/monasca.js')
  return () => {
    oursEntry = OUR_MONASCA
    rmSync(dir, { recursive: true, force: true })
  }
}

export interface CliResult {
  cli: Cli
  code: number | null
  stdout: string
  stderr: string
  /** Wall-clock bounds of the invocation, to normalise times the CLI derived from its clock. */
  startedAt: number
  endedAt: number
}

export interface RunCliOptions {
  env?: Record<string, string>
  timeoutMs?: number
  stdin?: string
}

/**
 * The environment both CLIs get: no OS_* or MONASCA_* leaking in from the developer's shell, a fresh
 * HOME and XDG cache (our token cache must start empty for every invocation, like Python's, which has none).
 */
function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TZ: 'UTC',
    // Python warnings (deprecations in its dependencies) would otherwise land on stderr.
    PYTHONWARNINGS: 'ignore',
    ...extra,
  }
}

export function runCli(cli: Cli, argv: string[], options: RunCliOptions = {}): Promise<CliResult> {
  if (cli === 'python' && activeForkServer) return activeForkServer.run(argv, options)
  return runProcess(cli, argv, options)
}

/** One real process: `/usr/bin/monasca …` or `node dist/bin/monasca.js …`. */
export function runProcess(cli: Cli, argv: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const home = mkdtempSync(join(tmpdir(), `cli-diff-${cli}-`))
  const [command, args] = cli === 'python' ? [PYTHON_MONASCA, argv] : [process.execPath, [oursEntry, ...argv]]
  const startedAt = Date.now()
  return new Promise<CliResult>((resolvePromise, reject) => {
    const child = spawn(command, args, { env: cleanEnv(home, options.env), cwd: home, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000)
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      rmSync(home, { recursive: true, force: true })
      resolvePromise({ cli, code, stdout, stderr, startedAt, endedAt: Date.now() })
    })
    child.stdin.end(options.stdin ?? '')
  })
}

/** Runs async jobs with at most `limit` in flight; results keep the input order. */
export async function pool<T, R>(items: readonly T[], limit: number, job: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await job(items[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/**
 * Debian's Python CLI behind python-forkserver.py: the imports are paid once, and every command line
 * runs in a fresh fork calling the same `monascaclient.shell.main(argv)` as /usr/bin/monasca, with
 * its own environment, working directory and output. `CLI_DIFF_PYTHON=exec` turns it off (every
 * Python run is then a real /usr/bin/monasca process); the Keystone suite and the bench always exec.
 */
export class PythonForkServer {
  private readonly child: ChildProcessWithoutNullStreams
  private readonly waiting = new Map<number, (code: number) => void>()
  private nextId = 1
  private buffer = ''
  readonly ready: Promise<void>

  constructor() {
    const home = mkdtempSync(join(tmpdir(), 'cli-diff-forkserver-'))
    this.child = spawn('/usr/bin/python3', [join(REPO_ROOT, 'test/cli-diff/python-forkserver.py')], { env: cleanEnv(home), cwd: home })
    let markReady: () => void
    let fail: (e: Error) => void
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve
      fail = reject
    })
    let stderr = ''
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    this.child.on('close', (code) => fail(new Error(`python-forkserver exited with ${code}: ${stderr.slice(-2000)}`)))
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.buffer += d
      let nl: number
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const message = JSON.parse(this.buffer.slice(0, nl)) as { ready?: boolean; id?: number; code?: number }
        this.buffer = this.buffer.slice(nl + 1)
        if (message.ready) markReady()
        else this.waiting.get(message.id!)?.(message.code!)
      }
    })
  }

  async run(argv: string[], options: RunCliOptions = {}): Promise<CliResult> {
    await this.ready
    const home = mkdtempSync(join(tmpdir(), 'cli-diff-python-'))
    const id = this.nextId++
    const request = { id, argv, env: cleanEnv(home, options.env), cwd: home, stdout: join(home, '.stdout'), stderr: join(home, '.stderr') }
    const startedAt = Date.now()
    const code = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`python run ${argv.join(' ')} did not finish`)), options.timeoutMs ?? 30_000)
      this.waiting.set(id, (c) => {
        clearTimeout(timer)
        this.waiting.delete(id)
        resolve(c)
      })
      this.child.stdin.write(`${JSON.stringify(request)}\n`)
    })
    const endedAt = Date.now()
    const result: CliResult = { cli: 'python', code, stdout: readFileSync(request.stdout, 'utf8'), stderr: readFileSync(request.stderr, 'utf8'), startedAt, endedAt }
    rmSync(home, { recursive: true, force: true })
    return result
  }

  close(): void {
    this.child.stdin.end()
  }
}

let activeForkServer: PythonForkServer | undefined

/** Route runCli('python', …) through a fork server (unless CLI_DIFF_PYTHON=exec); returns a stop function. */
export function usePythonForkServer(): () => void {
  if (process.env.CLI_DIFF_PYTHON === 'exec') return () => {}
  const server = new PythonForkServer()
  activeForkServer = server
  return () => {
    if (activeForkServer === server) activeForkServer = undefined
    server.close()
  }
}

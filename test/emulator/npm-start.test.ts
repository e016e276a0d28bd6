/**
 * `npm start` (scripts/start.mjs): stopping the npm process by any usual signal leaves nothing
 * listening and no process of its tree alive — the shell npm runs it through, the server, the
 * tour's CLI child. Spawns the real `npm start` on a free port (PORT=0) with MONASCA_START_BUILD=0:
 * the suite runs after `npm run build`, and a build here would empty dist/ under the other suites.
 * The build steps themselves are checked against a stub vite in a scratch checkout.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const BUILT = existsSync('dist/bin/monasca-emulator.js') && existsSync('dist/bin/monasca.js')
const started: number[] = []

/** Every process below `pid`, from /proc (children, their children, …). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)])
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = []
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c)
      walk(c)
    }
  }
  walk(pid)
  return out
}

/** Alive and not a zombie waiting for its parent to reap it. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
}

async function eventually(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return check()
}

/** `npm start` until its output contains `until`; then the tree of processes it made. */
async function npmStart(until: string, env: Record<string, string> = {}): Promise<{ npm: ChildProcess; out: () => string; port: number; tree: number[] }> {
  const npm = spawn('npm', ['start', '--silent'], { env: { ...process.env, PORT: '0', MONASCA_START_BUILD: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  started.push(npm.pid!)
  let out = ''
  npm.stdout!.on('data', (c: Buffer) => (out += c.toString()))
  npm.stderr!.on('data', (c: Buffer) => (out += c.toString()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${until}" within 60 s:\n${out}`)), 60_000)
    const check = () => {
      if (out.includes(until)) {
        clearTimeout(timer)
        resolve()
      }
    }
    npm.stdout!.on('data', check)
    npm.once('exit', (code) => reject(new Error(`npm start exited ${code}:\n${out}`)))
  })
  const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1])
  const tree = descendants(npm.pid!)
  started.push(...tree)
  return { npm, out: () => out, port, tree }
}

afterEach(() => {
  // A failed test must not leave servers behind for the next one.
  for (const pid of started.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL')
})

describe('the built bins npm start serves', () => {
  it('are there (npm run build makes them; the signal tests need them)', () => {
    expect(BUILT, 'dist/bin/monasca-emulator.js and dist/bin/monasca.js: run npm run build first').toBe(true)
  })
})

describe.runIf(BUILT)('npm start, stopped by a signal to the npm process', () => {
  // SIGKILL gives npm no chance to pass anything on: the watchdog in scripts/start.mjs must notice.
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGKILL'] as const)('%s: the server stops listening and no process of the tree survives', async (signal) => {
    const { npm, port, tree, out } = await npmStart('Press Ctrl+C')
    expect(out()).toContain('Tour finished: the SDK and the CLI work against this emulator.')
    expect(tree.length, 'npm runs node scripts/start.mjs (through sh, which execs it)').toBeGreaterThanOrEqual(1)
    expect(await refused(port), 'serving before the signal').toBe(false)
    const exited = new Promise((resolve) => npm.once('exit', resolve))
    process.kill(npm.pid!, signal)
    await exited
    expect(await eventually(() => tree.every((pid) => !alive(pid)), 5_000), `still alive: ${tree.filter(alive).join(', ')}`).toBe(true)
    expect(await refused(port), `port ${port} still answers`).toBe(true)
  }, 90_000)

  it('SIGTERM in the middle of the tour also ends its CLI child', async () => {
    const { npm, port, tree } = await npmStart('$ monasca alarm-list')
    // The line is printed just before the CLI is spawned: catch the child while it runs.
    const cliRunning = () => descendants(npm.pid!).find((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/bin/monasca.js')
      } catch {
        return false
      }
    })
    let cli: number | undefined
    expect(await eventually(() => (cli = cliRunning()) !== undefined, 3_000), 'the tour runs our CLI as a child').toBe(true)
    tree.push(cli!)
    started.push(cli!)
    const exited = new Promise((resolve) => npm.once('exit', resolve))
    process.kill(npm.pid!, 'SIGTERM')
    await exited
    // Whatever ran at the moment of the signal, the CLI child included, is gone.
    expect(await eventually(() => tree.every((pid) => !alive(pid)), 5_000), `still alive: ${tree.filter(alive).join(', ')}`).toBe(true)
    expect(await refused(port)).toBe(true)
  }, 90_000)

  it('prints the dashboard URL and the demo logins, or says the dashboard is not built', async () => {
    const { npm, out } = await npmStart('Press Ctrl+C')
    const text = out()
    const root = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)![1]!
    expect(text).toContain('demo / demo-secret')
    if (existsSync('dist/dashboard/index.html')) {
      expect(text).toContain(`Dashboard     ${root}/dashboard/`)
      expect(text).toContain(`Dashboard: ${root}/dashboard/`)
      expect((await fetch(`${root}/dashboard/`)).status).toBe(200)
    } else {
      expect(text).toMatch(/The dashboard is not built/)
    }
    const exited = new Promise((resolve) => npm.once('exit', resolve))
    process.kill(npm.pid!, 'SIGTERM')
    await exited
  }, 90_000)
})

describe('scripts/start.mjs build steps (a scratch checkout with a stub vite)', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })

  /** A checkout holding only the script, a vite that logs its arguments and makes what each step makes, and a bin that prints its argv. */
  function scratch(withDashboard: boolean): string {
    const root = mkdtempSync(join(tmpdir(), 'npm-start-'))
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n')
    mkdirSync(join(root, 'scripts'))
    cpSync('scripts/start.mjs', join(root, 'scripts', 'start.mjs'))
    mkdirSync(join(root, 'node_modules', 'vite', 'bin'), { recursive: true })
    writeFileSync(
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      `import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'
const args = process.argv.slice(2).join(' ')
appendFileSync('vite-calls.log', args + '\\n')
if (args.includes('--mode bin')) {
  mkdirSync('dist/bin', { recursive: true })
  writeFileSync('dist/bin/monasca-emulator.js', "console.log(JSON.stringify(process.argv.slice(2)))\\n")
}
if (args.includes('-c examples/dashboard/vite.config.ts')) {
  mkdirSync('dist/dashboard', { recursive: true })
  writeFileSync('dist/dashboard/index.html', '<!doctype html>')
}
`,
    )
    if (withDashboard) {
      mkdirSync(join(root, 'examples', 'dashboard'), { recursive: true })
      writeFileSync(join(root, 'examples', 'dashboard', 'vite.config.ts'), 'export default {}\n')
    }
    return root
  }

  function run(root: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['scripts/start.mjs', '--log'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      child.stdout.on('data', (c: Buffer) => (out += c.toString()))
      child.stderr.on('data', (c: Buffer) => (out += c.toString()))
      child.once('exit', (code) => resolve({ code, out }))
    })
  }

  it('builds the library, then the bins, then the dashboard, and serves it on PORT and HOST', async () => {
    dir = scratch(true)
    const { code, out } = await run(dir, { PORT: '9999', HOST: '127.0.0.2' })
    expect(code, out).toBe(0)
    expect(readFileSync(join(dir, 'vite-calls.log'), 'utf8').trim().split('\n')).toEqual([
      'build --logLevel warn',
      'build --mode bin --logLevel warn',
      'build -c examples/dashboard/vite.config.ts --logLevel warn',
    ])
    expect(out).toContain('Building the dashboard…')
    const argv = JSON.parse(out.trim().split('\n').at(-1)!) as string[]
    expect(argv).toEqual(['--demo', '--tour', '--port', '9999', '--host', '127.0.0.2', '--dashboard', join(dir, 'dist', 'dashboard'), '--log'])
  })

  it('without examples/dashboard it says the dashboard is not built, never silently', async () => {
    dir = scratch(false)
    const { code, out } = await run(dir)
    expect(code, out).toBe(0)
    expect(readFileSync(join(dir, 'vite-calls.log'), 'utf8')).not.toContain('dashboard')
    expect(out).toContain('The dashboard is not built: examples/dashboard/vite.config.ts is not in this checkout.')
    const argv = JSON.parse(out.trim().split('\n').at(-1)!) as string[]
    expect(argv).toEqual(['--demo', '--tour', '--port', '8070', '--host', '127.0.0.1', '--log'])
  })

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s during a build step ends the step too', async (signal) => {
    dir = scratch(true)
    // A vite that never finishes and says who it is.
    writeFileSync(join(dir, 'node_modules', 'vite', 'bin', 'vite.js'), "import { writeFileSync } from 'node:fs'\nwriteFileSync('vite.pid', String(process.pid))\nsetInterval(() => {}, 1000)\n")
    const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    started.push(child.pid!)
    const pidFile = join(dir, 'vite.pid')
    expect(await eventually(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 10_000), 'the build step started').toBe(true)
    const vite = Number(readFileSync(pidFile, 'utf8'))
    started.push(vite)
    expect(alive(vite)).toBe(true)
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill(signal)
    await exited
    expect(await eventually(() => !alive(vite), 5_000), 'the build step outlived npm start').toBe(true)
  }, 30_000)

  it('a failing build step stops it with the step named and a non-zero exit', async () => {
    dir = scratch(true)
    writeFileSync(join(dir, 'node_modules', 'vite', 'bin', 'vite.js'), 'process.exit(3)\n')
    const { code, out } = await run(dir)
    expect(code).toBe(1)
    expect(out).toContain('npm start: building the library failed: vite build --logLevel warn ended with exit code 3')
  })
})

#!/usr/bin/env node
/**
 * `npm start`: build the library, the bins and the dashboard, then serve the emulator with demo
 * data and the dashboard on 127.0.0.1 and run the SDK/CLI tour (monasca-emulator --demo --tour
 * --dashboard dist/dashboard), in this process.
 *
 * Nothing outlives it: the server runs here, not in a child; a build step in flight and the tour's
 * CLI child are killed on SIGINT/SIGTERM/SIGHUP; and since npm runs this through `sh -c`, a
 * watchdog stops the server when npm or that shell goes away without passing a signal on
 * (npm does not forward SIGHUP, and a shell does not forward what it receives).
 *
 * Environment: PORT (default 8070; 0 = a free port), HOST (default 127.0.0.1),
 * MONASCA_START_BUILD=0 to serve what is already built. Arguments after `npm start --` go to
 * monasca-emulator (e.g. `npm start -- --log`).
 */
import { spawn, execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js')
const DASHBOARD_CONFIG = 'examples/dashboard/vite.config.ts'
const DASHBOARD_DIR = 'dist/dashboard'
const BIN = 'dist/bin/monasca-emulator.js'

const say = (line) => process.stdout.write(`${line}\n`)
const fail = (line) => {
  process.stderr.write(`npm start: ${line}\n`)
  process.exit(1)
}

/** The build steps, in order: the library (vite empties dist/), the bins, the dashboard if there is one. */
function buildSteps(hasDashboard) {
  return [
    { what: 'the library', args: ['build', '--logLevel', 'warn'] },
    { what: 'the bins', args: ['build', '--mode', 'bin', '--logLevel', 'warn'] },
    ...(hasDashboard ? [{ what: 'the dashboard', args: ['build', '-c', DASHBOARD_CONFIG, '--logLevel', 'warn'] }] : []),
  ]
}

let building
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  // Until the server installs its own handlers: stop the build in flight and leave.
  process.once(signal, () => {
    building?.kill('SIGTERM')
    process.exit(130)
  })
}

function run(args) {
  return new Promise((resolve, reject) => {
    building = spawn(process.execPath, [vite, ...args], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
    building.once('error', reject)
    building.once('exit', (code, signal) => {
      building = undefined
      code === 0 ? resolve() : reject(new Error(`vite ${args.join(' ')} ended with ${signal ?? `exit code ${code}`}`))
    })
  })
}

/** This process's parent, and the parent's parent when the parent is the shell npm ran us through. */
function watchedAncestors() {
  const parentOf = (pid) => {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      return { ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]), comm }
    } catch {
      try {
        const [ppid, ...comm] = execFileSync('ps', ['-o', 'ppid=,comm=', '-p', String(pid)], { encoding: 'utf8' }).trim().split(/\s+/)
        return { ppid: Number(ppid), comm: comm.join(' ') }
      } catch {
        return undefined
      }
    }
  }
  const pids = [process.ppid]
  const parent = parentOf(process.ppid)
  if (parent && /(^|\/)(sh|dash|bash|zsh|ash)$/.test(parent.comm) && parent.ppid > 1) pids.push(parent.ppid)
  return pids
}

function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

/** Stop (as SIGTERM would) when npm or its shell is gone; checked twice a second, never holding the process open. */
function watchdog() {
  const firstParent = process.ppid
  const watched = watchedAncestors()
  const timer = setInterval(() => {
    if (process.ppid !== firstParent || !watched.every(alive)) {
      clearInterval(timer)
      process.kill(process.pid, 'SIGTERM')
    }
  }, 500)
  timer.unref()
}

async function main() {
  watchdog()
  const hasDashboardSource = existsSync(join(root, DASHBOARD_CONFIG))
  if (process.env.MONASCA_START_BUILD !== '0') {
    if (!existsSync(vite)) fail(`vite is not installed (${relative(process.cwd(), vite)} is missing): run npm ci first`)
    for (const step of buildSteps(hasDashboardSource)) {
      say(`Building ${step.what}…`)
      await run(step.args).catch((error) => fail(`building ${step.what} failed: ${error.message}`))
    }
  }
  const dashboardBuilt = existsSync(join(root, DASHBOARD_DIR, 'index.html'))
  if (!hasDashboardSource) say(`The dashboard is not built: ${DASHBOARD_CONFIG} is not in this checkout. Serving the API and the tour only.`)
  else if (!dashboardBuilt) say(`The dashboard is not built (${DASHBOARD_DIR}/index.html is missing). Serving the API and the tour only.`)
  if (!existsSync(join(root, BIN))) fail(`${BIN} is missing: the build did not make it`)

  const port = process.env.PORT ?? '8070'
  const host = process.env.HOST ?? '127.0.0.1'
  // The bin reads its options from process.argv and serves in this process.
  process.argv = [
    process.argv[0],
    join(root, BIN),
    '--demo',
    '--tour',
    '--port',
    port,
    '--host',
    host,
    ...(dashboardBuilt ? ['--dashboard', join(root, DASHBOARD_DIR)] : []),
    ...process.argv.slice(2),
  ]
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeAllListeners(signal)
  await import(pathToFileURL(join(root, BIN)).href)
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)))

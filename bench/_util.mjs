// Shared by the request benches: a server child process, medians, a table.
import { fork } from 'node:child_process'
import { cpus } from 'node:os'

export async function startServer(...args) {
  const child = fork(new URL('./_server.mjs', import.meta.url), args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (data) => resolve(Number(String(data).trim())))
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
  })
  return { origin: `http://127.0.0.1:${port}`, stop: () => child.kill() }
}

export const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export const machine = () => `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}, ${process.platform}`

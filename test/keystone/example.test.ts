/** examples/keystone.mjs as a user runs it, against the emulator's Keystone served on a free port. */
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { serveEmulator } from '../../src/emulator/serve.js'

const root = resolve(import.meta.dirname, '../..')
const run = promisify(execFile)
const emulator = createEmulator()
let served: Awaited<ReturnType<typeof serveEmulator>>
let cache: string

beforeAll(async () => {
  served = await serveEmulator(emulator, { port: 0 })
  cache = await mkdtemp(join(tmpdir(), 'monasca-example-cache-'))
})
afterAll(async () => {
  await served?.close()
  await rm(cache, { recursive: true, force: true })
})

const runExample = async () => {
  emulator.clearRequests()
  const { stdout } = await run(process.execPath, [join(root, 'examples/keystone.mjs')], {
    cwd: root,
    env: { ...process.env, OS_AUTH_URL: served.url, XDG_CACHE_HOME: cache },
    timeout: 60_000,
  })
  const lines = Object.fromEntries(stdout.trim().split('\n').map((l) => [l.slice(0, 34).trim(), l.slice(34).trim()]))
  const passwordAuths = emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v3/auth/tokens').length
  return { lines, passwordAuths }
}

describe('examples/keystone.mjs', () => {
  it('connects the three ways, reads the catalog, and reuses the file-stored token on its next run', async () => {
    const first = await runExample()
    expect(first.lines['user / project']).toBe('demo / demo')
    expect(first.lines['monitoring endpoint (catalog)']).toBe(`${served.url}/v2.0`)
    expect(first.lines['alarms in ALARM state']).toBe('0')
    expect(first.lines['wrong password']).toBe('KeystoneAuthError 401: The request you have made requires authentication.')
    // session + username/password client + the wrong password
    expect(first.passwordAuths).toBe(3)
    const [file] = await readdir(join(cache, 'monasca-client'))
    expect((await stat(join(cache, 'monasca-client', file!))).mode & 0o777).toBe(0o600)

    const second = await runExample()
    expect(second.lines['token expires (Keystone clock)']).toBe(first.lines['token expires (Keystone clock)'])
    expect(second.passwordAuths).toBe(2)
  }, 120_000)
})

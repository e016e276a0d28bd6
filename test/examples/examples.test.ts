/** The examples run as users would run them, against a served emulator with demo data. */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { serveEmulator } from '../../src/emulator/serve.js'
import { createClient } from '../../src/index.js'
import { describeWithSystemPart } from '../helpers/env.js'

const root = resolve(import.meta.dirname, '../..')
const run = promisify(execFile)
let served: Awaited<ReturnType<typeof serveEmulator>>
const emulator = createEmulator({ seed: 'demo' })

beforeAll(async () => {
  served = await serveEmulator(emulator, { port: 0 })
})
afterAll(() => served?.close())

const env = () => ({ ...process.env, MONASCA_URL: served.url })

describe('examples/node.mjs', () => {
  it('uses every resource and cleans up after itself', async () => {
    const { stdout } = await run(process.execPath, [join(root, 'examples/node.mjs')], { cwd: root, env: env(), timeout: 60_000 })
    const lines = Object.fromEntries(stdout.trim().split('\n').map((l) => [l.slice(0, 28).trim(), l.slice(28).trim()]))
    expect(lines.endpoint).toBe(`${served.url}/v2.0`)
    expect(lines.version).toBe('v2.0')
    expect(JSON.parse(lines['notification types']!)).toEqual(['EMAIL', 'PAGERDUTY', 'WEBHOOK'])
    expect(JSON.parse(lines.hostnames!)).toEqual(['example-host'])
    expect(JSON.parse(lines['statistics columns']!)).toEqual(['timestamp', 'avg', 'max', 'count'])
    expect(JSON.parse(lines['alarms of the definition']!)).toEqual(['ALARM'])
    expect(lines['cleaned up']).toBe('true')
  })
})

const bin = (name: string) => join(root, 'node_modules/.bin', name)
describeWithSystemPart('Deno', existsSync(bin('deno')), () => {
  it('examples/deno.ts lists the alarms in ALARM state', async () => {
    const { stdout } = await run(bin('deno'), ['run', '--node-modules-dir=manual', '--allow-net', '--allow-env', '--allow-read', join(root, 'examples/deno.ts')], { cwd: root, env: env(), timeout: 60_000 })
    const token = emulator.issueToken({ projectId: emulator.projectId('demo'), roles: ['monasca-user'] })
    const client = createClient({ endpoint: `${served.url}/v2.0`, token, fetch: emulator.fetch })
    const alarming = await client.alarms.list({ state: 'ALARM' }).toArray()
    expect(alarming.length).toBeGreaterThan(0)
    expect(stdout.trim().split('\n').sort()).toEqual(alarming.map((a) => `${a.alarm_definition.name} ${a.metrics.map((m) => m.dimensions.hostname).join(', ')}`).sort())
  }, 90_000)
})
describeWithSystemPart('Bun', existsSync(bin('bun')), () => {
  it('examples/bun.ts prints the alarm counts by state', async () => {
    const { stdout } = await run(bin('bun'), [join(root, 'examples/bun.ts')], { cwd: root, env: env(), timeout: 60_000 })
    const [header, ...rows] = stdout.trim().split('\n')
    expect(header).toBe('count\tstate')
    expect(rows.map((r) => r.split('\t')[1]).sort()).toEqual(['ALARM', 'OK', 'UNDETERMINED'])
  }, 90_000)
})

describe('examples/clouds.mjs', () => {
  it('reads the cloud from clouds.yaml + secure.yaml in the current directory and counts alarms by state; an unknown cloud lists the clouds', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'example-clouds-'))
    try {
      writeFileSync(join(dir, 'clouds.yaml'), `clouds:\n  demo:\n    auth:\n      auth_url: ${served.url}/v3\n      username: demo\n      project_name: demo\n`)
      writeFileSync(join(dir, 'secure.yaml'), 'clouds:\n  demo:\n    auth:\n      password: demo-secret\n')
      const clean = { PATH: process.env.PATH ?? '', HOME: dir, XDG_CONFIG_DIRS: join(dir, 'none') }
      const script = join(root, 'examples/clouds.mjs')
      const { stdout } = await run(process.execPath, [script, 'demo'], { cwd: dir, env: clean, timeout: 60_000 })
      const lines = stdout.trim().split('\n')
      expect(lines.slice(0, 2)).toEqual([`cloud demo from ${join(dir, 'clouds.yaml')} (+ ${join(dir, 'secure.yaml')})`, `endpoint ${served.url}/v2.0`])
      expect(lines.slice(2).map((l) => l.split(' ')[0]).sort()).toEqual(['ALARM', 'OK', 'UNDETERMINED'])
      expect(stdout).not.toContain('demo-secret')
      const unknown = await run(process.execPath, [script, 'prod'], { cwd: dir, env: clean }).catch((e: { code: number; stderr: string }) => e)
      expect(unknown).toMatchObject({ code: 1, stderr: `Cloud 'prod' was not found: the clouds in ${join(dir, 'clouds.yaml')}: demo\n` })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

/**
 * The two <script> builds' globals as a TypeScript page sees them: the declarations that
 * `monasca-client/cdn` and `monasca-client/cdn-core` ship (dist/types), resolved through the
 * package's exports from a project that installed it, with the library files checked too
 * (skipLibCheck off). `@ts-expect-error` lines fail the compile when what they expect is not an error.
 * Needs the build (`npm test` builds first).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const dir = mkdtempSync(join(tmpdir(), 'monasca-script-types-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function typecheck(page: string): string {
  mkdirSync(join(dir, 'node_modules'), { recursive: true })
  try {
    symlinkSync(root, join(dir, 'node_modules/monasca-client'), 'dir')
  } catch {
    // made by an earlier case
  }
  writeFileSync(join(dir, 'page.ts'), page)
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022',
      // The writer is AsyncDisposable (`await using`): its declarations need the disposable lib.
      lib: ['es2022', 'esnext.disposable', 'dom'], types: [], skipLibCheck: false,
    },
    files: ['page.ts'],
  }))
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' })
    return ''
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error)
  }
}

describe('the <script> globals, typed', () => {
  it('MonascaCore has the lean client and the resource classes, and neither Keystone login nor resources it was not given', () => {
    expect(typecheck(`/// <reference types="monasca-client/cdn-core" />
const core = MonascaCore.createClient({ endpoint: 'https://m.example/v2.0', token: 't', resources: { alarms: MonascaCore.Alarms } })
export const alarms: Promise<{ id: string; state: 'OK' | 'ALARM' | 'UNDETERMINED' }[]> = core.alarms.list({ state: 'ALARM' })
export const isError = (e: unknown) => MonascaCore.MonascaError.is(e) && e.status
// @ts-expect-error the lean script has no Keystone login
MonascaCore.Session
// @ts-expect-error a lean client carries only the resources it was given
core.metrics
// @ts-expect-error no such alarm state
core.alarms.list({ state: 'RED' })
`)).toBe('')
  }, 60_000)

  it('Monasca (the full script) has every form and resource, the writer included; both globals can be declared together', () => {
    expect(typecheck(`/// <reference types="monasca-client/cdn" />
/// <reference types="monasca-client/cdn-core" />
const full = Monasca.createClient({ endpoint: 'https://m.example/v2.0', token: 't' })
export const writer = full.metrics.writer()
export const session = new Monasca.Session({ auth: new Monasca.identity.Password({ authUrl: 'https://ks/v3', username: 'u', password: 'p', projectName: 'p' }) })
export const core = MonascaCore.createClient({ endpoint: 'https://m.example/v2.0', token: 't' })
// @ts-expect-error createClient needs an object
Monasca.createClient()
`)).toBe('')
  }, 60_000)
})

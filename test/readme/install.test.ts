/**
 * README's install lines: `npm pack` in the clone, `npm install <tarball>` in an empty project, then
 * the SDK imports and the CLI runs from there. Needs the build (`npm test` builds first). The
 * install only needs jose and yaml (ofetch is bundled in dist), which `npm ci` has put in npm's cache
 * (--prefer-offline).
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const run = promisify(execFile)
const dir = mkdtempSync(join(tmpdir(), 'readme-install-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('README install lines', () => {
  it('npm pack, then npm install of the .tgz gives a working SDK and `npx monasca`', async () => {
    expect(existsSync(join(root, 'dist/index.js')), 'dist/ is missing: run npm run build').toBe(true)
    await run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root, timeout: 120_000 })
    const tarball = readdirSync(dir).find((f) => /^monasca-client-.*\.tgz$/.test(f))
    expect(tarball).toBeDefined()
    const app = join(dir, 'my-app')
    await run('mkdir', ['-p', app])
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'my-app', private: true, type: 'module' }))
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tarball!)], { cwd: app, timeout: 180_000 })
    const { stdout: sdk } = await run(process.execPath, ['-e', "import('monasca-client').then((m) => console.log(typeof m.createClient, typeof m.validateExpression))"], { cwd: app })
    expect(sdk.trim()).toBe('function function')
    const { stdout: cli } = await run('npx', ['--no-install', 'monasca', '--version'], { cwd: app })
    expect(cli.trim()).toMatch(/^monasca \d+\.\d+\.\d+/)
  }, 300_000)
})

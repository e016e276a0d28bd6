/**
 * README.md is executable documentation: every TypeScript block runs, in order, against a fresh
 * emulator with demo data served over HTTP (Keystone at /v3, user demo / demo-secret, project demo),
 * and then all of them once more against the same server, as a reader running the snippets twice
 * would (a name that already exists fails the second round). A block that throws fails the test.
 *
 * The blocks are taken generically (see blocks.ts): sections added by anyone are run once merged.
 * A block that cannot run here opts out in its fence's info string with a reason:
 *
 *     ```ts no-run: needs a browser page (sessionStorage)
 *
 * The README says 127.0.0.1:8070 (what `npm start` serves); the test serves on a free port and
 * substitutes its URL, because 8070 may be taken by a developer's `npm start` or by the cli-diff
 * suite's Keystone catalog endpoint running in parallel.
 *
 * The examples (examples/node.mjs) run the same way: twice against one fresh emulator.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { serveEmulator, type ServedEmulator } from '../../src/emulator/serve.js'
import { BlockRunner, blockModule, codeBlocks, isRunnable, optOut } from './blocks.js'

const root = resolve(import.meta.dirname, '../..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const blocks = codeBlocks(readme).filter(isRunnable)
const run = promisify(execFile)

describe('README code blocks', () => {
  let served: ServedEmulator
  let dir: string
  beforeAll(async () => {
    served = await serveEmulator(createEmulator({ seed: 'demo' }), { port: 0 })
    dir = mkdtempSync(join(tmpdir(), 'readme-blocks-'))
  })
  afterAll(async () => {
    await served?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('finds the TypeScript blocks, and every opted-out block gives a reason', () => {
    expect(blocks.length).toBeGreaterThan(10)
    for (const block of blocks) {
      const reason = optOut(block)
      if (reason !== undefined) expect(reason, `README.md:${block.line} opts out without a reason`).not.toBe('(no reason given)')
    }
  })

  for (const round of [1, 2]) {
    it(`every block runs in order (round ${round} on the same server)`, async () => {
      const runner = new BlockRunner(served.url, join(dir, `round-${round}`))
      const printed: unknown[][] = []
      const log = console.log
      console.log = (...args: unknown[]) => void printed.push(args)
      try {
        for (const block of blocks) {
          if (optOut(block) !== undefined) continue
          try {
            await runner.run(block.code, `L${block.line}`)
          } catch (error) {
            const where = `README.md:${block.line} (${block.section})`
            throw new Error(`${where} threw in round ${round}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error })
          }
        }
      } finally {
        console.log = log
        runner.reset()
      }
      // The snippets print what they read; that something was printed shows they ran to their ends.
      expect(printed.length).toBeGreaterThan(0)
    }, 120_000)
  }
})

describe('blockModule', () => {
  it('exports declarations and imports, maps the package to its sources and substitutes the origin', () => {
    const out = blockModule("import { createClient, Session as S } from 'monasca-client'\nconst a = 1\nlet { b, c } = x\n  const nested = 2\nfetch('http://127.0.0.1:8070/v3')", 'http://127.0.0.1:1234')
    expect(out).toContain(`from '${join(root, 'src/index.ts')}'`)
    expect(out).toContain('export const a = 1')
    expect(out).toContain('export let { b, c } = x')
    expect(out).toContain('  const nested = 2')
    expect(out).toContain("fetch('http://127.0.0.1:1234/v3')")
    expect(out).toContain('export { createClient, S }')
  })

  it('reads fences with their info strings and sections', () => {
    const md = '## A\n```ts no-run: needs a browser\nx()\n```\n### B\n```sh\nls\n```\n```ts\ny()\n```\n'
    const found = codeBlocks(md)
    expect(found.map((b) => [b.lang, b.section, b.code])).toEqual([['ts', 'A', 'x()'], ['sh', 'B', 'ls'], ['ts', 'B', 'y()']])
    expect(optOut(found[0]!)).toBe('needs a browser')
    expect(optOut(found[2]!)).toBeUndefined()
  })
})

describe('examples/node.mjs', () => {
  let served: ServedEmulator
  beforeAll(async () => {
    served = await serveEmulator(createEmulator({ seed: 'demo' }), { port: 0 })
  })
  afterAll(() => served?.close())

  it('runs twice in a row against one fresh emulator and cleans up each time', async () => {
    for (let round = 1; round <= 2; round++) {
      const { stdout } = await run(process.execPath, [join(root, 'examples/node.mjs')], { cwd: root, env: { ...process.env, MONASCA_URL: served.url }, timeout: 60_000 })
      expect(stdout, `round ${round}`).toMatch(/^cleaned up\s+true$/m)
    }
  }, 120_000)
})

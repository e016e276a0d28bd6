/**
 * CI gate (#12): everything the dashboard's page downloads as JavaScript (the app, the SDK and
 * uPlot) is at most 90 KB min+gzip; and the app reaches the SDK only through its public entry.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithSystemPart } from '../helpers/env.js'
import { buildDashboard, ROOT, SDK_BUILD } from './harness.js'

const BUDGET = 90 * 1024
const SOURCES = join(ROOT, 'examples/dashboard/src')

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]))
}

// The build needs the SDK built (npm run build); npm test builds it first.
describeWithSystemPart('the built SDK (npm run build)', existsSync(SDK_BUILD), () => {
  let out: string
  beforeAll(async () => {
    out = await buildDashboard()
  })
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  it(`the dashboard's JavaScript, SDK and chart included, is at most ${BUDGET / 1024} KB min+gzip`, () => {
    const scripts = files(out).filter((file) => file.endsWith('.js'))
    expect(scripts.length).toBeGreaterThan(0)
    const sizes = scripts.map((file) => ({ file: relative(out, file), bytes: gzipSync(readFileSync(file), { level: 9 }).length }))
    const total = sizes.reduce((sum, s) => sum + s.bytes, 0)
    console.log(`dashboard JS: ${(total / 1024).toFixed(1)} KB min+gzip (${sizes.map((s) => `${s.file} ${(s.bytes / 1024).toFixed(1)} KB`).join(', ')})`)
    expect(total).toBeLessThanOrEqual(BUDGET)
    // It really holds the SDK and uPlot (a build that left them out would pass the budget for nothing).
    const code = scripts.map((file) => readFileSync(file, 'utf8')).join('\n')
    expect(code).toContain('x-openstack-request-id')
    expect(code).toContain('u-legend')
    // Every script the page loads is counted.
    const html = readFileSync(join(out, 'index.html'), 'utf8')
    for (const [, src] of html.matchAll(/<script[^>]+src="\/dashboard\/([^"]+)"/g)) expect(scripts.map((f) => relative(out, f))).toContain(src)
  })
})

it('the dashboard imports the SDK only as a user would: the public entry, never src/', () => {
  const imports = files(SOURCES)
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => [relative(SOURCES, file), m[1]!] as const))
  expect(imports.length).toBeGreaterThan(20)
  const outside = imports.filter(([, spec]) => !spec.startsWith('./') && !spec.startsWith('../') && spec !== 'monasca-client' && !spec.startsWith('uplot'))
  expect(outside).toEqual([])
  const escaping = imports.filter(([file, spec]) => spec.startsWith('.') && !join(SOURCES, file, '..', spec).startsWith(SOURCES))
  expect(escaping).toEqual([])
  expect(imports.some(([, spec]) => spec === 'monasca-client')).toBe(true)
})

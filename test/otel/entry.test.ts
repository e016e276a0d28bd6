/**
 * The built `monasca-client/otel` entry: importable by its package name, and the only entry that
 * touches the OpenTelemetry SDK (an optional peer dependency must never be needed by the others).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const dist = join(root, 'dist')

/** Every file `file` imports statically, followed through the chunks. */
function importGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen
  seen.add(file)
  const code = readFileSync(file, 'utf8')
  for (const [, spec] of code.matchAll(/(?:^|\n)\s*(?:import|export)\s*(?:[^'"]*?\sfrom\s*)?["']([^"']+)["']/g)) {
    if (spec!.startsWith('.')) importGraph(resolve(file, '..', spec!), seen)
    else seen.add(spec!)
  }
  return seen
}

describe('the otel entry, built', () => {
  it('is exported as monasca-client/otel, with its types, and imports by that name', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    expect(pkg.exports['./otel']).toEqual({ types: './dist/types/otel/index.d.ts', default: './dist/otel.js' })
    expect(existsSync(join(root, pkg.exports['./otel'].types))).toBe(true)
    const otel = await import('monasca-client/otel' as string)
    expect(typeof otel.MonascaMetricExporter).toBe('function')
    expect(otel.DEFAULT_RESOURCE_ATTRIBUTES).toContain('service.name')
  })

  it('keeps the OpenTelemetry SDK external and bundles no transport or writer of its own', () => {
    const graph = [...importGraph(join(dist, 'otel.js'))]
    const bare = graph.filter((f) => !f.startsWith('/'))
    expect(bare.sort()).toEqual(['@opentelemetry/sdk-metrics'])
    const code = graph.filter((f) => f.startsWith('/')).map((f) => readFileSync(f, 'utf8')).join('\n')
    // The transport sets X-Auth-Token; the writer's pagehide flush uses keepalive; the wire asks ofetch
    // (bundled into dist) for ignoreResponseError: none of them is in here.
    expect(code).not.toMatch(/ignoreResponseError|X-Auth-Token|keepalive/)
  })

  it('no other entry imports @opentelemetry/*, directly or through a chunk', () => {
    const entries = readdirSync(dist).filter((f) => f.endsWith('.js') && f !== 'otel.js')
    expect(entries).toContain('index.js')
    for (const entry of entries) {
      const otel = [...importGraph(join(dist, entry))].filter((f) => f.includes('@opentelemetry'))
      expect(otel, entry).toEqual([])
    }
  })
})

/**
 * The package as users get it: the built files, not the sources. `npm test` builds first.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

function stubFetch(calls: string[]) {
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    calls.push(`${request.method} ${request.url} ${request.headers.get('x-auth-token')}`)
    return new Response(JSON.stringify({ links: [], elements: [{ type: 'EMAIL' }] }), { headers: { 'content-type': 'application/json' } })
  }
}

describe('built package', () => {
  it('has every file its exports, bins and CDN fields name', () => {
    const targets: string[] = []
    const walk = (value: unknown) => {
      if (typeof value === 'string') targets.push(value)
      else if (value && typeof value === 'object') Object.values(value).forEach(walk)
    }
    walk(pkg.exports)
    walk(pkg.bin)
    targets.push(pkg.main, pkg.types, pkg.unpkg)
    const missing = [...new Set(targets)].filter((t) => !existsSync(join(root, t)))
    expect(missing).toEqual([])
  })

  it('the ESM entry makes a call with an injected fetch', async () => {
    const { createClient, NotFoundError, VERSION } = await import(join(root, 'dist/index.js'))
    expect(VERSION).toBe(pkg.version)
    const calls: string[] = []
    const client = createClient({ endpoint: 'http://monasca.test/v2.0', token: 'tok', fetch: stubFetch(calls) })
    expect(await client.notificationTypes.list()).toEqual([{ type: 'EMAIL' }])
    expect(calls).toEqual(['GET http://monasca.test/v2.0/notification-methods/types tok'])
    expect(typeof NotFoundError).toBe('function')
  })

  it('ships the notices of what it bundles beside each build (ofetch, destr and ufo in the library and both scripts)', () => {
    for (const dir of ['dist', 'dist/cdn', 'dist/bin']) {
      const notices = readFileSync(join(root, dir, 'THIRD-PARTY-LICENSES.md'), 'utf8')
      for (const name of ['ofetch', 'destr', 'ufo']) expect(notices, `${dir}: ${name}`).toMatch(new RegExp(`^## ${name} - \\d+\\.\\d+\\.\\d+ \\(MIT\\)`, 'm'))
    }
  })

  it('core and main import no package at all: ofetch is inlined in its fetch-only build, never its Node build', () => {
    const graph = (file: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(file)) return seen
      seen.add(file)
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\s*(?:[^'"]*?\sfrom\s*)?["']([^"']+)["']/g)) {
        if (spec!.startsWith('.')) graph(resolve(dirname(file), spec!), seen)
        else seen.add(spec!)
      }
      return seen
    }
    for (const entry of ['dist/core.js', 'dist/index.js']) {
      const files = [...graph(join(root, entry))]
      expect(files.filter((f) => !f.startsWith('/')), entry).toEqual([])
      const code = files.map((f) => readFileSync(f, 'utf8')).join('\n')
      expect(code, entry).toContain('ignoreResponseError') // the wire's ofetch call, and ofetch's own code
      expect(code, entry).toMatch(/function createFetch\(/)
      expect(code, entry).not.toMatch(/node-fetch-native|node:http|createNodeFetch/)
    }
  })

  it('the bins start with a shebang', () => {
    for (const file of Object.values(pkg.bin as Record<string, string>)) {
      expect(readFileSync(join(root, file), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    }
  })

  it('the minified IIFE sets globalThis.Monasca and works without modules', async () => {
    const code = readFileSync(join(root, pkg.unpkg), 'utf8')
    expect(code).not.toMatch(/\bimport\s*\(|^import |^export /m)
    const calls: string[] = []
    const sandbox: Record<string, unknown> = {
      fetch: stubFetch(calls), Request, Response, Headers, URL, URLSearchParams, AbortController, AbortSignal, DOMException,
      TextEncoder, TextDecoder, crypto, setTimeout, clearTimeout, console, atob, btoa,
    }
    sandbox.globalThis = sandbox
    sandbox.self = sandbox
    runInNewContext(code, sandbox)
    const Monasca = sandbox.Monasca as typeof import('../../src/index.js')
    expect(typeof Monasca.createClient).toBe('function')
    expect(typeof Monasca.Session).toBe('function')
    const client = Monasca.createClient({ endpoint: 'http://cdn.test/v2.0', token: 't2' })
    expect(await client.notificationTypes.list()).toEqual([{ type: 'EMAIL' }])
    expect(calls).toEqual(['GET http://cdn.test/v2.0/notification-methods/types t2'])
    // Minification renames classes; error names must survive it.
    const errorClasses = Object.entries(Monasca).filter(([key, value]) => /^[A-Z]\w*Error$/.test(key) && typeof value === 'function')
    expect(errorClasses.length).toBeGreaterThan(15)
    for (const [key, ErrorClass] of errorClasses) {
      expect(new (ErrorClass as new (a: string, b: string) => Error)('field', 'message').name).toBe(key)
    }
  })

  it('the lean core IIFE sets globalThis.MonascaCore: the core client with every resource class, and no Keystone, watch or writer', async () => {
    const code = readFileSync(join(root, pkg.exports['./cdn-core'].default), 'utf8')
    expect(code).not.toMatch(/\bimport\s*\(|^import |^export /m)
    const calls: string[] = []
    const sandbox: Record<string, unknown> = {
      fetch: stubFetch(calls), Request, Response, Headers, URL, URLSearchParams, AbortController, AbortSignal, DOMException,
      TextEncoder, TextDecoder, setTimeout, clearTimeout, console,
    }
    sandbox.globalThis = sandbox
    sandbox.self = sandbox
    runInNewContext(code, sandbox)
    expect(sandbox.Monasca).toBeUndefined()
    const MonascaCore = sandbox.MonascaCore as typeof import('../../src/cdn-core.js')
    for (const name of ['Alarms', 'AlarmDefinitions', 'Metrics', 'Notifications', 'NotificationTypes', 'Versions', 'PagePromise', 'staticToken']) {
      expect(typeof (MonascaCore as Record<string, unknown>)[name], name).toBe('function')
    }
    for (const name of ['Session', 'identity', 'passwordAuth', 'createWriter', 'AlarmsWithWatch', 'MetricsWithWriter', 'parseExpression']) {
      expect((MonascaCore as Record<string, unknown>)[name], name).toBeUndefined()
    }
    const client = MonascaCore.createClient({ endpoint: 'http://cdn.test/v2.0', token: 't3', resources: { notificationTypes: MonascaCore.NotificationTypes } })
    expect(await client.notificationTypes.list()).toEqual([{ type: 'EMAIL' }])
    expect(calls).toEqual(['GET http://cdn.test/v2.0/notification-methods/types t3'])
    expect(() => MonascaCore.createClient({ token: 't3' })).toThrow(MonascaCore.MonascaValidationError)
    const errorClasses = Object.entries(MonascaCore).filter(([key, value]) => /^[A-Z]\w*Error$/.test(key) && typeof value === 'function')
    expect(errorClasses.length).toBeGreaterThan(15)
    for (const [key, ErrorClass] of errorClasses) {
      expect(new (ErrorClass as new (a: string, b: string) => Error)('field', 'message').name).toBe(key)
    }
  })

  it('declarations exist for every entry', () => {
    for (const entry of Object.values(pkg.exports as Record<string, { types?: string }>)) {
      if (typeof entry === 'object' && entry.types) expect(existsSync(join(root, entry.types))).toBe(true)
    }
    expect(readFileSync(join(root, 'dist/types/index.d.ts'), 'utf8')).toContain('createClient')
  })
})

describe('the core entry stays free of Node built-ins', () => {
  /** Every source file the core entry reaches, by following relative imports. */
  function reachable(entry: string): string[] {
    const seen = new Set<string>()
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      const text = readFileSync(file, 'utf8')
      for (const match of text.matchAll(/(?:import|export)[^'"]*?from\s*['"](\.[^'"]+)['"]/g)) {
        visit(resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts')))
      }
    }
    visit(entry)
    return [...seen]
  }

  const nodeImport = /from\s*['"](node:[^'"]+|fs|path|http|https|crypto|os|url|stream|buffer|util|child_process)['"]|require\(/

  it('no source file under src/index.ts imports one', () => {
    const files = reachable(join(root, 'src/index.ts'))
    expect(files.length).toBeGreaterThan(10)
    const offenders = files.filter((f) => nodeImport.test(readFileSync(f, 'utf8'))).map((f) => f.slice(root.length + 1))
    expect(offenders).toEqual([])
  })

  it.each(['dist/index.js', 'dist/encrypted.js', 'dist/emulator.js'])('%s imports none', (file) => {
    const text = readFileSync(join(root, file), 'utf8')
    expect(text).not.toMatch(/from\s*['"]node:|import\(['"]node:|require\(/)
  })

  it('the scan itself catches a Node import', () => {
    expect(nodeImport.test("import { readFile } from 'node:fs'")).toBe(true)
    expect(nodeImport.test("import http from 'http'")).toBe(true)
    expect(nodeImport.test("import { x } from './http.js'")).toBe(false)
  })
})

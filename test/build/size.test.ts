/**
 * Bundle sizes as size-limit measures them: the built package bundled by esbuild into one minified
 * file, gzipped (bench/size.mjs holds the cases; `npm run bench -- size` prints them all). A
 * timing-free gate. `npm test` builds first. Issue #8's budgets: the lean entry's (11 KB token-only
 * and with alarms.list, 16 KB with Session + Password + webStorageStore, with and without alarms.list)
 * are asserted as they are; the IIFE's 19 KB is not met (it holds everything, the writer included), so
 * it is held at a measured ceiling (bench/size.mjs `ceilings`) until it is.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs bench module without declarations
import { budgets, bundleSize, cases, ceilings, fileSize } from '../../bench/size.mjs'

type Size = { min: number; gzip: number; metafile: { outputs: Record<string, { inputs: Record<string, unknown> }> } }
const TOKEN = 'core: createClient({ endpoint, token })'
const TOKEN_ALARMS = 'core: token client + alarms.list'
const SESSION = 'core: createClient + Session + identity.Password + webStorageStore'
const SESSION_ALARMS = 'core: Session + identity.Password + webStorageStore + alarms.list'
const IIFE = 'IIFE (dist/cdn/monasca.iife.min.js)'

describe('bundle size budgets (min+gzip, esbuild, one file)', () => {
  beforeAll(() => {
    if (!existsSync(resolve(import.meta.dirname, '../../dist/core.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)')
  })

  for (const name of [TOKEN, TOKEN_ALARMS, SESSION, SESSION_ALARMS]) {
    it(`${name}: within issue #8's budget (${budgets[name] / 1024} KB)`, async () => {
      const built = (await bundleSize(cases[name])) as Size
      console.info(`${name}: ${built.gzip} B gz (budget ${budgets[name]} B)`)
      expect(built.gzip, `${built.gzip} B gz, ${built.min} B min`).toBeLessThanOrEqual(budgets[name])
    })
  }

  it(`${IIFE}: within its ceiling (${ceilings[IIFE]} B gz; issue #8's budget 19 KB is not met)`, () => {
    const { gzip, min } = fileSize('dist/cdn/monasca.iife.min.js') as Size
    expect(gzip, `${gzip} B gz, ${min} B min`).toBeLessThanOrEqual(ceilings[IIFE])
  })

  it('a lean client bundles only the resources it is given: alarms.list brings no other resource, no watch, no writer', async () => {
    const { metafile } = (await bundleSize(cases[TOKEN_ALARMS], { fromSources: true })) as Size
    const inputs = Object.keys(Object.values(metafile.outputs)[0]!.inputs)
    expect(inputs).toContain('src/resources/alarms.ts')
    expect(inputs.filter((file) => /src\/resources\/(metrics|alarm-definitions|notifications|versions|alarms-with-watch)|src\/watch|src\/writer\/|src\/expression\//.test(file))).toEqual([])
  })

  it('a token-only lean client bundles no resource at all', async () => {
    const { metafile } = (await bundleSize(cases[TOKEN], { fromSources: true })) as Size
    const inputs = Object.keys(Object.values(metafile.outputs)[0]!.inputs)
    expect(inputs.filter((file) => file.startsWith('src/resources/'))).toEqual([])
  })

  it('the lean client carries no metrics writer (the main entry adds metrics.writer())', async () => {
    const { metafile } = (await bundleSize(cases[TOKEN], { fromSources: true })) as Size
    const inputs = Object.keys(Object.values(metafile.outputs)[0]!.inputs)
    expect(inputs.filter((file) => file.startsWith('src/writer/'))).toEqual([])
  })

  it('a token-only core bundle holds no Keystone, store, jose or ofetch code', async () => {
    const { metafile } = (await bundleSize(cases[TOKEN], { fromSources: true })) as Size
    const inputs = Object.keys(Object.values(metafile.outputs)[0]!.inputs)
    expect(inputs.filter((file) => /src\/auth\/(session|identity|keystone-http|access|scope|hash|options)|src\/stores\/|jose|ofetch/.test(file))).toEqual([])
  })

  it('a token-only core bundle does not reach the expression parser', async () => {
    const { metafile } = (await bundleSize(cases[TOKEN], { fromSources: true })) as Size
    const inputs = Object.keys(Object.values(metafile.outputs)[0]!.inputs)
    // The structural pre-check and ExpressionError come in; the grammar's parser only with validateExpression.
    expect(inputs.filter((file) => /src\/expression\/(parser|format)\.ts$/.test(file))).toEqual([])
  })

  it('naming Session and identity.Password brings Keystone in, and no jose (JWS expiry is decoded without it)', async () => {
    const { metafile } = (await bundleSize(cases[SESSION], { fromSources: true })) as Size
    const inputs = Object.keys(Object.values(metafile.outputs)[0]!.inputs)
    expect(inputs).toContain('src/auth/session.ts')
    expect(inputs.filter((file) => /jose|ofetch/.test(file))).toEqual([])
  })
})

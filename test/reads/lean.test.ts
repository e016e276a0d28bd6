/**
 * The lean edge: the alarm-definition resource checks expressions structurally, without the parser,
 * so a bundle that never names `parseExpression`/`validateExpression` leaves the parser out. The
 * check never refuses what the parser accepts; what it lets through comes back from the server's
 * 422 as the same ExpressionError a local parse gives.
 */
import { build } from 'esbuild'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import { precheckExpression } from '../../src/expression/precheck.js'
import { createClient, ExpressionError, parseExpression, UnprocessableEntityError, validateExpression } from '../../src/index.js'
import { captureFetch } from '../helpers/capture.js'

const oracle = JSON.parse(readFileSync(new URL('../expression/oracle.json', import.meta.url), 'utf8')) as { cases: Array<{ expression: string; ok: boolean }> }

const TOKENS = ['max(', 'avg(', 'count(', 'x', 'cpu.idle_perc', '{', '}', 'a=b', ',', ' ', ')', '(', '>', '<=', 'gt', 'lt', '1', '60', '-5.5',
  'and', 'or', '&&', '||', 'times', '3', 'deterministic', '\t', '\n', 'é', '\u0008', '😀']
const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((a) => a.join(''))
// Expressions of the grammar's shape (function, metric, dimensions, comparison, joined by and/or), so
// that every run holds accepted text, whatever the seed: the token soup alone is rarely valid.
const subExpression = fc
  .tuple(fc.constantFrom('max', 'avg', 'min', 'sum', 'count'), fc.constantFrom('x', 'cpu.idle_perc', 'disk.space_used_perc'),
    fc.constantFrom('', '{a=b}', '{hostname=web-01,service=web}'), fc.constantFrom('>', '<=', 'gt', 'lt'), fc.integer({ min: -100, max: 100 }),
    fc.constantFrom('', ' times 3'))
  .map(([fn, metric, dims, op, n, times]) => `${fn}(${metric}${dims}) ${op} ${n}${times}`)
const grammatical = fc.array(subExpression, { minLength: 1, maxLength: 4 }).chain((subs) =>
  fc.array(fc.constantFrom(' and ', ' or ', ' && ', ' || '), { minLength: subs.length - 1, maxLength: subs.length - 1 })
    .map((joins) => subs.reduce((text, sub, i) => (i === 0 ? sub : `${text}${joins[i - 1]}${sub}`), '')))

describe('precheckExpression', () => {
  it('never refuses an expression the parser accepts (oracle cases and generated text)', () => {
    for (const c of oracle.cases) if (c.ok) expect(() => precheckExpression(c.expression), c.expression).not.toThrow()
    let accepted = 0
    fc.assert(fc.property(fc.oneof(soup, grammatical, fc.string({ unit: 'binary' })), (text) => {
      if (validateExpression(text).ok) {
        accepted++
        precheckExpression(text)
      }
    }), { numRuns: 5000 })
    const nested = (n: number) => `${'('.repeat(n)}max(x) > 1${')'.repeat(n)}`
    expect(validateExpression(nested(100)).ok).toBe(true)
    expect(() => precheckExpression(nested(100))).not.toThrow()
    expect(accepted).toBeGreaterThan(0)
  })

  it.each([
    ['', 1, 'The expression is empty'],
    ['max(x > 1', 4, 'Missing ")" for this "("'],
    ['max(x)) > 1', 7, 'Unexpected ")" without "("'],
    ['max(x{a=b) > 1', 6, 'Missing "}" after these dimensions'],
    ['max(x{a={b}}) > 1', 9, 'Unexpected "{" inside dimensions'],
    ['max(x) 1', 9, 'Expected a comparison (<, <=, >, >=, lt, lte, gt, gte)'],
    ['max(x{a=\u0008}) > 1', 9, 'Character U+0008 cannot appear in an expression'],
    ['\tmax(x > 1', 12, 'Missing ")" for this "("'],
  ])('%j: column %i, %s', (text, column, reason) => {
    let error: unknown
    try {
      precheckExpression(text)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ExpressionError)
    expect(error).toMatchObject({ column, reason, field: 'expression' })
    // And the parser refuses it too.
    expect(validateExpression(text).ok).toBe(false)
    const lines = (error as ExpressionError).explain()
    expect(lines[3]!.indexOf('^') + 1).toBe(column)
  })
})

describe('alarmDefinitions without the parser', () => {
  it('refuses what the structural check catches before any request', async () => {
    const { fetch, calls } = captureFetch()
    const client = createClient({ endpoint: 'http://m.test/v2.0', token: 't', fetch })
    await expect(client.alarmDefinitions.create({ name: 'n', expression: 'avg(cpu > 90' })).rejects.toBeInstanceOf(ExpressionError)
    await expect(client.alarmDefinitions.patch('d1', { expression: '' })).rejects.toBeInstanceOf(ExpressionError)
    expect(calls).toHaveLength(0)
  })

  it('turns the server\'s 422 into the ExpressionError a local parse gives, with status and request id', async () => {
    const emulator = createEmulator({ tokens: { t: { projectId: 'p1', roles: ['monasca-user'] } } })
    const client = createClient({ endpoint: 'http://emulator/v2.0', token: 't', fetch: emulator.fetch, retries: 0 })
    for (const expression of ['avg(cpu) > 90 times 0', 'max(x, 61) > 1', 'max(x) >> 1', 'max(x) > 1 foo', 'max(x) > 1 and\n  min(y) <']) {
      expect(() => precheckExpression(expression)).not.toThrow() // only the grammar can tell
      const local = validateExpression(expression)
      if (local.ok) throw new Error(`${expression} parsed`)
      let error: unknown
      try {
        await client.alarmDefinitions.create({ name: `n${expression.length}`, expression })
      } catch (e) {
        error = e
      }
      expect(error, expression).toBeInstanceOf(ExpressionError)
      const remote = error as ExpressionError
      expect(remote).toMatchObject({ column: local.error.column, reason: local.error.reason, message: local.error.message, status: 422 })
      expect(remote.requestId).toMatch(/^req-/)
      expect(remote.cause).toBeInstanceOf(UnprocessableEntityError)
      expect(remote.explain().slice(0, 2)).toEqual(local.error.explain().slice(0, 2))
    }
    // A good expression is created, and an update with a bad one maps the same way.
    const made = await client.alarmDefinitions.create({ name: 'ok', expression: 'max(x) > 1' })
    const bad = 'max(x) > 1 times 0'
    const expected = validateExpression(bad)
    expect(expected.ok).toBe(false)
    await expect(client.alarmDefinitions.patch(made.id, { expression: bad })).rejects.toMatchObject({ name: 'ExpressionError', column: (expected as { error: ExpressionError }).error.column, status: 422 })
  })

  it('takes the full parser when asked (checkExpression), refusing before any request', async () => {
    const { AlarmDefinitions } = await import('../../src/resources/alarm-definitions.js')
    const { Transport } = await import('../../src/transport.js')
    const { fetch, calls } = captureFetch()
    const transport = new Transport({ endpoint: 'http://m.test/v2.0', auth: { getToken: async () => 't', invalidate: async () => false } as never, endpointFilter: { serviceType: 'monitoring', interface: 'public' }, fetch })
    const full = new AlarmDefinitions(transport, { checkExpression: parseExpression })
    await expect(full.create({ name: 'n', expression: 'avg(cpu) > 90 times 0' })).rejects.toMatchObject({ name: 'ExpressionError', column: 21 })
    expect(calls).toHaveLength(0)
  })
})

describe('what a bundle of the resource holds', () => {
  async function bundle(contents: string): Promise<string> {
    const result = await build({
      stdin: { contents, resolveDir: new URL('../../src/', import.meta.url).pathname, loader: 'ts' },
      bundle: true, write: false, minify: true, format: 'esm', platform: 'neutral', logLevel: 'silent',
      external: ['ofetch', 'jose'],
    })
    return result.outputFiles[0]!.text
  }
  // Text only the parser holds (the error class, which the resource keeps, has its own words).
  const parserOnly = ["Expected {'OR' | '||'} term", 'deterministic']

  it('the alarm-definition resource without the parser; validateExpression with it', async () => {
    const resource = await bundle("export { AlarmDefinitions } from './resources/alarm-definitions.ts'")
    for (const text of parserOnly) expect(resource).not.toContain(text)
    const withParser = await bundle("export { AlarmDefinitions } from './resources/alarm-definitions.ts'\nexport { validateExpression } from './expression/index.ts'")
    for (const text of parserOnly) expect(withParser).toContain(text)
    // The parser is the bulk of the difference (informational: sizes are gated by core's size test).
    expect(withParser.length - resource.length).toBeGreaterThan(3000)
  })
})

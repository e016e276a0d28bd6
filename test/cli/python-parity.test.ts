/**
 * Our parsing and table helpers against the Python client's own (Debian's python3-monascaclient and
 * its prettytable, run by test/cli/python/oracle.py) on many generated inputs.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { UsageError } from '../../src/cli/errors.js'
import { dimensionsQuery, parseKeyValues, parseValueMeta } from '../../src/cli/params.js'
import { formatDict, pyJson } from '../../src/cli/pyformat.js'
import { renderTable } from '../../src/cli/table.js'
import { describeWithSystemPart } from '../helpers/env.js'

const PYTHON = '/usr/bin/python3'
const ORACLE = fileURLToPath(new URL('./python/oracle.py', import.meta.url))
const available = existsSync(PYTHON) && existsSync('/usr/lib/python3/dist-packages/monascaclient/common/utils.py')

/** One Python process answers every case (its start-up costs a second). */
function askPython(cases: unknown[]): Array<{ ok?: unknown; error?: string }> {
  const result = spawnSync(PYTHON, [ORACLE], { input: cases.map((c) => JSON.stringify(c)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 << 20 })
  if (result.status !== 0) throw new Error(`oracle failed: ${result.stderr}`)
  return result.stdout.trim().split('\n').map((l) => JSON.parse(l))
}

// Text with the separators the rules care about, some non-ASCII and wide characters.
const piece = fc.constantFrom('a', 'b', 'host', 'k1', '=', ',', ';', ' ', 'x=y', 'é', '日本', '', ':', '|', '/', '2')
const word = fc.array(piece, { maxLength: 6 }).map((p) => p.join(''))
const argList = fc.array(word, { minLength: 1, maxLength: 3 })
const cell = fc.array(fc.constantFrom('a', 'bc', ' ', '\n', '日本', 'é', 'ｘ', '-', '|', '+', 'long text'), { maxLength: 6 }).map((p) => p.join(''))

describeWithSystemPart('python3-monascaclient', available, () => {
  it('dimension filters: format_dimensions_query + get_dimensions_url_string', () => {
    const inputs = fc.sample(argList, { numRuns: 300, seed: 42 })
    const answers = askPython(inputs.map((args) => ({ kind: 'dimensions_query', args })))
    inputs.forEach((args, i) => {
      const expected = answers[i]!.ok ?? undefined
      expect({ args, ours: dimensionsQuery(args) ?? null }).toEqual({ args, ours: expected ?? null })
    })
  })

  it('key=value bodies: format_parameters, including its error for an item without =', () => {
    const inputs = fc.sample(argList, { numRuns: 300, seed: 7 })
    const answers = askPython(inputs.map((args) => ({ kind: 'parameters', args })))
    inputs.forEach((args, i) => {
      const py = answers[i]!
      let ours: { ok?: unknown; error?: string }
      try {
        ours = { ok: parseKeyValues(args, '--dimensions') ?? {} }
      } catch (error) {
        ours = { error: (error as Error).message }
      }
      const pyHasList = py.ok !== undefined && Object.values(py.ok as object).some(Array.isArray)
      if (pyHasList) {
        // For dimensions Python sends a repeated key as a list the server refuses; we refuse it up
        // front. For value_meta (any JSON value) we send the same list.
        expect(ours.error, JSON.stringify(args)).toMatch(/is given twice/)
        expect(parseValueMeta(args)).toEqual(py.ok)
      } else {
        expect({ args, ...ours }).toEqual({ args, ...py })
      }
    })
    expect(() => parseKeyValues(['a=1', 'a=2'], 'x')).toThrow(UsageError)
  })

  it('tables: prettytable with every column left-aligned, multi-line and wide cells', () => {
    const shapes = fc.sample(
      fc.integer({ min: 1, max: 4 }).chain((n) =>
        fc.record({ headers: fc.uniqueArray(fc.constantFrom('name', 'id', 'dimensions', 'value', 'Dimension Names', '日付'), { minLength: n, maxLength: n }), rows: fc.array(fc.array(cell, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 4 }) }),
      ),
      { numRuns: 200, seed: 3 },
    )
    const answers = askPython(shapes.map((s) => ({ kind: 'table', ...s })))
    shapes.forEach((shape, i) => expect(renderTable(shape.headers, shape.rows), JSON.stringify(shape)).toBe(answers[i]!.ok))
  })

  it('format_dict and json_formatter of server values', () => {
    const text = fc.array(fc.constantFrom('a', ' ', '"', '\\', '\t', '\u0001', '\n', 'é', '日本', '😀', '/'), { maxLength: 5 }).map((p) => p.join(''))
    const scalar = fc.oneof(text, fc.integer(), fc.constantFrom(0.5, 1e-5, 123.25, 2.5e17, -0.001))
    const nested = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(text, scalar, { maxKeys: 2 }), fc.constant(null), fc.boolean())
    const values = fc.sample(fc.dictionary(fc.constantFrom('hostname', 'service', 'zone', 'ünï'), scalar), { numRuns: 100, seed: 5 })
    const documents = fc.sample(fc.dictionary(text, nested, { maxKeys: 4 }), { numRuns: 100, seed: 6 })
    const answers = askPython([...values.map((value) => ({ kind: 'dict', value })), ...documents.map((value) => ({ kind: 'json', value }))])
    values.forEach((value, i) => expect(formatDict(value)).toBe(answers[i]!.ok))
    documents.forEach((value, i) => expect(pyJson(value), JSON.stringify(value)).toBe(answers[values.length + i]!.ok))
  })
})

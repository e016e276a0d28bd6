import { describe, expect, it } from 'vitest'
import { renderPropertyTable, renderTable } from '../../src/cli/table.js'
import { textWidth } from '../../src/cli/text-width.js'
import { fixed3, formatDictList, formatExpressionData, pyFloat, pyJson, pyRepr, pyStr } from '../../src/cli/pyformat.js'

describe('renderTable (prettytable, left-aligned)', () => {
  it('draws borders, pads every column to its widest line and spreads multi-line cells', () => {
    const text = renderTable(['name', 'dimensions'], [['cpu', 'a: 1\nbb: 22222222'], ['mem', 'x']])
    expect(text.split('\n')).toEqual([
      '+------+--------------+',
      '| name | dimensions   |',
      '+------+--------------+',
      '| cpu  | a: 1         |',
      '|      | bb: 22222222 |',
      '| mem  | x            |',
      '+------+--------------+',
    ])
  })

  it('prints nothing for no rows (print_empty=False)', () => {
    expect(renderTable(['a'], [])).toBe('')
  })

  it('counts East Asian wide characters as two columns', () => {
    const lines = renderTable(['name'], [['日本'], ['abcde']]).split('\n')
    expect(lines[3]).toBe('| 日本  |')
    expect(lines[4]).toBe('| abcde |')
    expect(textWidth('日本')).toBe(4)
    expect(textWidth('e\u0301')).toBe(1)
  })

  it('sorts Property/Value rows by property name', () => {
    const lines = renderPropertyTable([['name', 'n'], ['id', 'x'], ['links', 'l']]).split('\n')
    expect(lines.slice(3, 6).map((l) => l.split('|')[1]!.trim())).toEqual(['id', 'links', 'name'])
  })
})

describe('Python str()/repr() of JSON values', () => {
  it('writes booleans, null, floats and containers the way Python does', () => {
    expect(pyStr(true)).toBe('True')
    expect(pyStr(null)).toBe('None')
    expect(pyStr({ a: 1, b: [1, 'x', false] })).toBe("{'a': 1, 'b': [1, 'x', False]}")
    expect(pyRepr("it's")).toBe('"it\'s"')
    expect(pyFloat(1e-5)).toBe('1e-05')
    expect(pyFloat(1.5e16)).toBe('15000000000000000')
    expect(pyFloat(2.5e22)).toBe('2.5e+22')
    expect(pyFloat(0.0001)).toBe('0.0001')
  })

  it("formats values as '{:12.3f}'", () => {
    expect(fixed3(1.5)).toBe('       1.500')
    expect(fixed3(-1234567.25)).toBe('-1234567.250')
  })

  it('escapes non-ASCII only when asked (ensure_ascii)', () => {
    expect(pyJson({ a: 'ñ' })).toBe('{\n  "a": "ñ"\n}')
    expect(pyJson({ a: 'ñ😀' }, true)).toBe('{\n  "a": "\\u00f1\\ud83d\\ude00"\n}')
  })

  it('formats links as sorted k:v lists and expression data with its dimensions block', () => {
    expect(formatDictList([{ rel: 'self', href: 'h' }])).toBe('href:h,rel:self')
    expect(formatExpressionData({ function: 'AVG', dimensions: { hostname: 'h1' }, threshold: 5 })).toBe(
      'function: AVG\ndimensions: {\nhostname: h1\n}\nthreshold: 5',
    )
  })
})

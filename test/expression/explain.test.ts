import { describe, expect, it } from 'vitest'
import { ExpressionError, validateExpression } from '../../src/expression/index.js'

function explain(text: string): string[] {
  const result = validateExpression(text)
  if (result.ok) throw new Error(`${text} parsed`)
  return result.error.explain()
}

/** The column the caret points at (1-based). */
const caretColumn = (lines: string[]) => lines[3]!.indexOf('^') + 1

describe('ExpressionError.explain(): the server text, plain words and a caret', () => {
  it('keeps the server text first, then a sentence, the line and a caret under the column', () => {
    const lines = explain('avg(cpu.user_perc{hostname=web-01}) > ')
    expect(lines[0]).toBe("parser failed on expression 'avg(cpu.user_perc{hostname=web-01}) > ' at column 39: Expected {'OR' | '||'} term")
    expect(lines[1]).toMatch(/^The expression ends too early at column 39: .*operator.*number/)
    expect(lines[2]).toBe('avg(cpu.user_perc{hostname=web-01}) > ')
    expect(caretColumn(lines)).toBe(39)
    expect(lines).toHaveLength(4)
  })

  it.each([
    ['max(x) >> 1', 9, /^The text at column 9 \("> 1"\) does not fit a comparison/],
    ['max(x) > 1 )', 12, /^The expression is complete before column 12, but more text follows \("\)"\)/],
    ['max(x, 61) > 1', 8, /period .* positive multiple of 60/],
    ['max(x, 0) > 1', 8, /period .* positive multiple of 60/],
    ['avg(cpu) > 90 times 0', 21, /"times" .* 1 or more/],
    ['max(x) > 1 and min(y{a=b) < 3', 12, /^What follows "and" at column 12 is not a complete comparison/],
    [`${'('.repeat(101)}max(x) > 1${')'.repeat(101)}`, 101, /nested too deeply: at most 100 levels are allowed/],
  ])('%s: caret at column %i, %s', (text, column, plain) => {
    const lines = explain(text)
    expect(caretColumn(lines)).toBe(column)
    expect(lines[1]).toMatch(plain)
    // The caret line is the error's own column, and the sentence names it.
    expect(lines[0]).toContain(`at column ${column}:`)
    expect(lines[1]).toContain(`column ${column}`)
  })

  it('aligns the caret through tabs (expanded as the parser does) and control characters', () => {
    const lines = explain('\tmax(x)  1')
    expect(lines[2]).toBe('        max(x)  1')
    expect(caretColumn(lines)).toBe(17)
    expect(lines[2]![16]).toBe('1')
    const text = 'max(x{a=\u0008b}) > 1 and \u0007'
    const control = explain(text)
    expect(control[2]).not.toMatch(/[\u0000-\u001f]/)
    // One column per character still: the caret stays over the same character as in the source.
    expect(Array.from(control[2]!)).toHaveLength(Array.from(text).length)
    const under = Array.from(text)[caretColumn(control) - 1]!
    expect(Array.from(control[2]!)[caretColumn(control) - 1]).toBe(under < ' ' ? '\uFFFD' : under)
  })

  it('shows the failing line of a multi-line expression and names it', () => {
    const result = validateExpression('max(x) > 1 or\nmin(y) < 1 or\n  avg(z) >')
    expect(result.ok).toBe(false)
    const error = (result as { error: ExpressionError }).error
    const lines = error.explain()
    expect(lines[2]).toBe(error.line === 1 ? 'max(x) > 1 or' : error.line === 2 ? 'min(y) < 1 or' : '  avg(z) >')
    expect(lines[2]![error.column - 1] ?? ' ').toBeDefined()
    if (error.line > 1) expect(lines[1]).toContain(`line ${error.line}, column ${error.column}`)
    expect(error.toJSON()).toMatchObject({ line: error.line, column: error.column, plain: lines[1] })
  })
})

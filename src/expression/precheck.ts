/**
 * A cheap structural check of an alarm expression, for the resource that sends definitions: it
 * refuses what the server's grammar can never accept (no text, unbalanced brackets, nesting the
 * server cannot parse, characters no token may hold, no comparison at all) without the ~6 KB
 * parser, so a bundle that never calls `parseExpression`/`validateExpression` leaves the parser out.
 * It never refuses an expression the parser accepts (a property test holds it to that); what it
 * lets through, the server checks, and its 422 comes back as the same ExpressionError.
 */
import { ExpressionError, expandTabs } from './errors.js'

const MAX_DEPTH = 100

/** Throws ExpressionError (column as the parser counts it) for an expression the server must refuse. */
export function precheckExpression(text: unknown): void {
  if (typeof text !== 'string') throw new ExpressionError(typeof text, 1, 'The expression must be text')
  const chars = Array.from(text)
  const at = (index: number, reason: string) => {
    // Columns as pyparsing counts them: within the line, tabs expanded to the next multiple of 8.
    let start = index
    while (start > 0 && chars[start - 1] !== '\n') start--
    let end = index
    while (end < chars.length && chars[end] !== '\n') end++
    const line = chars.slice(0, start).filter((ch) => ch === '\n').length + 1
    // No character past U+FFFF gets here, so a string's length counts columns.
    const column = expandTabs(chars.slice(start, index).join('')).length + 1
    return new ExpressionError(text, column, reason, { line, lineText: expandTabs(chars.slice(start, end).join('')) })
  }
  if (text.trim() === '') throw at(chars.length, 'The expression is empty')
  const opens: number[] = []
  let brace = -1
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!
    const code = ch.codePointAt(0)!
    if ((code < 0x20 && ch !== '\t' && ch !== '\n' && ch !== '\r') || code === 0x7f || code > 0xffff) {
      throw at(i, `Character U+${code.toString(16).toUpperCase().padStart(4, '0')} cannot appear in an expression`)
    }
    if (ch === '{') {
      if (brace !== -1) throw at(i, 'Unexpected "{" inside dimensions')
      brace = i
    } else if (ch === '}') {
      if (brace === -1) throw at(i, 'Unexpected "}" without "{"')
      brace = -1
    } else if (ch === '(') {
      opens.push(i)
      // One level more than the parser's limit on groups: a function call's own brackets sit inside them.
      if (opens.length > MAX_DEPTH + 1) throw at(i, `Parentheses nested deeper than ${MAX_DEPTH} levels`)
    } else if (ch === ')') {
      if (opens.pop() === undefined) throw at(i, 'Unexpected ")" without "("')
    }
  }
  if (brace !== -1) throw at(brace, 'Missing "}" after these dimensions')
  if (opens.length > 0) throw at(opens[opens.length - 1]!, 'Missing ")" for this "("')
  if (!/[<>]|lt|gt/i.test(text)) throw at(chars.length, 'Expected a comparison (<, <=, >, >=, lt, lte, gt, gte)')
}

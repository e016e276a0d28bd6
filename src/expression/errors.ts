import { MonascaValidationError } from '../errors.js'

/** Where an expression failed: its line (1-based) and that line as the parser saw it (tabs expanded). */
export interface ExpressionErrorLocation {
  line: number
  lineText: string
}

/**
 * An alarm expression the server would refuse. `message` is the server's own 422 description
 * ("parser failed on expression '…' at column N: …"), so a dashboard can show the same words
 * whether the check ran locally or on the server; `explain()` adds plain words and a caret.
 */
export class ExpressionError extends MonascaValidationError {
  override name = 'ExpressionError'
  override readonly code: string = 'invalid_expression'
  /** 1-based column where parsing failed (pyparsing's column, within its line). */
  readonly column: number
  /** 1-based line where parsing failed (1 unless the expression has line breaks). */
  readonly line: number
  /** The parser's own reason, e.g. "Expected ')'" or "Period 61 must be a multiple of 60". */
  readonly reason: string
  /** The expression as given. */
  readonly expression: string
  readonly #lineText: string

  constructor(expression: string, column: number, reason: string, location?: ExpressionErrorLocation) {
    super('expression', reason)
    const message = `parser failed on expression '${expression}' at column ${column}: ${reason}`
    this.message = message
    this.column = column
    this.reason = reason
    this.expression = expression
    this.line = location?.line ?? 1
    this.#lineText = location?.lineText ?? expandTabs(expression.split('\n')[0]!)
    // The server answers 422 {"title":"Invalid alarm expression","description": message}.
    Object.assign(this as object, { title: 'Invalid alarm expression', description: message })
  }

  /** A sentence a person understands, without parser jargon (what `explain()` puts second). */
  get plain(): string {
    return plainReason(this.reason, this.#lineText, this.column, this.line)
  }

  /**
   * The error for people: the server's text, a plain sentence, then the line of the expression
   * with a caret under the column. Print the lines in a monospace font (CLI, `<pre>`).
   */
  explain(): string[] {
    // Control characters would move the caret: shown as U+FFFD, one column each like the parser's.
    const shown = Array.from(this.#lineText, (ch) => (ch < ' ' || ch === '\u007f' ? '\uFFFD' : ch))
    const lines = [this.message, this.plain, shown.join(''), `${' '.repeat(Math.max(0, this.column - 1))}^`]
    return lines
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), column: this.column, line: this.line, reason: this.reason, plain: this.plain }
  }
}

/** Tabs to the next multiple of 8, as the parser (pyparsing) sees them. */
export function expandTabs(line: string): string {
  let out = ''
  for (const ch of Array.from(line)) out += ch === '\t' ? ' '.repeat(8 - (Array.from(out).length % 8)) : ch
  return out
}

const EXAMPLE = 'avg(cpu.user_perc{hostname=web-01}) > 90'

function plainReason(reason: string, lineText: string, column: number, line: number): string {
  const where = line > 1 ? `line ${line}, column ${column}` : `column ${column}`
  const rest = Array.from(lineText).slice(column - 1).join('').trim()
  const near = rest === '' ? '' : ` ("${rest.length > 20 ? `${rest.slice(0, 20)}…` : rest}")`
  if (/^Period must not be 0$|^Period \d+ must be a multiple of 60$/.test(reason)) {
    return `The period at ${where} is the number of seconds each value is computed over: it must be a positive multiple of 60, such as 60 or 300.`
  }
  if (/^Periods -?\d+ must be 1 or greater$/.test(reason)) {
    return `The number after "times" at ${where} says how many periods in a row must breach the threshold: it must be 1 or more.`
  }
  if (/^Parentheses nested deeper than \d+ levels$/.test(reason)) {
    return `The parentheses at ${where} are nested too deeply: ${reason.replace('Parentheses nested deeper than ', 'at most ')} are allowed; write the expression flatter.`
  }
  if (!/^Expected /.test(reason)) return `At ${where}: ${reason}.`
  const joiner = /^(and|or|&&|\|\|)/i.exec(rest)
  if (reason === 'Expected string_end' && joiner) {
    return `What follows "${joiner[1]}" at ${where} is not a complete comparison such as ${EXAMPLE}: look for a missing bracket, operator or threshold.`
  }
  if (reason === 'Expected string_end') {
    return `The expression is complete before ${where}, but more text follows${near}: join comparisons with "and" or "or", and check for an extra bracket.`
  }
  if (rest === '') {
    return `The expression ends too early at ${where}: a comparison needs a metric, an operator (<, <=, >, >=) and a number, as in ${EXAMPLE}.`
  }
  return `The text at ${where}${near} does not fit a comparison such as ${EXAMPLE}: look for a missing bracket, operator or threshold, or a character that is not allowed there.`
}

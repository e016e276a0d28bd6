import { MonascaValidationError } from '../errors.js'

/**
 * An alarm expression the server would refuse. `message` is the server's own 422 description
 * ("parser failed on expression '…' at column N: …"), so a dashboard can show the same words
 * whether the check ran locally or on the server.
 */
export class ExpressionError extends MonascaValidationError {
  override name = 'ExpressionError'
  override readonly code: string = 'invalid_expression'
  /** 1-based column where parsing failed (pyparsing's column). */
  readonly column: number
  /** The parser's own reason, e.g. "Expected ')'" or "Period 61 must be a multiple of 60". */
  readonly reason: string

  constructor(expression: string, column: number, reason: string) {
    super('expression', reason)
    const message = `parser failed on expression '${expression}' at column ${column}: ${reason}`
    this.message = message
    this.column = column
    this.reason = reason
    // The server answers 422 {"title":"Invalid alarm expression","description": message}.
    Object.assign(this as object, { title: 'Invalid alarm expression', description: message })
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), column: this.column, reason: this.reason }
  }
}

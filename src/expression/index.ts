/**
 * Monasca alarm expressions: parse, validate and format them exactly as the server's grammar does,
 * so that a dashboard can check an expression as the user types and the SDK can refuse a bad one
 * before any request.
 */
import { ExpressionError } from './errors.js'
import { parse } from './parser.js'
import type { AlarmExpression } from './types.js'

export { ExpressionError } from './errors.js'
export { formatExpression, formatSubExpression, operatorSymbol } from './format.js'
export type {
  AlarmExpression,
  AlarmFunction,
  AlarmOperator,
  ExpressionNode,
  LogicalExpression,
  SubExpression,
} from './types.js'

/** Parse an alarm expression. Throws ExpressionError (a MonascaValidationError on field `expression`). */
export function parseExpression(text: string): AlarmExpression {
  return parse(text)
}

export type ExpressionValidation = { ok: true; expression: AlarmExpression } | { ok: false; error: ExpressionError }

/** Like parseExpression, but returns the outcome instead of throwing (for as-you-type checks). */
export function validateExpression(text: string): ExpressionValidation {
  try {
    return { ok: true, expression: parse(text) }
  } catch (error) {
    if (error instanceof ExpressionError) return { ok: false, error }
    throw error
  }
}

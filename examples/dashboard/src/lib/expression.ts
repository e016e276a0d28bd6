/**
 * The expression editor's check: validateExpression as the user types; the SDK's plain sentence
 * and the failing line with a caret under the column (ExpressionError.plain / explain()).
 */
import { validateExpression } from 'monasca-client'

export interface ExpressionCheck {
  ok: boolean
  /** 1-based column (within `line`) of the problem. */
  column?: number
  line?: number
  /** Plain words. */
  message?: string
  /** The failing line and a caret under the column, for a monospace block. */
  caret?: string
  /** The parser's own reason (as the server would say it). */
  reason?: string
  /** Metric names used, for scoping the match_by and dimension pickers. */
  metrics: string[]
}

export const EXAMPLE = 'avg(cpu.user_perc{hostname=web-01}) > 90 times 3'

export function checkExpression(text: string): ExpressionCheck {
  if (text.trim() === '') return { ok: false, column: 1, line: 1, message: `Write an expression, for example ${EXAMPLE}`, metrics: [] }
  const result = validateExpression(text)
  if (result.ok) return { ok: true, metrics: [...new Set(result.expression.sub_expressions.map((sub) => sub.metric_name))] }
  const { error } = result
  const [, , line, caret] = error.explain()
  return { ok: false, column: error.column, line: error.line, reason: error.reason, message: hint(line ?? '', error.column) ?? error.plain, caret: `${line}\n${caret}`, metrics: [] }
}

/** What the user is in the middle of typing, said more precisely than the parser can. */
function hint(line: string, column: number): string | undefined {
  const rest = line.slice(column - 1).trim()
  if (/^times$/i.test(rest)) return `"times" at column ${column} needs a whole number after it: how many periods in a row must breach, e.g. times 3.`
  if (/^(and|or|&&|\|\|)$/i.test(rest)) return `"${rest}" at column ${column} needs another comparison after it, e.g. ${rest} max(mem.usable_perc) < 10.`
  return undefined
}

/**
 * The expression editor's words: validateExpression gives the server's parser message and a
 * column; this says the same in terms of what the user typed.
 */
import { validateExpression } from 'monasca-client'

export interface ExpressionCheck {
  ok: boolean
  /** 1-based column of the problem. */
  column?: number
  /** Plain words. */
  message?: string
  /** The parser's own reason (as the server would say it). */
  reason?: string
  /** Metric names used, for scoping the match_by and dimension pickers. */
  metrics: string[]
}

const EXAMPLE = 'avg(cpu.user_perc{hostname=web-01}) > 90 times 3'

export function checkExpression(text: string): ExpressionCheck {
  if (text.trim() === '') return { ok: false, column: 1, message: `Write an expression, for example ${EXAMPLE}`, metrics: [] }
  const result = validateExpression(text)
  if (result.ok) {
    const metrics = result.expression.sub_expressions.map((sub) => sub.metric_name)
    return { ok: true, metrics: [...new Set(metrics)] }
  }
  const { column, reason } = result.error
  return { ok: false, column, reason, message: explain(text, column, reason), metrics: [] }
}

function explain(text: string, column: number, reason: string): string {
  const rest = text.slice(column - 1)
  const word = /^\s*(\S+)/.exec(rest)?.[1] ?? ''
  const at = `at column ${column}`
  if (/multiple of 60/.test(reason)) return `The period ${at} must be a whole number of minutes in seconds (60, 120, 300…).`
  if (/Period must not be 0/.test(reason)) return `The period ${at} cannot be 0: use 60 seconds or more.`
  if (/Periods .* must be 1 or greater/.test(reason)) return `"times" ${at} must be followed by 1 or more.`
  if (/string_end/.test(reason)) {
    if (/^times$/i.test(word)) return `"times" ${at} must be followed by a whole number, e.g. times 3.`
    if (/^(and|or|&&|\|\|)$/i.test(word)) return `"${word}" ${at} must be followed by another condition, e.g. ${word} max(mem.used_perc) > 80.`
    return `The expression is complete before column ${column}; "${word}" there is not part of it. Remove it, or join another condition with and / or.`
  }
  if (rest.trim() === '') return `The expression ends too early ${at}: a comparison and a threshold (> 90) or another condition is missing.`
  if (/^[,}{]/.test(word) || /[{,]\s*[}]/.test(text)) return `The dimensions ${at} are not complete: write them as {name=value, other=value}.`
  const open = (text.match(/\(/g) ?? []).length
  const close = (text.match(/\)/g) ?? []).length
  if (open !== close) return `The parentheses do not match (${open} opened, ${close} closed); the expression cannot be read from column ${column}.`
  if (/^[<>=!]{2,}/.test(word) && !/^(<=|>=)/.test(word)) return `"${word}" ${at} is not a comparison: use <, <=, >, >=, lt, lte, gt or gte.`
  return `The expression cannot be read from column ${column} ("${rest.trim().slice(0, 24)}"). Expected a condition such as ${EXAMPLE}: a function (avg, min, max, sum, count, last), a metric in parentheses, a comparison and a number.`
}

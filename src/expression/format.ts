import { MonascaValidationError } from '../errors.js'
import type { AlarmOperator, ExpressionNode, SubExpression } from './types.js'

const SYMBOLS: Record<AlarmOperator, string> = { LT: '<', GT: '>', LTE: '<=', GTE: '>=' }

/** The operator as a symbol (`GTE` → `>=`). */
export const operatorSymbol = (operator: AlarmOperator): string => SYMBOLS[operator]

/** A number as the grammar accepts it: no exponent, no leading `+`. */
export function formatThreshold(value: number): string {
  const plain = String(value)
  if (!/e/i.test(plain)) return plain
  const fixed = value.toFixed(20).replace(/\.?0+$/, '')
  return fixed === '-0' ? '0' : fixed
}

/** Python's str(float): `10.0`, `1.5` (used in reasons, as the threshold engine prints them). */
export function pythonFloat(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(1)
  return String(value)
}

function dimensionsText(dimensions: Record<string, string>): string {
  const entries = Object.entries(dimensions)
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}=${v}`).join(',')}}`
}

/** One sub-expression in canonical form: `avg(cpu{host=a}, deterministic, 120) > 5 times 2`. */
export function formatSubExpression(sub: SubExpression, options: { pythonThreshold?: boolean } = {}): string {
  checkSub(sub)
  let text = `${sub.function.toLowerCase()}(${sub.metric_name}${dimensionsText(sub.dimensions)}`
  if (sub.deterministic) text += ', deterministic'
  if (sub.period !== 60) text += `, ${sub.period}`
  const threshold = options.pythonThreshold ? pythonFloat(sub.threshold) : formatThreshold(sub.threshold)
  text += `) ${operatorSymbol(sub.operator)} ${threshold}`
  if (sub.periods !== 1) text += ` times ${sub.periods}`
  return text
}

/** A whole expression in canonical form; nested logical groups are parenthesised. */
export function formatExpression(node: ExpressionNode, depth = 0): string {
  if (typeof node !== 'object' || node === null) throw new MonascaValidationError('expression', 'must be a parsed expression tree (parseExpression(text).tree)')
  if (node.type === 'sub') return formatSubExpression(node)
  if ((node.type !== 'AND' && node.type !== 'OR') || !Array.isArray(node.operands) || node.operands.length === 0) {
    throw new MonascaValidationError('expression', 'has a node that is neither a comparison nor an AND/OR with operands')
  }
  if (depth > 100) throw new MonascaValidationError('expression', 'is nested deeper than 100 levels')
  const joiner = node.type === 'AND' ? ' and ' : ' or '
  return node.operands.map((op) => (op?.type === 'sub' ? formatSubExpression(op) : `(${formatExpression(op, depth + 1)})`)).join(joiner)
}

/** What formatting reads from a comparison: the parser's own output always has it. */
function checkSub(sub: SubExpression): void {
  const ok = typeof sub === 'object' && sub !== null &&
    typeof sub.function === 'string' && typeof sub.metric_name === 'string' && typeof sub.threshold === 'number' &&
    Object.hasOwn(SYMBOLS, sub.operator) && typeof sub.dimensions === 'object' && sub.dimensions !== null
  if (!ok) throw new MonascaValidationError('expression', 'has a comparison without function, metric_name, operator, threshold and dimensions')
}

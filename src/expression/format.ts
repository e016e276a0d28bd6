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
  let text = `${sub.function.toLowerCase()}(${sub.metric_name}${dimensionsText(sub.dimensions)}`
  if (sub.deterministic) text += ', deterministic'
  if (sub.period !== 60) text += `, ${sub.period}`
  const threshold = options.pythonThreshold ? pythonFloat(sub.threshold) : formatThreshold(sub.threshold)
  text += `) ${operatorSymbol(sub.operator)} ${threshold}`
  if (sub.periods !== 1) text += ` times ${sub.periods}`
  return text
}

/** A whole expression in canonical form; nested logical groups are parenthesised. */
export function formatExpression(node: ExpressionNode): string {
  if (node.type === 'sub') return formatSubExpression(node)
  const joiner = node.type === 'AND' ? ' and ' : ' or '
  return node.operands.map((op) => (op.type === 'sub' ? formatSubExpression(op) : `(${formatExpression(op)})`)).join(joiner)
}

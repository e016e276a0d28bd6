/**
 * Property tests: any expression tree we can generate prints to text that parses back to the same
 * tree, however the text is spaced and however its keywords are cased or spelled.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type AlarmFunction,
  type AlarmOperator,
  type ExpressionNode,
  type SubExpression,
  formatExpression,
  parseExpression,
  validateExpression,
} from '../../src/expression/index.js'

const IDENT_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_#!$%&\'*+/:;?@[\\]^`|~', 'é', '馬', 'д']
const identifier = fc.array(fc.constantFrom(...IDENT_CHARS), { minLength: 1, maxLength: 12 }).map((a) => a.join(''))
/** Dimension names and values may hold inner spaces (never leading or trailing, which the parser trims). */
const dimensionText = fc
  .tuple(identifier, fc.option(identifier, { nil: undefined }))
  .map(([a, b]) => (b === undefined ? a : `${a} ${b}`))

const FUNCTIONS: AlarmFunction[] = ['MIN', 'MAX', 'SUM', 'COUNT', 'AVG', 'LAST']
const OPERATORS: AlarmOperator[] = ['LT', 'GT', 'LTE', 'GTE']

const threshold = fc
  .tuple(fc.boolean(), fc.integer({ min: 0, max: 1_000_000 }), fc.option(fc.integer({ min: 0, max: 999_999 }), { nil: undefined }))
  .map(([negative, whole, fraction]) => Number(`${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`))

const sub: fc.Arbitrary<SubExpression> = fc
  .record({
    function: fc.constantFrom(...FUNCTIONS),
    metric_name: identifier,
    dimensions: fc.dictionary(dimensionText, dimensionText, { maxKeys: 3 }),
    deterministic: fc.boolean(),
    period: fc.integer({ min: 1, max: 100 }).map((n) => n * 60),
    periods: fc.integer({ min: 1, max: 20 }),
    operator: fc.constantFrom(...OPERATORS),
    threshold,
  })
  .map((s) => ({ type: 'sub' as const, ...s, threshold: Object.is(s.threshold, -0) ? 0 : s.threshold, column: 0, source: '' }))

const tree: fc.Arbitrary<ExpressionNode> = fc.letrec<{ node: ExpressionNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    sub,
    fc.record({ type: fc.constantFrom('AND' as const, 'OR' as const), operands: fc.array(tie('node'), { minLength: 2, maxLength: 3 }) }),
  ),
})).node

/** The tree without source positions, for comparison. */
function shape(node: ExpressionNode): unknown {
  if (node.type === 'sub') {
    const { column, source, ...rest } = node
    return rest
  }
  return { type: node.type, operands: node.operands.map(shape) }
}

/** Print with random spacing, keyword case and spelling (`and`/`&&`, `>`/`gt`). */
function scramble(node: ExpressionNode, rnd: () => number): string {
  const ws = () => [' ', '', '  ', '\t', '\n'][Math.floor(rnd() * 5)]!
  const cased = (word: string) => [...word].map((c) => (rnd() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('')
  if (node.type !== 'sub') {
    const words = node.type === 'AND' ? ['and', '&&'] : ['or', '||']
    return node.operands
      .map((op) => (op.type === 'sub' ? scramble(op, rnd) : `(${ws()}${scramble(op, rnd)}${ws()})`))
      .map((text, i) => (i === 0 ? text : ` ${cased(words[Math.floor(rnd() * 2)]!)} ${ws()}${text}`))
      .join('')
  }
  const dims = Object.entries(node.dimensions)
  const dimText = dims.length ? `${ws()}{${ws()}${dims.map(([k, v]) => `${k}${ws()}=${ws()}${v}`).join(`${ws()},${ws()}`)}${ws()}}` : ''
  const spell: Record<AlarmOperator, string[]> = { LT: ['<', 'lt'], GT: ['>', 'gt'], LTE: ['<=', 'lte'], GTE: ['>=', 'gte'] }
  let text = `${cased(node.function.toLowerCase())}${ws()}(${ws()}${node.metric_name}${dimText}`
  if (node.deterministic) text += `${ws()},${ws()}${cased('deterministic')}`
  if (node.period !== 60 || rnd() < 0.3) text += `${ws()},${ws()}${node.period}`
  text += `${ws()})${ws()}`
  const op = spell[node.operator][Math.floor(rnd() * 2)]!
  // A word operator needs a separator from the closing paren only for readability; the grammar does not care.
  text += `${/^[a-z]/.test(op) ? cased(op) : op}${ws()}${String(node.threshold).replace(/^-/, `-${ws()}`)}`
  if (node.periods !== 1 || rnd() < 0.3) text += ` ${cased('times')} ${ws()}${node.periods}`
  return text
}

describe('expression round trips (fast-check)', () => {
  it('formatExpression then parseExpression gives back the same tree', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const text = formatExpression(t)
        expect(shape(parseExpression(text).tree)).toEqual(shape(t))
      }),
      { numRuns: 300 },
    )
  })

  it('whitespace, keyword case and operator spelling do not change the tree', () => {
    fc.assert(
      fc.property(tree, fc.integer(), (t, seed) => {
        let state = seed >>> 0 || 1
        const rnd = () => {
          state = Math.imul(state ^ (state >>> 15), 2246822507) >>> 0
          state = (state ^ (state >>> 13)) >>> 0
          return (state % 10_000) / 10_000
        }
        const text = scramble(t, rnd)
        const result = validateExpression(text)
        if (!result.ok) throw new Error(`${result.error.message}`)
        expect(shape(result.expression.tree)).toEqual(shape(t))
      }),
      { numRuns: 300 },
    )
  })

  it('never throws anything but ExpressionError, and a failure column lies within the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const result = validateExpression(text)
        if (!result.ok) {
          expect(result.error.column).toBeGreaterThanOrEqual(1)
          expect(result.error.column).toBeLessThanOrEqual([...text].length * 8 + 1) // tabs expand to up to 8 columns
          expect(result.error.message.startsWith(`parser failed on expression '${text}' at column `)).toBe(true)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('deterministic is the AND of the sub-expressions', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const parsed = parseExpression(formatExpression(t))
        expect(parsed.deterministic).toBe(parsed.sub_expressions.every((s) => s.deterministic))
      }),
      { numRuns: 100 },
    )
  })
})

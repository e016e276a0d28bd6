/**
 * A recursive-descent parser for Monasca alarm expressions, written from the grammar facts
 * (shared/reference/monasca-api.md §5). It reproduces the server's observable behaviour:
 * keywords are case-insensitive literal prefixes (so `0or` and `andfoo` split as pyparsing splits
 * them), whitespace between tokens is ignored, identifiers are at most 255 characters, `period`
 * and `periods` errors are fatal, and a failure reports the furthest column any alternative reached.
 */
import { ExpressionError } from './errors.js'
import type {
  AlarmExpression,
  AlarmFunction,
  AlarmOperator,
  ExpressionNode,
  LogicalExpression,
  SubExpression,
} from './types.js'

const MAX_IDENTIFIER = 255
const DEFAULT_PERIOD = 60
const DEFAULT_PERIODS = 1
const WHITESPACE = new Set([' ', '\n', '\t', '\r'])
const ASCII_IDENTIFIER = new Set([...".-_#!$%&'*+/:;?@[\\]^`|~"])
/** Python's str.isspace() for code points 128..65535 (these are not identifier characters). */
const UNICODE_SPACES = new Set([
  0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
])

function isIdentifierChar(ch: string): boolean {
  const cp = ch.codePointAt(0)!
  if (cp < 128) return /[A-Za-z0-9]/.test(ch) || ASCII_IDENTIFIER.has(ch)
  return cp <= 0xffff && !UNICODE_SPACES.has(cp)
}
const isDimensionChar = (ch: string) => ch === ' ' || isIdentifierChar(ch)
const isDigit = (ch: string) => ch >= '0' && ch <= '9'

const FUNCTIONS: AlarmFunction[] = ['MAX', 'MIN', 'AVG', 'COUNT', 'SUM', 'LAST']
/** Longer spellings first, as the server's grammar orders them. */
const OPERATORS: Array<[string, AlarmOperator]> = [
  ['<=', 'LTE'], ['lte', 'LTE'], ['<', 'LT'], ['lt', 'LT'],
  ['>=', 'GTE'], ['gte', 'GTE'], ['>', 'GT'], ['gt', 'GT'],
]

class Fatal {
  constructor(readonly pos: number, readonly reason: string) {}
}

class Parser {
  private readonly chars: string[]
  private furthestPos = -1
  private furthestExpected: string[] = []

  constructor(private readonly text: string) {
    this.chars = Array.from(text)
  }

  parse(): AlarmExpression {
    let tree: ExpressionNode | null
    try {
      const result = this.orExpression(0)
      if (result === null) throw this.furthestError()
      tree = result.node
      const end = this.skip(result.end)
      if (end !== this.chars.length) throw this.error(end, 'Expected end of text')
    } catch (e) {
      if (e instanceof Fatal) throw this.error(e.pos, e.reason)
      throw e
    }
    const sub_expressions = collect(tree)
    return {
      expression: this.text,
      tree,
      sub_expressions,
      deterministic: sub_expressions.every((s) => s.deterministic),
    }
  }

  // ---- error bookkeeping -------------------------------------------------------------

  private expect(pos: number, what: string): null {
    if (pos > this.furthestPos) {
      this.furthestPos = pos
      this.furthestExpected = [what]
    } else if (pos === this.furthestPos && !this.furthestExpected.includes(what)) {
      this.furthestExpected.push(what)
    }
    return null
  }

  private furthestError(): ExpressionError {
    const expected = this.furthestExpected
    const what = expected.length === 1 ? expected[0]! : `{${expected.join(' | ')}}`
    return this.error(Math.max(0, this.furthestPos), `Expected ${what}`)
  }

  private error(pos: number, reason: string): ExpressionError {
    return new ExpressionError(this.text, this.column(pos), reason)
  }

  /** pyparsing's col(): 1-based, counted from the last newline before pos. */
  private column(pos: number): number {
    if (pos > 0 && pos < this.chars.length && this.chars[pos - 1] === '\n') return 1
    let lastNewline = -1
    for (let i = Math.min(pos, this.chars.length) - 1; i >= 0; i--) {
      if (this.chars[i] === '\n') {
        lastNewline = i
        break
      }
    }
    return pos - lastNewline
  }

  // ---- tokens ------------------------------------------------------------------------

  private skip(pos: number): number {
    while (pos < this.chars.length && WHITESPACE.has(this.chars[pos]!)) pos++
    return pos
  }

  /** Case-insensitive literal (a prefix match, as pyparsing's CaselessLiteral). */
  private literal(pos: number, literal: string, label = `'${literal}'`): number | null {
    const start = this.skip(pos)
    const want = Array.from(literal)
    for (let i = 0; i < want.length; i++) {
      const ch = this.chars[start + i]
      if (ch === undefined || ch.toLowerCase() !== want[i]!.toLowerCase()) return this.expect(start, label)
    }
    return start + want.length
  }

  private word(pos: number, accept: (ch: string) => boolean, label: string): { value: string; end: number } | null {
    const start = this.skip(pos)
    let end = start
    while (end < this.chars.length && accept(this.chars[end]!)) end++
    if (end === start || end - start > MAX_IDENTIFIER) return this.expect(start, label)
    return { value: this.chars.slice(start, end).join(''), end }
  }

  private digits(pos: number, label: string): { value: string; start: number; end: number } | null {
    const start = this.skip(pos)
    let end = start
    while (end < this.chars.length && isDigit(this.chars[end]!)) end++
    if (end === start) return this.expect(start, label)
    return { value: this.chars.slice(start, end).join(''), start, end }
  }

  // ---- grammar -----------------------------------------------------------------------

  private orExpression(pos: number): { node: ExpressionNode; end: number } | null {
    return this.binary(pos, 'OR', ['or', '||'], (p) => this.andExpression(p))
  }

  private andExpression(pos: number): { node: ExpressionNode; end: number } | null {
    return this.binary(pos, 'AND', ['and', '&&'], (p) => this.primary(p))
  }

  /** operand (op operand)*, where a dangling operator is left for the caller (and reported there). */
  private binary(
    pos: number,
    type: LogicalExpression['type'],
    spellings: string[],
    operand: (pos: number) => { node: ExpressionNode; end: number } | null,
  ): { node: ExpressionNode; end: number } | null {
    const first = operand(pos)
    if (!first) return null
    const operands = [first.node]
    let end = first.end
    for (;;) {
      let afterOp: number | null = null
      for (const spelling of spellings) {
        afterOp = this.literal(end, spelling, type === 'AND' ? '{and | &&}' : '{or | ||}')
        if (afterOp !== null) break
      }
      if (afterOp === null) break
      const next = operand(afterOp)
      if (!next) break
      operands.push(next.node)
      end = next.end
    }
    return { node: operands.length === 1 ? operands[0]! : { type, operands }, end }
  }

  private primary(pos: number): { node: ExpressionNode; end: number } | null {
    const sub = this.subExpression(pos)
    if (sub) return sub
    const open = this.literal(pos, '(')
    if (open === null) return null
    const inner = this.orExpression(open)
    if (!inner) return null
    const close = this.literal(inner.end, ')')
    if (close === null) return null
    return { node: inner.node, end: close }
  }

  private subExpression(pos: number): { node: SubExpression; end: number } | null {
    const start = this.skip(pos)
    const head = this.functionCall(start) ?? this.bareMetric(start)
    if (!head) return null
    let operator: AlarmOperator | null = null
    let end = head.end
    for (const [spelling, op] of OPERATORS) {
      const after = this.literal(end, spelling, '{<= | lte | < | lt | >= | gte | > | gt}')
      if (after !== null) {
        operator = op
        end = after
        break
      }
    }
    if (operator === null) return null
    const threshold = this.threshold(end)
    if (!threshold) return null
    end = threshold.end
    let periods = DEFAULT_PERIODS
    const afterTimes = this.literal(end, 'times')
    if (afterTimes !== null) {
      const n = this.digits(afterTimes, 'W:(0-9)')
      if (n) {
        const value = BigInt(n.value)
        if (value < 1n) throw new Fatal(n.start, `Periods ${value} must be 1 or greater`)
        periods = Number(value)
        end = n.end
      }
    }
    const fn = head.fn ?? (operator === 'GT' || operator === 'GTE' ? 'MAX' : 'MIN')
    const node: SubExpression = {
      type: 'sub',
      function: fn,
      metric_name: head.metric,
      dimensions: head.dimensions,
      deterministic: head.deterministic,
      period: head.period,
      periods,
      operator,
      threshold: threshold.value,
      column: this.column(start),
      source: this.chars.slice(start, end).join(''),
    }
    return { node, end }
  }

  private functionCall(pos: number): (MetricHead & { fn: AlarmFunction }) | null {
    let fn: AlarmFunction | null = null
    let end: number | null = null
    for (const name of FUNCTIONS) {
      end = this.literal(pos, name.toLowerCase(), '{max | min | avg | count | sum | last}')
      if (end !== null) {
        fn = name
        break
      }
    }
    if (fn === null || end === null) return null
    const open = this.literal(end, '(')
    if (open === null) return null
    const metric = this.metric(open)
    if (!metric) return null
    end = metric.end
    let deterministic = false
    const comma1 = this.literal(end, ',')
    if (comma1 !== null) {
      const afterDet = this.literal(comma1, 'deterministic')
      if (afterDet !== null) {
        deterministic = true
        end = afterDet
      }
    }
    let period = DEFAULT_PERIOD
    const comma2 = this.literal(end, ',')
    if (comma2 !== null) {
      const n = this.digits(comma2, 'W:(0-9)')
      if (n) {
        const value = BigInt(n.value)
        if (value === 0n) throw new Fatal(n.start, 'Period must not be 0')
        if (value % 60n !== 0n) throw new Fatal(n.start, `Period ${value} must be a multiple of 60`)
        period = Number(value)
        end = n.end
      }
    }
    const close = this.literal(end, ')')
    if (close === null) return null
    return { fn, metric: metric.name, dimensions: metric.dimensions, deterministic, period, end: close }
  }

  private bareMetric(pos: number): (MetricHead & { fn: null }) | null {
    const metric = this.metric(pos)
    if (!metric) return null
    return { fn: null, metric: metric.name, dimensions: metric.dimensions, deterministic: false, period: DEFAULT_PERIOD, end: metric.end }
  }

  private metric(pos: number): { name: string; dimensions: Record<string, string>; end: number } | null {
    const name = this.word(pos, isIdentifierChar, 'metric_name')
    if (!name) return null
    const dimensions: Record<string, string> = {}
    const open = this.literal(name.end, '{')
    if (open === null) return { name: name.value, dimensions, end: name.end }
    let end = open
    const first = this.dimension(end)
    if (first) {
      dimensions[first.name] = first.value
      end = first.end
      for (;;) {
        const comma = this.literal(end, ',')
        if (comma === null) break
        const next = this.dimension(comma)
        if (!next) break
        dimensions[next.name] = next.value
        end = next.end
      }
    }
    const close = this.literal(end, '}')
    if (close === null) return null
    return { name: name.value, dimensions, end: close }
  }

  private dimension(pos: number): { name: string; value: string; end: number } | null {
    const name = this.word(pos, isDimensionChar, 'dimension name')
    if (!name) return null
    const eq = this.literal(name.end, '=')
    if (eq === null) return null
    const value = this.word(eq, isDimensionChar, 'dimension value')
    if (!value) return null
    // The server keeps trailing spaces inside `{ k = v }`; trimming them is kinder and matches metrics.
    return { name: name.value.trimEnd(), value: value.value.trimEnd(), end: value.end }
  }

  private threshold(pos: number): { value: number; end: number } | null {
    let end = pos
    let text = ''
    const minus = this.literal(end, '-')
    if (minus !== null) {
      end = minus
      text = '-'
    }
    const whole = this.digits(end, 'threshold')
    if (!whole) return null
    text += whole.value
    end = whole.end
    const dot = this.literal(end, '.')
    if (dot !== null) {
      const fraction = this.digits(dot, 'W:(0-9)')
      if (fraction) {
        text += `.${fraction.value}`
        end = fraction.end
      }
    }
    return { value: Number(text), end }
  }
}

interface MetricHead {
  metric: string
  dimensions: Record<string, string>
  deterministic: boolean
  period: number
  end: number
}

function collect(node: ExpressionNode): SubExpression[] {
  return node.type === 'sub' ? [node] : node.operands.flatMap(collect)
}

/** Parse an alarm expression; throws ExpressionError with the server's message when it is invalid. */
export function parse(text: string): AlarmExpression {
  if (typeof text !== 'string') throw new ExpressionError(String(text), 1, 'Expected a string')
  return new Parser(text).parse()
}

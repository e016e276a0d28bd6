/**
 * A recursive-descent parser for Monasca alarm expressions, written from the grammar facts
 * (shared/reference/monasca-api.md §5) and the observable behaviour of the server's parser:
 *
 * - keywords are case-insensitive literal prefixes (`0or` and `andfoo` split as the server splits them);
 * - whitespace between tokens is ignored; a metric name is at most 255 characters (longer text runs
 *   on into the next token), a dimension name or value longer than 255 fails;
 * - alternatives are ordered: the first that matches wins, even if what follows then fails;
 * - a failure is reported at the furthest position among the alternatives that failed, with the
 *   server's message ("Expected {'OR' | '||'} term", or "Expected string_end" for trailing text);
 * - period and periods errors are fatal, at the column of the number;
 * - tabs count as spaces up to the next multiple of 8 (pyparsing expands them before parsing).
 */
import { ExpressionError } from './errors.js'
import type { AlarmExpression, AlarmFunction, AlarmOperator, ExpressionNode, LogicalExpression, SubExpression } from './types.js'

const MAX_IDENTIFIER = 255
const MAX_DEPTH = 100
const DEFAULT_PERIOD = 60
const DEFAULT_PERIODS = 1
const TERM_EXPECTED = "Expected {'OR' | '||'} term"
const END_EXPECTED = 'Expected string_end'
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

type Ok<T> = { ok: true; value: T; end: number }
type Fail = { ok: false; loc: number }
type Result<T> = Ok<T> | Fail

const ok = <T>(value: T, end: number): Ok<T> => ({ ok: true, value, end })
const fail = (loc: number): Fail => ({ ok: false, loc })
const furthest = (...results: Fail[]): Fail => fail(Math.max(...results.map((r) => r.loc)))

/** A fatal error (period, periods): no alternative may recover from it. */
class Fatal {
  constructor(
    readonly pos: number,
    readonly reason: string,
  ) {}
}

interface Head {
  fn: AlarmFunction | null
  metric: string
  dimensions: Record<string, string>
  deterministic: boolean
  period: number
}

class Parser {
  private readonly chars: string[]
  private depth = 0

  constructor(private readonly text: string) {
    // pyparsing parses text.expandtabs(): columns (and dimension names) see tabs as spaces.
    this.chars = expandTabs(Array.from(text))
  }

  parse(): AlarmExpression {
    let tree: ExpressionNode
    try {
      const result = this.orLevel(0)
      if (!result.ok) throw this.error(result.loc, TERM_EXPECTED)
      const end = this.skip(result.end)
      if (end < this.chars.length) throw this.error(end, END_EXPECTED)
      tree = result.value
    } catch (e) {
      if (e instanceof Fatal) throw this.error(e.pos, e.reason)
      throw e
    }
    const sub_expressions = collect(tree)
    return { expression: this.text, tree, sub_expressions, deterministic: sub_expressions.every((s) => s.deterministic) }
  }

  private error(pos: number, reason: string): ExpressionError {
    const column = this.column(pos)
    // The failing line: from the character after the last newline before pos to the next one.
    const start = Math.max(0, pos - column + 1)
    let end = start
    while (end < this.chars.length && this.chars[end] !== '\n') end++
    const line = this.chars.slice(0, start).filter((ch) => ch === '\n').length + 1
    return new ExpressionError(this.text, column, reason, { line, lineText: this.chars.slice(start, end).join('') })
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

  /** Case-insensitive literal: a prefix match, failing where it was tried. */
  private literal(pos: number, literal: string): Result<null> {
    const start = this.skip(pos)
    for (let i = 0; i < literal.length; i++) {
      const ch = this.chars[start + i]
      if (ch === undefined || ch.toLowerCase() !== literal[i]!.toLowerCase()) return fail(start)
    }
    return ok(null, start + literal.length)
  }

  private firstLiteral<T>(pos: number, choices: Array<[string, T]>): Result<T> {
    for (const [spelling, value] of choices) {
      const r = this.literal(pos, spelling)
      if (r.ok) return ok(value, r.end)
    }
    return fail(this.skip(pos))
  }

  /**
   * A word of at most 255 characters. A metric name simply stops there (the rest must match
   * what follows); a dimension name or value (`strict`) fails where the 256th character is.
   */
  private word(pos: number, accept: (ch: string) => boolean, strict: boolean): Result<string> {
    const start = this.skip(pos)
    if (start >= this.chars.length || !accept(this.chars[start]!)) return fail(start)
    let end = start + 1
    while (end < this.chars.length && end - start < MAX_IDENTIFIER && accept(this.chars[end]!)) end++
    if (strict && end < this.chars.length && accept(this.chars[end]!)) return fail(end)
    return ok(this.chars.slice(start, end).join(''), end)
  }

  private digits(pos: number): Result<{ text: string; start: number }> {
    const start = this.skip(pos)
    let end = start
    while (end < this.chars.length && isDigit(this.chars[end]!)) end++
    if (end === start) return fail(start)
    return ok({ text: this.chars.slice(start, end).join(''), start }, end)
  }

  // ---- grammar -----------------------------------------------------------------------

  /** operand (op operand)*; a dangling operator is left unconsumed (the caller reports it). */
  private level(
    pos: number,
    type: LogicalExpression['type'],
    spellings: string[],
    operand: (pos: number) => Result<ExpressionNode>,
  ): Result<ExpressionNode> {
    const first = operand(pos)
    if (!first.ok) return first
    const operands = [first.value]
    let end = first.end
    for (;;) {
      const op = this.firstLiteral(end, spellings.map((s) => [s, s]))
      if (!op.ok) break
      const next = operand(op.end)
      if (!next.ok) break
      operands.push(next.value)
      end = next.end
    }
    return ok(operands.length === 1 ? operands[0]! : { type, operands }, end)
  }

  private orLevel(pos: number): Result<ExpressionNode> {
    return this.level(pos, 'OR', ['or', '||'], (p) => this.andLevel(p))
  }

  private andLevel(pos: number): Result<ExpressionNode> {
    return this.level(pos, 'AND', ['and', '&&'], (p) => this.operand(p))
  }

  /** A comparison, or a parenthesised expression. */
  private operand(pos: number): Result<ExpressionNode> {
    const sub = this.comparison(pos)
    if (sub.ok) return sub
    const group = this.parenthesised(pos)
    if (group.ok) return group
    return furthest(sub, group)
  }

  private parenthesised(pos: number): Result<ExpressionNode> {
    const open = this.literal(pos, '(')
    if (!open.ok) return open
    // Each level costs stack frames: past this depth a RangeError would escape (the server's own
    // parser hits Python's recursion limit and answers 500), so it is a plain ExpressionError here.
    if (++this.depth > MAX_DEPTH) throw new Fatal(open.end - 1, `Parentheses nested deeper than ${MAX_DEPTH} levels`)
    const inner = this.orLevel(open.end)
    this.depth--
    if (!inner.ok) return inner
    const close = this.literal(inner.end, ')')
    if (!close.ok) return close
    return ok(inner.value, close.end)
  }

  private comparison(pos: number): Result<SubExpression> {
    const start = this.skip(pos)
    const call = this.functionCall(start)
    let head: Result<Head> = call
    if (!call.ok) {
      const bare = this.metric(start)
      head = bare.ok ? ok({ fn: null, metric: bare.value.name, dimensions: bare.value.dimensions, deterministic: false, period: DEFAULT_PERIOD }, bare.end) : furthest(call, bare)
    }
    if (!head.ok) return head
    const op = this.firstLiteral(head.end, OPERATORS)
    if (!op.ok) return op
    const threshold = this.threshold(op.end)
    if (!threshold.ok) return threshold
    let end = threshold.end
    let periods = DEFAULT_PERIODS
    const times = this.literal(end, 'times')
    if (times.ok) {
      const n = this.digits(times.end)
      if (n.ok) {
        const value = BigInt(n.value.text)
        if (value < 1n) throw new Fatal(n.value.start, `Periods ${value} must be 1 or greater`)
        periods = Number(value)
        end = n.end
      }
    }
    const { fn, metric, dimensions, deterministic, period } = head.value
    const operator = op.value
    return ok(
      {
        type: 'sub',
        function: fn ?? (operator === 'GT' || operator === 'GTE' ? 'MAX' : 'MIN'),
        metric_name: metric,
        dimensions,
        deterministic,
        period,
        periods,
        operator,
        threshold: threshold.value,
        column: this.column(start),
        source: this.chars.slice(start, end).join(''),
      },
      end,
    )
  }

  private functionCall(pos: number): Result<Head> {
    const fn = this.firstLiteral(pos, FUNCTIONS.map((f) => [f.toLowerCase(), f]))
    if (!fn.ok) return fn
    const open = this.literal(fn.end, '(')
    if (!open.ok) return open
    const metric = this.metric(open.end)
    if (!metric.ok) return metric
    let end = metric.end
    let deterministic = false
    const comma1 = this.literal(end, ',')
    if (comma1.ok) {
      const det = this.literal(comma1.end, 'deterministic')
      if (det.ok) {
        deterministic = true
        end = det.end
      }
    }
    let period = DEFAULT_PERIOD
    const comma2 = this.literal(end, ',')
    if (comma2.ok) {
      const n = this.digits(comma2.end)
      if (n.ok) {
        const value = BigInt(n.value.text)
        if (value === 0n) throw new Fatal(n.value.start, 'Period must not be 0')
        if (value % 60n !== 0n) throw new Fatal(n.value.start, `Period ${value} must be a multiple of 60`)
        period = Number(value)
        end = n.end
      }
    }
    const close = this.literal(end, ')')
    if (!close.ok) return close
    return ok({ fn: fn.value, metric: metric.value.name, dimensions: metric.value.dimensions, deterministic, period }, close.end)
  }

  /** name, optionally followed by `{k=v, …}` (a malformed brace part is simply not consumed). */
  private metric(pos: number): Result<{ name: string; dimensions: Record<string, string> }> {
    const name = this.word(pos, isIdentifierChar, false)
    if (!name.ok) return name
    const dims = this.dimensionList(name.end)
    if (!dims.ok) return ok({ name: name.value, dimensions: {} }, name.end)
    return ok({ name: name.value, dimensions: dims.value }, dims.end)
  }

  private dimensionList(pos: number): Result<Record<string, string>> {
    const open = this.literal(pos, '{')
    if (!open.ok) return open
    const dimensions: Record<string, string> = {}
    let end = open.end
    const first = this.dimension(end)
    if (first.ok) {
      dimensions[first.value[0]] = first.value[1]
      end = first.end
      for (;;) {
        const comma = this.literal(end, ',')
        if (!comma.ok) break
        const next = this.dimension(comma.end)
        if (!next.ok) break
        dimensions[next.value[0]] = next.value[1]
        end = next.end
      }
    }
    const close = this.literal(end, '}')
    if (!close.ok) return close
    return ok(dimensions, close.end)
  }

  private dimension(pos: number): Result<[string, string]> {
    const name = this.word(pos, isDimensionChar, true)
    if (!name.ok) return name
    const eq = this.literal(name.end, '=')
    if (!eq.ok) return eq
    const value = this.word(eq.end, isDimensionChar, true)
    if (!value.ok) return value
    // The server keeps trailing spaces inside `{ k = v }`; trimming them is kinder and matches metrics.
    return ok([name.value.trimEnd(), value.value.trimEnd()], value.end)
  }

  /** `["-"] digits ["." digits]`, whitespace allowed between the parts as the server allows it. */
  private threshold(pos: number): Result<number> {
    let end = pos
    let text = ''
    const minus = this.literal(end, '-')
    if (minus.ok) {
      end = minus.end
      text = '-'
    }
    const whole = this.digits(end)
    if (!whole.ok) return whole
    text += whole.value.text
    end = whole.end
    const dot = this.literal(end, '.')
    if (dot.ok) {
      const fraction = this.digits(dot.end)
      if (fraction.ok) {
        text += `.${fraction.value.text}`
        end = fraction.end
      }
    }
    return ok(Number(text), end)
  }
}

/** Python's str.expandtabs(8), on code points. */
function expandTabs(chars: string[]): string[] {
  const out: string[] = []
  let column = 0
  for (const ch of chars) {
    if (ch === '\t') {
      const spaces = 8 - (column % 8)
      for (let i = 0; i < spaces; i++) out.push(' ')
      column += spaces
    } else {
      out.push(ch)
      column = ch === '\n' || ch === '\r' ? 0 : column + 1
    }
  }
  return out
}

function collect(node: ExpressionNode): SubExpression[] {
  return node.type === 'sub' ? [node] : node.operands.flatMap(collect)
}

/** Parse an alarm expression; throws ExpressionError with the server's message when it is invalid. */
export function parse(text: string): AlarmExpression {
  if (typeof text !== 'string') {
    let shown: string
    try {
      shown = String(text)
    } catch {
      shown = typeof text // an object without a way to print itself
    }
    throw new ExpressionError(shown, 1, TERM_EXPECTED)
  }
  return new Parser(text).parse()
}

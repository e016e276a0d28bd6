import { describe, expect, it } from 'vitest'
import { MonascaValidationError } from '../../src/errors.js'
import { ExpressionError, formatExpression, parseExpression, validateExpression } from '../../src/expression/index.js'

const subs = (text: string) => parseExpression(text).sub_expressions.map(({ column, source, type, ...rest }) => rest)

describe('parseExpression: the grammar of monasca-api §5', () => {
  it('reads function, metric, dimensions, period, operator, threshold and times', () => {
    expect(subs('avg(cpu.user_perc{hostname=devstack, service=monitoring}, 120) >= 10.5 times 3')).toEqual([
      {
        function: 'AVG',
        metric_name: 'cpu.user_perc',
        dimensions: { hostname: 'devstack', service: 'monitoring' },
        deterministic: false,
        period: 120,
        periods: 3,
        operator: 'GTE',
        threshold: 10.5,
      },
    ])
  })

  it('defaults period 60 and periods 1, and a bare metric to max for > and min for <', () => {
    const [gt, lt] = subs('ntp.offset > 1 or ntp.offset <= -5')
    expect(gt).toMatchObject({ function: 'MAX', operator: 'GT', threshold: 1, period: 60, periods: 1 })
    expect(lt).toMatchObject({ function: 'MIN', operator: 'LTE', threshold: -5 })
  })

  it.each([
    ['lt', 'LT'], ['<', 'LT'], ['LTE', 'LTE'], ['<=', 'LTE'], ['gt', 'GT'], ['>', 'GT'], ['Gte', 'GTE'], ['>=', 'GTE'],
  ])('normalises the operator %s to %s', (spelling, op) => {
    expect(subs(`max(x) ${spelling} 1`)[0]!.operator).toBe(op)
  })

  it('marks deterministic sub-expressions and the expression only when all are', () => {
    expect(parseExpression('count(log.error{}, deterministic) > 0').deterministic).toBe(true)
    expect(parseExpression('count(log.error{},deterministic, 120) > 0').sub_expressions[0]!.period).toBe(120)
    expect(parseExpression('count(log.error{}, deterministic) > 0 and max(x) > 1').deterministic).toBe(false)
  })

  it('gives AND a tighter binding than OR, left to right, with parentheses', () => {
    const tree = parseExpression('a > 1 or b > 2 and c > 3 or d > 4').tree
    expect(tree.type).toBe('OR')
    if (tree.type !== 'OR') return
    expect(tree.operands.map((o) => o.type)).toEqual(['sub', 'AND', 'sub'])
    const grouped = parseExpression('(a > 1 or b > 2) && c > 3').tree
    expect(grouped.type).toBe('AND')
    if (grouped.type === 'AND') expect(grouped.operands[0]!.type).toBe('OR')
  })

  it('accepts the server unit tests\' valid expressions', () => {
    for (const text of [
      'max(-_.千幸福的笑脸{घोड़ा=馬,  dn2=dv2,千幸福的笑脸घ=千幸福的笑脸घ}) gte 100 times 3 && (min(ເຮືອນ{dn3=dv3,家=дом}) < 10 or sum(biz{dn5=dv5}) >99 and count(fizzle) lt 0or count(baz) > 1)',
      'max(foo{hostname=mini-mon,千=千}, 120) > 100 and (max(bar)>100  or max(biz)>100)',
      'test_metric{this=that, that =  this} < 1',
      'max  (  3test_metric5  {  this  =  that  })  lt  5 times    3',
      "max(3test_metric5{it's this=that's it}) lt 5 times 3",
      'avg(mem_total_mb{url=https://www.google.com}) gt 0',
      'last(test_metric{hold=here}) < 13',
      'AVG(x) > 1 AND max(y) < 2 OR Count(z) >= 3',
    ]) {
      expect(validateExpression(text).ok, text).toBe(true)
    }
  })

  it('keeps URL colons in dimension values and drops the spaces around names and values', () => {
    expect(subs('avg(http_status{url=http://h:80/x?a, it\'s = yes }) > 0')[0]!.dimensions).toEqual({ url: 'http://h:80/x?a', "it's": 'yes' })
  })
})

describe('ExpressionError: the server\'s 422 messages', () => {
  const error = (text: string) => {
    const result = validateExpression(text)
    if (result.ok) throw new Error(`expected ${text} to fail`)
    return result.error
  }

  it('reports period errors as fatal, at the column of the number', () => {
    const e = error('count(log.error{test=1}, deterministic, 130) > 1.0')
    expect(e.message).toBe(
      "parser failed on expression 'count(log.error{test=1}, deterministic, 130) > 1.0' at column 41: Period 130 must be a multiple of 60",
    )
    expect(e.column).toBe(41)
    expect(error('avg(x, 0) > 1').reason).toBe('Period must not be 0')
    expect(error('avg(x, 061) > 1').reason).toBe('Period 61 must be a multiple of 60')
    expect(validateExpression('avg(x, 0060) > 1').ok).toBe(true)
  })

  it('reports periods below 1', () => {
    expect(error('count(log.error{test=1}, deterministic) > 1.0 times 0').reason).toBe('Periods 0 must be 1 or greater')
  })

  it('reports trailing text and dangling operators as "Expected string_end" where they start', () => {
    expect(error('avg(x) > 5 foo')).toMatchObject({ column: 12, reason: 'Expected string_end' })
    expect(error('avg(x) > 5 and')).toMatchObject({ column: 12, reason: 'Expected string_end' })
  })

  it('reports any other failure as the server does: "Expected {\'OR\' | \'||\'} term" at the furthest failed alternative', () => {
    expect(error('avg(x{a=b) > 1')).toMatchObject({ column: 4, reason: "Expected {'OR' | '||'} term" })
    expect(error('(avg(x) > 1')).toMatchObject({ column: 12 })
    expect(error('')).toMatchObject({ column: 1 })
  })

  it('counts columns after expanding tabs to multiples of 8, as pyparsing does', () => {
    expect(error('\tavg(x) >').column).toBe(17)
  })

  it('refuses a control character inside dimensions (tempest) and an exponent threshold', () => {
    expect(validateExpression('avg(x{dev=\\usr\\local\bin}) > 1').ok).toBe(false)
    expect(validateExpression('avg(x) > 1e5').ok).toBe(false)
    expect(validateExpression('avg(x) > +5').ok).toBe(false)
    expect(validateExpression('').ok).toBe(false)
  })

  it('refuses identifiers longer than 255 characters', () => {
    expect(validateExpression(`avg(${'m'.repeat(255)}) > 1`).ok).toBe(true)
    expect(validateExpression(`avg(${'m'.repeat(256)}) > 1`).ok).toBe(false)
  })

  it('is a MonascaValidationError on field expression with title and description as the server sends them', () => {
    const e = error('avg(x) >')
    expect(e).toBeInstanceOf(ExpressionError)
    expect(e).toBeInstanceOf(MonascaValidationError)
    expect(e.field).toBe('expression')
    expect(e.title).toBe('Invalid alarm expression')
    expect(e.description).toBe(e.message)
    expect(e.message).toMatch(/^parser failed on expression 'avg\(x\) >' at column 9: Expected/)
    expect(() => parseExpression('avg(x) >')).toThrow(ExpressionError)
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ field: 'expression', column: 9 })
  })
})

describe('formatExpression', () => {
  it('prints a canonical form that parses back to the same tree', () => {
    const text = 'AVG(cpu{a=b}, deterministic, 120) GTE 5 times 2 and (x lt 1 or y > 2.5)'
    const canonical = formatExpression(parseExpression(text).tree)
    expect(canonical).toBe('avg(cpu{a=b}, deterministic, 120) >= 5 times 2 and (min(x) < 1 or max(y) > 2.5)')
    expect(formatExpression(parseExpression(canonical).tree)).toBe(canonical)
  })
})

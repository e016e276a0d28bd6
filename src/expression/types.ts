/** The alarm-expression AST. Field names follow the API's `sub_alarm_expression` objects. */

export type AlarmFunction = 'MIN' | 'MAX' | 'SUM' | 'COUNT' | 'AVG' | 'LAST'
export type AlarmOperator = 'LT' | 'GT' | 'LTE' | 'GTE'

/** One comparison, e.g. `avg(cpu.idle_perc{hostname=web1}, 120) < 10 times 3`. */
export interface SubExpression {
  type: 'sub'
  /** Upper-cased; a bare metric defaults to MAX for `>`/`>=` and MIN for `<`/`<=`, as the server does. */
  function: AlarmFunction
  metric_name: string
  /** `{}` when the expression names none. */
  dimensions: Record<string, string>
  deterministic: boolean
  /** Seconds, a positive multiple of 60; default 60. */
  period: number
  /** How many consecutive periods must breach; default 1. */
  periods: number
  operator: AlarmOperator
  threshold: number
  /** 1-based column of the sub-expression's first character in the source text. */
  column: number
  /** The sub-expression exactly as written. */
  source: string
}

/** `and`/`&&` (binds tighter) and `or`/`||`, left-associative, flattened: `a and b and c` is one node. */
export interface LogicalExpression {
  type: 'AND' | 'OR'
  operands: ExpressionNode[]
}

export type ExpressionNode = SubExpression | LogicalExpression

export interface AlarmExpression {
  /** The text that was parsed, verbatim (the server echoes it back unchanged). */
  expression: string
  tree: ExpressionNode
  /** Every comparison, left to right. */
  sub_expressions: SubExpression[]
  /** True only when every sub-expression is deterministic (the definition's read-only flag). */
  deterministic: boolean
}

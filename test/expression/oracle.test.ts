/**
 * Our parser against the server's: for every expression in oracle.json (outcomes recorded by
 * running monasca-api's own parser on inputs written for this project), the same verdict, the same
 * column and message on failure, and the same sub-expressions on success.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { validateExpression } from '../../src/expression/index.js'

interface Case {
  expression: string
  ok: boolean
  column?: number
  message?: string
  sub_expressions?: Array<{ function: string; metric_name: string; dimensions: string[]; operator: string; threshold: number; period: number; periods: number; deterministic: boolean }>
}

const { cases } = JSON.parse(readFileSync(new URL('./oracle.json', import.meta.url), 'utf8')) as { cases: Case[] }

describe('alarm expressions: the same outcome as the server parser', () => {
  it('has a corpus with both valid and invalid expressions', () => {
    expect(cases.filter((c) => c.ok).length).toBeGreaterThan(50)
    expect(cases.filter((c) => !c.ok).length).toBeGreaterThan(200)
  })

  it.each(cases.map((c) => [JSON.stringify(c.expression).slice(0, 80), c] as const))('%s', (_, c) => {
    const result = validateExpression(c.expression)
    expect(result.ok).toBe(c.ok)
    if (!result.ok) {
      expect({ column: result.error.column, message: result.error.reason }).toEqual({ column: c.column, message: c.message })
      return
    }
    if (!c.sub_expressions) return
    const ours = result.expression.sub_expressions.map((s) => ({
      function: s.function,
      metric_name: s.metric_name,
      dimensions: Object.entries(s.dimensions).map(([k, v]) => `${k}=${v}`),
      operator: s.operator,
      threshold: s.threshold,
      period: s.period,
      periods: s.periods,
      deterministic: s.deterministic,
    }))
    // The server keeps trailing spaces of dimension names and values; we trim them (README).
    const theirs = c.sub_expressions.map((s) => ({
      ...s,
      dimensions: s.dimensions.map((d) => {
        const eq = d.indexOf('=')
        return `${d.slice(0, eq).trimEnd()}=${d.slice(eq + 1).trimEnd()}`
      }),
    }))
    expect(ours).toEqual(theirs)
  })
})

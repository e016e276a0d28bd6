/**
 * Python's `'{:.3f}'` against ours (pyFixed), on exact binary ties (multiples of 1/16, where JS's
 * toFixed rounds away from zero and Python to even) and on arbitrary doubles. Needs python3.
 */
import { execFileSync } from 'node:child_process'
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { fixed3, pyFixed } from '../../src/cli/pyformat.js'
import { describeWithSystemPart } from '../helpers/env.js'

const hasPython = (() => {
  try {
    return execFileSync('python3', ['-c', 'print(1)'], { encoding: 'utf8' }).trim() === '1'
  } catch {
    return false
  }
})()

it('rounds exact ties to even, as Python does (43.0625 → 43.062, 0.1875 → 0.188, -0.0625 → -0.062)', () => {
  expect([43.0625, 0.1875, -0.0625, 7.3125, 2.0005, -0.0001].map((v) => pyFixed(v, 3))).toEqual(['43.062', '0.188', '-0.062', '7.312', '2.001', '-0.000'])
  expect(fixed3(43.0625)).toBe('      43.062')
})

describeWithSystemPart('python3', hasPython, () => {
  it("agrees with Python's '{:.3f}' on ties and on any double", () => {
    const ties = fc.integer({ min: -200_000, max: 200_000 }).map((n) => n / 16)
    const values = fc.sample(fc.oneof(ties, fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 1000 + 0.0005)), 2000)
    const python = execFileSync('python3', ['-c', "import sys, json\nfor v in json.load(sys.stdin): print('{:.3f}'.format(v))"], { input: JSON.stringify(values), encoding: 'utf8' }).trim().split('\n')
    expect(values.map((v) => pyFixed(v, 3))).toEqual(python)
  })
})

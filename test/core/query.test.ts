import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeDimensions, encodeQuery, encodeTime, parseDimensions } from '../../src/query.js'
import { queryDimensions } from '../../src/validate.js'

// Characters (checked code point by code point, graphemes may combine) the server forbids in dimension keys/values, plus the grammar's own separators.
const forbidden = new Set([...'<>={},"\\;&'])
const keyChar = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => ![...c].some((x) => forbidden.has(x) || x === ':' || x === '|'))
const valueChar = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => ![...c].some((x) => forbidden.has(x) || x === '|'))
const key = fc.array(keyChar, { minLength: 1, maxLength: 12 }).map((cs) => cs.join('')).filter((k) => !k.startsWith('_') && k.length <= 255)
const value = fc.array(valueChar, { minLength: 1, maxLength: 12 }).map((cs) => cs.join(''))
const dimensionValue = fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 3 }), fc.constant(null), fc.constant(''))
const dimensions = fc.dictionary(key, dimensionValue, { minKeys: 1, maxKeys: 5 })

/** What the server makes of a query: Falcon percent-decodes, then the dimension grammar applies. */
function serverParse(query: string): Record<string, string[]> {
  const raw = new URLSearchParams(query).get('dimensions') ?? ''
  return parseDimensions(raw)
}

const expected = (dims: Record<string, string | string[] | null>) =>
  Object.fromEntries(Object.entries(dims).map(([k, v]) => [k, v === null || v === '' ? [] : typeof v === 'string' ? [v] : v]))

describe('dimensions round-trip through the server parsing rules', () => {
  it('object → k:v1|v2,k2 → percent-encoded query → server grammar → same dimensions', () => {
    fc.assert(
      fc.property(dimensions, (dims) => {
        const text = encodeDimensions(dims)
        queryDimensions(parseDimensions(text), 'dimensions') // our validation accepts what we generate
        const query = encodeQuery([['dimensions', text]])
        expect(query).not.toMatch(/[ +,:]/)
        expect(serverParse(query)).toEqual(expected(dims))
      }),
      { numRuns: 500 },
    )
  })

  it('splits on the first colon only, so values keep theirs', () => {
    expect(parseDimensions(encodeDimensions({ url: 'http://h:80/x', hostname: ['a', 'b'], has: null }))).toEqual({
      url: ['http://h:80/x'],
      hostname: ['a', 'b'],
      has: [],
    })
  })

  it('keeps a string form as written', () => {
    expect(encodeDimensions('hostname:h1|h2,service')).toBe('hostname:h1|h2,service')
  })

  it('every query value survives encoding and decoding unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme', minLength: 1 }), (v, k) => {
        const decoded = [...new URLSearchParams(encodeQuery([[k, v]]))]
        expect(decoded).toEqual([[k, v]])
      }),
      { numRuns: 500 },
    )
  })
})

describe('times', () => {
  it('writes Dates as UTC ISO with milliseconds and keeps ISO strings', () => {
    expect(encodeTime(new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 7)), 'start_time')).toBe('2024-02-29T23:59:59.007Z')
    expect(encodeTime('2024-02-29T23:59:59+02:00', 'start_time')).toBe('2024-02-29T23:59:59+02:00')
    expect(() => encodeTime('2015-03-00T00:00:01Z', 'start_time')).toThrow(/ISO-8601/)
  })
})

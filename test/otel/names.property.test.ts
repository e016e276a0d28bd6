/**
 * The naming rules as properties: whatever text an OpenTelemetry name, key or value holds (any
 * Unicode, control characters, the forbidden ones, any length), the result passes the SDK's own
 * validators, the server's limits; text that was valid and short is kept as it was.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dimensionKey, dimensionValue, metricName } from '../../src/otel/names.js'
import * as V from '../../src/validate.js'

const FORBIDDEN = '<>={},"\\;&() |\n\t\u0000\u007f'
/** Strings weighted towards what breaks things: forbidden characters, surrogates, lengths around 255. */
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(...FORBIDDEN, 'a', '_', '😀', '\ud800'), maxLength: 300 }),
  fc.integer({ min: 240, max: 600 }).map((n) => 'x'.repeat(n)),
  fc.tuple(fc.integer({ min: 0, max: 300 }), fc.string({ unit: 'binary', maxLength: 20 })).map(([n, tail]) => 'é'.repeat(n) + tail),
)
const suffix = fc.constantFrom('', '.count', '.sum', '.min', '.max', '.bucket')
const RUNS = { numRuns: 2000 }

describe('naming rules (properties)', () => {
  it('a metric name, with any suffix, passes the server’s checks unless it is empty', () => {
    fc.assert(
      fc.property(text, suffix, (name, sfx) => {
        const out = metricName(name, sfx)
        if (name === '' && sfx === '') {
          expect(out).toBe('')
          return
        }
        expect(() => V.metricName(out)).not.toThrow()
        expect(out.endsWith(sfx)).toBe(true)
        expect(out).not.toMatch(/\p{Cs}/u) // no lone surrogate: well-formed text
      }),
      RUNS,
    )
  })

  it('a dimension key passes the server’s checks, or is empty (left out)', () => {
    fc.assert(
      fc.property(text, (key) => {
        const out = dimensionKey(key)
        if (out !== '') expect(() => V.dimensionKey(out, 'key')).not.toThrow(), expect(out).not.toMatch(/\p{Cs}/u)
        // Nothing is left only of a key made of underscores and characters that become underscores.
        else expect(key).toMatch(/^[<>={},"\\;&_\p{Cc}\p{Cs}]*$/u)
      }),
      RUNS,
    )
  })

  it('a dimension value passes the server’s checks, or is empty (then emptyValue applies)', () => {
    fc.assert(
      fc.property(text, (value) => {
        const out = dimensionValue(value)
        if (value === '') {
          expect(out).toBe('')
          return
        }
        expect(() => V.dimensionValue(out, 'value')).not.toThrow()
        expect(out).not.toContain('|')
        expect(out).not.toMatch(/\p{Cs}/u)
      }),
      RUNS,
    )
  })

  it('valid, short text is kept as it was', () => {
    const clean = fc.string({ unit: fc.constantFrom(...'abcXYZ019.-_/:é'), minLength: 1, maxLength: 255 })
    fc.assert(
      fc.property(clean, (s) => {
        expect(metricName(s)).toBe(s)
        expect(dimensionValue(s)).toBe(s)
        if (!s.startsWith('_')) expect(dimensionKey(s)).toBe(s)
      }),
      RUNS,
    )
  })

  it('long texts that differ only after the cut stay distinct', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), (a, b) => {
        fc.pre(a !== b)
        const head = 'h'.repeat(300)
        expect(dimensionValue(head + a)).not.toBe(dimensionValue(head + b))
        expect(metricName(head + a, '.bucket')).not.toBe(metricName(head + b, '.bucket'))
      }),
      RUNS,
    )
  })
})

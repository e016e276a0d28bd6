import { describe, expect, it } from 'vitest'
import { UsageError } from '../../src/cli/errors.js'
import {
  checkGroupBy, checkSeverity, checkSortBy, checkState, checkStatistics, dimensionsQuery, keyValuePairs,
  parseActionsEnabled, parseKeyValues, parseValueMeta, parsePyFloat, parsePyInt, splitIdList, splitKeyValueArgs, translateStartTime,
  ALARM_SORT_BY, DEFINITION_SORT_BY,
} from '../../src/cli/params.js'

describe('key=value lists (format_parameters / format_dimensions_query)', () => {
  it('splits one occurrence on ; when it has one, else on , and takes several occurrences whole', () => {
    expect(splitKeyValueArgs(['a=1,b=2'])).toEqual(['a=1', 'b=2'])
    expect(splitKeyValueArgs(['a=1,2;b=3'])).toEqual(['a=1,2', 'b=3'])
    expect(splitKeyValueArgs(['a=1,2', 'b=3'])).toEqual(['a=1,2', 'b=3'])
  })

  it('builds the k:v,k2 query form with bare keys and the last value of a repeated key', () => {
    expect(dimensionsQuery(['hostname=h1,service,hostname=h2'])).toBe('hostname:h2,service')
    expect(dimensionsQuery(['url=http://x/?a=1&b=2;path=/var log;k'])).toBe('url:http://x/?a=1&b=2,path:/var log,k')
    expect(dimensionsQuery(undefined)).toBeUndefined()
  })

  it('requires = for body parameters and refuses a repeated key', () => {
    expect(parseKeyValues(['a=b=c,d=e'], '--dimensions')).toEqual({ a: 'b=c', d: 'e' })
    expect(() => parseKeyValues(['hostname'], '--dimensions')).toThrow('Malformed parameter(hostname). Use the key=value format.')
    expect(() => parseKeyValues(['a=1,a=2'], '--dimensions')).toThrow(UsageError)
    expect([...keyValuePairs(['a=1,a=2'], '--dimensions', 'last')]).toEqual([['a', '2']])
    expect(parseValueMeta(['a=1', 'a=2', 'b=3'])).toEqual({ a: ['1', '2'], b: '3' })
  })

  it('keeps integer-like dimension keys in the order given in the query', () => {
    expect(dimensionsQuery(['b=1,2=x,a=3'])).toBe('b:1,2:x,a:3')
  })
})

describe('relative start times', () => {
  const now = Date.UTC(2024, 0, 2, 3, 4, 5, 678)
  it('turns -N into N minutes before now, UTC, whole seconds', () => {
    expect(translateStartTime('-120', now)).toBe('2024-01-02T01:04:05Z')
    expect(translateStartTime('-0', now)).toBe('2024-01-02T03:04:05Z')
  })
  it('passes absolute times through and refuses a non-integer offset', () => {
    expect(translateStartTime('2024-01-01T00:00:00Z', now)).toBe('2024-01-01T00:00:00Z')
    expect(() => translateStartTime('-1.5', now)).toThrow(UsageError)
  })
})

describe('value checks', () => {
  it('accepts severities and states in any case and returns them as typed', () => {
    expect(checkSeverity('low')).toBe('low')
    expect(() => checkSeverity('LOW|HIGH')).toThrow('Invalid severity, not one of [LOW, MEDIUM, HIGH, CRITICAL]')
    expect(checkSeverity('LOW|high', true)).toBe('LOW|high')
    expect(checkState('alarm')).toBe('alarm')
    expect(() => checkState('bogus')).toThrow('Invalid state, not one of [OK, ALARM, UNDETERMINED]')
  })

  it('checks statistics case-insensitively and group-by exactly', () => {
    expect(checkStatistics('avg,MAX')).toBe('avg,MAX')
    expect(() => checkStatistics('avg,median')).toThrow('Invalid type, not one of [AVG, MIN, MAX, SUM, COUNT]')
    expect(checkGroupBy('state,dimension_name')).toBe('state,dimension_name')
    expect(() => checkGroupBy('state, severity')).toThrow(/Invalid group-by/)
  })

  it('refuses a bad sort-by direction or extra words (Python only warns and sends)', () => {
    expect(checkSortBy('STATE desc,alarm_id', ALARM_SORT_BY, true)).toBe('STATE desc,alarm_id')
    expect(() => checkSortBy('state sideways', ALARM_SORT_BY, true)).toThrow('Invalid value sideways, must be asc or desc')
    expect(() => checkSortBy('state asc x', ALARM_SORT_BY, true)).toThrow('Invalid sort_by value state asc x')
    expect(() => checkSortBy('NAME', DEFINITION_SORT_BY, false)).toThrow(/Sort-by field name NAME is not in/)
  })

  it('parses ints, floats, booleans and id lists like Python', () => {
    expect(parsePyInt(' +1_000 ', 'x')).toBe(1000)
    expect(() => parsePyInt('1.0', 'x')).toThrow("argument x: invalid int value: '1.0'")
    expect(parsePyFloat('1e3', 'v')).toBe(1000)
    expect(() => parsePyFloat('nan', 'v')).toThrow(UsageError)
    expect(() => parsePyFloat('abc', 'v')).toThrow("invalid float value: 'abc'")
    expect(parseActionsEnabled('true')).toBe(true)
    expect(() => parseActionsEnabled('TRUE')).toThrow('Invalid value, not one of [True, true, False, false]')
    expect(splitIdList('[]')).toEqual([])
    expect(splitIdList('')).toEqual([])
    expect(splitIdList('a,b')).toEqual(['a', 'b'])
  })
})

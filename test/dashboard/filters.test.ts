// @vitest-environment happy-dom
/** The alarm list's filters: chips as typed, the URL both ways, the SDK parameters, paging on next offsets. */
import { describe, expect, it } from 'vitest'
import {
  alarmListParams, DEFAULT_ALARM_SORT, FilterError, filtersFromParams, filtersToParams, formatDimensionFilter, mergeDimensionFilters,
  nextPage, parseDimensionFilter, parseDimensionFilters, previousPage, withFilters,
} from '../../examples/dashboard/src/lib/filters.js'

describe('dimension chips', () => {
  it('reads key:value, key:a|b, a bare key and monasca-ui\'s key=value', () => {
    expect(parseDimensionFilter('hostname:web-01')).toEqual({ key: 'hostname', values: ['web-01'] })
    expect(parseDimensionFilter(' service : web|db ')).toEqual({ key: 'service', values: ['web', 'db'] })
    expect(parseDimensionFilter('mount_point')).toEqual({ key: 'mount_point', values: [] })
    expect(parseDimensionFilter('hostname=web-02')).toEqual({ key: 'hostname', values: ['web-02'] })
    expect(parseDimensionFilter('url:http://web-01:8080/health')).toEqual({ key: 'url', values: ['http://web-01:8080/health'] })
  })

  it('says what is wrong with a chip the API would refuse', () => {
    expect(() => parseDimensionFilter(':web')).toThrow(/no dimension name/)
    expect(() => parseDimensionFilter('host name:x')).toThrow(FilterError)
    expect(() => parseDimensionFilter('service:web||db')).toThrow(/empty value/)
    expect(() => parseDimensionFilter("hostname:we'b")).toThrow(/does not accept/)
    expect(() => parseDimensionFilter('  ')).toThrow(/empty/)
  })

  it('splits several chips on commas and spaces, and merges chips of one key into "any of"', () => {
    expect(parseDimensionFilters('hostname:web-01, service:web  region:east').map(formatDimensionFilter)).toEqual(['hostname:web-01', 'service:web', 'region:east'])
    expect(mergeDimensionFilters([{ key: 'h', values: ['a'] }, { key: 'h', values: ['b', 'a'] }, { key: 's', values: [] }])).toEqual([{ key: 'h', values: ['a', 'b'] }, { key: 's', values: [] }])
    // A bare key already means "any value".
    expect(mergeDimensionFilters([{ key: 'h', values: ['a'] }, { key: 'h', values: [] }])).toEqual([{ key: 'h', values: [] }])
  })
})

describe('filters in the URL', () => {
  it('round-trips every filter, the sort, the page size and the page', () => {
    const params = new URLSearchParams('state=alarm&severity=low,CRITICAL,high&metric=cpu.idle_perc&dim=hostname:web-01&dim=service:web|db&lifecycle=open&sort=severity%20desc&limit=50&offset=40&trail=,20')
    const filters = filtersFromParams(params)
    expect(filters).toEqual({
      state: 'ALARM', severities: ['LOW', 'CRITICAL', 'HIGH'], metricName: 'cpu.idle_perc',
      dimensions: [{ key: 'hostname', values: ['web-01'] }, { key: 'service', values: ['web', 'db'] }],
      lifecycle: 'OPEN', sort: 'severity desc', limit: 50, offset: '40', trail: ['', '20'],
    })
    const again = filtersToParams(filters)
    // Canonical order: severities by rank, defaults left out.
    expect(again.toString()).toBe('state=ALARM&severity=CRITICAL%2CHIGH%2CLOW&metric=cpu.idle_perc&dim=hostname%3Aweb-01&dim=service%3Aweb%7Cdb&lifecycle=OPEN&sort=severity+desc&limit=50&offset=40&trail=%2C20')
    expect(filtersFromParams(again)).toEqual({ ...filters, severities: ['CRITICAL', 'HIGH', 'LOW'] })
  })

  it('drops what a hand-edited or old link has wrong instead of sending it', () => {
    const filters = filtersFromParams(new URLSearchParams('state=BROKEN&severity=HUGE,LOW&dim=:x&dim=hostname:a&sort=password&limit=7&lifecycle=GONE'))
    expect(filters).toEqual({ severities: ['LOW'], dimensions: [{ key: 'hostname', values: ['a'] }], sort: DEFAULT_ALARM_SORT, limit: 20, trail: [] })
    expect(filtersToParams(filtersFromParams(new URLSearchParams())).toString()).toBe('')
  })

  it('filters by alarm definition', () => {
    const filters = filtersFromParams(new URLSearchParams('definition=def-1&state=ALARM'))
    expect(filters.definitionId).toBe('def-1')
    expect(filtersToParams(filters).toString()).toBe('definition=def-1&state=ALARM')
    expect(alarmListParams(filters)).toMatchObject({ alarm_definition_id: 'def-1', state: 'ALARM' })
  })

  it('gives the SDK its parameters', () => {
    const filters = filtersFromParams(new URLSearchParams('state=OK&severity=HIGH&dim=hostname:web-01&dim=service:web|db&dim=device&metric=disk&lifecycle=ACKNOWLEDGED&offset=20&trail='))
    expect(alarmListParams(filters)).toEqual({
      state: 'OK', severity: ['HIGH'], metric_name: 'disk', lifecycle_state: 'ACKNOWLEDGED', sort_by: DEFAULT_ALARM_SORT, limit: 20, offset: '20',
      metric_dimensions: { hostname: 'web-01', service: ['web', 'db'], device: null },
    })
  })

  it('pages forward on the server\'s next offsets and back along the trail; a new filter starts at the first page', () => {
    const first = filtersFromParams(new URLSearchParams('state=ALARM'))
    const second = nextPage(first, '20')
    const third = nextPage(second, '40')
    expect([second.offset, second.trail, third.offset, third.trail]).toEqual(['20', [''], '40', ['', '20']])
    expect(filtersFromParams(filtersToParams(third))).toEqual(third)
    expect(previousPage(third)).toEqual(second)
    expect(previousPage(second)).toEqual(first)
    const refiltered = withFilters(third, { metricName: 'cpu' })
    expect(refiltered.offset).toBeUndefined()
    expect(refiltered.trail).toEqual([])
    expect(withFilters(third, { state: undefined })).not.toHaveProperty('state')
  })
})

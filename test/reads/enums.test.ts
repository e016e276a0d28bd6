/**
 * The API's enumerations: exported lists the CLI and dashboards can use, and the same values as
 * unions in filter and result types (the `@ts-expect-error` lines fail `tsc -p tsconfig.json` if a
 * type loosens back to `string`).
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  ALARM_COUNT_GROUP_BY,
  ALARM_DEFINITION_SORT_FIELDS,
  ALARM_SORT_FIELDS,
  ALARM_STATES,
  LIFECYCLE_STATES,
  NOTIFICATION_SORT_FIELDS,
  SEVERITIES,
  STATISTICS,
  createClient,
  type Alarm,
  type AlarmDefinition,
  type AlarmFilterParams,
  type AlarmState,
  type AlarmStateHistory,
  type LifecycleState,
  type Severity,
  type Statistic,
  type StatisticsParams,
  type CallPromise,
  type ResponseInfo,
  type Version,
  type WithResponse,
} from '../../src/index.js'
import { captureFetch, emptyList } from '../helpers/capture.js'

describe('enum lists and unions', () => {
  it('the lists hold exactly the union members', () => {
    expectTypeOf<(typeof ALARM_STATES)[number]>().toEqualTypeOf<AlarmState>()
    expectTypeOf<(typeof SEVERITIES)[number]>().toEqualTypeOf<Severity>()
    expectTypeOf<(typeof STATISTICS)[number]>().toEqualTypeOf<Statistic>()
    expectTypeOf<(typeof LIFECYCLE_STATES)[number]>().toEqualTypeOf<LifecycleState>()
    expect([...ALARM_STATES].sort()).toEqual(['ALARM', 'OK', 'UNDETERMINED'])
    expect(SEVERITIES).toEqual(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'])
    expect(LIFECYCLE_STATES).toEqual(['OPEN', 'ACKNOWLEDGED', 'RESOLVED'])
  })

  it('results carry the unions', () => {
    expectTypeOf<Alarm['state']>().toEqualTypeOf<AlarmState>()
    expectTypeOf<AlarmDefinition['severity']>().toEqualTypeOf<Severity>()
    expectTypeOf<AlarmStateHistory['new_state']>().toEqualTypeOf<AlarmState>()
    expectTypeOf<'OPEN'>().toExtend<NonNullable<Alarm['lifecycle_state']>>()
  })

  it('filters take the unions (any case) and refuse other words at compile time', () => {
    const ok: AlarmFilterParams[] = [{ state: 'ALARM' }, { state: 'ok' }, { severity: ['LOW', 'critical'] }, { severity: 'LOW|HIGH' }, { lifecycle_state: 'ACKNOWLEDGED' }]
    // @ts-expect-error not an alarm state
    const badState: AlarmFilterParams = { state: 'BROKEN' }
    // @ts-expect-error not a severity
    const badSeverity: AlarmFilterParams = { severity: ['SEVERE'] }
    // @ts-expect-error not a statistic
    const badStatistic: Pick<StatisticsParams, 'statistics'> = { statistics: 'median' }
    expect(ok).toHaveLength(5)
    expect([badState, badSeverity, badStatistic]).toHaveLength(3)
  })

  it('the sort and group-by lists are what the resources check against', async () => {
    const { fetch, calls } = captureFetch(() => emptyList())
    const client = createClient({ endpoint: 'http://m.test/v2.0', token: 't', fetch })
    for (const field of ALARM_SORT_FIELDS) await client.alarms.list({ sort_by: `${field} desc` })
    for (const field of ALARM_DEFINITION_SORT_FIELDS) await client.alarmDefinitions.list({ sort_by: field })
    for (const field of NOTIFICATION_SORT_FIELDS) await client.notifications.list({ sort_by: field })
    expect(calls).toHaveLength(ALARM_SORT_FIELDS.length + ALARM_DEFINITION_SORT_FIELDS.length + NOTIFICATION_SORT_FIELDS.length)
    await expect(client.alarms.list({ sort_by: 'name' })).rejects.toMatchObject({ field: 'sort_by' })
    expect(ALARM_COUNT_GROUP_BY).toContain('dimension_value')
  })
})

describe('reply types are exported', () => {
  it('CallPromise, WithResponse and ResponseInfo name what calls return', async () => {
    const { fetch } = captureFetch(() => new Response(JSON.stringify({ id: 'v2.0' }), { headers: { 'x-openstack-request-id': 'req-7' } }))
    const call: CallPromise<Version> = createClient({ endpoint: 'http://m.test/v2.0', token: 't', fetch }).versions.get()
    const answer: WithResponse<Version> = await call.withResponse()
    const info: ResponseInfo = answer.response
    expect([answer.data.id, answer.requestId, info.status]).toEqual(['v2.0', 'req-7', 200])
  })
})

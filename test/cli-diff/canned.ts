/**
 * Realistic Monasca v2.0 answers per route, shaped like the Python monasca-api's (see
 * ../shared/reference/monasca-api.md §3), so that both CLIs have something to print in every
 * column. Responses of create/update/patch echo the request body merged into a stored-looking
 * object, as the real server does, so `JSON(resp)` output can be compared too.
 */

export interface CannedReply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export const IDS = {
  notification: '35cc6f1c-3a29-49fb-a6fc-d9d97d190508',
  notification2: 'c60ec47e-5038-4bf1-9f95-4046c6e9a759',
  definition: 'b461d659-577b-4d63-9782-a99194d4a472',
  alarm: 'f9935bcc-9641-4cbf-8224-0993a947ea83',
  alarm2: 'bc7f388d-3522-47bd-b4ae-41567090ab72',
} as const

const self = (base: string, path: string) => [{ rel: 'self', href: `${base}${path}` }]

function notification(base: string, id: string, over: Record<string, unknown> = {}) {
  return {
    id,
    links: self(base, `/notification-methods/${id}`),
    name: 'ops-mail',
    type: 'EMAIL',
    address: 'ops@example.com',
    period: 0,
    ...over,
  }
}

function definition(base: string, id: string, over: Record<string, unknown> = {}) {
  return {
    id,
    links: self(base, `/alarm-definitions/${id}`),
    name: 'Average CPU percent greater than 10',
    description: 'The average CPU percent is greater than 10',
    expression: '(avg(cpu.user_perc{hostname=devstack}) > 10)',
    deterministic: false,
    match_by: ['hostname'],
    severity: 'LOW',
    actions_enabled: true,
    alarm_actions: [IDS.notification2],
    ok_actions: [IDS.notification2],
    undetermined_actions: [],
    ...over,
  }
}

function alarm(base: string, id: string, over: Record<string, unknown> = {}) {
  return {
    id,
    links: self(base, `/alarms/${id}`),
    alarm_definition: {
      id: IDS.definition,
      name: 'high cpu and load',
      severity: 'LOW',
      links: self(base, `/alarm-definitions/${IDS.definition}`),
    },
    metrics: [
      { name: 'cpu.system_perc', dimensions: { hostname: 'devstack', service: 'monitoring' } },
      { name: 'load.avg_1_min', dimensions: { hostname: 'devstack' } },
    ],
    state: 'OK',
    lifecycle_state: 'OPEN',
    link: 'http://somesite.com/this-alarm-info',
    state_updated_timestamp: '2015-03-20T21:04:49Z',
    updated_timestamp: '2015-03-20T21:04:49Z',
    created_timestamp: '2015-03-20T21:03:34Z',
    ...over,
  }
}

function historyEntry(alarmId: string, id: string, oldState: string, newState: string) {
  return {
    id,
    alarm_id: alarmId,
    metrics: [{ id: null, name: 'cpu.system_perc', dimensions: { hostname: 'devstack' } }],
    old_state: oldState,
    new_state: newState,
    reason: 'The alarm threshold(s) have not been exceeded for the sub-alarms: avg(cpu.system_perc{hostname=devstack}) > 15.0 with the values: [1.5]',
    reason_data: '{}',
    timestamp: '2015-02-20T16:50:07.000Z',
    sub_alarms: [],
  }
}

const page = (base: string, path: string, elements: unknown[]) => ({ links: self(base, path), elements })

/** Body of a request as JSON object, or {} when it is not one. */
const asObject = (body: unknown): Record<string, unknown> =>
  typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {}

/**
 * The canned answer for one Monasca request. `base` is the public `…/v2.0` URL, `path` the part after
 * it (no query), `query` the decoded pairs.
 */
export function cannedMonasca(
  base: string,
  method: string,
  path: string,
  query: [string, string][],
  body: unknown,
): CannedReply {
  const q = (key: string) => query.find(([k]) => k === key)?.[1]
  const route = path.replace(/\/+$/, '') || '/'
  const seg = route.split('/').filter(Boolean)

  if (route === '/metrics') {
    if (method === 'POST') return { status: 204 }
    if (method === 'GET')
      return {
        status: 200,
        body: page(base, route, [
          { id: '0', name: 'cpu.idle_perc', dimensions: { hostname: 'devstack', service: 'monitoring' } },
          { id: '1', name: 'http_status', dimensions: { hostname: 'devstack', url: 'http://localhost:8774/v2.0', service: 'compute' } },
        ]),
      }
  }
  if (method !== 'GET' && route.startsWith('/metrics')) return methodNotAllowed()
  if (route === '/metrics/names')
    return { status: 200, body: page(base, route, [{ name: 'cpu.idle_perc' }, { name: 'http_status' }]) }
  if (route === '/metrics/dimensions/names')
    return { status: 200, body: page(base, route, [{ dimension_name: 'hostname' }, { dimension_name: 'service' }]) }
  if (route === '/metrics/dimensions/names/values')
    return { status: 200, body: page(base, route, [{ dimension_value: 'devstack' }, { dimension_value: 'mini-mon' }]) }
  if (route === '/metrics/measurements')
    return {
      status: 200,
      body: page(base, route, [
        {
          id: '0',
          name: q('name') ?? 'http_status',
          dimensions: { hostname: 'devstack', url: 'http://localhost:8774/v2.0' },
          columns: ['timestamp', 'value', 'value_meta'],
          measurements: [
            ['2015-03-03T05:22:28.123Z', 0, {}],
            ['2015-03-03T05:24:55.123Z', 1, { rc: '404', error: 'Not Found' }],
          ],
        },
      ]),
    }
  if (route === '/metrics/statistics') {
    const stats = (q('statistics') ?? 'avg').split(',').map((s) => s.trim().toLowerCase())
    const row = (ts: string, seed: number) => [ts, ...stats.map((s, i) => (s === 'count' ? 8 + i : seed + i * 1.25))]
    return {
      status: 200,
      body: page(base, route, [
        {
          id: '0',
          name: q('name') ?? 'cpu.system_perc',
          dimensions: { hostname: 'devstack' },
          columns: ['timestamp', ...stats],
          statistics: [row('2014-07-18T03:20:00Z', 2.765), row('2014-07-18T03:21:00Z', 2.41)],
        },
      ]),
    }
  }

  if (route === '/notification-methods/types' && method === 'GET')
    return { status: 200, body: page(base, route, [{ type: 'EMAIL' }, { type: 'WEBHOOK' }, { type: 'PAGERDUTY' }]) }
  if (route === '/notification-methods') {
    if (method === 'GET')
      return {
        status: 200,
        body: page(base, route, [
          notification(base, IDS.notification),
          notification(base, IDS.notification2, { name: 'ops-hook', type: 'WEBHOOK', address: 'http://hooks.example.com/alert', period: 60 }),
        ]),
      }
    if (method === 'POST')
      return { status: 201, body: notification(base, IDS.notification, { period: 0, ...asObject(body) }) }
  }
  if (seg[0] === 'notification-methods' && seg.length === 2) {
    const id = seg[1]!
    if (method === 'GET') return { status: 200, body: notification(base, id) }
    if (method === 'PUT' || method === 'PATCH') return { status: 200, body: notification(base, id, asObject(body)) }
    if (method === 'DELETE') return { status: 204 }
  }

  if (route === '/alarm-definitions') {
    if (method === 'GET')
      return {
        status: 200,
        body: page(base, route, [
          definition(base, IDS.definition),
          definition(base, 'f6a4c9b2-8d31-4e57-a0c8-1b2e3d4f5a6b', {
            name: 'disk full',
            description: '',
            expression: 'max(disk.space_used_perc{mount_point=/}) >= 90 times 3',
            match_by: ['hostname', 'mount_point'],
            severity: 'HIGH',
            actions_enabled: false,
            alarm_actions: [],
            ok_actions: [],
          }),
        ]),
      }
    if (method === 'POST')
      return {
        status: 201,
        body: definition(base, IDS.definition, {
          description: '',
          match_by: [],
          severity: 'LOW',
          alarm_actions: [],
          ok_actions: [],
          undetermined_actions: [],
          ...asObject(body),
        }),
      }
  }
  if (seg[0] === 'alarm-definitions' && seg.length === 2) {
    const id = seg[1]!
    if (method === 'GET') return { status: 200, body: definition(base, id) }
    if (method === 'PUT' || method === 'PATCH') return { status: 200, body: definition(base, id, asObject(body)) }
    if (method === 'DELETE') return { status: 204 }
  }

  if (route === '/alarms' && method === 'GET')
    return {
      status: 200,
      body: page(base, route, [
        alarm(base, IDS.alarm),
        alarm(base, IDS.alarm2, { state: 'ALARM', lifecycle_state: null, link: null, metrics: [{ name: 'cpu.system_perc', dimensions: { hostname: 'mini-mon' } }] }),
      ]),
    }
  if (route === '/alarms/count' && method === 'GET') {
    const groupBy = (q('group_by') ?? '').split(',').filter(Boolean)
    const sample: Record<string, [string, string]> = {
      state: ['ALARM', 'OK'],
      severity: ['HIGH', 'LOW'],
      name: ['disk full', 'high cpu and load'],
      alarm_definition_id: [IDS.definition, 'f6a4c9b2-8d31-4e57-a0c8-1b2e3d4f5a6b'],
      lifecycle_state: ['OPEN', 'ACKNOWLEDGED'],
      link: ['http://somesite.com/a', 'http://somesite.com/b'],
      metric_name: ['cpu.system_perc', 'load.avg_1_min'],
      dimension_name: ['hostname', 'service'],
      dimension_value: ['devstack', 'mini-mon'],
    }
    const counts = groupBy.length === 0 ? [[3]] : [0, 1].map((i) => [i === 0 ? 124 : 12, ...groupBy.map((g) => sample[g]?.[i] ?? null)])
    return { status: 200, body: { links: self(base, route), columns: ['count', ...groupBy], counts } }
  }
  if (route === '/alarms/state-history' && method === 'GET')
    return {
      status: 200,
      body: page(base, route, [
        historyEntry(IDS.alarm2, '1424451007002', 'UNDETERMINED', 'OK'),
        historyEntry(IDS.alarm, '1424451007004', 'OK', 'ALARM'),
      ]),
    }
  if (seg[0] === 'alarms' && seg.length === 3 && seg[2] === 'state-history' && method === 'GET')
    return { status: 200, body: page(base, route, [historyEntry(seg[1]!, '1424451007002', 'UNDETERMINED', 'OK')]) }
  if (seg[0] === 'alarms' && seg.length === 2) {
    const id = seg[1]!
    if (method === 'GET') return { status: 200, body: alarm(base, id) }
    if (method === 'PUT' || method === 'PATCH') return { status: 200, body: alarm(base, id, asObject(body)) }
    if (method === 'DELETE') return { status: 204 }
  }
  if (route === '/' || route === '') return { status: 200, body: { id: 'v2.0', links: self(base, ''), status: 'CURRENT', updated: '2013-03-06T00:00:00.000Z' } }
  return { status: 404, body: { title: 'Not Found', description: `No route for ${method} ${route}` } }
}

function methodNotAllowed(): CannedReply {
  return { status: 405, body: { title: 'Method Not Allowed', description: 'The method is not allowed for this resource' } }
}

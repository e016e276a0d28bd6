/**
 * Bad requests never crash the emulator: random methods, paths, queries, bodies and content types
 * always get an HTTP answer with a JSON error body, and a 5xx only where the real server gives one
 * (a malformed state_updated_start_time, period=0, an unparseable measurement/history offset).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'

const PATHS = [
  '/', '/v2.0', '/v9', '/healthcheck', '/v2.0/metrics', '/v2.0/metrics/measurements', '/v2.0/metrics/statistics', '/v2.0/metrics/names',
  '/v2.0/metrics/dimensions/names', '/v2.0/metrics/dimensions/names/values', '/v2.0/alarm-definitions', '/v2.0/alarm-definitions/{id}',
  '/v2.0/alarms', '/v2.0/alarms/{id}', '/v2.0/alarms/count', '/v2.0/alarms/state-history', '/v2.0/alarms/{id}/state-history',
  '/v2.0/notification-methods', '/v2.0/notification-methods/{id}', '/v2.0/notification-methods/types', '/v3', '/v3/auth/tokens',
  '/v3/users/{id}/application_credentials', '/v2.0/{id}', '/{id}',
]
const PARAMS = [
  'name', 'dimensions', 'metric_dimensions', 'start_time', 'end_time', 'offset', 'limit', 'merge_metrics', 'group_by', 'statistics',
  'period', 'tenant_id', 'severity', 'state', 'sort_by', 'alarm_definition_id', 'metric_name', 'dimension_name', 'lifecycle_state', 'link',
  'state_updated_start_time', 'nocatalog',
]
/** Parameters for which the real server answers 500 on some malformed values. */
const REAL_500 = ['state_updated_start_time', 'period', 'offset']

const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', '%', '%zz', '%E2%82', '+', 'a:b|c,d', '*', '-1', '0', '10001', 'true', 'NaN', '2026-01-01T00:00:00Z', '1_2', 'name desc,id', '\u0000', '∞'),
)
const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), fc.string({ maxLength: 5 })), text), { maxLength: 4 })
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40 }),
  fc.record({
    name: fc.oneof(text, fc.constant(null), fc.integer()),
    expression: fc.oneof(text, fc.constantFrom('avg(x) > 1', 'max(a{b=c}, 60) >= 2 times 3 or min(d) < 1')),
    type: fc.oneof(text, fc.constantFrom('EMAIL', 'WEBHOOK')),
    address: text,
    period: fc.oneof(fc.integer(), text, fc.constant(null)),
    value: fc.oneof(fc.double(), text, fc.constant(null)),
    timestamp: fc.oneof(fc.integer(), text, fc.double(), fc.constantFrom(1e20, -1e20, 8.64e15, 9.3e12, Number.MAX_VALUE)),
    dimensions: fc.oneof(fc.dictionary(text, fc.oneof(text, fc.integer())), fc.constant(null), text),
    state: fc.oneof(text, fc.constantFrom('OK', 'ALARM')),
    match_by: fc.oneof(fc.array(text), text),
    alarm_actions: fc.oneof(fc.array(fc.oneof(text, fc.integer())), text),
    auth: fc.jsonValue({ maxDepth: 3 }),
  }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  // Nesting far past any recursive walker's stack, in a field each resource reads.
  fc.tuple(fc.constantFrom('name', 'expression', 'dimensions', 'value_meta', 'match_by', 'auth', 'address'), fc.integer({ min: 1_000, max: 30_000 }), fc.boolean()).map(
    ([field, depth, array]) => `{"${field}":${array ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`},"value":1,"timestamp":1}`,
  ),
  fc.integer({ min: 65, max: 5_000 }).map((depth) => JSON.stringify({ name: 'deep', expression: `${'('.repeat(depth)}avg(x) > 1${')'.repeat(depth)}` })),
)

describe('fuzzed requests', () => {
  it('always get an answer; errors have JSON bodies; 5xx only where the real server has them', async () => {
    const emulator = createEmulator({
      seed: undefined,
      tokens: { user: { projectId: 'p1' }, admin: { projectId: 'p1', roles: ['admin', 'monasca-user'] }, reader: { projectId: 'p1', roles: ['monasca-read-only-user'] } },
      requestLogSize: 0,
    })
    await emulator.fetch('/v2.0/metrics', {
      method: 'POST',
      headers: { 'X-Auth-Token': 'user', 'Content-Type': 'application/json' },
      body: JSON.stringify([{ name: 'x', dimensions: { a: 'b' }, value: 1, timestamp: Date.now() }]),
    })
    await emulator.fetch('/v2.0/alarm-definitions', {
      method: 'POST',
      headers: { 'X-Auth-Token': 'user', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'd', expression: 'max(x) > 0', match_by: ['a'] }),
    })
    const ids = [emulator.data.alarms()[0]!.id, emulator.data.alarmDefinitions()[0]!.id, 'x', '..', '%2F', 'ünï']

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
        fc.constantFrom(...PATHS),
        fc.constantFrom(...ids),
        query,
        body,
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', undefined),
        fc.constantFrom('user', 'admin', 'reader', 'bad', undefined),
        async (method, template, id, params, payload, contentType, token) => {
          const path = template.replace('{id}', encodeURIComponent(id))
          const qs = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
          const headers: Record<string, string> = {}
          if (token) headers['X-Auth-Token'] = token
          if (contentType) headers['Content-Type'] = contentType
          if (path.startsWith('/v3/auth/tokens')) headers['X-Subject-Token'] = 'garbage'
          const response = await emulator.fetch(`http://fuzz.test${path}${qs ? `?${qs}` : ''}`, {
            method,
            headers,
            ...(payload !== undefined && method !== 'GET' && method !== 'HEAD' ? { body: payload } : {}),
          })
          const raw = await response.text()
          if (response.status >= 500) {
            const allowed = params.some(([k]) => REAL_500.includes(k))
            const shown = `${method} ${path}?${qs} ${(payload ?? '').slice(0, 200)} -> ${response.status} ${raw.slice(0, 300)}`
            expect(allowed, shown).toBe(true)
            // Only the repository errors the real server gives; never the catch-all of an emulator bug.
            expect((JSON.parse(raw) as { title?: string }).title, shown).toBe('The repository was unable to process your request')
          }
          if (response.status >= 400 && method !== 'HEAD') {
            expect(() => JSON.parse(raw), `${method} ${path}: ${raw}`).not.toThrow()
            const parsed = JSON.parse(raw) as Record<string, unknown>
            expect(typeof parsed.title === 'string' || typeof parsed.error === 'object', raw).toBe(true)
          }
        },
      ),
      { numRuns: 1500 },
    )
  }, 120_000)
})

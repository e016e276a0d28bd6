// Testing your own code against the emulator, with Node's built-in test runner (no server, no Keystone):
//   npm run build && node --test examples/emulator-test.mjs
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createClient } from 'monasca-client'
import { createEmulator } from 'monasca-client/emulator'

// The code under test: a tiny "worst alarm per host" summary, as a dashboard would compute it.
async function worstStatePerHost(monasca) {
  const rank = { OK: 0, UNDETERMINED: 1, ALARM: 2 }
  const worst = {}
  for await (const alarm of monasca.alarms.list()) {
    for (const metric of alarm.metrics) {
      const host = metric.dimensions.hostname
      if (host && (worst[host] === undefined || rank[alarm.state] > rank[worst[host]])) worst[host] = alarm.state
    }
  }
  return worst
}

test('alarms come alive from metrics, and a test can force a state', async () => {
  const emulator = createEmulator({ tokens: { 'test-token': { projectId: 'my-project' } } })
  const monasca = createClient({ endpoint: 'http://monasca.test/v2.0', token: 'test-token', fetch: emulator.fetch })

  await monasca.alarmDefinitions.create({ name: 'cpu high', expression: 'avg(cpu.user_perc) > 90', match_by: ['hostname'] })
  const now = Date.now()
  await monasca.metrics.create([
    { name: 'cpu.user_perc', dimensions: { hostname: 'web-01' }, timestamp: now, value: 97 },
    { name: 'cpu.user_perc', dimensions: { hostname: 'web-02' }, timestamp: now, value: 12 },
  ])
  assert.deepEqual(await worstStatePerHost(monasca), { 'web-01': 'ALARM', 'web-02': 'OK' })

  const [web02] = await monasca.alarms.list({ metric_dimensions: { hostname: 'web-02' } })
  emulator.setAlarmState(web02.id, 'UNDETERMINED', 'the agent stopped reporting')
  assert.deepEqual(await worstStatePerHost(monasca), { 'web-01': 'ALARM', 'web-02': 'UNDETERMINED' })
})

test('a password login hits Keystone once, then reuses the token', async () => {
  const emulator = createEmulator()
  const monasca = createClient({ authUrl: 'http://cloud.test/v3', username: 'demo', password: 'demo-secret', projectName: 'demo', fetch: emulator.fetch })
  await monasca.metrics.listNames()
  await monasca.alarms.list()
  const keystoneCalls = emulator.requests.filter((r) => r.service === 'keystone' && r.method === 'POST')
  assert.equal(keystoneCalls.length, 1)
  assert.ok(!JSON.stringify(emulator.requests).includes('demo-secret'))
})

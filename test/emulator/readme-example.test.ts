/** The README's "Use it in tests" snippet, verbatim apart from the imports. */
import { expect, it } from 'vitest'
import { createClient } from '../../src/index.js'
import { createEmulator } from '../../src/emulator/index.js'

it('README emulator example: metrics, a definition and an alarm in ALARM; Keystone through the catalog', async () => {
  const emulator = createEmulator({ tokens: { t1: { projectId: 'p1' } } })
  const monasca = createClient({ endpoint: 'http://monasca.test/v2.0', token: 't1', fetch: emulator.fetch })

  await monasca.metrics.create({ name: 'cpu', dimensions: { hostname: 'h1' }, timestamp: Date.now(), value: 97 })
  await monasca.alarmDefinitions.create({ name: 'cpu high', expression: 'max(cpu) > 90', match_by: ['hostname'] })
  await monasca.metrics.create({ name: 'cpu', dimensions: { hostname: 'h1' }, timestamp: Date.now(), value: 98 })
  expect((await monasca.alarms.list())[0]!.state).toBe('ALARM')

  const viaKeystone = createClient({ authUrl: 'http://monasca.test/v3', username: 'demo', password: 'demo-secret', projectName: 'demo', fetch: emulator.fetch })
  expect(await viaKeystone.metrics.listNames()).toEqual([])
  expect(emulator.requests.filter((r) => r.service === 'keystone').length).toBeGreaterThanOrEqual(1)
})

it('README test-hooks example: failNext gives a 500 with a request id, revokeToken a 401', async () => {
  const lab = createEmulator({ seed: 'demo' })
  const token = lab.issueToken({ projectId: lab.projectId('demo') })
  lab.failNext({ path: '/v2.0/alarms', status: 500 })
  const failed = await lab.fetch('/v2.0/alarms', { headers: { 'X-Auth-Token': token } })
  expect(failed.status).toBe(500)
  expect(failed.headers.get('x-openstack-request-id')).toMatch(/^req-/)
  expect(await failed.json()).toEqual({ title: 'Service unavailable', description: 'The emulator was told to fail this request (emulator.failNext)' })
  expect((await lab.fetch('/v2.0/alarms', { headers: { 'X-Auth-Token': token } })).status).toBe(200)
  lab.revokeToken(token)
  expect((await lab.fetch('/v2.0/alarms', { headers: { 'X-Auth-Token': token } })).status).toBe(401)
})

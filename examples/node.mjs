// Every resource of the SDK against a running Monasca (by default the emulator of `npm start`).
//   node examples/node.mjs                       # emulator on 127.0.0.1:8070, user demo / demo-secret
//   MONASCA_AUTH_URL=http://keystone:5000/v3 OS_USERNAME=… OS_PASSWORD=… OS_PROJECT_NAME=… node examples/node.mjs
import { ConflictError, createClient, validateExpression } from 'monasca-client'

const authUrl = process.env.MONASCA_AUTH_URL ?? `${process.env.MONASCA_URL ?? 'http://127.0.0.1:8070'}/v3`
const monasca = createClient({
  apiVersion: '2_0',
  authUrl,
  username: process.env.OS_USERNAME ?? 'demo',
  password: process.env.OS_PASSWORD ?? 'demo-secret',
  projectName: process.env.OS_PROJECT_NAME ?? 'demo',
  userDomainId: 'default',
  projectDomainId: 'default',
  // no endpoint: it comes from the token's catalog (service type "monitoring")
})
const log = (label, value) => console.log(label.padEnd(28), typeof value === 'string' ? value : JSON.stringify(value))
const suffix = Date.now().toString(36)

log('endpoint', await monasca.endpoint())
log('version', (await monasca.versions.get()).id)
log('notification types', (await monasca.notificationTypes.list()).map((t) => t.type))

// Metrics
const now = Date.now()
await monasca.metrics.create([0, 1, 2].map((i) => ({
  name: 'example.requests', dimensions: { hostname: 'example-host', service: 'shop' }, timestamp: now - i * 60_000, value: 10 + i,
})))
log('metrics', (await monasca.metrics.list({ name: 'example.requests' })).map((m) => m.dimensions))
log('names (first page)', (await monasca.metrics.listNames({ limit: 5 })).map((n) => n.name))
const [series] = await monasca.metrics.listMeasurements({ name: 'example.requests', start_time: new Date(now - 3600_000), merge_metrics: true })
log('measurements', series?.measurements.length)
const [stats] = await monasca.metrics.listStatistics({ name: 'example.requests', start_time: new Date(now - 3600_000), statistics: ['avg', 'max', 'count'], period: 3600, merge_metrics: true })
log('statistics columns', stats?.columns)
log('dimension names', (await monasca.metrics.listDimensionNames({ metric_name: 'example.requests' })).map((d) => d.dimension_name))
log('hostnames', (await monasca.metrics.listDimensionValues({ dimension_name: 'hostname', metric_name: 'example.requests' })).map((d) => d.dimension_value))

// Notification methods
const method = await monasca.notifications.create({ name: `example-${suffix}`, type: 'EMAIL', address: 'ops@example.com' })
await monasca.notifications.patch(method.id, { period: 60 })
log('notification method', (await monasca.notifications.get(method.id)).period)

// Alarm definitions
const expression = 'avg(example.requests{service=shop}) > 5'
log('expression check', validateExpression(expression).ok)
const definition = await monasca.alarmDefinitions.create({ name: `example-${suffix}`, expression, match_by: ['hostname'], severity: 'HIGH', alarm_actions: [method.id] })
await monasca.alarmDefinitions.patch(definition.id, { description: 'requests above 5' })
log('definitions (HIGH)', (await monasca.alarmDefinitions.list({ severity: 'HIGH' })).length)

// Alarms: the emulator evaluates new metrics against the definition
await monasca.metrics.create({ name: 'example.requests', dimensions: { hostname: 'example-host', service: 'shop' }, value: 50 })
const alarms = await monasca.alarms.list({ alarm_definition_id: definition.id })
log('alarms of the definition', alarms.map((a) => a.state))
if (alarms[0]) {
  await monasca.alarms.patch(alarms[0].id, { lifecycle_state: 'ACKNOWLEDGED' })
  log('history entries', (await monasca.alarms.history(alarms[0].id)).length)
}
log('alarm count by state', (await monasca.alarms.count({ group_by: 'state' })).counts)
log('recent transitions', (await monasca.alarms.historyList({ start_time: new Date(now - 86400_000) })).length)

// Errors are typed
try {
  await monasca.metrics.listMeasurements({ name: 'cpu.idle_perc', start_time: new Date(now - 3600_000) })
  log('measurements of cpu', 'one series (no conflict)')
} catch (error) {
  if (!(error instanceof ConflictError)) throw error
  log('conflict', `${error.title}: pass merge_metrics or group_by`)
}

await monasca.alarmDefinitions.delete(definition.id)
await monasca.notifications.delete(method.id)
log('cleaned up', true)

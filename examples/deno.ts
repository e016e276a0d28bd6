// deno run --allow-net examples/deno.ts   (against `npm start`; in an app: import from "npm:monasca-client")
import { createClient } from 'monasca-client'

const monasca = createClient({ endpoint: 'http://127.0.0.1:8070/v2.0', authUrl: 'http://127.0.0.1:8070/v3', username: 'demo', password: 'demo-secret', projectName: 'demo' })
for await (const alarm of monasca.alarms.list({ state: 'ALARM' })) {
  console.log(alarm.alarm_definition.name, alarm.metrics.map((m) => m.dimensions.hostname).join(', '))
}

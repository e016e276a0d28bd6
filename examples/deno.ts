// deno run --allow-net --allow-env examples/deno.ts   (against `npm start`; in an app: import from "npm:monasca-client")
import { createClient } from 'monasca-client'

declare const Deno: { env: { get(name: string): string | undefined } } // from Deno's own types

const base = Deno.env.get('MONASCA_URL') ?? 'http://127.0.0.1:8070'
const monasca = createClient({ authUrl: `${base}/v3`, username: 'demo', password: 'demo-secret', projectName: 'demo' })
for await (const alarm of monasca.alarms.list({ state: 'ALARM' })) {
  console.log(alarm.alarm_definition.name, alarm.metrics.map((m) => m.dimensions.hostname).join(', '))
}

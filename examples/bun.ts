// bun examples/bun.ts   (against `npm start`; in an app: import { createClient } from "monasca-client")
import { createClient } from 'monasca-client'

const base = process.env.MONASCA_URL ?? 'http://127.0.0.1:8070'
const monasca = createClient({ authUrl: `${base}/v3`, username: 'demo', password: 'demo-secret', projectName: 'demo' })
const { columns, counts } = await monasca.alarms.count({ group_by: ['state'] })
console.log(columns.join('\t'))
for (const row of counts) console.log(row.join('\t'))

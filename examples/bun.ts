// bun examples/bun.ts   (against `npm start`; in an app: import { createClient } from "monasca-client")
import { createClient } from 'monasca-client'

const monasca = createClient({ endpoint: 'http://127.0.0.1:8070/v2.0', authUrl: 'http://127.0.0.1:8070/v3', username: 'demo', password: 'demo-secret', projectName: 'demo' })
const { columns, counts } = await monasca.alarms.count({ group_by: ['state'] })
console.log(columns.join('\t'))
for (const row of counts) console.log(row.join('\t'))

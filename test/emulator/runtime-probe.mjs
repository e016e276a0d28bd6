// The built emulator entry in Deno, Bun and Node: in-process, no server, Keystone then Monasca.
import { createEmulator } from '../../dist/emulator.js'

const runtime = typeof Deno !== 'undefined' ? 'deno' : typeof Bun !== 'undefined' ? 'bun' : 'node'
const emulator = createEmulator({ seed: 'demo' })
const login = await emulator.fetch('http://cloud.test/v3/auth/tokens', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({
    auth: {
      identity: { methods: ['password'], password: { user: { name: 'demo', domain: { id: 'default' }, password: 'demo-secret' } } },
      scope: { project: { name: 'demo', domain: { id: 'default' } } },
    },
  }),
})
const token = login.headers.get('x-subject-token')
const count = await (await emulator.fetch('http://cloud.test/v2.0/alarms/count?group_by=state', { headers: { 'X-Auth-Token': token } })).json()
const expression = await emulator.fetch('http://cloud.test/v2.0/alarm-definitions', {
  method: 'POST',
  headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' },
  body: JSON.stringify({ name: 'bad', expression: 'avg(x) >' }),
})
console.log(JSON.stringify({ runtime, login: login.status, states: count.counts.map((c) => c[1]), expression: (await expression.json()).description }))

// A local Monasca + Keystone stand-in for the request benches, run as a child process so that the
// server does not share the client's event loop. Prints its port on stdout; GET /stats for counters.
import { createServer } from 'node:http'

const list = JSON.stringify({ links: [{ rel: 'self', href: 'x' }], elements: Array.from({ length: 20 }, (_, i) => ({ name: `metric.${i}` })) })
let tokenRequests = 0
const keystoneDelay = Number(process.argv[2] ?? 0)
const server = createServer((req, res) => {
  if (req.url === '/stats') {
    res.setHeader('content-type', 'application/json')
    return res.end(JSON.stringify({ tokenRequests }))
  }
  if (req.url === '/v3/auth/tokens' && req.method === 'POST') {
    tokenRequests++
    req.resume()
    return void setTimeout(() => {
      const now = Date.now()
      const body = JSON.stringify({
        token: {
          expires_at: new Date(now + 3600_000).toISOString(),
          issued_at: new Date(now).toISOString(),
          methods: ['password'],
          user: { id: 'u', name: 'bench' },
          project: { id: 'p', name: 'bench' },
          catalog: [{ type: 'monitoring', endpoints: [{ interface: 'public', url: `http://${req.headers.host}/v2.0` }] }],
        },
      })
      res.writeHead(201, { 'content-type': 'application/json', 'x-subject-token': `tok-${tokenRequests}`, 'content-length': Buffer.byteLength(body) })
      res.end(body)
    }, keystoneDelay)
  }
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(list) })
  res.end(list)
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
process.on('disconnect', () => process.exit(0))

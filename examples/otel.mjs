// OpenTelemetry metrics into Monasca: a small "shop" service instrumented with the OpenTelemetry SDK,
// exported by monasca-client/otel. Against the emulator of `npm start` (127.0.0.1:8070, demo / demo-secret):
//   node examples/otel.mjs                                   # about 15 s of traffic, exported every 5 s
//   OTEL_METRIC_EXPORT_INTERVAL=1000 EXAMPLE_SECONDS=5 node examples/otel.mjs
//   MONASCA_AUTH_URL=http://keystone:5000/v3 OS_USERNAME=… OS_PASSWORD=… OS_PROJECT_NAME=… node examples/otel.mjs
// Then see the metrics with `monasca metric-list --dimensions service=shop` (the commands are printed
// at the end) and in the dashboard's metrics explorer (its link is printed too).
import { hostname } from 'node:os'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { createClient } from 'monasca-client'
import { MonascaMetricExporter } from 'monasca-client/otel'

const dashboard = process.env.MONASCA_URL ?? 'http://127.0.0.1:8070' // the emulator also serves the dashboard
const authUrl = process.env.MONASCA_AUTH_URL ?? `${dashboard}/v3`
const credentials = {
  username: process.env.OS_USERNAME ?? 'demo',
  password: process.env.OS_PASSWORD ?? 'demo-secret',
  projectName: process.env.OS_PROJECT_NAME ?? 'demo',
}
const interval = Number(process.env.OTEL_METRIC_EXPORT_INTERVAL ?? 5000) // the OpenTelemetry variable's name
const seconds = Number(process.env.EXAMPLE_SECONDS ?? 15)

// 1. A client and the exporter. The exporter makes one metrics writer on the client (batching,
//    retries, an account of every metric) and reports what the writer drops.
const monasca = createClient({ authUrl, ...credentials, userDomainId: 'default', projectDomainId: 'default' })
const exporter = new MonascaMetricExporter({
  client: monasca,
  // Fixed dimensions on every metric, and the data point attributes that become dimensions.
  dimensions: { region: 'RegionOne' },
  attributes: { allow: ['http.route', 'http.response.status_code', 'queue'], rename: { 'http.route': 'route', 'http.response.status_code': 'status' } },
  writer: { onDrop: (metrics, { reason }) => console.error(`dropped ${metrics.length} metrics: ${reason}`) },
})

// 2. The OpenTelemetry SDK as any service sets it up: a resource and a periodic reader.
const provider = new MeterProvider({
  resource: resourceFromAttributes({ 'service.name': 'shop', 'host.name': hostname(), 'deployment.environment.name': 'demo' }),
  readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: interval, exportTimeoutMillis: Math.min(interval, 30_000) })],
})
const meter = provider.getMeter('shop-example', '1.0.0')

// 3. Instruments: a counter, a histogram, an up-down counter and an observable gauge.
const requests = meter.createCounter('shop.http.requests', { unit: '{request}', description: 'HTTP requests served' })
const duration = meter.createHistogram('shop.http.duration', { unit: 'ms', description: 'Time to answer', advice: { explicitBucketBoundaries: [10, 25, 50, 100, 250, 500] } })
const queued = meter.createUpDownCounter('shop.queue.depth', { unit: '{job}', description: 'Jobs waiting' })
meter.createObservableGauge('shop.memory.heap', { unit: 'By', description: 'V8 heap in use' }).addCallback((result) => result.observe(process.memoryUsage().heapUsed))

// 4. Simulated traffic, from a fixed seed so two runs record the same numbers.
let seed = 42
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
const routes = ['/cart', '/checkout', '/search']
const recorded = { requests: {}, durations: 0, queue: 0 }
const tick = () => {
  const route = routes[Math.floor(random() * routes.length)]
  const status = random() < 0.9 ? 200 : 503
  const ms = Math.round(5 + random() * random() * 600)
  requests.add(1, { 'http.route': route, 'http.response.status_code': status, 'user.id': `u${Math.floor(random() * 1e6)}` })
  duration.record(ms, { 'http.route': route })
  const change = random() < 0.5 ? 1 : -1
  if (recorded.queue + change >= 0) (queued.add(change, { queue: 'emails' }), (recorded.queue += change))
  const key = `${route} ${status}`
  recorded.requests[key] = (recorded.requests[key] ?? 0) + 1
  recorded.durations++
}
const traffic = setInterval(tick, 50)
await new Promise((done) => setTimeout(done, seconds * 1000))
clearInterval(traffic)

// 5. shutdown() exports what is left and closes the writer; its account of every metric follows.
await provider.shutdown()
const stats = exporter.stats()
const show = (label, value) => console.log(label.padEnd(24), typeof value === 'string' ? value : JSON.stringify(value))
show('requests recorded', recorded.requests)
show('durations recorded', recorded.durations)
show('queue depth at the end', recorded.queue)
show('metrics posted', `${stats.acked} acknowledged, ${stats.dropped} dropped, in ${stats.requests} requests`)
console.log(`
See them with the monasca command (Python's, or ours from this repository: node dist/bin/monasca.js):
  export OS_AUTH_URL=${authUrl} OS_USERNAME=${credentials.username} OS_PASSWORD=… OS_PROJECT_NAME=${credentials.projectName}
  export OS_USER_DOMAIN_ID=default OS_PROJECT_DOMAIN_ID=default
  monasca metric-list --dimensions service=shop
  monasca measurement-list shop.http.requests -10 --dimensions route=/cart,status=200
  monasca metric-statistics shop.http.duration.max MAX -10 --period 60 --merge_metrics --dimensions service=shop
In the dashboard of npm start (log in as demo / demo-secret), the metrics explorer: requests per minute by route
  ${dashboard}/dashboard/#/explorer?metric=shop.http.requests&fn=sum&period=60&group=route&range=1h`)
process.exit(stats.dropped > 0 ? 1 : 0)

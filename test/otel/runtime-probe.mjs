// Run by test/otel/runtimes.test.ts in Deno and Bun: the built otel entry with the OpenTelemetry SDK,
// exporting into the emulator's fetch handler; prints one JSON line of what the emulator stored.
import { resourceFromAttributes } from '@opentelemetry/resources'
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { createEmulator } from '../../dist/emulator.js'
import { createClient } from '../../dist/index.js'
import { MonascaMetricExporter } from '../../dist/otel.js'

const emulator = createEmulator({ tokens: { t: { projectId: 'p', roles: ['monasca-user'] } } })
const client = createClient({ endpoint: 'http://monasca.emulator/v2.0', token: 't', fetch: emulator.fetch })
const exporter = new MonascaMetricExporter({ client })
// The runtime names the service, so the test sees where the probe ran.
const runtime = typeof Deno !== 'undefined' ? 'deno' : typeof Bun !== 'undefined' ? 'bun' : 'node'
const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': runtime }), readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })] })
const meter = provider.getMeter('probe')
meter.createCounter('probe.count').add(3, { 'k=1': 'v;1' })
meter.createHistogram('probe.latency', { advice: { explicitBucketBoundaries: [10] } }).record(4)
await provider.shutdown()
const stored = emulator.data.metrics('p').map((m) => [m.name, m.dimensions, m.measurements.map((x) => x[1])])
console.log(JSON.stringify({ stats: exporter.stats(), stored: stored.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) }))

// The page the Chromium test bundles: the built otel entry (dist/otel.js) and the main entry, as an
// application would import them, with the OpenTelemetry SDK. It reports through window.otelResult.
import { resourceFromAttributes } from '@opentelemetry/resources'
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { createClient } from '../../../dist/index.js'
import { MonascaMetricExporter } from '../../../dist/otel.js'

async function run() {
  const monasca = new URL(location.href).searchParams.get('monasca')
  const client = createClient({ authUrl: `${monasca}/v3`, username: 'demo', password: 'demo-secret', projectName: 'demo' })
  const exporter = new MonascaMetricExporter({ client, dimensions: { page: 'otel-test' } })
  const results = []
  const exportOnce = exporter.export.bind(exporter)
  exporter.export = (metrics, done) => exportOnce(metrics, (r) => (results.push({ code: r.code, error: r.error && String(r.error) }), done(r)))
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'web-shop', 'host.name': navigator.userAgent.includes('Chrome') ? 'chromium' : 'other' }), readers: [reader] })
  const meter = provider.getMeter('browser')

  const clicks = meter.createCounter('ui.clicks', { unit: '{click}' })
  const open = meter.createUpDownCounter('ui.open_dialogs')
  const fps = meter.createGauge('ui.fps')
  const paint = meter.createHistogram('ui.paint', { unit: 'ms', advice: { explicitBucketBoundaries: [16, 33, 100] } })
  clicks.add(2, { button: 'buy "now"', 'aria=label': 'x;y' })
  clicks.add(1, { button: 'cart', url: location.origin + '/' + 'a'.repeat(300) })
  open.add(3)
  open.add(-1)
  fps.record(59.5)
  for (const v of [5, 20, 40, 120]) paint.record(v)
  await provider.forceFlush()
  clicks.add(5, { button: 'cart', url: location.origin + '/' + 'a'.repeat(300) })
  await provider.shutdown()
  return { results, stats: exporter.stats() }
}

run().then(
  (result) => (window.otelResult = result),
  (error) => (window.otelResult = { error: String(error && error.stack || error) }),
)

// Size of the otel entry (issue #11): esbuild, one minified browser ESM file, gzip -9, the same way
// bench/size.mjs measures the other entries. The OpenTelemetry SDK is external in the first row:
// it is the application's, not ours. The SDK itself and the full page are measured in the same run.
//   npm run build && node bench/otel-size.mjs          (`--json` for machine-readable)
import { bundleSize as measure } from './size.mjs'

const OTEL = ['@opentelemetry/*']
/** The same measure as bench/size.mjs (the built package, esbuild one file, gzip -9). */
const bundleSize = (code, external = []) => measure(code, { external })

const exporterPage = `import { MonascaMetricExporter } from './dist/otel.js'; export const e = MonascaMetricExporter`
const sdkPage = `import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
  import { resourceFromAttributes } from '@opentelemetry/resources'
  export const p = [MeterProvider, PeriodicExportingMetricReader, resourceFromAttributes]`
const clientPage = `import { createClient } from './dist/index.js'
  export const c = createClient({ authUrl: 'https://ks/v3', username: 'u', password: 'p', projectName: 'p' }).metrics.writer`

const rows = [
  ['otel entry alone (MonascaMetricExporter; OpenTelemetry SDK external)', await bundleSize(exporterPage, OTEL)],
  ['client with writer (createClient, password form; what the exporter posts through)', await bundleSize(clientPage)],
  ['otel entry + client with writer (everything of ours on the page)', await bundleSize(`${exporterPage}\n${clientPage}`, OTEL)],
  ['baseline: OpenTelemetry SDK (MeterProvider, PeriodicExportingMetricReader, resource)', await bundleSize(sdkPage)],
  ['whole page: SDK + otel entry + client with writer', await bundleSize(`${exporterPage}\n${clientPage}\n${sdkPage}`)],
]

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(Object.fromEntries(rows.map(([n, s]) => [n, s])), null, 2))
} else {
  const sdk = rows[3][1].gzip
  console.log('otel bundle sizes (esbuild, one file, minified, gzip -9), KB = 1024 bytes; ratio = gzip / OpenTelemetry SDK gzip')
  for (const [name, size] of rows) {
    console.log(`${name.padEnd(86)} ${(size.min / 1024).toFixed(1).padStart(6)} KB min  ${(size.gzip / 1024).toFixed(2).padStart(6)} KB gz  ${(size.gzip / sdk).toFixed(2)}×`)
  }
}

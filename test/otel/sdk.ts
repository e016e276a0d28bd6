/** A real MeterProvider with a pull reader, so the mapping is fed what the SDK itself produces. */
import type { Meter } from '@opentelemetry/api'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { AggregationType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics'
import type { AggregationTemporalitySelector, ResourceMetrics, ViewOptions } from '@opentelemetry/sdk-metrics'
import { temporalitySelector } from '../../src/otel/temporality.js'

/**
 * The SDK's MetricReader, collected on demand (nothing of it is imitated). Not InMemoryMetricExporter:
 * that one states a single temporality for every instrument, and the exporter's preference is per
 * instrument type, which these tests exercise.
 */
class PullReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface Instrumented {
  meter: Meter
  collect(): Promise<ResourceMetrics>
  shutdown(): Promise<void>
}

export function instrumented(options: { resource?: Record<string, string>; temporality?: AggregationTemporalitySelector; views?: ViewOptions[] } = {}): Instrumented {
  const reader = new PullReader({ aggregationTemporalitySelector: options.temporality ?? temporalitySelector('delta') })
  const provider = new MeterProvider({
    resource: resourceFromAttributes(options.resource ?? { 'service.name': 'checkout', 'host.name': 'web-01', 'process.pid': 4242 }),
    readers: [reader],
    views: options.views ?? [],
  })
  return {
    meter: provider.getMeter('test-scope', '1.0.0'),
    async collect() {
      const { resourceMetrics, errors } = await reader.collect()
      if (errors.length > 0) throw new AggregateError(errors, 'collection errors')
      return resourceMetrics
    },
    shutdown: () => provider.shutdown(),
  }
}

/** A view that makes every histogram exponential (max 20 buckets, so the test sees rescaling). */
export const exponentialView: ViewOptions = { instrumentName: '*', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 20 } } }

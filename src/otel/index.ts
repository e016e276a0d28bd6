/**
 * monasca-client/otel: OpenTelemetry metrics in, Monasca metrics out. A `PushMetricExporter` for
 * `@opentelemetry/sdk-metrics` (an optional peer dependency: only this entry imports it) that
 * posts each collection through the client's metrics writer.
 *
 *   const exporter = new MonascaMetricExporter({ client })
 *   new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter })] })
 */
export { MonascaMetricExporter, MonascaExportError } from './exporter.js'
export type { ExportResult, MonascaMetricExporterOptions, WriterSource } from './exporter.js'
export { createMapper, DEFAULT_RESOURCE_ATTRIBUTES, DEFAULT_RESOURCE_RENAMES, DEFAULT_EMPTY_VALUE } from './mapping.js'
export type { InvalidMetric, Mapped, Mapper, MappingOptions } from './mapping.js'
export type { AttributeRule } from './dimensions.js'
export { temporalitySelector } from './temporality.js'
export type { TemporalityPreference } from './temporality.js'
export type { MetricsWriter, WriterOptions, WriterCloseResult, WriterFlushResult, DropReason, DropDetail, WriterStats } from '../writer/types.js'
export type { MetricInput } from '../types.js'

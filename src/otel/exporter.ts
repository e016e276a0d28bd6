/**
 * `MonascaMetricExporter`: a `PushMetricExporter` for `@opentelemetry/sdk-metrics` that maps each
 * collection (see `mapping.ts`) and hands the metrics to a metrics writer. Batching, backpressure,
 * retries and the accounting of every metric are the writer's; the exporter only maps, adds, and
 * turns what the writer reports into the export result.
 */
import type { AggregationTemporality, AggregationTemporalitySelector, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics'
import { MonascaError, MonascaValidationError } from '../errors.js'
import type { MetricInput } from '../types.js'
import type { DropDetail, DropReason, MetricsWriter, WriterCloseResult, WriterFlushResult, WriterOptions } from '../writer/types.js'
import { createMapper } from './mapping.js'
import type { Mapper, MappingOptions } from './mapping.js'
import { temporalitySelector } from './temporality.js'
import type { TemporalityPreference } from './temporality.js'

/** What the export callback receives (`ExportResult` of `@opentelemetry/core`, named through the exporter type). */
export type ExportResult = Parameters<Parameters<PushMetricExporter['export']>[1]>[0]

// ExportResultCode of @opentelemetry/core (not a dependency of ours): SUCCESS = 0, FAILED = 1.
const SUCCESS = 0 as ExportResult['code']
const FAILED = 1 as ExportResult['code']

/** Anything with the writer method of a client: `createClient(...)`, or `{ metrics: { writer: (o) => createWriter(...) } }`. */
export interface WriterSource {
  metrics: { writer(options?: WriterOptions): MetricsWriter }
}

export interface MonascaMetricExporterOptions extends MappingOptions {
  /** The client whose `metrics.writer()` posts the metrics (the exporter makes and owns one writer). */
  client: WriterSource
  /**
   * Options of that writer. The exporter sets `invalid: 'drop'` (so nothing invalid is ever sent)
   * and, unless given, `overflow: 'drop-oldest'` (a full buffer drops the oldest, reported, rather
   * than block the SDK). Hooks given here are called as usual.
   */
  writer?: Omit<WriterOptions, 'invalid'>
  /** Aggregation temporality preference. Default `'delta'` (see README, "OpenTelemetry"). */
  temporality?: TemporalityPreference
  /** Milliseconds `shutdown()` gives the writer to send what it holds. Default: the writer's (10 000). */
  shutdownDeadline?: number
  /** Metrics still unsent when `shutdown()` gave up (also in the result `shutdown()` resolves to). */
  onUnsent?: (metrics: MetricInput[]) => void
}

/** The error of a failed export: how many metrics were dropped, by reason, and how many were left unsent. */
export class MonascaExportError extends MonascaError {
  override name = 'MonascaExportError'
  override readonly code: string = 'export'
  readonly dropped: Partial<Record<DropReason, number>>
  /** Metrics still held when the writer closed (handed to `onUnsent`, not dropped). */
  readonly unsent: number
  constructor(message: string, dropped: Partial<Record<DropReason, number>> = {}, unsent = 0) {
    super(message)
    this.dropped = dropped
    this.unsent = unsent
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), dropped: this.dropped, unsent: this.unsent }
  }
}

/** Adds go to the writer in slices of this many (one `add()` is all or none). */
const ADD_SLICE = 500

export class MonascaMetricExporter implements PushMetricExporter {
  private readonly writer: MetricsWriter
  private readonly mapper: Mapper
  private readonly selector: AggregationTemporalitySelector
  private readonly hooks: Pick<WriterOptions, 'onDrop' | 'onError'>
  private readonly shutdownDeadline: number | undefined
  private readonly slice: number
  private readonly onUnsent: ((metrics: MetricInput[]) => void) | undefined
  /** Drops seen by the exporter's own onDrop hook, by reason, since the start. */
  private readonly drops = new Map<DropReason, number>()
  private closing: Promise<WriterCloseResult> | undefined

  constructor(options: MonascaMetricExporterOptions) {
    if (typeof options !== 'object' || options === null) throw new MonascaValidationError('options', 'must be an object with a client')
    const { client, writer: writerOptions = {}, temporality, shutdownDeadline, onUnsent, ...mapping } = options
    if (typeof client?.metrics?.writer !== 'function') throw new MonascaValidationError('client', 'must have metrics.writer() (a client from createClient)')
    if (onUnsent !== undefined && typeof onUnsent !== 'function') throw new MonascaValidationError('onUnsent', 'must be a function')
    if (typeof writerOptions !== 'object' || writerOptions === null) throw new MonascaValidationError('writer', 'must be an object of writer options')
    for (const hook of ['onDrop', 'onError'] as const) {
      if (writerOptions[hook] !== undefined && typeof writerOptions[hook] !== 'function') throw new MonascaValidationError(`writer.${hook}`, 'must be a function')
    }
    if (shutdownDeadline !== undefined && !(typeof shutdownDeadline === 'number' && shutdownDeadline >= 0)) {
      throw new MonascaValidationError('shutdownDeadline', 'must be a number of milliseconds ≥ 0')
    }
    this.mapper = createMapper(mapping)
    this.selector = temporalitySelector(temporality)
    this.shutdownDeadline = shutdownDeadline
    this.onUnsent = onUnsent
    // One add() larger than the whole buffer is an error in the writer: slices stay within it.
    this.slice = Math.max(1, Math.min(ADD_SLICE, Math.floor(Number(writerOptions.maxBuffered)) || ADD_SLICE))
    this.hooks = { onDrop: writerOptions.onDrop, onError: writerOptions.onError }
    this.writer = client.metrics.writer({
      overflow: 'drop-oldest',
      ...writerOptions,
      invalid: 'drop',
      onDrop: (metrics, detail) => {
        this.drops.set(detail.reason, (this.drops.get(detail.reason) ?? 0) + metrics.length)
        this.hooks.onDrop?.(metrics, detail)
      },
    })
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.selector(instrumentType)
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.exportAsync(metrics).then(resultCallback, (error: unknown) =>
      resultCallback({ code: FAILED, error: error instanceof Error ? error : new MonascaExportError(String(error)) }),
    )
  }

  private async exportAsync(collection: ResourceMetrics): Promise<ExportResult> {
    if (this.closing) return { code: FAILED, error: new MonascaExportError('the exporter is shut down') }
    const before = new Map(this.drops)
    const { metrics, invalid } = this.mapper.map(collection)
    // Invalid metrics go through the writer's drop path (`invalid: 'drop'`): reported, never sent.
    for (const { metric } of invalid) this.writer.add(metric)
    for (let i = 0; i < metrics.length; i += this.slice) this.addSlice(metrics.slice(i, i + this.slice))
    let flushed: WriterFlushResult
    // flush() settles what is waiting now; if the writer closes first it resolves with fewer.
    const waiting = this.writer.stats().buffered
    try {
      flushed = await this.writer.flush()
    } catch (error) {
      return { code: FAILED, error: error instanceof Error ? error : new MonascaExportError(String(error)) }
    }
    const dropped: Partial<Record<DropReason, number>> = {}
    let total = 0
    for (const [reason, count] of this.drops) {
      const n = count - (before.get(reason) ?? 0)
      if (n > 0) (dropped[reason] = n), (total += n)
    }
    const unsent = Math.max(0, waiting - flushed.acked - flushed.dropped)
    if (total === 0 && flushed.dropped === 0 && unsent === 0) return { code: SUCCESS }
    const by = Object.entries(dropped).map(([reason, n]) => `${n} ${reason}`).join(', ')
    const parts = []
    if (total > 0 || flushed.dropped > 0) parts.push(`${total || flushed.dropped} of ${metrics.length + invalid.length} metrics were dropped${by ? ` (${by})` : ''}`)
    if (unsent > 0) parts.push(`${unsent} ${unsent === 1 ? 'metric was' : 'metrics were'} not sent before the writer closed (given to onUnsent, or kept in the spool)`)
    return { code: FAILED, error: new MonascaExportError(parts.join('; '), dropped, unsent) }
  }

  /** One `add()`; when the writer refused without reporting (`overflow: 'reject'`), the exporter reports. */
  private addSlice(slice: MetricInput[]): void {
    const reported = this.drops.get('overflow') ?? 0
    if (this.writer.add(slice)) return
    // 'drop-newest' (or a spool at its cap): the writer reported what it dropped itself.
    if ((this.drops.get('overflow') ?? 0) > reported) return
    const detail: DropDetail = { reason: 'overflow', error: new MonascaExportError('the writer buffer is full (overflow: reject)') }
    this.drops.set('overflow', reported + slice.length)
    try {
      this.hooks.onDrop?.(slice, detail)
    } catch (error) {
      this.hooks.onError?.(error)
    }
  }

  /** Sends everything the writer holds; resolves with what became of it. */
  async forceFlush(): Promise<void> {
    await this.flush()
  }

  /** As `forceFlush()`, with the writer's counts (acknowledged and dropped of what was waiting). */
  flush(): Promise<WriterFlushResult> {
    if (this.closing) return this.closing.then(() => ({ acked: 0, dropped: 0 }))
    return this.writer.flush()
  }

  /** Closes the writer (see `close()`); what the SDK calls from `MeterProvider.shutdown()`. */
  async shutdown(): Promise<void> {
    await this.close()
  }

  /**
   * Closes the writer (`close({ deadline })`): what it could not send by the deadline goes to
   * `onUnsent` and is in the result. Calling it again returns the same result.
   */
  close(): Promise<WriterCloseResult> {
    this.closing ??= this.writer.close(this.shutdownDeadline === undefined ? undefined : { deadline: this.shutdownDeadline }).then((result) => {
      try {
        if (result.unsent.length > 0) this.onUnsent?.(result.unsent)
      } catch (error) {
        this.hooks.onError?.(error)
      }
      return result
    })
    return this.closing
  }

  /** The writer's counters (added, acked, dropped by reason, buffered…). */
  stats(): ReturnType<MetricsWriter['stats']> {
    return this.writer.stats()
  }
}

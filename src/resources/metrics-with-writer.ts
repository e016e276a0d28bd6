/**
 * Metrics plus `writer()`: what the main entry's client carries. The writer is ~4.5 KB min+gzip, so
 * the lean `monasca-client/core` client leaves it out (a class method cannot be tree-shaken).
 */
import { createWriter } from '../writer/writer.js'
import type { MetricsWriter, WriterOptions } from '../writer/types.js'
import { Metrics } from './metrics.js'

export class MetricsWithWriter extends Metrics {
  /** A batching writer for POST /metrics that accounts for every metric (see "Writing metrics"). */
  writer(options?: WriterOptions): MetricsWriter {
    return createWriter(this.transport, options)
  }
}

/**
 * The exporter's aggregation temporality preference. Monasca has no rate or increase function:
 * `metric-statistics --statistics sum` over a period only means "how many" when each measurement
 * is an increment. So counters and histograms are sent as deltas by default, and up-down
 * counters (a level: queue length, connections) as cumulative values, the OTLP "delta" preference.
 */
import { AggregationTemporality, InstrumentType } from '@opentelemetry/sdk-metrics'
import type { AggregationTemporalitySelector } from '@opentelemetry/sdk-metrics'
import { MonascaValidationError } from '../errors.js'

export type TemporalityPreference =
  /** Counters, observable counters and histograms as deltas; up-down counters cumulative. The default. */
  | 'delta'
  /** Everything cumulative (totals since start; a restart starts again from zero). */
  | 'cumulative'
  /** As `delta`, but observable counters cumulative (the SDK keeps less state for them). */
  | 'lowmemory'
  | AggregationTemporalitySelector

export function temporalitySelector(preference: TemporalityPreference = 'delta'): AggregationTemporalitySelector {
  if (typeof preference === 'function') return preference
  const { CUMULATIVE, DELTA } = AggregationTemporality
  switch (preference) {
    case 'cumulative':
      return () => CUMULATIVE
    case 'delta':
    case 'lowmemory':
      return (type) => {
        switch (type) {
          case InstrumentType.COUNTER:
          case InstrumentType.HISTOGRAM:
            return DELTA
          case InstrumentType.OBSERVABLE_COUNTER:
            return preference === 'delta' ? DELTA : CUMULATIVE
          default:
            return CUMULATIVE
        }
      }
    default:
      throw new MonascaValidationError('temporality', `must be 'delta', 'cumulative', 'lowmemory' or a function, got ${JSON.stringify(preference)}`)
  }
}

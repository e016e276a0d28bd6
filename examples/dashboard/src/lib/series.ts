/**
 * Monasca series → uPlot's aligned columns. Each series gets a null (a gap in the line) where its
 * own points are further apart than its usual step allows, so missing data shows as missing;
 * slots that exist only because another series has a point there stay undefined (drawn through).
 */
import type { MeasurementSeries, StatisticsSeries } from 'monasca-client'

export interface ChartSeries {
  label: string
  /** Seconds since the epoch, ascending. */
  times: number[]
  values: (number | null)[]
}

/** The legend name of a series: its dimensions that differ between the series (all of them if one). */
export function seriesLabels(dimensions: Record<string, string>[], name: string): string[] {
  const keys = [...new Set(dimensions.flatMap((d) => Object.keys(d)))].sort()
  const varying = keys.filter((key) => new Set(dimensions.map((d) => d[key] ?? '')).size > 1)
  const shown = varying.length > 0 ? varying : dimensions.length === 1 ? keys.filter((k) => k === 'hostname' || k === 'service') : []
  return dimensions.map((d) => {
    const parts = shown.filter((k) => d[k] !== undefined).map((k) => `${k}=${d[k]}`)
    return parts.length ? `${name} {${parts.join(', ')}}` : name
  })
}

const seconds = (iso: string) => Math.round(new Date(iso).getTime() / 1000)

export function fromMeasurements(list: MeasurementSeries[]): ChartSeries[] {
  const labels = seriesLabels(list.map((s) => s.dimensions), list[0]?.name ?? '')
  return list.map((series, i) => {
    const valueAt = Math.max(1, series.columns.indexOf('value'))
    return {
      label: labels[i]!,
      times: series.measurements.map((m) => seconds(m[0])),
      values: series.measurements.map((m) => (typeof m[valueAt] === 'number' ? (m[valueAt] as number) : null)),
    }
  })
}

export function fromStatistics(list: StatisticsSeries[], statistic: string): ChartSeries[] {
  const labels = seriesLabels(list.map((s) => s.dimensions), list[0]?.name ?? '')
  return list.map((series, i) => {
    const column = series.columns.indexOf(statistic)
    return {
      label: labels[i]!,
      times: series.statistics.map((row) => seconds(row[0])),
      values: series.statistics.map((row) => (typeof row[column] === 'number' ? (row[column] as number) : null)),
    }
  })
}

/** Median step between consecutive points (s); 0 with fewer than two. */
export function medianStep(times: number[]): number {
  const steps: number[] = []
  for (let i = 1; i < times.length; i++) steps.push(times[i]! - times[i - 1]!)
  if (steps.length === 0) return 0
  steps.sort((a, b) => a - b)
  return steps[Math.floor(steps.length / 2)]!
}

/** Adds a null point in every hole longer than `factor` × the series' median step. */
export function withGaps(series: ChartSeries, factor = 2.5): ChartSeries {
  const step = medianStep(series.times)
  if (step <= 0) return series
  const times: number[] = []
  const values: (number | null)[] = []
  for (let i = 0; i < series.times.length; i++) {
    if (i > 0 && series.times[i]! - series.times[i - 1]! > factor * step) {
      times.push(series.times[i - 1]! + step)
      values.push(null)
    }
    times.push(series.times[i]!)
    values.push(series.values[i]!)
  }
  return { ...series, times, values }
}

/** uPlot's data: one shared, sorted x column, then one y column per series (undefined where a series has no point). */
export function align(series: ChartSeries[]): [number[], ...(number | null | undefined)[][]] {
  const withHoles = series.map((s) => withGaps(s))
  const xs = [...new Set(withHoles.flatMap((s) => s.times))].sort((a, b) => a - b)
  const index = new Map(xs.map((x, i) => [x, i]))
  const columns = withHoles.map((s) => {
    const column: (number | null | undefined)[] = new Array(xs.length).fill(undefined)
    s.times.forEach((t, i) => {
      column[index.get(t)!] = s.values[i]
    })
    return column
  })
  return [xs, ...columns]
}

export interface StateBand {
  state: 'OK' | 'ALARM' | 'UNDETERMINED'
  /** Seconds. */
  from: number
  to: number
}

/**
 * An alarm's state over [start, end] (seconds) from its history (any order): the state before the
 * first transition is that transition's old state.
 */
export function stateBands(history: { timestamp: string; old_state: StateBand['state']; new_state: StateBand['state'] }[], start: number, end: number): StateBand[] {
  const sorted = [...history].sort((a, b) => a.timestamp.localeCompare(b.timestamp))
  if (sorted.length === 0) return []
  const bands: StateBand[] = []
  let state = sorted[0]!.old_state
  let from = start
  for (const item of sorted) {
    const at = seconds(item.timestamp)
    if (at > from && at > start) bands.push({ state, from: Math.max(from, start), to: Math.min(at, end) })
    state = item.new_state
    from = Math.max(at, start)
  }
  if (end > from) bands.push({ state, from, to: end })
  return bands.filter((b) => b.to > b.from && b.from < end && b.to > start)
}

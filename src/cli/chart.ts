/**
 * `--chart`: a series drawn in the terminal. Each series gets a title line, a block chart a few
 * rows high (▁▂▃▄▅▆▇█, resampled to the terminal width by averaging), and a line with min, max,
 * last value, point count and time range.
 */
import type { Json } from './client-types.js'
import { formatDict, pyStr } from './pyformat.js'

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█']

export const CHART_HEIGHT = 4

/** Average `values` into at most `width` buckets (null values are skipped). */
export function resample(values: readonly (number | null)[], width: number): (number | null)[] {
  if (values.length <= width) return [...values]
  const out: (number | null)[] = []
  for (let b = 0; b < width; b++) {
    const from = Math.floor((b * values.length) / width)
    const to = Math.floor(((b + 1) * values.length) / width)
    let sum = 0
    let n = 0
    for (let i = from; i < to; i++) {
      const v = values[i]
      if (v !== null && v !== undefined) {
        sum += v
        n++
      }
    }
    out.push(n ? sum / n : null)
  }
  return out
}

/** Rows of a block chart, top row first; each column's height is proportional to its value. */
export function blockChart(values: readonly (number | null)[], height: number, min: number, max: number): string[] {
  const levels = height * BLOCKS.length
  const span = max - min
  const heights = values.map((v) => (v === null ? -1 : span === 0 ? Math.ceil(levels / 2) : Math.max(1, Math.round(((v - min) / span) * levels))))
  const rows: string[] = []
  for (let r = height - 1; r >= 0; r--) {
    let line = ''
    for (const h of heights) {
      const inRow = h - r * BLOCKS.length
      line += h < 0 ? ' ' : inRow >= BLOCKS.length ? '█' : inRow > 0 ? BLOCKS[inRow - 1] : ' '
    }
    rows.push(line.trimEnd())
  }
  return rows
}

function short(n: number): string {
  return Number.isInteger(n) ? String(n) : Number(n.toPrecision(6)).toString()
}

/** One chart: title, block rows, summary. `points` are [timestamp, value] pairs in time order. */
export function renderSeriesChart(title: string, points: ReadonlyArray<readonly [string, number | null]>, columns: number, height = CHART_HEIGHT): string {
  const values = points.map(([, v]) => (typeof v === 'number' && Number.isFinite(v) ? v : null))
  const numbers = values.filter((v): v is number => v !== null)
  if (numbers.length === 0) return `${title}\n  (no data)`
  let min = Infinity
  let max = -Infinity
  for (const v of numbers) {
    if (v < min) min = v
    if (v > max) max = v
  }
  const width = Math.max(10, columns - 2)
  const rows = blockChart(resample(values, width), height, min, max).map((r) => '  ' + r)
  const last = numbers[numbers.length - 1]!
  const from = points[0]![0]
  const to = points[points.length - 1]![0]
  const summary = `  min ${short(min)}  max ${short(max)}  last ${short(last)}  ${points.length} points  ${from} → ${to}`
  return [title, ...rows, summary].join('\n')
}

function seriesTitle(series: Json, label?: string): string {
  const dims = formatDict(series['dimensions']).split('\n').filter(Boolean).join(', ')
  return [pyStr(series['name']), dims ? `{${dims}}` : '', label ?? ''].filter(Boolean).join('  ')
}

/** Charts for one element of measurement-list (`measurements`) or metric-statistics (`statistics`). */
export function seriesCharts(series: Json, columns: number): string {
  const names = Array.isArray(series['columns']) ? (series['columns'] as unknown[]).map(String) : []
  const rowsKey = Array.isArray(series['statistics']) ? 'statistics' : 'measurements'
  const rows = (Array.isArray(series[rowsKey]) ? series[rowsKey] : []) as unknown[][]
  const timeIndex = Math.max(0, names.indexOf('timestamp'))
  const valueColumns =
    rowsKey === 'measurements' ? [Math.max(1, names.indexOf('value'))] : names.map((_, i) => i).filter((i) => i !== timeIndex)
  return valueColumns
    .map((col) => {
      const points = rows.map((r) => [pyStr(r[timeIndex]), typeof r[col] === 'number' ? (r[col] as number) : null] as const)
      const label = rowsKey === 'statistics' ? names[col] : undefined
      return renderSeriesChart(seriesTitle(series, label), points, columns)
    })
    .join('\n\n')
}

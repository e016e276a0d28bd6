/** Reading alarms.count answers: `columns` names each position of a `counts` row, the count first. */
import type { AlarmCount, AlarmState } from 'monasca-client'

export interface CountMatrix {
  /** cells[state][severity] */
  cells: Record<string, Record<string, number>>
  byState: Record<string, number>
  total: number
}

function rows(count: AlarmCount): Record<string, string | number | null>[] {
  return count.counts.map((row) => Object.fromEntries(count.columns.map((column, i) => [column, row[i] ?? null])))
}

export function countMatrix(count: AlarmCount): CountMatrix {
  const matrix: CountMatrix = { cells: {}, byState: {}, total: 0 }
  for (const row of rows(count)) {
    const n = Number(row.count ?? 0)
    const state = String(row.state ?? '')
    const severity = String(row.severity ?? '')
    ;(matrix.cells[state] ??= {})[severity] = (matrix.cells[state][severity] ?? 0) + n
    matrix.byState[state] = (matrix.byState[state] ?? 0) + n
    matrix.total += n
  }
  return matrix
}

const RANK: Record<AlarmState, number> = { ALARM: 3, UNDETERMINED: 2, OK: 1 }

export interface TileSummary {
  value: string
  worst: AlarmState
  counts: Partial<Record<AlarmState, number>>
}

/** Tiles for one dimension from a count grouped by state, dimension_name, dimension_value; worst first, then by name. */
export function worstByDimension(count: AlarmCount, dimension: string): TileSummary[] {
  const tiles = new Map<string, TileSummary>()
  for (const row of rows(count)) {
    if (row.dimension_name !== dimension || row.dimension_value === null) continue
    const value = String(row.dimension_value)
    const state = String(row.state) as AlarmState
    if (!(state in RANK)) continue
    const tile = tiles.get(value) ?? { value, worst: 'OK' as AlarmState, counts: {} }
    tile.counts[state] = (tile.counts[state] ?? 0) + Number(row.count ?? 0)
    if (RANK[state] > RANK[tile.worst]) tile.worst = state
    tiles.set(value, tile)
  }
  return [...tiles.values()].sort((a, b) => RANK[b.worst] - RANK[a.worst] || a.value.localeCompare(b.value))
}

/** The dimension names in a count grouped by dimension_name, sorted. */
export function dimensionNames(count: AlarmCount): string[] {
  return [...new Set(rows(count).map((row) => row.dimension_name).filter((n): n is string => typeof n === 'string'))].sort()
}

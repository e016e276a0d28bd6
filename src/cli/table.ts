/**
 * Tables as the Python client prints them (prettytable, every column left-aligned, cells may span
 * several lines). An empty table prints as an empty line, like prettytable's `print_empty=False`.
 */
import { textWidth } from './text-width.js'

function padRight(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - textWidth(text)))
}

/** Render `rows` (already formatted cell strings) under `headers`; '' when there are no rows. */
export function renderTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  if (rows.length === 0) return ''
  const cellLines = rows.map((row) => headers.map((_, i) => (row[i] ?? '').split('\n')))
  const widths = headers.map((header, i) => {
    let width = textWidth(header)
    for (const row of cellLines) for (const line of row[i]!) width = Math.max(width, textWidth(line))
    return width
  })
  const rule = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+'
  const line = (cells: readonly string[]) => '| ' + cells.map((c, i) => padRight(c, widths[i]!)).join(' | ') + ' |'
  const out = [rule, line(headers), rule]
  for (const row of cellLines) {
    const height = Math.max(...row.map((lines) => lines.length))
    for (let k = 0; k < height; k++) out.push(line(row.map((lines) => lines[k] ?? '')))
  }
  out.push(rule)
  return out.join('\n')
}

/**
 * The Property/Value table of the `*-show` commands: one row per field, sorted by property name as
 * prettytable's `sortby='Property'` does (code point order).
 */
export function renderPropertyTable(fields: ReadonlyArray<readonly [string, string]>): string {
  const sorted = [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return renderTable(['Property', 'Value'], sorted.map(([k, v]) => [k, v]))
}

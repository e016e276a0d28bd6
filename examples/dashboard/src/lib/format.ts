/** Times, numbers and durations as people read them. */

const pad = (n: number) => String(n).padStart(2, '0')

/** `2026-12-01 14:05:09` in local time (the dashboard's clock), or '—' for nothing. */
export function formatTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) return String(value)
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago"; in the future: "in 5 min". */
export function timeAgo(value: string | number | Date, now: number = Date.now()): string {
  const then = value instanceof Date ? value.getTime() : new Date(value).getTime()
  if (Number.isNaN(then)) return '—'
  const seconds = Math.round((now - then) / 1000)
  const future = seconds < 0
  const s = Math.abs(seconds)
  if (s < 5) return 'just now'
  const text = s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min` : s < 86_400 ? `${Math.floor(s / 3600)} h` : `${Math.floor(s / 86_400)} d`
  return future ? `in ${text}` : `${text} ago`
}

/** A duration in ms as "45 s", "12 min", "3 h 20 min", "2 d 4 h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min`
  if (s < 86_400) {
    const minutes = Math.floor((s % 3600) / 60)
    return `${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ''}`
  }
  const hours = Math.floor((s % 86_400) / 3600)
  return `${Math.floor(s / 86_400)} d${hours ? ` ${hours} h` : ''}`
}

/** A measured value: up to 3 significant decimals, thousands grouped, no "-0". */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—'
  if (Object.is(value, -0) || value === 0) return '0'
  const abs = Math.abs(value)
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 1 ? 2 : 3
  return value.toLocaleString('en-US', { maximumFractionDigits: digits })
}

/** `hostname=web-01, service=web` */
export function formatDimensions(dimensions: Record<string, string> | undefined): string {
  return Object.entries(dimensions ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')
}

/** Time range presets of the explorer and alarm pages. */
export const RANGES = { '1h': 3600_000, '6h': 6 * 3600_000, '24h': 24 * 3600_000, '7d': 7 * 24 * 3600_000 } as const
export type RangePreset = keyof typeof RANGES

export interface TimeRange {
  start: Date
  end: Date
  /** The preset it came from, when it did. */
  preset?: RangePreset
}

/**
 * A range from the URL: `range=6h`, or `from`/`to` as ISO or `datetime-local` text. A bad or
 * reversed range falls back to the default preset.
 */
export function rangeFromParams(params: URLSearchParams, now: number = Date.now(), fallback: RangePreset = '6h'): TimeRange {
  const from = params.get('from')
  if (from) {
    const start = new Date(from)
    const to = params.get('to')
    const end = to ? new Date(to) : new Date(now)
    if (!Number.isNaN(start.getTime()) && !Number.isNaN(end.getTime()) && start < end) return { start, end }
  }
  const preset = params.get('range')
  const key: RangePreset = preset !== null && preset in RANGES ? (preset as RangePreset) : fallback
  return { start: new Date(now - RANGES[key]), end: new Date(now), preset: key }
}

/** A statistics period (s) that keeps a range to about `points` points, on Monasca's 60 s grid. */
export function periodFor(rangeMs: number, points = 240): number {
  const raw = rangeMs / 1000 / points
  const steps = [60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200, 86_400]
  return steps.find((step) => step >= raw) ?? 86_400
}

/** `datetime-local` input text for a Date, in local time. */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/**
 * An alarm's link as an href, only when it is an http(s) URL: anyone who may patch an alarm sets
 * its link, and a `javascript:` one would run in this page (which holds the token).
 */
export function safeHref(link: string | null | undefined): string | undefined {
  if (!link) return undefined
  try {
    const url = new URL(link)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
  } catch {
    return undefined
  }
}

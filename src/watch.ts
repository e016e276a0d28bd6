/**
 * Live alarm transitions. The API has no push, so a watch polls the state history from the last
 * transition it saw. Each page is asked for with `start_time` at that transition's time
 * (inclusive) rather than the server's `offset` (strictly after, so two transitions in the same
 * millisecond split by a page boundary would lose the second): what comes back twice is dropped by
 * remembering the transitions seen at that one millisecond, which is all a watch keeps besides the
 * page in hand.
 */
import {
  MonascaAbortError,
  MonascaAPIError,
  MonascaConnectionError,
  MonascaResponseError,
  MonascaValidationError,
  RateLimitError,
} from './errors.js'
import { stoppable } from './paginate.js'
import { badReply } from './resources/shapes.js'
import type { AlarmStateHistory, AlarmWatch, AlarmWatchErrorInfo } from './types.js'

/** One page of transitions at or after `since` (ms), and whether the server has more. */
export type TransitionPageFetcher = (since: number, limit: number, signal: AbortSignal) => Promise<{ elements: unknown[]; more: boolean }>

export interface WatchSettings {
  since: number
  limit: number
  interval: number
  maxBackoff: number
  signal?: AbortSignal | undefined
  onError?: ((error: unknown, info: AlarmWatchErrorInfo) => void) | undefined
}

/** The server's own page-size ceiling. */
const MAX_LIMIT = 10_000

export function watchTransitions(fetchPage: TransitionPageFetcher, settings: WatchSettings): AlarmWatch {
  // `stoppable` ends the loop at once on return()/break, and follows the caller's signal.
  return stoppable((signal) => poll(fetchPage, settings, signal), settings.signal) as AlarmWatch
}

async function* poll(fetchPage: TransitionPageFetcher, settings: WatchSettings, signal: AbortSignal): AsyncGenerator<AlarmStateHistory, void, undefined> {
  let cursor = settings.since
  let seen = new Set<string>()
  let failures = 0
  while (!signal.aborted) {
    let wait = settings.interval
    try {
      let limit = settings.limit
      for (;;) {
        const page = await fetchPage(cursor, limit, signal)
        let fresh = 0
        for (const item of page.elements) {
          const transition = checkTransition(item)
          const at = Date.parse(transition.timestamp)
          if (at < cursor) continue
          const key = transitionKey(transition)
          if (at === cursor && seen.has(key)) continue
          if (at > cursor) {
            cursor = at
            seen = new Set()
          }
          seen.add(key)
          fresh++
          yield transition
          if (signal.aborted) return
        }
        if (!page.more) break
        if (fresh > 0) limit = settings.limit
        // A whole page already seen: more transitions share this millisecond than a page holds.
        else if (limit < MAX_LIMIT) limit = Math.min(MAX_LIMIT, limit * 2)
        else {
          cursor += 1
          seen = new Set()
        }
      }
      failures = 0
    } catch (error) {
      if (signal.aborted) return
      if (!isPassing(error)) throw error
      failures++
      const ceiling = Math.min(settings.maxBackoff, settings.interval * 2 ** failures)
      // Equal jitter: many dashboards that lost the server at once do not come back in step.
      wait = ceiling / 2 + Math.random() * (ceiling / 2)
      if (error instanceof RateLimitError && error.retryAfterMs !== undefined) wait = Math.max(wait, Math.min(error.retryAfterMs, settings.maxBackoff))
      settings.onError?.(error, { failures, retryIn: Math.round(wait) })
    }
    if (!(await pause(wait, signal))) return
  }
}

/** Trouble that polling again may cure: the network, a timeout, a 408/429/5xx, a reply that lies. */
function isPassing(error: unknown): boolean {
  if (error instanceof MonascaAbortError) return false
  if (error instanceof MonascaConnectionError || error instanceof MonascaResponseError) return true
  if (error instanceof MonascaAPIError) return error.status === 408 || error.status === 429 || error.status >= 500
  return false
}

function checkTransition(item: unknown): AlarmStateHistory {
  const t = item as Partial<AlarmStateHistory> | null
  if (
    typeof t !== 'object' || t === null || Array.isArray(t) ||
    typeof t.alarm_id !== 'string' || typeof t.timestamp !== 'string' || Number.isNaN(Date.parse(t.timestamp)) ||
    typeof t.new_state !== 'string'
  ) {
    throw badReply({ method: 'GET', path: '/alarms/state-history' }, 'an element that is not a state transition', item)
  }
  return t as AlarmStateHistory
}

/** What tells two transitions apart: the `id` is only their epoch ms, shared within a millisecond. */
function transitionKey(t: AlarmStateHistory): string {
  return `${t.alarm_id}\u0000${t.timestamp}\u0000${t.old_state}\u0000${t.new_state}`
}

/** Wait `ms`; false when the signal aborted first. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false)
    const onAbort = () => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** A watch's delay option, checked when `watch()` is called (before any request); timers take ≤ 2³¹−1 ms. */
export function checkDelay(value: unknown, field: string, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > 2 ** 31 - 1) {
    throw new MonascaValidationError(field, `must be a number of milliseconds from ${min} to 2147483647, got ${typeof value === 'number' ? value : typeof value}`)
  }
  return value
}

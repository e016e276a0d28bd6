/**
 * Live alarms: `client.alarms.watch` polls the state history and yields each transition once; the
 * pages apply them to what they show, without reloading their tables. It stops with the page
 * (the page's AbortSignal); failed polls back off inside the SDK, an ended session is the shell's.
 */
import type { AlarmStateHistory } from 'monasca-client'
import type { PageContext } from './context.js'

/** How often the watch polls (ms); `?watch=<ms>` in the page URL overrides it (demos and tests). */
export function watchInterval(search: string = location.search): number {
  const asked = Number(new URLSearchParams(search).get('watch'))
  return Number.isFinite(asked) && asked >= 500 ? asked : 10_000
}

/** Follows transitions from `since` (the time the page's data was asked for, so none is missed). */
export function watchAlarms(ctx: PageContext, since: Date, onTransition: (transition: AlarmStateHistory) => void): void {
  const watch = ctx.client.alarms.watch({ start_time: since }, { interval: watchInterval(), signal: ctx.signal })
  void (async () => {
    try {
      for await (const transition of watch) onTransition(transition)
    } catch (error) {
      ctx.fail(error)
    }
  })()
}

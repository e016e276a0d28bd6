/**
 * Live alarms: `client.alarms.watch` polls the state history and yields each transition once; the
 * pages apply them to what they show, without reloading their tables. It stops with the page
 * (the page's AbortSignal).
 */
import type { AlarmStateHistory } from 'monasca-client'
import type { PageContext } from './context.js'

type Watch = (params?: object, options?: { interval?: number; signal?: AbortSignal; onError?: (error: unknown) => void }) => AsyncIterable<AlarmStateHistory>

/** How often the watch polls (ms); the page can override it with `?watch=<ms>` for demos and tests. */
export function watchInterval(): number {
  const asked = Number(new URLSearchParams(location.search).get('watch'))
  return Number.isFinite(asked) && asked >= 500 ? asked : 10_000
}

export function watchAlarms(ctx: PageContext, onTransition: (transition: AlarmStateHistory) => void): void {
  const watch = (ctx.client.alarms as unknown as { watch?: Watch }).watch
  if (typeof watch !== 'function') return
  void (async () => {
    try {
      for await (const transition of watch.call(ctx.client.alarms, {}, { interval: watchInterval(), signal: ctx.signal, onError: () => undefined })) {
        if (ctx.signal.aborted) return
        onTransition(transition)
      }
    } catch (error) {
      ctx.fail(error)
    }
  })()
}

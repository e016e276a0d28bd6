import type { Client, Session } from 'monasca-client'
import type { Route } from './lib/route.js'

/** What a page gets from the shell. */
export interface PageContext {
  client: Client
  session: Session
  route: Route
  /** Aborted when the user navigates away: pass it to every request (`{ signal }`). */
  signal: AbortSignal
  main: HTMLElement
  /** Go to a hash route (pushes a history entry unless `replace`). */
  go(hash: string, replace?: boolean): void
  /**
   * A failure: an ended session goes to the login page, a lost connection or a timeout becomes the
   * banner with a retry; anything else is shown in `where` (default: the top of the page).
   */
  fail(error: unknown, where?: HTMLElement): void
  /** Call with the page's refresh; the refresh control runs it. */
  onRefresh(refresh: () => Promise<void>): void
  /** The page's data is fresh now ("last updated"). */
  updated(): void
}

export type Page = (context: PageContext) => Promise<void> | void

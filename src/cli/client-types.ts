/**
 * The part of the SDK client the commands call, typed loosely on purpose: the CLI passes the
 * Python client's values through (strings such as `limit`, `merge_metrics: 'True'`, `k:v,k2`
 * dimensions) and prints whatever JSON comes back.
 */

export type Json = Record<string, unknown>
export type Params = Record<string, unknown>

/** Awaitable (one page's elements) and async-iterable (every element of every page). */
export interface PageLike<T = Json> extends PromiseLike<T[]>, AsyncIterable<T> {}

interface CrudResource {
  create(body: Json): Promise<unknown>
  get(id: string): Promise<unknown>
  list(params?: Params): PageLike
  update(id: string, body: Json): Promise<unknown>
  patch(id: string, body: Json): Promise<unknown>
  delete(id: string): Promise<unknown>
}

export interface CliClient {
  metrics: {
    create(body: Json | Json[], params?: Params): Promise<unknown>
    list(params?: Params): PageLike
    listNames(params?: Params): PageLike
    listMeasurements(params: Params): PageLike
    listStatistics(params: Params): PageLike
    listDimensionNames(params?: Params): PageLike
    listDimensionValues(params: Params): PageLike
  }
  alarmDefinitions: CrudResource
  alarms: Omit<CrudResource, 'create'> & {
    count(params?: Params): Promise<unknown>
    history(id: string, params?: Params): PageLike
    historyList(params?: Params): PageLike
  }
  notifications: CrudResource
  notificationTypes: { list(): PageLike }
}

/** What a command gets to work with; tests pass their own. */
export interface CliContext {
  /** Print a line (or lines) on stdout. */
  out(text: string): void
  /** Print a line on stderr. */
  err(text: string): void
  /** Write raw text on stderr (progress lines). */
  errRaw(text: string): void
  /** Whether stderr is a terminal (progress is drawn only then). */
  errIsTTY: boolean
  /** Terminal width for charts. */
  columns: number
  now(): number
  /** The SDK client, built on first use from the global options. */
  client(): Promise<CliClient>
}

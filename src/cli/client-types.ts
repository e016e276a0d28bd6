/**
 * The types the commands work with: the SDK's own Client, parameter objects as the commands collect
 * them (the Python client's values, such as `merge_metrics: 'True'` or `k:v,k2` dimensions, which the
 * SDK validates), and JSON printed as it comes back.
 */

import type { Client } from '../core-client.js'

/** A JSON object the CLI prints; `any` values so that the SDK's result interfaces fit it as they are. */
export type Json = Record<string, any>
/** Parameters as the commands collect them (the Python client's values), handed to the SDK, which validates them. */
export type Params = Record<string, any>

/** Awaitable (one page's elements) and async-iterable (every element of every page), as the SDK's PagePromise. */
export interface PageLike<T = Json> extends PromiseLike<T[]>, AsyncIterable<T> {}

/** The SDK's own client type: the commands call its methods with the SDK's parameter types. */
export type CliClient = Client

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

/**
 * The public face of the metrics writer (contract 2 of the team brief): what `client.metrics.writer()`
 * and `createWriter()` take and return. The promise it keeps: every metric `add()` accepted ends in
 * exactly one of acknowledged (2xx), reported to `onDrop` with a reason, or returned by `close()` as
 * unsent (or left in the spool for the next writer). Nothing vanishes.
 */
import type { MetricInput } from '../types.js'

/** What `add()` does when the buffer holds `maxBuffered` unacknowledged metrics. */
export type OverflowPolicy =
  /** Refuse: `add()` returns false and keeps nothing; wait for `ready()` and add again. */
  | 'reject'
  /** Take the new metrics and drop the oldest waiting ones (reported with reason `overflow`). */
  | 'drop-oldest'
  /** Drop the new metrics (reported with reason `overflow`); `add()` returns false. */
  | 'drop-newest'

/** Why metrics were given to `onDrop`. */
export type DropReason =
  /** Failed the client-side checks (only with `invalid: 'drop'`; the default throws instead). */
  | 'invalid'
  /** The server answered 422 for this metric alone (a 422 batch is bisected down to the bad ones). */
  | 'unprocessable'
  /** Another 4xx the server will not change its mind about (400, 401, 403, 404, 409, 413 for one metric). */
  | 'rejected'
  /** The buffer was full (`overflow: 'drop-oldest'` or `'drop-newest'`), or the spool reached its cap. */
  | 'overflow'
  /** `maxRetries` or `maxRetryTime` ran out while the server kept failing. */
  | 'retries-exhausted'
  /**
   * The request may have reached the server (a timeout, a reset after the body went out) and
   * `replayUnknown` is off, so it was not sent again: the metrics may or may not be stored.
   */
  | 'unconfirmed'
  /**
   * Unreadable bytes in a spool file (a torn write at a crash), skipped on recovery. Reported with
   * no metrics: what was torn was never accepted (`add()` had not returned).
   */
  | 'corrupt'

/** Details passed with a drop. */
export interface DropDetail {
  reason: DropReason
  /** The error behind the drop (the server's answer, the validation error…), when there is one. */
  error?: unknown
  /** The tenant the metrics were written for (`tenant_id`), when not the token's own project. */
  tenantId?: string
}

export interface RetryDetail {
  /** 1 for the first retry of this batch. */
  attempt: number
  /** Milliseconds until the retry (the server's Retry-After when it sent one, capped). */
  delay: number
  error: unknown
  /** Number of metrics in the batch. */
  metrics: number
  tenantId?: string
}

export interface DuplicateRiskDetail {
  /** Why the writer cannot know whether the server took the batch (a timeout, a reset…). */
  error: unknown
  /** True when the batch is sent again (`replayUnknown: true`), false when it is dropped as `unconfirmed` or returned unsent. */
  replayed: boolean
  tenantId?: string
}

/** Something that keeps accepted metrics across a crash (see `spool()` in `monasca-client/node`). */
export interface WriterSpool {
  /**
   * Metrics left by an earlier process, to be sent first. Called once when the writer starts;
   * corrupt records are reported through `onCorrupt` and skipped.
   */
  recover(onCorrupt: (bytes: number, file: string) => void): Promise<SpooledMetric[]>
  /** Persist accepted metrics; returns their ids, or undefined for those beyond the cap. */
  append(metrics: readonly { metric: MetricInput; tenantId?: string }[]): (number | undefined)[]
  /** Mark metrics as about to be sent: after a crash they are known to be of unknown outcome. */
  sending?(ids: readonly number[]): void
  /**
   * Mark metrics sent and answered with a refusal (429, 5xx, a 422 batch being bisected, a connection
   * refused before a byte went out): the server does not have them, so after a crash or a close they
   * are sent again without a duplicate risk, until the next `sending()`. A spool without it leaves them
   * in flight (unknown outcome).
   */
  refused?(ids: readonly number[]): void
  /** Mark metrics as settled (acknowledged or dropped): they are never sent from the spool again. */
  settle(ids: readonly number[]): void
  /** Make everything durable and release the files. */
  close(): Promise<void>
}

export interface SpooledMetric {
  id: number
  metric: MetricInput
  tenantId?: string
  /**
   * It was being sent when the last process stopped, and no answer said the server did not take it:
   * the server may have it already. (A metric waiting to be sent again after a 503 is not in flight.)
   */
  inFlight?: boolean
}

export interface WriterHooks {
  /** Metrics that will not be sent, with the reason. Never called for metrics that were acknowledged. */
  onDrop?: (metrics: MetricInput[], detail: DropDetail) => void
  /** Metrics the server acknowledged (2xx). */
  onAck?: (metrics: MetricInput[], detail: { tenantId?: string }) => void
  /** Every failed attempt and every error a hook threw; the writer goes on. */
  onError?: (error: unknown) => void
  /** A batch will be sent again after `delay` ms. */
  onRetry?: (detail: RetryDetail) => void
  /** A batch may have been stored although no answer arrived: a replay could store it twice. */
  onDuplicateRisk?: (metrics: MetricInput[], detail: DuplicateRiskDetail) => void
  /**
   * Browsers, on `pagehide`: `sent` metrics went out with `keepalive`; `unsent` did not fit the
   * 64 KiB keepalive quota (stash them, e.g. in localStorage). If the page comes back from the
   * back/forward cache, the unsent ones are still queued and are sent as usual.
   */
  onPageHide?: (detail: { sent: number; unsent: MetricInput[] }) => void
}

export interface WriterOptions extends WriterHooks {
  /** Metrics per request. Default 1000 (Monasca hands batches to Kafka in chunks of 1000). */
  batchSize?: number
  /** Largest request body in bytes (UTF-8 JSON). Default 1 048 576. A single larger metric is sent alone. */
  maxBatchBytes?: number
  /** Milliseconds a partly filled batch waits before it is sent. Default 1000; 0 sends at once. */
  flushInterval?: number
  /** Unacknowledged metrics the writer holds (waiting, in flight and retrying together). Default 10 000. */
  maxBuffered?: number
  /** What `add()` does when the buffer is full. Default `'reject'` (backpressure). */
  overflow?: OverflowPolicy
  /** Requests at the same time, 1..16. Default 1. Batches are started in order. */
  maxInFlight?: number
  /** Retries of one batch after its first attempt. Default 10. */
  maxRetries?: number
  /** Milliseconds from a batch's first attempt after which it is not retried again. Default 300 000. */
  maxRetryTime?: number
  /** First backoff ceiling in ms (full jitter, doubling per retry). Default 500. */
  baseDelay?: number
  /** Largest backoff ceiling in ms. Default 30 000. */
  maxDelay?: number
  /** A server's Retry-After is waited for up to this many ms. Default 120 000 (Monasca's Kafka 503 says 60 s). */
  maxRetryAfter?: number
  /** Milliseconds per attempt. Default 30 000. A timeout is an unknown outcome (see `replayUnknown`). */
  timeout?: number
  /**
   * Send a batch again when the writer cannot know whether the server took it (timeout, reset
   * after the body went out). Default false: such metrics are dropped as `unconfirmed`.
   * Either way `onDuplicateRisk` is told.
   */
  replayUnknown?: boolean
  /** Write into this project (`tenant_id`; needs the delegate role). Per metric: `add(m, { tenantId })`. */
  tenantId?: string
  /** What `add()` does with a metric that fails the server's limits: throw (default) or drop it as `invalid`. */
  invalid?: 'throw' | 'drop'
  /** Browsers: on `pagehide`, send what is waiting with `keepalive` (64 KiB at most). Default true. */
  flushOnPageHide?: boolean
  /** Keep accepted metrics on disk until acknowledged (Node: `spool()` from `monasca-client/node`). */
  spool?: WriterSpool
  /** Extra headers on every write. */
  headers?: Record<string, string>
}

export interface AddOptions {
  /** Write these metrics into another project (batched apart from other tenants' metrics). */
  tenantId?: string
}

/** Counters since the writer was made. */
export interface WriterStats {
  /** Metrics accepted by `add()` (and recovered from the spool). */
  added: number
  acked: number
  dropped: number
  droppedBy: Record<DropReason, number>
  /** Accepted and not yet acknowledged or dropped (waiting, in flight or retrying). */
  buffered: number
  /** Requests in flight now. */
  inFlight: number
  /** Requests sent, retries included. */
  requests: number
  retries: number
  /** Batches told to `onDuplicateRisk`. */
  duplicateRisks: number
  /** Metrics recovered from the spool at start. */
  recovered: number
  /** Unreadable bytes skipped in the spool (each run reported to `onDrop` with reason `corrupt` and no metrics). */
  corruptBytes: number
  closed: boolean
  /** The last failure, if any. */
  lastError?: unknown
}

export interface WriterFlushResult {
  /** Of the metrics waiting when `flush()` was called: how many were acknowledged and how many dropped. */
  acked: number
  dropped: number
}

export interface WriterCloseResult {
  /** Acknowledged over the writer's life. */
  acked: number
  /** Dropped over the writer's life (each reported to `onDrop`). */
  dropped: number
  /** Accepted but neither acknowledged nor dropped by the deadline: yours to keep or send again. */
  unsent: MetricInput[]
  /** With a spool: metrics left on disk for the next writer on the same directory (not in `unsent`). */
  spooled: number
}

export interface CloseOptions {
  /** Milliseconds to keep sending and retrying before giving up. Default 10 000. */
  deadline?: number
}

export interface MetricsWriter extends AsyncDisposable {
  /**
   * Accept one metric or several (all or none). Returns false when they were not buffered: the
   * buffer is full (`overflow: 'reject'`, nothing kept; wait for `ready()`) or they were dropped
   * (`'drop-newest'`, reported to `onDrop`). Throws a MonascaValidationError for an invalid metric
   * (unless `invalid: 'drop'`) and a MonascaError after `close()`.
   */
  add(metrics: MetricInput | readonly MetricInput[], options?: AddOptions): boolean
  /** Resolves when `add()` has room: at once if the buffer is not full, else when a batch's worth (or half the buffer, if less) is free. */
  ready(): Promise<void>
  /** Send everything waiting now; resolves when all of it is acknowledged or dropped. */
  flush(): Promise<WriterFlushResult>
  /** Stop taking metrics, send what is held until the deadline, and say what became of everything. */
  close(options?: CloseOptions): Promise<WriterCloseResult>
  stats(): WriterStats
}

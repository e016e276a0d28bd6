/**
 * The metrics writer: a bounded buffer in front of POST /metrics that batches by count, bytes and
 * time, sends at most `maxInFlight` requests in order, retries only what the server did not take,
 * bisects a 422 batch down to its bad metrics, and accounts for every accepted metric: acknowledged,
 * dropped with a reason, or returned unsent. The transport is called with `retries: 0`; the retry
 * loop is here, because only the writer knows which writes are safe to replay.
 */
import { MonascaError, MonascaValidationError } from '../errors.js'
import type { Request, RequestOptions } from '../transport.js'
import type { MetricInput } from '../types.js'
import * as V from '../validate.js'
import { classify, type Outcome } from './outcome.js'
import { utf8Length } from './size.js'
import type {
  AddOptions,
  CloseOptions,
  DropReason,
  MetricsWriter,
  SpooledMetric,
  WriterCloseResult,
  WriterFlushResult,
  WriterOptions,
  WriterStats,
} from './types.js'

/** The one thing the writer needs from a transport (contract 1): a request that resolves on 2xx and rejects otherwise. */
export interface WriterTransport {
  request(request: Request, options?: RequestOptions): Promise<unknown>
}

interface Entry {
  metric: MetricInput
  tenant: string | undefined
  bytes: number
  seq: number
  spoolId?: number
  /**
   * An attempt with it ended in an unknown outcome (and it is replayed, `replayUnknown`): the server
   * may have it, whatever later attempts are answered, so the spool never calls it refused.
   */
  maybeTaken?: boolean
}

interface Batch {
  entries: Entry[]
  tenant: string | undefined
  bytes: number
  /** Attempts so far (bisected halves start again at 0). */
  attempts: number
  firstAttemptAt?: number
  controller?: AbortController
  /** Settled or handed back: later answers for it are ignored. */
  done: boolean
  keepalive?: boolean
}

interface FlushWaiter {
  seq: number
  remaining: number
  acked: number
  dropped: number
  resolve(result: WriterFlushResult): void
}

/** The body quota browsers give keepalive requests, all in flight together. */
const KEEPALIVE_QUOTA = 65_536
/** `[` `]` and commas around the metrics of a body. */
const bodyBytes = (metrics: number, sum: number) => sum + 2 + Math.max(0, metrics - 1)
const REASONS: DropReason[] = ['invalid', 'unprocessable', 'rejected', 'overflow', 'retries-exhausted', 'unconfirmed', 'corrupt']

type Resolved = Required<Pick<WriterOptions,
  'batchSize' | 'maxBatchBytes' | 'flushInterval' | 'maxBuffered' | 'overflow' | 'maxInFlight' | 'maxRetries' |
  'maxRetryTime' | 'baseDelay' | 'maxDelay' | 'maxRetryAfter' | 'timeout' | 'replayUnknown' | 'invalid' | 'flushOnPageHide'>>

const DEFAULTS: Resolved = {
  batchSize: 1000,
  maxBatchBytes: 1_048_576,
  flushInterval: 1000,
  maxBuffered: 10_000,
  overflow: 'reject',
  maxInFlight: 1,
  maxRetries: 10,
  maxRetryTime: 300_000,
  baseDelay: 500,
  maxDelay: 30_000,
  maxRetryAfter: 120_000,
  timeout: 30_000,
  replayUnknown: false,
  invalid: 'throw',
  flushOnPageHide: true,
}

/** A writer over anything with the transport's `request` (a client's transport, or your own). */
export function createWriter(transport: WriterTransport, options: WriterOptions = {}): MetricsWriter {
  return new Writer(transport, options)
}

class Writer implements MetricsWriter {
  readonly #transport: WriterTransport
  readonly #hooks: WriterOptions
  readonly #o: Resolved
  readonly #open = new Map<string | undefined, Batch>()
  /** Sealed batches waiting to be sent, oldest first (a batch to retry goes back to the front). */
  readonly #queue: Batch[] = []
  readonly #inFlight = new Set<Batch>()
  #buffered = 0
  #seq = 0
  #pausedUntil = 0
  #flushTimer: ReturnType<typeof setTimeout> | undefined
  #pauseTimer: ReturnType<typeof setTimeout> | undefined
  #flushWaiters: FlushWaiter[] = []
  #readyWaiters: Array<() => void> = []
  #idleWaiters: Array<() => void> = []
  #closing?: Promise<WriterCloseResult>
  #closed = false
  /** Set at close()'s deadline: no more sends. */
  #stopped = false
  /** Recovering the spool: sending waits for it, so recovered metrics go first. */
  #recovering?: Promise<void>
  #removePageHide?: () => void
  /** Set by close(): from then on timers hold a Node process open, until the deadline. */
  #refTimers = false
  readonly #stats = {
    added: 0, acked: 0, dropped: 0, requests: 0, retries: 0, duplicateRisks: 0, recovered: 0, corruptBytes: 0,
    droppedBy: Object.fromEntries(REASONS.map((r) => [r, 0])) as Record<DropReason, number>,
    lastError: undefined as unknown,
  }

  constructor(transport: WriterTransport, options: WriterOptions) {
    if (!transport || typeof transport.request !== 'function') throw new MonascaValidationError('transport', 'must have a request() method')
    if (options === null || typeof options !== 'object') throw new MonascaValidationError('options', 'must be an object')
    this.#transport = transport
    this.#hooks = options
    this.#o = resolveOptions(options)
    if (options.tenantId !== undefined) tenant(options.tenantId, 'tenantId')
    if (options.spool) this.#recovering = this.#recover()
    if (this.#o.flushOnPageHide) this.#removePageHide = listenPageHide(() => this.#onPageHide())
  }

  add(metrics: MetricInput | readonly MetricInput[], options: AddOptions = {}): boolean {
    if (this.#closed) throw new MonascaError('The metrics writer is closed; create a new one to write more')
    const list = Array.isArray(metrics) ? (metrics as readonly MetricInput[]) : [metrics as MetricInput]
    const tenantId = options?.tenantId === undefined ? this.#hooks.tenantId : tenant(options.tenantId, 'tenantId')
    const now = Date.now()
    const valid: MetricInput[] = []
    const invalid: MetricInput[] = []
    let firstError: unknown
    list.forEach((metric, i) => {
      try {
        valid.push(V.metric(metric, Array.isArray(metrics) ? `metrics[${i}]` : 'metric', now))
      } catch (error) {
        if (this.#o.invalid === 'throw') throw error
        invalid.push(metric)
        firstError ??= error
      }
    })
    if (valid.length > this.#o.maxBuffered) {
      throw new MonascaValidationError('metrics', `${valid.length} metrics in one add() can never fit maxBuffered (${this.#o.maxBuffered})`)
    }
    if (invalid.length > 0) {
      this.#stats.added += invalid.length
      this.#drop(invalid, 'invalid', tenantId, firstError)
    }
    if (valid.length === 0) return invalid.length === 0
    if (this.#buffered + valid.length > this.#o.maxBuffered) {
      if (this.#o.overflow === 'reject') return false
      if (this.#o.overflow === 'drop-oldest') this.#evictOldest(this.#buffered + valid.length - this.#o.maxBuffered)
      if (this.#buffered + valid.length > this.#o.maxBuffered) {
        this.#stats.added += valid.length
        this.#drop(valid, 'overflow', tenantId)
        return false
      }
    }
    let spoolIds: (number | undefined)[] | undefined
    if (this.#hooks.spool) {
      spoolIds = this.#hooks.spool.append(valid.map((metric) => ({ metric, tenantId })))
    }
    this.#stats.added += valid.length
    const beyondCap: MetricInput[] = []
    valid.forEach((metric, i) => {
      const spoolId = spoolIds?.[i]
      if (spoolIds && spoolId === undefined) return void beyondCap.push(metric)
      this.#enqueue(metric, tenantId, spoolId)
    })
    if (beyondCap.length > 0) this.#drop(beyondCap, 'overflow', tenantId, new MonascaError('The spool is at its size cap'))
    // flushInterval 0: what one add() brought goes out now, as one batch where it fits.
    if (this.#o.flushInterval === 0) this.#seal(tenantId)
    this.#armFlushTimer()
    this.#pump()
    return beyondCap.length === 0
  }

  ready(): Promise<void> {
    if (this.#closed || this.#buffered < this.#o.maxBuffered) return Promise.resolve()
    return new Promise((resolve) => this.#readyWaiters.push(resolve))
  }

  flush(): Promise<WriterFlushResult> {
    if (this.#recovering) return this.#recovering.then(() => this.flush())
    this.#sealAll()
    this.#pump()
    if (this.#buffered === 0) return Promise.resolve({ acked: 0, dropped: 0 })
    return new Promise((resolve) => this.#flushWaiters.push({ seq: this.#seq, remaining: this.#buffered, acked: 0, dropped: 0, resolve }))
  }

  close(options: CloseOptions = {}): Promise<WriterCloseResult> {
    const deadline = options?.deadline ?? 10_000
    if (typeof deadline !== 'number' || Number.isNaN(deadline) || deadline < 0) {
      return Promise.reject(new MonascaValidationError('deadline', 'must be a number of milliseconds ≥ 0'))
    }
    this.#closing ??= this.#close(Math.min(deadline, 2 ** 31 - 1))
    return this.#closing
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close().then(() => undefined)
  }

  stats(): WriterStats {
    const s = this.#stats
    return {
      added: s.added, acked: s.acked, dropped: s.dropped, droppedBy: { ...s.droppedBy }, buffered: this.#buffered,
      inFlight: this.#inFlight.size, requests: s.requests, retries: s.retries, duplicateRisks: s.duplicateRisks,
      recovered: s.recovered, corruptBytes: s.corruptBytes, closed: this.#closed, ...(s.lastError === undefined ? {} : { lastError: s.lastError }),
    }
  }

  async #close(deadline: number): Promise<WriterCloseResult> {
    this.#closed = true
    this.#removePageHide?.()
    this.#sealAll()
    this.#pump()
    let timer: ReturnType<typeof setTimeout> | undefined
    // While closing, timers hold the process open (bounded by the deadline): an exit now would lose what is held.
    this.#refTimers = true
    if (this.#pauseTimer !== undefined) this.#armPauseTimer(true)
    const idle = new Promise<void>((resolve) => (this.#buffered === 0 && !this.#recovering ? resolve() : this.#idleWaiters.push(resolve)))
    await Promise.race([idle, new Promise<void>((resolve) => (timer = setTimeout(resolve, deadline)))])
    clearTimeout(timer)
    this.#stopped = true // nothing new is sent from here on; what is held is counted below
    await this.#recovering
    clearTimeout(this.#flushTimer)
    clearTimeout(this.#pauseTimer)
    // What is still held at the deadline: handed back, or left in the spool for the next writer.
    const held: Entry[] = []
    for (const batch of this.#inFlight) {
      batch.done = true
      batch.controller?.abort(new MonascaError('The writer closed at its deadline'))
      const error = new MonascaError('The writer closed at its deadline while this batch was in flight')
      this.#stats.duplicateRisks++
      this.#call('onDuplicateRisk', batch.entries.map((e) => e.metric), { error, replayed: false, ...tenantField(batch.tenant) })
      held.push(...batch.entries)
    }
    this.#inFlight.clear()
    for (const batch of this.#queue) held.push(...batch.entries)
    for (const batch of this.#open.values()) held.push(...batch.entries)
    this.#queue.length = 0
    this.#open.clear()
    held.sort((a, b) => a.seq - b.seq)
    this.#buffered = 0
    const unsent = held.filter((e) => e.spoolId === undefined).map((e) => e.metric)
    const spooled = held.length - unsent.length
    try {
      await this.#hooks.spool?.close()
    } catch (error) {
      this.#report(error)
    }
    this.#wake()
    for (const waiter of this.#flushWaiters) waiter.resolve({ acked: waiter.acked, dropped: waiter.dropped })
    this.#flushWaiters = []
    return { acked: this.#stats.acked, dropped: this.#stats.dropped, unsent, spooled }
  }

  // ---- buffering -------------------------------------------------------------------------------

  #enqueue(metric: MetricInput, tenantId: string | undefined, spoolId?: number, maybeTaken = false): void {
    const bytes = utf8Length(JSON.stringify(metric))
    const entry: Entry = { metric, tenant: tenantId, bytes, seq: ++this.#seq, ...(spoolId === undefined ? {} : { spoolId }), ...(maybeTaken ? { maybeTaken } : {}) }
    let open = this.#open.get(tenantId)
    if (open && (open.entries.length >= this.#o.batchSize || bodyBytes(open.entries.length + 1, open.bytes + bytes) > this.#o.maxBatchBytes)) {
      this.#seal(tenantId)
      open = undefined
    }
    if (!open) {
      open = { entries: [], tenant: tenantId, bytes: 0, attempts: 0, done: false }
      this.#open.set(tenantId, open)
    }
    open.entries.push(entry)
    open.bytes += bytes
    this.#buffered++
    if (open.entries.length >= this.#o.batchSize) this.#seal(tenantId)
  }

  #seal(tenantId: string | undefined): void {
    const open = this.#open.get(tenantId)
    if (!open) return
    this.#open.delete(tenantId)
    if (open.entries.length > 0) this.#queue.push(open)
    if (this.#open.size === 0) {
      clearTimeout(this.#flushTimer)
      this.#flushTimer = undefined
    }
  }

  #sealAll(): void {
    for (const tenantId of [...this.#open.keys()]) this.#seal(tenantId)
  }

  #armFlushTimer(): void {
    if (this.#flushTimer !== undefined || this.#open.size === 0) return
    this.#flushTimer = this.#timer(() => {
      this.#flushTimer = undefined
      this.#sealAll()
      this.#pump()
    }, this.#o.flushInterval)
  }

  /** drop-oldest: make room by dropping the oldest metrics not yet sent. */
  #evictOldest(count: number): void {
    const sources = [...this.#queue, ...this.#open.values()]
    for (const batch of sources) {
      if (count <= 0) break
      const take = batch.entries.splice(0, Math.min(count, batch.entries.length))
      batch.bytes -= take.reduce((sum, e) => sum + e.bytes, 0)
      count -= take.length
      this.#settle(take, 'dropped', batch.tenant, 'overflow')
    }
    for (let i = this.#queue.length - 1; i >= 0; i--) if (this.#queue[i]!.entries.length === 0) this.#queue.splice(i, 1)
    for (const [key, batch] of this.#open) if (batch.entries.length === 0) this.#open.delete(key)
  }

  // ---- sending -----------------------------------------------------------------------------------

  #pump(): void {
    if (this.#recovering || this.#stopped) return
    const now = Date.now()
    if (now < this.#pausedUntil) {
      this.#armPauseTimer()
      return
    }
    while (this.#inFlight.size < this.#o.maxInFlight && this.#queue.length > 0) this.#send(this.#queue.shift()!)
  }

  #armPauseTimer(force = false): void {
    if (this.#pauseTimer !== undefined && !force) return
    clearTimeout(this.#pauseTimer)
    this.#pauseTimer = this.#timer(() => {
      this.#pauseTimer = undefined
      this.#pump()
    }, Math.max(0, this.#pausedUntil - Date.now()))
  }

  #send(batch: Batch): void {
    batch.attempts++
    batch.firstAttemptAt ??= Date.now()
    batch.controller = new AbortController()
    this.#inFlight.add(batch)
    this.#stats.requests++
    this.#mark('sending', batch.entries)
    const request: Request = {
      method: 'POST',
      path: '/metrics',
      ...(batch.tenant === undefined ? {} : { query: [['tenant_id', batch.tenant]] }),
      body: batch.entries.map((e) => e.metric),
    }
    const options: RequestOptions = {
      retries: 0,
      timeout: this.#o.timeout,
      signal: batch.controller.signal,
      ...(this.#hooks.headers ? { headers: this.#hooks.headers } : {}),
      ...(batch.keepalive ? { keepalive: true } : {}),
    }
    let answer: Promise<unknown>
    try {
      answer = this.#transport.request(request, options)
    } catch (error) {
      answer = Promise.reject(error)
    }
    answer.then(
      () => this.#answered(batch, undefined),
      (error: unknown) => this.#answered(batch, error ?? new MonascaError('The request failed without an error')),
    ).catch((error: unknown) => this.#report(error))
  }

  #answered(batch: Batch, error: unknown): void {
    if (batch.done) return
    this.#inFlight.delete(batch)
    if (error === undefined) {
      batch.done = true
      this.#settle(batch.entries, 'acked', batch.tenant)
    } else {
      this.#stats.lastError = error
      this.#report(error)
      this.#failed(batch, error, classify(error))
    }
    this.#pump()
  }

  #failed(batch: Batch, error: unknown, outcome: Outcome): void {
    const metrics = () => batch.entries.map((e) => e.metric)
    switch (outcome.kind) {
      case 'split': {
        batch.done = true
        if (batch.entries.length === 1) return this.#settle(batch.entries, 'dropped', batch.tenant, outcome.status === 422 ? 'unprocessable' : 'rejected', error)
        // Bisect: both halves go first, in order; a half without a bad metric goes through. The server
        // refused the whole batch, so until a half is sent again none of it is of unknown outcome.
        this.#mark('refused', batch.entries)
        const middle = Math.ceil(batch.entries.length / 2)
        this.#queue.unshift(this.#batchOf(batch.entries.slice(0, middle), batch), this.#batchOf(batch.entries.slice(middle), batch))
        return
      }
      case 'reject':
        batch.done = true
        return this.#settle(batch.entries, 'dropped', batch.tenant, 'rejected', error)
      case 'unknown':
        this.#stats.duplicateRisks++
        this.#call('onDuplicateRisk', metrics(), { error, replayed: this.#o.replayUnknown, ...tenantField(batch.tenant) })
        if (!this.#o.replayUnknown) {
          batch.done = true
          return this.#settle(batch.entries, 'dropped', batch.tenant, 'unconfirmed', error)
        }
        for (const entry of batch.entries) entry.maybeTaken = true
        return this.#retry(batch, error, undefined, false)
      case 'retry':
        return this.#retry(batch, error, outcome.retryAfter, true)
    }
  }

  /** `refused`: the server said it did not take the batch (or nothing was sent), so waiting for the retry it is not in flight. */
  #retry(batch: Batch, error: unknown, retryAfter: number | undefined, refused: boolean): void {
    const attempt = batch.attempts // the retry about to be scheduled is attempt number `attempts`
    const ceiling = Math.min(this.#o.maxDelay, this.#o.baseDelay * 2 ** Math.min(attempt - 1, 30))
    const delay = retryAfter === undefined ? Math.random() * ceiling : Math.min(retryAfter, this.#o.maxRetryAfter)
    const elapsed = Date.now() + delay - (batch.firstAttemptAt ?? Date.now())
    if (attempt > this.#o.maxRetries || elapsed > this.#o.maxRetryTime) {
      batch.done = true
      return this.#settle(batch.entries, 'dropped', batch.tenant, 'retries-exhausted', error)
    }
    // Recorded before the wait: a close or a crash during it leaves the batch known not taken
    // (the next writer sends it without a duplicate risk), not unknown.
    if (refused) this.#mark('refused', batch.entries)
    this.#stats.retries++
    this.#call('onRetry', { attempt, delay, error, metrics: batch.entries.length, ...tenantField(batch.tenant) })
    batch.keepalive = false
    this.#queue.unshift(batch)
    // The whole writer waits: the server asked for a pause, and a later batch must not overtake this one.
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + delay)
    this.#armPauseTimer(true)
  }

  /** Tell the spool what the writer knows of these metrics: about to be sent, or refused by the server. */
  #mark(what: 'sending' | 'refused', entries: Entry[]): void {
    const spool = this.#hooks.spool
    if (!spool || typeof spool[what] !== 'function') return
    // A refusal of this attempt says nothing of an earlier one whose outcome is unknown.
    const ids = entries.flatMap((e) => (e.spoolId === undefined || (what === 'refused' && e.maybeTaken) ? [] : [e.spoolId]))
    if (ids.length === 0) return
    try {
      spool[what]!(ids)
    } catch (error) {
      this.#report(error)
    }
  }

  #batchOf(entries: Entry[], from: Batch): Batch {
    return { entries, tenant: from.tenant, bytes: entries.reduce((s, e) => s + e.bytes, 0), attempts: 0, done: false }
  }

  // ---- accounting ----------------------------------------------------------------------------------

  #settle(entries: Entry[], how: 'acked' | 'dropped', tenantId: string | undefined, reason?: DropReason, error?: unknown): void {
    if (entries.length === 0) return
    this.#buffered -= entries.length
    // The spool first: the smaller the window between an answer and its record, the fewer resends after a crash.
    const spoolIds = entries.flatMap((e) => (e.spoolId === undefined ? [] : [e.spoolId]))
    if (spoolIds.length > 0) {
      try {
        this.#hooks.spool!.settle(spoolIds)
      } catch (error) {
        this.#report(error)
      }
    }
    const metrics = entries.map((e) => e.metric)
    if (how === 'acked') {
      this.#stats.acked += entries.length
      this.#call('onAck', metrics, tenantField(tenantId))
    } else {
      this.#stats.dropped += entries.length
      this.#stats.droppedBy[reason!] += entries.length
      this.#call('onDrop', metrics, { reason: reason!, ...(error === undefined ? {} : { error }), ...tenantField(tenantId) })
    }
    if (this.#flushWaiters.length > 0) {
      for (const waiter of this.#flushWaiters) {
        let count = 0
        for (const e of entries) if (e.seq <= waiter.seq) count++
        waiter.remaining -= count
        if (how === 'acked') waiter.acked += count
        else waiter.dropped += count
      }
      const done = this.#flushWaiters.filter((w) => w.remaining <= 0)
      if (done.length > 0) {
        this.#flushWaiters = this.#flushWaiters.filter((w) => w.remaining > 0)
        for (const w of done) w.resolve({ acked: w.acked, dropped: w.dropped })
      }
    }
    this.#wake()
  }

  /** Drops of metrics that never entered the buffer (invalid, overflow of the newest). */
  #drop(metrics: MetricInput[], reason: DropReason, tenantId: string | undefined, error?: unknown): void {
    this.#stats.dropped += metrics.length
    this.#stats.droppedBy[reason] += metrics.length
    this.#call('onDrop', metrics, { reason, ...(error === undefined ? {} : { error }), ...tenantField(tenantId) })
  }

  #wake(): void {
    // Room for a whole batch (or half the buffer, if that is less) before add() is asked again.
    const room = Math.min(this.#o.batchSize, Math.ceil(this.#o.maxBuffered / 2))
    if (this.#readyWaiters.length > 0 && (this.#closed || this.#buffered <= this.#o.maxBuffered - room)) {
      const waiters = this.#readyWaiters
      this.#readyWaiters = []
      for (const resolve of waiters) resolve()
    }
    if (this.#buffered === 0 && !this.#recovering && this.#idleWaiters.length > 0) {
      const waiters = this.#idleWaiters
      this.#idleWaiters = []
      for (const resolve of waiters) resolve()
    }
  }

  // ---- spool and page life -------------------------------------------------------------------------

  async #recover(): Promise<void> {
    const spool = this.#hooks.spool!
    try {
      // Unreadable bytes hold no metric anyone can name (a torn write is a metric add() never accepted):
      // reported, counted in bytes, not as metrics.
      const found = await spool.recover((bytes, file) => {
        this.#stats.corruptBytes += bytes
        this.#call('onDrop', [], { reason: 'corrupt', error: new MonascaError(`Skipped ${bytes} unreadable bytes in ${file}`) })
      })
      // Recovered metrics go before anything added meanwhile, in their old order.
      const added = [...this.#queue, ...this.#open.values()]
      this.#queue.length = 0
      this.#open.clear()
      const buffered = this.#buffered
      this.#buffered = 0
      this.#stats.recovered += found.length
      this.#stats.added += found.length
      // In flight when the last process stopped: the server may have them. Sent again only with replayUnknown.
      const unknown = groupByTenant(found.filter((m) => m.inFlight))
      const error = new MonascaError('These metrics were being sent when the previous writer on this spool stopped')
      for (const [tenantId, group] of unknown) {
        this.#stats.duplicateRisks++
        this.#call('onDuplicateRisk', group.map((m) => m.metric), { error, replayed: this.#o.replayUnknown, ...tenantField(tenantId) })
      }
      for (const { id, metric, tenantId, inFlight } of found) {
        if (inFlight && !this.#o.replayUnknown) continue
        this.#enqueue(metric, tenantId, id, inFlight === true)
      }
      this.#sealAll()
      this.#buffered += buffered
      this.#queue.push(...added)
      if (!this.#o.replayUnknown) {
        for (const [tenantId, group] of unknown) {
          const entries = group.map((m): Entry => ({ metric: m.metric, tenant: tenantId, bytes: 0, seq: Number.MAX_SAFE_INTEGER, spoolId: m.id }))
          this.#buffered += entries.length
          this.#settle(entries, 'dropped', tenantId, 'unconfirmed', error)
        }
      }
    } catch (error) {
      this.#report(error)
    } finally {
      this.#recovering = undefined
    }
    this.#armFlushTimer()
    this.#pump()
    this.#wake()
  }

  /** The page is going away: send what fits the keepalive quota now; say what does not. */
  #onPageHide(): void {
    this.#sealAll()
    let budget = KEEPALIVE_QUOTA
    for (const batch of this.#inFlight) if (batch.keepalive) budget -= bodyBytes(batch.entries.length, batch.bytes)
    const left: Entry[] = []
    let sent = 0
    const waiting = this.#queue.splice(0)
    for (const batch of waiting) {
      const fits: Entry[] = []
      let bytes = 0
      for (const entry of batch.entries) {
        if (left.length === 0 && bodyBytes(fits.length + 1, bytes + entry.bytes) <= budget) {
          fits.push(entry)
          bytes += entry.bytes
        } else left.push(entry)
      }
      if (fits.length > 0) {
        budget -= bodyBytes(fits.length, bytes)
        sent += fits.length
        const keep = this.#batchOf(fits, batch)
        keep.keepalive = true
        this.#send(keep)
      }
      if (left.length > 0 && fits.length < batch.entries.length) {
        // The rest stays queued: if the page comes back (back/forward cache) it is sent as usual.
        this.#queue.push(this.#batchOf(batch.entries.slice(fits.length), batch))
      }
    }
    this.#call('onPageHide', { sent, unsent: left.map((e) => e.metric) })
  }

  // ---- plumbing ----------------------------------------------------------------------------------------

  #timer(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(fn, ms)
    // An idle writer never holds a Node process open; a closing one does, until its deadline.
    if (!this.#refTimers) (timer as { unref?: () => void }).unref?.()
    return timer
  }

  #call<K extends 'onDrop' | 'onAck' | 'onRetry' | 'onDuplicateRisk' | 'onPageHide'>(hook: K, ...args: Parameters<NonNullable<WriterOptions[K]>>): void {
    const fn = this.#hooks[hook] as ((...a: unknown[]) => void) | undefined
    if (typeof fn !== 'function') return
    try {
      fn(...args)
    } catch (error) {
      this.#report(error)
    }
  }

  #report(error: unknown): void {
    const onError = this.#hooks.onError
    if (typeof onError !== 'function') return
    try {
      onError(error)
    } catch {
      // An onError that throws has nowhere else to go.
    }
  }
}

function groupByTenant(metrics: SpooledMetric[]): Map<string | undefined, SpooledMetric[]> {
  const groups = new Map<string | undefined, SpooledMetric[]>()
  for (const m of metrics) {
    const group = groups.get(m.tenantId)
    if (group) group.push(m)
    else groups.set(m.tenantId, [m])
  }
  return groups
}

function tenantField(tenantId: string | undefined): { tenantId?: string } {
  return tenantId === undefined ? {} : { tenantId }
}

function tenant(value: unknown, field: string): string {
  const text = V.requireString(value, field)
  if (text === '') throw new MonascaValidationError(field, 'must not be empty')
  return text
}

function resolveOptions(options: WriterOptions): Resolved {
  const o = { ...DEFAULTS }
  const int = (key: keyof Resolved, min: number, max = Number.MAX_SAFE_INTEGER, allowInfinity = false) => {
    const value = options[key]
    if (value === undefined) return
    const ok = typeof value === 'number' && ((allowInfinity && value === Infinity) || (Number.isInteger(value) && value >= min && value <= max))
    if (!ok) throw new MonascaValidationError(key, `must be an integer from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'any size' : max}, got ${JSON.stringify(value) ?? String(value)}`)
    ;(o as Record<string, unknown>)[key] = value
  }
  int('batchSize', 1)
  int('maxBatchBytes', 64)
  int('flushInterval', 0, 2 ** 31 - 1)
  int('maxBuffered', 1)
  int('maxInFlight', 1, 16)
  int('maxRetries', 0, Number.MAX_SAFE_INTEGER, true)
  int('maxRetryTime', 0, Number.MAX_SAFE_INTEGER, true)
  int('baseDelay', 0, 2 ** 31 - 1)
  int('maxDelay', 0, 2 ** 31 - 1)
  int('maxRetryAfter', 0, 2 ** 31 - 1)
  int('timeout', 1, 2 ** 31 - 1)
  if (o.maxBuffered < o.batchSize) o.batchSize = o.maxBuffered
  const choice = <K extends 'overflow' | 'invalid'>(key: K, allowed: readonly Resolved[K][]) => {
    const value = options[key]
    if (value === undefined) return
    if (!allowed.includes(value as Resolved[K])) throw new MonascaValidationError(key, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`)
    o[key] = value as Resolved[K]
  }
  choice('overflow', ['reject', 'drop-oldest', 'drop-newest'])
  choice('invalid', ['throw', 'drop'])
  for (const key of ['replayUnknown', 'flushOnPageHide'] as const) {
    if (options[key] !== undefined) o[key] = V.booleanValue(options[key], key)
  }
  for (const key of ['onDrop', 'onAck', 'onError', 'onRetry', 'onDuplicateRisk', 'onPageHide'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') throw new MonascaValidationError(key, 'must be a function')
  }
  if (options.spool !== undefined && (typeof options.spool?.append !== 'function' || typeof options.spool?.recover !== 'function')) {
    throw new MonascaValidationError('spool', 'must be a spool (see spool() in monasca-client/node)')
  }
  return o
}

/** Browsers: call `fn` on pagehide. Returns the remover, or undefined outside a page. */
function listenPageHide(fn: () => void): (() => void) | undefined {
  const target = globalThis as { addEventListener?: (t: string, l: () => void) => void; removeEventListener?: (t: string, l: () => void) => void; document?: unknown }
  if (target.document === undefined || typeof target.addEventListener !== 'function') return undefined
  target.addEventListener('pagehide', fn)
  return () => target.removeEventListener?.('pagehide', fn)
}

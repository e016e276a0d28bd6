/**
 * An on-disk spool for the metrics writer (Node): every metric `add()` accepts is appended to a file
 * before `add()` returns, every acknowledgement or drop is appended as a settle record, every batch
 * about to be sent is marked in flight, and every batch the server refused (429, 5xx, a 422 being
 * bisected, a refused connection) is marked refused: no longer in flight. A process that crashes or
 * closes leaves the files; the next writer on the same directory sends what was accepted and not
 * settled, first, and counts as of unknown outcome only what was in flight with no refusal after.
 * Records are read in the order they were written, so a refused batch sent again is in flight again. Files are append-only; on
 * recovery the live records are copied into a fresh file and the old ones deleted.
 *
 * Durability: every record is one write(2) before the call returns, so a process crash (SIGKILL, OOM,
 * an uncaught exception) loses nothing accepted and resends nothing settled. Against a machine crash
 * or power loss, `fsync` decides: `'always'` syncs each record (slow), `'interval'` (default) every
 * `fsyncInterval` ms and at close, `'never'` leaves it to the OS.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { MonascaError, MonascaValidationError } from '../errors.js'
import type { MetricInput } from '../types.js'
import type { SpooledMetric, WriterSpool } from '../writer/types.js'

export interface SpoolOptions {
  /** The directory (created if missing). One writer at a time: a lock file names the owning process. */
  directory: string
  /** Cap on the spool's files in bytes; a metric that would pass it is dropped as `overflow`. Default 64 MiB. */
  maxBytes?: number
  /** A file is closed and a new one started past this size; settled old files are deleted. Default maxBytes / 8. */
  segmentBytes?: number
  /** When records reach the disk itself (see the module comment). Default `'interval'`. */
  fsync?: 'always' | 'interval' | 'never'
  /** Milliseconds between syncs with `fsync: 'interval'`. Default 1000. */
  fsyncInterval?: number
}

interface Segment {
  number: number
  path: string
  bytes: number
  /** Ids appended here and not yet settled. */
  live: Set<number>
}

const SEGMENT = /^metrics-(\d{8})\.spool$/
const LOCK = 'writer.lock'

/** A spool on `directory` for `writer({ spool })`. Throws if another live process holds the directory. */
export function spool(options: SpoolOptions): WriterSpool & Required<Pick<WriterSpool, 'sending' | 'refused'>> & { readonly directory: string; bytes(): number } {
  if (options === null || typeof options !== 'object' || typeof options.directory !== 'string' || options.directory === '') {
    throw new MonascaValidationError('directory', 'must be the path of a directory')
  }
  const maxBytes = positive(options.maxBytes, 'maxBytes', 64 * 1024 * 1024)
  const segmentBytes = positive(options.segmentBytes, 'segmentBytes', Math.max(65_536, Math.floor(maxBytes / 8)))
  const fsync = options.fsync ?? 'interval'
  if (!['always', 'interval', 'never'].includes(fsync)) throw new MonascaValidationError('fsync', `must be always, interval or never, got ${JSON.stringify(fsync)}`)
  const fsyncInterval = positive(options.fsyncInterval, 'fsyncInterval', 1000)
  return new Spool(options.directory, maxBytes, segmentBytes, fsync, fsyncInterval)
}

class Spool implements WriterSpool {
  readonly directory: string
  readonly #maxBytes: number
  readonly #segmentBytes: number
  readonly #fsync: 'always' | 'interval' | 'never'
  readonly #fsyncInterval: number
  /** Oldest first; the last one is being appended to. */
  readonly #segments: Segment[] = []
  readonly #where = new Map<number, Segment>()
  #fd: number | undefined
  #nextId = 1
  #dirty = false
  #syncTimer: ReturnType<typeof setInterval> | undefined
  #closed = false

  constructor(directory: string, maxBytes: number, segmentBytes: number, fsync: 'always' | 'interval' | 'never', fsyncInterval: number) {
    this.directory = directory
    this.#maxBytes = maxBytes
    this.#segmentBytes = segmentBytes
    this.#fsync = fsync
    this.#fsyncInterval = fsyncInterval
    mkdirSync(directory, { recursive: true })
    takeLock(join(directory, LOCK))
  }

  bytes(): number {
    return this.#segments.reduce((sum, s) => sum + s.bytes, 0)
  }

  async recover(onCorrupt: (bytes: number, file: string) => void): Promise<SpooledMetric[]> {
    const all = readdirSync(this.directory)
    // A compaction cut short by a crash: its file never replaced anything.
    for (const f of all) if (f.endsWith('.spool.tmp')) unlinkSync(join(this.directory, f))
    const files = all.filter((f) => SEGMENT.test(f)).sort()
    const added = new Map<number, { metric: MetricInput; tenantId?: string }>()
    const settled = new Set<number>()
    /** Per id, what the last record said: in flight (true) or refused / not sent since (false). */
    const flying = new Map<number, boolean>()
    let maxId = 0
    let maxSegment = 0
    for (const file of files) {
      maxSegment = Math.max(maxSegment, Number(SEGMENT.exec(file)![1]))
      const text = readFileSync(join(this.directory, file), 'utf8')
      for (const bad of parseRecords(text, (kind, payload) => {
        if (kind === 'a') {
          const record = JSON.parse(payload) as { i: number; t?: string; m: MetricInput; u?: 1 }
          if (!Number.isSafeInteger(record.i) || typeof record.m !== 'object') return false
          maxId = Math.max(maxId, record.i)
          added.set(record.i, { metric: record.m, ...(record.t === undefined ? {} : { tenantId: record.t }) })
          // A compacted copy (`u` kept) says what all records before it said; a fresh add is not in flight.
          flying.set(record.i, record.u === 1)
        } else {
          const ids = payload.split(',').map(Number)
          if (!ids.every(Number.isSafeInteger)) return false
          for (const id of ids) {
            if (kind === 's') settled.add(id)
            else flying.set(id, kind === 'f')
          }
        }
        return true
      })) onCorrupt(bad, join(this.directory, file))
    }
    this.#nextId = maxId + 1
    const live: SpooledMetric[] = []
    for (const [id, record] of [...added].sort((a, b) => a[0] - b[0])) {
      if (settled.has(id)) continue
      live.push({ id, metric: record.metric, ...(record.tenantId === undefined ? {} : { tenantId: record.tenantId }), ...(flying.get(id) === true ? { inFlight: true } : {}) })
    }
    // Compact: the live records into a fresh file, made durable, then the old files go.
    const number = maxSegment + 1
    const path = join(this.directory, segmentName(number))
    const text = live.map((m) => record('a', addPayload(m.id, m.metric, m.tenantId, m.inFlight === true))).join('')
    writeFileSync(`${path}.tmp`, text)
    syncFile(`${path}.tmp`)
    renameSync(`${path}.tmp`, path)
    syncDirectory(this.directory)
    for (const file of files) unlinkSync(join(this.directory, file))
    const segment: Segment = { number, path, bytes: Buffer.byteLength(text), live: new Set(live.map((m) => m.id)) }
    for (const id of segment.live) this.#where.set(id, segment)
    this.#segments.push(segment)
    this.#fd = openSync(path, 'a')
    if (this.#fsync === 'interval') {
      this.#syncTimer = setInterval(() => this.#sync(), this.#fsyncInterval)
      this.#syncTimer.unref?.()
    }
    return live
  }

  append(metrics: readonly { metric: MetricInput; tenantId?: string }[]): (number | undefined)[] {
    this.#open()
    const lines: string[] = []
    let pending = 0 // bytes of `lines`
    const ids = metrics.map(({ metric, tenantId }) => {
      const id = this.#nextId
      const line = record('a', addPayload(id, metric, tenantId, false))
      const size = Buffer.byteLength(line)
      if (this.bytes() + pending + size > this.#maxBytes) {
        this.#reclaim()
        if (this.bytes() + pending + size > this.#maxBytes) return undefined
      }
      this.#nextId++
      lines.push(line)
      pending += size
      return id
    })
    if (lines.length > 0) {
      const segment = this.#write(lines.join(''))
      for (const id of ids) {
        if (id === undefined) continue
        segment.live.add(id)
        this.#where.set(id, segment)
      }
    }
    return ids
  }

  sending(ids: readonly number[]): void {
    if (ids.length === 0 || this.#closed) return
    this.#open()
    this.#write(record('f', ids.join(',')))
  }

  refused(ids: readonly number[]): void {
    if (ids.length === 0 || this.#closed) return
    this.#open()
    this.#write(record('r', ids.join(',')))
  }

  settle(ids: readonly number[]): void {
    if (ids.length === 0 || this.#closed) return
    this.#open()
    this.#write(record('s', ids.join(',')))
    for (const id of ids) {
      this.#where.get(id)?.live.delete(id)
      this.#where.delete(id)
    }
    this.#reclaim()
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    clearInterval(this.#syncTimer)
    if (this.#fd !== undefined) {
      if (this.#fsync !== 'never') fsyncSync(this.#fd)
      closeSync(this.#fd)
      this.#fd = undefined
    }
    try {
      unlinkSync(join(this.directory, LOCK))
    } catch {
      // Already gone: nothing to release.
    }
  }

  #open(): void {
    if (this.#closed) throw new MonascaError('The spool is closed')
    if (this.#fd === undefined) throw new MonascaError('The spool is used before recover(): give it to a writer')
  }

  /** One write(2) of whole records, into the current file or, past segmentBytes, a new one. */
  #write(text: string): Segment {
    let segment = this.#segments.at(-1)!
    if (segment.bytes >= this.#segmentBytes) {
      if (this.#fsync !== 'never') fsyncSync(this.#fd!)
      closeSync(this.#fd!)
      const number = segment.number + 1
      segment = { number, path: join(this.directory, segmentName(number)), bytes: 0, live: new Set() }
      this.#segments.push(segment)
      this.#fd = openSync(segment.path, 'a')
    }
    const buffer = Buffer.from(text)
    writeSync(this.#fd!, buffer)
    segment.bytes += buffer.length
    if (this.#fsync === 'always') fsyncSync(this.#fd!)
    else this.#dirty = true
    return segment
  }

  /**
   * Delete old files whose metrics are all settled, oldest first only: a file's settle records may
   * concern older files, which must not come back to life.
   */
  #reclaim(): void {
    while (this.#segments.length > 1 && this.#segments[0]!.live.size === 0) {
      unlinkSync(this.#segments.shift()!.path)
    }
  }

  #sync(): void {
    if (!this.#dirty || this.#fd === undefined) return
    this.#dirty = false
    try {
      fsyncSync(this.#fd)
    } catch {
      // The next write or close reports a broken disk; a periodic sync has no caller to tell.
    }
  }
}

/** `a` accepted, `f` about to be sent (in flight), `r` refused by the server (not in flight), `s` settled. */
function record(kind: 'a' | 's' | 'f' | 'r', payload: string): string {
  return `${kind} ${hash(payload)} ${payload}\n`
}

function addPayload(id: number, metric: MetricInput, tenantId: string | undefined, inFlight: boolean): string {
  return JSON.stringify({ i: id, ...(tenantId === undefined ? {} : { t: tenantId }), m: metric, ...(inFlight ? { u: 1 } : {}) })
}

/** Calls `take` for each whole, intact record; returns the byte counts of the runs that were not. */
function parseRecords(text: string, take: (kind: 'a' | 's' | 'f' | 'r', payload: string) => boolean): number[] {
  const bad: number[] = []
  let badRun = 0
  const lines = text.split('\n')
  const tail = lines.pop()! // after the last newline: empty, or a torn record
  for (const line of lines) {
    const match = /^([asfr]) ([0-9a-f]{8}) (.*)$/.exec(line)
    let ok = false
    if (match && hash(match[3]!) === match[2]) {
      try {
        ok = take(match[1] as 'a' | 's' | 'f' | 'r', match[3]!)
      } catch {
        ok = false
      }
    }
    if (ok) {
      if (badRun > 0) bad.push(badRun)
      badRun = 0
    } else badRun += Buffer.byteLength(line) + 1
  }
  badRun += Buffer.byteLength(tail)
  if (badRun > 0) bad.push(badRun)
  return bad
}

/** FNV-1a, 32 bits, over UTF-16 code units: enough to tell a torn or garbled record. */
function hash(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(16).padStart(8, '0')
}

function segmentName(number: number): string {
  return `metrics-${String(number).padStart(8, '0')}.spool`
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

function syncDirectory(path: string): void {
  try {
    syncFile(path)
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

/** The lock names the owning pid; a lock left by a process that is gone is taken over. */
function takeLock(path: string): void {
  if (existsSync(path)) {
    const pid = Number(readFileSync(path, 'utf8').trim())
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new MonascaError(`The spool directory is in use by process ${pid} (${path})`)
    }
  }
  writeFileSync(path, `${process.pid}\n`)
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'
  }
}

function positive(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw new MonascaValidationError(field, `must be a positive integer, got ${JSON.stringify(value)}`)
  return value
}

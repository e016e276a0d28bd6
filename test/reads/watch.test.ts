/**
 * alarms.watch(): polling the state history under fake timers, against a scripted server that
 * keeps the real one's rules (ascending time, `start_time` inclusive, `next` link when more rows
 * than `limit`), then against the emulator while alarms change state.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createEmulator } from '../../src/emulator/index.js'
import {
  AuthenticationError,
  createClient,
  MonascaResponseError,
  MonascaValidationError,
  type AlarmStateHistory,
  type AlarmWatch,
} from '../../src/index.js'
import { captureFetch, json, type CapturedRequest } from '../helpers/capture.js'

const ENDPOINT = 'http://monasca.test:8070/v2.0'
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0)

function transition(alarm: string, at: number, from = 'OK', to = 'ALARM'): AlarmStateHistory {
  return {
    id: String(at), alarm_id: alarm, metrics: [], old_state: from as 'OK', new_state: to as 'ALARM',
    reason: 'r', reason_data: '{}', timestamp: new Date(at).toISOString(), sub_alarms: [],
  }
}

/** A history server with the real one's paging; `fault` may answer instead for a given call. */
function historyServer(fault?: (request: CapturedRequest, index: number) => Response | undefined) {
  const rows: AlarmStateHistory[] = []
  const captured = captureFetch((request, index) => {
    const injected = fault?.(request, index)
    if (injected) return injected
    const query = new URLSearchParams(request.rawQuery)
    const start = query.has('start_time') ? Date.parse(query.get('start_time')!) : -Infinity
    const limit = Number(query.get('limit') ?? 10_000)
    const matching = rows.filter((r) => Date.parse(r.timestamp) >= start).sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp))
    const page = matching.slice(0, limit)
    const links = [{ rel: 'self', href: request.url }]
    if (matching.length > limit) links.push({ rel: 'next', href: `${ENDPOINT}/alarms/state-history?offset=${page.at(-1)!.id}` })
    return json({ links, elements: page })
  })
  return { rows, ...captured }
}

/** Pulls from a watch in the background, collecting what it yields. */
function collect(watch: AlarmWatch) {
  const seen: AlarmStateHistory[] = []
  let error: unknown
  const done = (async () => {
    try {
      for await (const t of watch) seen.push(t)
    } catch (e) {
      error = e
    }
  })()
  return { seen, done, error: () => error }
}

const keys = (list: AlarmStateHistory[]) => list.map((t) => `${t.alarm_id}@${t.timestamp}`)

describe('alarms.watch under fake timers', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('yields each transition once across polls, from the last one seen, equal timestamps included', async () => {
    const server = historyServer()
    server.rows.push(transition('old', T0 - 1000)) // before the watch began: never yielded
    const client = createClient({ endpoint: ENDPOINT, token: 't', fetch: server.fetch })
    const controller = new AbortController()
    const watch = collect(client.alarms.watch({}, { interval: 1000, signal: controller.signal }))
    await vi.advanceTimersByTimeAsync(10)
    expect(server.calls).toHaveLength(1)
    expect(watch.seen).toEqual([])

    server.rows.push(transition('a', T0 + 500), transition('b', T0 + 500))
    await vi.advanceTimersByTimeAsync(1000)
    expect(keys(watch.seen)).toEqual(['a@2024-05-01T12:00:00.500Z', 'b@2024-05-01T12:00:00.500Z'])

    // Another transition in the same millisecond as the last seen, and a later one.
    server.rows.push(transition('c', T0 + 500), transition('a', T0 + 900, 'ALARM', 'OK'))
    await vi.advanceTimersByTimeAsync(1000)
    expect(keys(watch.seen).slice(2)).toEqual(['c@2024-05-01T12:00:00.500Z', 'a@2024-05-01T12:00:00.900Z'])

    // Polls with nothing new yield nothing.
    await vi.advanceTimersByTimeAsync(3000)
    expect(watch.seen).toHaveLength(4)
    // Each poll starts at the last transition seen (inclusive), never at an older time.
    const starts = server.calls.map((c) => new URLSearchParams(c.rawQuery).get('start_time'))
    expect(starts[0]).toBe(new Date(T0).toISOString())
    expect(starts.at(-1)).toBe('2024-05-01T12:00:00.900Z')
    controller.abort()
    await watch.done
    expect(watch.error()).toBeUndefined()
  })

  it('pages through a burst bigger than a page without losing the ones that share a millisecond', async () => {
    const server = historyServer()
    const client = createClient({ endpoint: ENDPOINT, token: 't', fetch: server.fetch })
    // 7 transitions in one millisecond, then 3 later: more than two pages of 3.
    for (let i = 0; i < 7; i++) server.rows.push(transition(`same${i}`, T0 + 100))
    for (let i = 0; i < 3; i++) server.rows.push(transition(`later${i}`, T0 + 200 + i))
    const watch = client.alarms.watch({ limit: 3 }, { interval: 1000 })
    const seen: AlarmStateHistory[] = []
    const pulled = (async () => {
      for await (const t of watch) {
        seen.push(t)
        if (seen.length === 10) break
      }
    })()
    await vi.advanceTimersByTimeAsync(10)
    await pulled
    expect(new Set(keys(seen)).size).toBe(10)
    expect(keys(seen).sort()).toEqual(keys(server.rows).sort())
    // No request asked for more than the server's ceiling, and pages grew only to get past the burst.
    const limits = server.calls.map((c) => Number(new URLSearchParams(c.rawQuery).get('limit')))
    expect(Math.max(...limits)).toBeLessThanOrEqual(12)
    expect(limits[0]).toBe(3)
  })

  it('backs off on failed polls, reports each, and resumes where it was', async () => {
    const failing = new Set([1, 2, 3])
    const server = historyServer((_r, i) => (failing.has(i) ? json({ title: 'Service Unavailable', description: 'kafka' }, 503) : undefined))
    const client = createClient({ endpoint: ENDPOINT, token: 't', fetch: server.fetch })
    const reports: Array<{ error: unknown; failures: number; retryIn: number }> = []
    const controller = new AbortController()
    const watch = collect(client.alarms.watch({}, {
      interval: 1000, maxBackoff: 5000, signal: controller.signal,
      onError: (error, info) => reports.push({ error, ...info }),
    }))
    await vi.advanceTimersByTimeAsync(10) // call 0 succeeds
    server.rows.push(transition('a', T0 + 5))
    const callTimes: number[] = []
    const before = server.calls.length
    while (server.calls.length < before + 4) {
      await vi.advanceTimersByTimeAsync(50)
      if (server.calls.length > before + callTimes.length) callTimes.push(Date.now())
    }
    expect(reports.map((r) => r.failures)).toEqual([1, 2, 3])
    for (const r of reports) expect(r.error).toMatchObject({ status: 503, description: 'kafka' })
    // Doubling from the interval, capped, with equal jitter: each wait is in [ceiling/2, ceiling].
    const ceilings = [2000, 4000, 5000]
    reports.forEach((r, i) => {
      expect(r.retryIn).toBeGreaterThanOrEqual(ceilings[i]! / 2)
      expect(r.retryIn).toBeLessThanOrEqual(ceilings[i]!)
    })
    const gaps = callTimes.slice(1).map((t, i) => t - callTimes[i]!)
    gaps.forEach((gap, i) => expect(Math.abs(gap - reports[i]!.retryIn)).toBeLessThanOrEqual(60))
    expect(keys(watch.seen)).toEqual(['a@2024-05-01T12:00:00.005Z'])
    // After a success, the next wait is the interval again.
    const n = server.calls.length
    await vi.advanceTimersByTimeAsync(1000)
    expect(server.calls.length).toBe(n + 1)
    controller.abort()
    await watch.done
  })

  it('counts a reply that is not a state history as a failed poll, never as transitions', async () => {
    const lies = [null, 42, 'hello', [], { elements: 'x' }, { elements: [{ alarm_id: 5 }] }]
    const server = historyServer((_r, i) => (i < lies.length ? json(lies[i]) : undefined))
    server.rows.push(transition('real', T0 + 1))
    const client = createClient({ endpoint: ENDPOINT, token: 't', fetch: server.fetch })
    const reports: unknown[] = []
    const controller = new AbortController()
    const watch = collect(client.alarms.watch({}, { interval: 100, maxBackoff: 100, signal: controller.signal, onError: (e) => reports.push(e) }))
    await vi.advanceTimersByTimeAsync(2000)
    expect(reports).toHaveLength(lies.length)
    for (const r of reports) expect(r).toBeInstanceOf(MonascaResponseError)
    expect(keys(watch.seen)).toEqual(['real@2024-05-01T12:00:00.001Z'])
    controller.abort()
    await watch.done
  })

  it('ends by throwing on an error no retry can cure (401), after no report', async () => {
    const server = historyServer(() => json({ title: 'Unauthorized', description: 'bad token' }, 401))
    const onError = vi.fn()
    const watch = collect(createClient({ endpoint: ENDPOINT, token: 't', fetch: server.fetch }).alarms.watch({}, { onError }))
    await vi.advanceTimersByTimeAsync(10)
    await watch.done
    expect(watch.error()).toBeInstanceOf(AuthenticationError)
    expect(onError).not.toHaveBeenCalled()
    expect(server.calls).toHaveLength(1)
  })

  it('stops on abort while waiting and cancels a request in flight', async () => {
    let pending: AbortSignal | undefined
    const server = historyServer()
    const hanging = async (input: RequestInfo | URL, init?: RequestInit) => {
      if (server.calls.length >= 1) {
        pending = init?.signal ?? undefined
        return new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))
      }
      return server.fetch(input, init)
    }
    const client = createClient({ endpoint: ENDPOINT, token: 't', fetch: hanging })
    const controller = new AbortController()
    const watch = collect(client.alarms.watch({}, { interval: 1000, signal: controller.signal }))
    await vi.advanceTimersByTimeAsync(1010) // first poll answered, second hangs
    expect(pending?.aborted).toBe(false)
    controller.abort()
    await vi.advanceTimersByTimeAsync(0)
    await watch.done
    expect(pending?.aborted).toBe(true)
    expect(watch.error()).toBeUndefined()

    // Aborted while waiting between polls: no further request.
    const quiet = historyServer()
    const second = new AbortController()
    const w2 = collect(createClient({ endpoint: ENDPOINT, token: 't', fetch: quiet.fetch }).alarms.watch({}, { interval: 1000, signal: second.signal }))
    await vi.advanceTimersByTimeAsync(10)
    second.abort()
    await w2.done
    await vi.advanceTimersByTimeAsync(5000)
    expect(quiet.calls).toHaveLength(1)
  })

  it('break and return() stop it, even while it waits for the next poll', async () => {
    const server = historyServer()
    server.rows.push(transition('a', T0 + 1))
    const client = createClient({ endpoint: ENDPOINT, token: 't', fetch: server.fetch })
    for await (const t of client.alarms.watch({}, { interval: 1000 })) {
      expect(t.alarm_id).toBe('a')
      break
    }
    await vi.advanceTimersByTimeAsync(5000)
    expect(server.calls).toHaveLength(1)

    const watch = client.alarms.watch({ start_time: new Date(T0 + 2) }, { interval: 1000 })
    const next = watch.next() // waits: nothing new
    await vi.advanceTimersByTimeAsync(10)
    const calls = server.calls.length
    await watch.return()
    expect(await next).toEqual({ done: true, value: undefined })
    await vi.advanceTimersByTimeAsync(5000)
    expect(server.calls.length).toBe(calls)
    expect(await watch.next()).toEqual({ done: true, value: undefined })
  })

  it('refuses bad parameters and options before any request', () => {
    const server = historyServer()
    const alarms = createClient({ endpoint: ENDPOINT, token: 't', fetch: server.fetch }).alarms
    const bad: Array<[() => unknown, string]> = [
      [() => alarms.watch({ dimensions: { 'bad=key': 'v' } }), 'dimensions key "bad=key"'],
      [() => alarms.watch({ start_time: 'yesterday' }), 'start_time'],
      [() => alarms.watch({ limit: 0 }), 'limit'],
      [() => alarms.watch({ limit: 20_000 }), 'limit'],
      [() => alarms.watch({}, { interval: 5 }), 'interval'],
      [() => alarms.watch({}, { interval: Number.NaN }), 'interval'],
      [() => alarms.watch({}, { interval: 2 ** 31 }), 'interval'],
      [() => alarms.watch({}, { onError: 'log' as never }), 'onError'],
      [() => alarms.watch({}, { signal: {} as never }), 'signal'],
      [() => alarms.watch(null as never), 'params'],
    ]
    for (const [call, field] of bad) {
      let thrown: unknown
      try {
        call()
      } catch (e) {
        thrown = e
      }
      expect(thrown, field).toBeInstanceOf(MonascaValidationError)
      expect((thrown as MonascaValidationError).field).toBe(field)
    }
    expect(server.calls).toHaveLength(0)
  })

  it('sends the dimensions filter on every poll', async () => {
    const server = historyServer()
    const controller = new AbortController()
    const watch = collect(createClient({ endpoint: ENDPOINT, token: 't', fetch: server.fetch })
      .alarms.watch({ dimensions: { hostname: ['web-01', 'web-02'] } }, { interval: 500, signal: controller.signal }))
    await vi.advanceTimersByTimeAsync(1100)
    expect(server.calls.length).toBe(3)
    for (const call of server.calls) expect(new URLSearchParams(call.rawQuery).get('dimensions')).toBe('hostname:web-01|web-02')
    controller.abort()
    await watch.done
  })
})

describe('alarms.watch against the emulator', () => {
  it('sees every state change the threshold engine makes, once, while alarms keep changing', async () => {
    let now = T0
    const emulator = createEmulator({ clock: () => now, tokens: { t: { projectId: 'p1', roles: ['monasca-user'] } } })
    const client = createClient({ endpoint: 'http://emulator/v2.0', token: 't', fetch: emulator.fetch, retries: 0 })
    await client.alarmDefinitions.create({ name: 'cpu', expression: 'max(cpu) > 90', match_by: ['hostname'] })
    emulator.addMetrics('p1', ['h1', 'h2', 'h3'].map((hostname) => ({ name: 'cpu', dimensions: { hostname }, timestamp: now, value: 1 })))
    const alarms = emulator.data.alarms('p1')
    expect(alarms).toHaveLength(3)
    const before = emulator.data.stateHistory('p1').length

    const controller = new AbortController()
    const seen: AlarmStateHistory[] = []
    const watching = (async () => {
      for await (const t of client.alarms.watch({ start_time: new Date(now + 500), limit: 2 }, { interval: 100, signal: controller.signal })) {
        seen.push(t)
      }
    })()
    const states = ['ALARM', 'OK', 'UNDETERMINED'] as const // from OK: every round is a change
    for (let round = 0; round < 8; round++) {
      now += 1000
      // Several alarms change in one round: more than a page (limit 2) between two polls.
      for (const alarm of alarms) emulator.setAlarmState(alarm.id, states[round % states.length]!, `round ${round}`)
      await new Promise((resolve) => setTimeout(resolve, round % 2 ? 0 : 150))
    }
    await new Promise((resolve) => setTimeout(resolve, 400))
    controller.abort()
    await watching
    const written = emulator.data.stateHistory('p1').slice(before)
    expect(written.length).toBe(24)
    expect(seen.map((t) => `${t.alarm_id} ${t.old_state}>${t.new_state} ${t.reason}`))
      .toEqual(written.map((t) => `${t.alarm_id} ${t.old_state}>${t.new_state} ${t.reason}`))
  })
})

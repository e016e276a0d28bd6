/**
 * A scripted Monasca for the writer's tests: a `fetch` whose answer to each POST /metrics is the next
 * step of a script (2xx, 422 for poisoned metrics, 429 with Retry-After, 503, a refused connection,
 * a reset before or after the server took the body, a hang). It records what it stored, per metric id,
 * and how many requests were in flight at once. No HTTP: thousands of runs per second.
 */
import type { MetricInput } from '../../src/index.js'

export type Step =
  | 'ok' // 204, stored
  | 'slow-ok' // 204 after 1.5 s, stored
  | '429' // Retry-After in seconds
  | '429-date' // Retry-After as an HTTP date
  | '503' // Monasca's Kafka trouble (Retry-After 60)
  | '503-no-retry-after'
  | '500'
  | 'refused' // no connection: nothing sent
  | 'reset-before' // reset before the server read the body: not stored, but the client cannot know
  | 'reset-after' // the server stored the body, then the connection broke before the answer
  | 'hang' // never answers (the client's timeout or the close deadline ends it); not stored
  | 'hang-stored' // stored, then never answers
  | '401' // a 4xx the server will repeat

export const STEPS: readonly Step[] = ['ok', 'slow-ok', '429', '429-date', '503', '503-no-retry-after', '500', 'refused', 'reset-before', 'reset-after', 'hang', 'hang-stored', '401']

/** A metric is poisoned (the server answers 422 for any batch holding it) when it has this dimension. */
export const POISON = 'poison'
export const idOf = (m: MetricInput): string => m.dimensions!.id!

export interface ScriptedServer {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>
  /** How many times each metric id was stored. */
  stored: Map<string, number>
  /** Ids in the order of their first arrival, per tenant (`` for the token's own project). */
  firstSeen: Map<string, string[]>
  requests: number
  maxConcurrent: number
  /** Bodies sent with `keepalive`. */
  keepalive: number
}

function connectionError(code: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code} 127.0.0.1:8070`), { code }) })
}

/** `script` is read in turn and repeats; `retryAfterSeconds` is what 429 and 503 announce. */
export function scriptedServer(script: readonly Step[], retryAfterSeconds = 1): ScriptedServer {
  let step = 0
  let concurrent = 0
  const seenIds = new Set<string>()
  const server: ScriptedServer = { stored: new Map(), firstSeen: new Map(), requests: 0, maxConcurrent: 0, keepalive: 0, fetch: undefined! }
  const store = (metrics: MetricInput[]) => {
    for (const m of metrics) server.stored.set(idOf(m), (server.stored.get(idOf(m)) ?? 0) + 1)
  }
  const answer = (status: number, headers: Record<string, string> = {}, body?: unknown) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
  const hang = (signal: AbortSignal | null | undefined) =>
    new Promise<Response>((_, reject) => {
      const fail = () => reject(signal?.reason ?? new DOMException('aborted', 'AbortError'))
      if (signal?.aborted) return fail()
      signal?.addEventListener('abort', fail, { once: true })
    })

  server.fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
    if (init?.method !== 'POST' || !url.pathname.endsWith('/metrics')) return answer(404, {}, { title: 'Not Found' })
    server.requests++
    if ((init as { keepalive?: boolean }).keepalive) server.keepalive++
    concurrent++
    server.maxConcurrent = Math.max(server.maxConcurrent, concurrent)
    try {
      const metrics = JSON.parse(String(init.body)) as MetricInput[]
      const tenant = url.searchParams.get('tenant_id') ?? ''
      for (const m of metrics) {
        if (seenIds.has(idOf(m))) continue
        seenIds.add(idOf(m))
        const list = server.firstSeen.get(tenant) ?? []
        list.push(idOf(m))
        server.firstSeen.set(tenant, list)
      }
      const current = script.length === 0 ? 'ok' : script[step++ % script.length]!
      if (current === 'refused') throw connectionError('ECONNREFUSED')
      if (current === 'reset-before') throw connectionError('ECONNRESET')
      if (current === 'hang') return await hang(init.signal)
      // The server validates the whole batch first (as Monasca does): a poisoned metric refuses it all.
      if (metrics.some((m) => m.dimensions?.[POISON] !== undefined)) {
        return answer(422, {}, { title: 'Unprocessable Entity', description: 'Dimension value poisoned is not allowed' })
      }
      switch (current) {
        case 'ok':
          store(metrics)
          return answer(204)
        case 'slow-ok':
          await new Promise((resolve) => setTimeout(resolve, 1500))
          store(metrics)
          return answer(204)
        case '429':
          return answer(429, { 'retry-after': String(retryAfterSeconds) }, { title: 'Too Many Requests' })
        case '429-date':
          return answer(429, { 'retry-after': new Date(Date.now() + retryAfterSeconds * 1000).toUTCString() }, { title: 'Too Many Requests' })
        case '503':
          return answer(503, { 'retry-after': '60' }, { title: 'Service unavailable', description: 'Kafka is down' })
        case '503-no-retry-after':
          return answer(503, {}, { title: 'Service unavailable' })
        case '500':
          return answer(500, {}, { title: 'Internal Server Error' })
        case '401':
          return answer(401, {}, { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } })
        case 'reset-after':
          store(metrics)
          throw connectionError('ECONNRESET')
        case 'hang-stored':
          store(metrics)
          return await hang(init.signal)
      }
    } finally {
      concurrent--
    }
  }
  return server
}

/**
 * An in-memory Monasca v2.0 API plus the Keystone v3 subset clients use, as a web-standard fetch
 * handler. It runs anywhere fetch does (Node, Deno, Bun, browsers): no Node built-ins here.
 *
 *   const emulator = createEmulator({ tokens: { t1: { projectId: 'p1' } } })
 *   const client = createClient({ endpoint: 'http://monasca/v2.0', token: 't1', fetch: emulator.fetch })
 */
import { AlarmDefinitions, definitionBody } from './alarm-definitions.js'
import { Alarms } from './alarms.js'
import { Context } from './context.js'
import { Evaluator } from './evaluator.js'
import { seedDemo } from './demo.js'
import { type FailureHandle, type FailureSpec, Failures, InjectedNetworkFailure, delay, failureError } from './failures.js'
import { HttpError, json, keystoneUnauthorized, trimPath } from './http.js'
import { requestId } from './ids.js'
import { Keystone } from './keystone.js'
import { Notifications, notificationBody } from './notifications.js'
import { RequestLog } from './request-log.js'
import { Router } from './router.js'
import { routes } from './routes.js'
import { Store } from './store.js'
import type { AlarmState, Caller, EmulatorOptions, RequestLogEntry, Series } from './types.js'
import { timestampInRange } from './validation.js'

export type {
  AlarmState,
  EmulatorApplicationCredential,
  EmulatorOptions,
  EmulatorProject,
  EmulatorUser,
  RequestLogEntry,
  Severity,
  StaticToken,
} from './types.js'
export { DEFAULT_PROJECTS, DEFAULT_USERS } from './keystone.js'
export type { FailureHandle, FailureSpec } from './failures.js'
export { InjectedNetworkFailure } from './failures.js'

export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>

/** A metric as POSTed to /v2.0/metrics, for the direct `addMetrics` hook. */
export interface MetricInput {
  name: string
  dimensions?: Record<string, string>
  timestamp: number
  value: number
  value_meta?: Record<string, unknown>
}

export interface Emulator {
  /** Use exactly like the global fetch (bound; any origin; routes on the path). */
  readonly fetch: FetchLike
  /** The handler behind fetch, for servers that already have a Request. */
  handle(request: Request): Promise<Response>
  /** The last requests (see `requestLogSize`), credentials redacted. */
  readonly requests: RequestLogEntry[]
  clearRequests(): void
  /** Put an alarm into a state now (as the threshold engine would), with a history entry. */
  setAlarmState(alarmId: string, state: AlarmState, reason?: string): void
  /** Mint a project-scoped token (no Keystone round trip); expires like issued tokens. */
  issueToken(spec: { projectId: string; roles?: string[]; expiresInSeconds?: number; userId?: string }): string
  /** Revoke an issued or static token; later requests with it get 401. */
  revokeToken(token: string): boolean
  /**
   * Expire every token Keystone (or `issueToken`) issued, now: the next request with any of them
   * gets 401, as after a real session's end, without the test knowing the token. Static tokens
   * stay. Returns how many were live.
   */
  expireTokens(): number
  /**
   * Answer the next matching request(s) with an error in the real server's shape (default 500,
   * once), with an `x-openstack-request-id` like every answer; or delay it, or drop the connection.
   * Failures are checked in the order they were added, before authentication.
   */
  failNext(spec?: FailureSpec): FailureHandle
  /** Cancel every armed failure. */
  clearFailures(): void
  /** Store metrics for a project directly (no HTTP), then evaluate alarms as a POST would. */
  addMetrics(projectId: string, metrics: MetricInput[]): void
  /** Re-evaluate every alarm definition at the current clock (the real engine does this every minute). */
  evaluate(): void
  /** The id of a Keystone project by name (default projects: `admin`, `demo`). */
  projectId(name: string): string
  /** Read state directly, in the API's shapes (copies). Without a project id: every project. */
  readonly data: {
    metrics(projectId?: string): Array<{ projectId: string; name: string; dimensions: Record<string, string>; measurements: Array<[number, number, Record<string, unknown>]> }>
    alarmDefinitions(projectId?: string): Array<ReturnType<typeof definitionBody> & { projectId: string }>
    alarms(projectId?: string): Array<ReturnType<Alarms['body']> & { projectId: string }>
    notificationMethods(projectId?: string): Array<ReturnType<typeof notificationBody> & { projectId: string }>
    stateHistory(projectId?: string): Array<{ projectId: string; alarm_id: string; old_state: AlarmState; new_state: AlarmState; reason: string; timestamp: string }>
  }
  readonly options: Readonly<EmulatorOptions>
  /** With `seed: 'demo'`: post the next point of every demo series at the current clock (the bin calls it every 30 s). */
  readonly demo?: { tick(): void }
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const clock = options.clock ?? (() => Date.now())
  const store = new Store()
  const keystone = new Keystone(options, clock)
  const evaluator = new Evaluator(store)
  const log = new RequestLog(options.requestLogSize ?? 1000, options.onRequest)
  const failures = new Failures()

  const evaluatePosted = (tenant: string, series: Series[]) => {
    const now = clock()
    for (const def of store.definitionsOf(tenant)) evaluator.evaluate(def, now, { posted: series })
  }
  const definitions = new AlarmDefinitions(store, {
    changed: (def, created) => evaluator.evaluate(def, clock(), { recentOnly: created }),
    deleted: (def) => {
      for (const a of store.alarmsOf(def.tenant)) if (a.definitionId === def.id) store.alarms.delete(a.id)
    },
  })
  const alarms = new Alarms(store, evaluator)
  const notifications = new Notifications(store, {
    types: options.notificationTypes ?? ['EMAIL', 'PAGERDUTY', 'WEBHOOK'],
    validPeriods: options.validNotificationPeriods ?? [0, 60],
    nextOffset: options.notificationNextOffset ?? 'uuid',
  })

  function caller(request: Request): Caller | undefined {
    const token = request.headers.get('x-auth-token')
    if (token) return keystone.resolve(token)
    if (options.trustTenantHeaders) {
      const projectId = request.headers.get('x-project-id') ?? request.headers.get('x-tenant-id')
      if (projectId) {
        const roles = (request.headers.get('x-roles') ?? '').split(',').map((r) => r.trim()).filter(Boolean)
        return { projectId, roles }
      }
    }
    return undefined
  }

  const router = new Router<Context>(routes({ store, keystone, definitions, alarms, notifications, evaluatePosted }))
  const ANONYMOUS: Caller = { roles: [] }

  /** Failures armed by failNext, then the route; unknown paths need a caller too (401 before 404, as behind keystonemiddleware). */
  async function answer(request: Request, url: URL, base: string): Promise<Response> {
    const method = request.method.toUpperCase()
    const failure = failures.take(method, url.pathname)
    if (failure?.spec.delayMs) await delay(failure.spec.delayMs, request.signal)
    if (failure?.spec.network) throw new InjectedNetworkFailure()
    if (failure) throw failureError(failure, url.pathname, base)
    const path = trimPath(url.pathname)
    const match = router.match(method, path)
    let who = ANONYMOUS
    if (!match?.route.public) {
      const resolved = caller(request)
      if (!resolved) throw keystoneUnauthorized(base)
      who = resolved
    }
    return Router.call(match, new Context(request, url, path, who, base, clock()))
  }

  function serviceOf(url: URL): RequestLogEntry['service'] {
    const route = router.match('GET', trimPath(url.pathname))?.route
    if (route) return route.service ?? 'monasca'
    return url.pathname.startsWith('/v2.0') ? 'monasca' : 'other'
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url)
    const base = (options.baseUrl ?? url.origin).replace(/\/+$/, '')
    const bodyText = await log.bodyOf(request)
    let response: Response
    try {
      response = await answer(request, url, base)
    } catch (e) {
      if (e instanceof HttpError) response = json(e.status, e.body, e.headers)
      else if (e instanceof InjectedNetworkFailure) {
        if (log.wanted) log.record(request, url, bodyText, 0, serviceOf(url))
        throw e
      } else if (e instanceof DOMException && e.name === 'AbortError') throw e
      // A handler's bug; the fuzz suite keeps this unreachable from any request.
      else response = json(500, { title: 'Service unavailable', description: e instanceof Error ? e.message : String(e) })
    }
    response.headers.set('x-openstack-request-id', requestId())
    response.headers.set('Date', new Date(clock()).toUTCString())
    if (request.method.toUpperCase() === 'HEAD' && response.body) response = new Response(null, { status: response.status, headers: response.headers })
    // Nobody reads the log (monasca-emulator's default): no entry is built at all.
    if (log.wanted) log.record(request, url, bodyText, response.status, serviceOf(url))
    return response
  }

  const fetchHandler: FetchLike = async (input, init) => {
    let request: Request
    if (input instanceof Request) request = init ? new Request(input, init) : input
    else {
      const text = input instanceof URL ? input.href : String(input)
      request = new Request(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `http://monasca-emulator.invalid${text.startsWith('/') ? '' : '/'}${text}`, init)
    }
    if (init?.signal?.aborted || request.signal.aborted) {
      throw new DOMException('This operation was aborted', 'AbortError')
    }
    try {
      return await handle(request)
    } catch (e) {
      // What fetch itself throws when a connection drops.
      if (e instanceof InjectedNetworkFailure) throw new TypeError('fetch failed', { cause: e })
      throw e
    }
  }

  const anyProject = (projectId?: string) => (tenant: string) => projectId === undefined || tenant === projectId
  // Direct reads have no request: links use baseUrl, or a placeholder origin.
  const directBase = (options.baseUrl ?? 'http://monasca-emulator.invalid').replace(/\/+$/, '')
  const links = { href: (path: string) => `${directBase}${path}` }

  const emulator: Emulator = {
    fetch: fetchHandler,
    handle,
    requests: log.entries,
    clearRequests: () => log.clear(),
    setAlarmState(alarmId, state, reason = 'Alarm state set by the emulator') {
      const alarm = store.alarms.get(alarmId)
      if (!alarm) throw new Error(`no alarm ${alarmId}`)
      if (!['OK', 'ALARM', 'UNDETERMINED'].includes(state)) throw new Error(`invalid state ${String(state)}`)
      evaluator.record(alarm, state, reason, clock())
    },
    issueToken: (spec) => keystone.issueToken(spec),
    revokeToken: (token) => keystone.revokeToken(token),
    expireTokens: () => keystone.expireTokens(),
    failNext: (spec = {}) => failures.add(spec),
    clearFailures: () => failures.clear(),
    addMetrics(projectId, metrics) {
      const touched = new Map<string, Series>()
      for (const m of metrics) {
        if (typeof m.timestamp !== 'number' || !timestampInRange(m.timestamp)) throw new RangeError(`addMetrics: timestamp ${String(m.timestamp)} of ${m.name} is out of the storable range (about 1677-09-21 to 2262-04-11)`)
      }
      for (const m of metrics) {
        const s = store.addPoint(projectId, m.name, m.dimensions ?? {}, { timestamp: m.timestamp, value: m.value, value_meta: m.value_meta ?? {} })
        touched.set(s.key, s)
      }
      if (touched.size > 0) evaluatePosted(projectId, [...touched.values()])
    },
    evaluate() {
      const now = clock()
      for (const def of store.definitions.values()) evaluator.evaluate(def, now)
    },
    projectId(name) {
      const p = keystone.projectByName(name)
      if (!p) throw new Error(`no project ${name}`)
      return p.id
    },
    data: {
      metrics: (projectId) =>
        store
          .tenants()
          .filter(anyProject(projectId))
          .flatMap((t) =>
            store.seriesOf(t).map((s) => ({
              projectId: t,
              name: s.name,
              dimensions: { ...s.dimensions },
              measurements: s.points.map((p) => [p.timestamp, p.value, { ...p.value_meta }] as [number, number, Record<string, unknown>]),
            })),
          ),
      alarmDefinitions: (projectId) =>
        [...store.definitions.values()].filter((d) => anyProject(projectId)(d.tenant)).map((d) => ({ ...definitionBody(links, d), projectId: d.tenant })),
      alarms: (projectId) =>
        [...store.alarms.values()].filter((a) => anyProject(projectId)(a.tenant)).map((a) => ({ ...alarms.body(links, a), projectId: a.tenant })),
      notificationMethods: (projectId) =>
        [...store.notifications.values()].filter((n) => anyProject(projectId)(n.tenant)).map((n) => ({ ...notificationBody(links, n), projectId: n.tenant })),
      stateHistory: (projectId) =>
        store.history
          .filter((h) => anyProject(projectId)(h.tenant))
          .map((h) => ({ projectId: h.tenant, alarm_id: h.alarm_id, old_state: h.old_state, new_state: h.new_state, reason: h.reason, timestamp: new Date(h.timestamp).toISOString() })),
    },
    options,
  }
  if (options.seed === 'demo') {
    const feed = seedDemo({ store, evaluator, keystone, clock, ...(options.notificationTypes ? { notificationTypes: options.notificationTypes } : {}) })
    return { ...emulator, demo: { tick: () => feed.tick(clock()) } }
  }
  return emulator
}

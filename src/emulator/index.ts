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
import { HttpError, KEYSTONE_UNAUTHORIZED_MESSAGE, json, keystoneError, methodNotAllowed, monascaError, noContent, notFound } from './http.js'
import { requestId } from './ids.js'
import { Keystone } from './keystone.js'
import { listDimensionNames, listDimensionValues, listMeasurements, listMetrics, listNames, listStatistics, postMetrics } from './metrics.js'
import { Notifications, notificationBody } from './notifications.js'
import { Store } from './store.js'
import type { AlarmState, Caller, EmulatorOptions, RequestLogEntry, Series } from './types.js'
import { seedDemo } from './demo.js'
import { timestampInRange } from './validation.js'
import { type FailureHandle, type FailureSpec, Failures, InjectedNetworkFailure, delay, failureError } from './failures.js'

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

const MONASCA_ROUTES: Array<{ pattern: RegExp; methods: string[]; name: string }> = [
  { pattern: /^\/v2\.0\/metrics$/, methods: ['GET', 'POST'], name: 'metrics' },
  { pattern: /^\/v2\.0\/metrics\/measurements$/, methods: ['GET'], name: 'measurements' },
  { pattern: /^\/v2\.0\/metrics\/statistics$/, methods: ['GET'], name: 'statistics' },
  { pattern: /^\/v2\.0\/metrics\/names$/, methods: ['GET'], name: 'names' },
  { pattern: /^\/v2\.0\/metrics\/dimensions\/names$/, methods: ['GET'], name: 'dimension-names' },
  { pattern: /^\/v2\.0\/metrics\/dimensions\/names\/values$/, methods: ['GET'], name: 'dimension-values' },
  { pattern: /^\/v2\.0\/alarm-definitions$/, methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], name: 'definitions' },
  { pattern: /^\/v2\.0\/alarm-definitions\/([^/]+)$/, methods: ['GET', 'PUT', 'PATCH', 'DELETE'], name: 'definition' },
  { pattern: /^\/v2\.0\/alarms$/, methods: ['GET'], name: 'alarms' },
  { pattern: /^\/v2\.0\/alarms\/count$/, methods: ['GET'], name: 'count' },
  { pattern: /^\/v2\.0\/alarms\/state-history$/, methods: ['GET'], name: 'history-list' },
  { pattern: /^\/v2\.0\/alarms\/([^/]+)\/state-history$/, methods: ['GET'], name: 'history' },
  { pattern: /^\/v2\.0\/alarms\/([^/]+)$/, methods: ['GET', 'PUT', 'PATCH', 'DELETE'], name: 'alarm' },
  { pattern: /^\/v2\.0\/notification-methods$/, methods: ['GET', 'POST'], name: 'notifications' },
  { pattern: /^\/v2\.0\/notification-methods\/types$/, methods: ['GET'], name: 'types' },
  { pattern: /^\/v2\.0\/notification-methods\/([^/]+)$/, methods: ['GET', 'PUT', 'PATCH', 'DELETE'], name: 'notification' },
]

const VERSION = (base: string) => ({
  id: 'v2.0',
  links: [{ rel: 'self', href: `${base}/v2.0` }],
  status: 'CURRENT',
  updated: '2013-03-06T00:00:00.000Z',
})

function redactBody(text: string): string {
  try {
    const redact = (value: unknown, parentKey = ''): unknown => {
      if (Array.isArray(value)) return value.map((v) => redact(v, parentKey))
      if (value && typeof value === 'object') {
        return Object.fromEntries(
          Object.entries(value).map(([k, v]) => [
            k,
            /password|secret/i.test(k) || (parentKey === 'token' && k === 'id') ? '<redacted>' : redact(v, k),
          ]),
        )
      }
      return value
    }
    return JSON.stringify(redact(JSON.parse(text)))
  } catch {
    return text.replace(/("?(password|secret)"?\s*[:=]\s*)("[^"]*"|[^&\s,}]+)/gi, '$1"<redacted>"')
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const clock = options.clock ?? (() => Date.now())
  const store = new Store()
  const keystone = new Keystone(options, clock)
  const evaluator = new Evaluator(store)
  const logSize = options.requestLogSize ?? 1000
  const requests: RequestLogEntry[] = []
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
    if (token) {
      const resolved = keystone.resolve(token)
      if (resolved) return resolved
      return undefined
    }
    if (options.trustTenantHeaders) {
      const projectId = request.headers.get('x-project-id') ?? request.headers.get('x-tenant-id')
      if (projectId) {
        const roles = (request.headers.get('x-roles') ?? '').split(',').map((r) => r.trim()).filter(Boolean)
        return { projectId, roles }
      }
    }
    return undefined
  }

  function unauthorized(base: string): HttpError {
    return keystoneError(401, 'Unauthorized', KEYSTONE_UNAUTHORIZED_MESSAGE, {}, { 'WWW-Authenticate': `Keystone uri="${base}/v3"` })
  }

  async function route(request: Request, url: URL, base: string): Promise<{ response: Response; service: RequestLogEntry['service'] }> {
    const method = request.method.toUpperCase()
    const rawPath = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname
    const path = rawPath || '/'
    if (path === '/v3' || path.startsWith('/v3/')) {
      return { response: await keystone.handle(request, url.pathname === '/v3/' ? '/v3/' : path, base), service: 'keystone' }
    }
    if (path === '/healthcheck') {
      if (method === 'HEAD') return { response: noContent({ 'Cache-Control': 'must-revalidate, no-cache, no-store' }), service: 'monasca' }
      if (method === 'GET') {
        return { response: json(200, { kafka: 'OK', alarms_database: 'OK', metrics_database: 'OK' }, { 'Cache-Control': 'must-revalidate, no-cache, no-store' }), service: 'monasca' }
      }
      throw methodNotAllowed(['GET', 'HEAD'])
    }
    const who = caller(request)
    if (!who) throw unauthorized(base)
    const ctx = new Context(request, url, path, who, base, clock())
    if (path === '/') {
      if (method !== 'GET') throw methodNotAllowed(['GET'])
      return { response: json(200, { links: [{ rel: 'self', href: `${base}/` }], elements: [VERSION(base)] }), service: 'monasca' }
    }
    if (path === '/v2.0') {
      if (method !== 'GET') throw methodNotAllowed(['GET'])
      return { response: json(200, VERSION(base)), service: 'monasca' }
    }
    if (/^\/[^/]+$/.test(path)) {
      if (method !== 'GET') throw methodNotAllowed(['GET'])
      throw monascaError(422, 'Invalid version', `No versions found matching ${decodeSegment(path.slice(1))}`)
    }
    for (const r of MONASCA_ROUTES) {
      const m = r.pattern.exec(path)
      if (!m) continue
      if (!r.methods.includes(method)) throw methodNotAllowed(r.methods)
      const id = m[1] === undefined ? '' : decodeSegment(m[1])
      return { response: await dispatch(r.name, method, ctx, id), service: 'monasca' }
    }
    throw notFound()
  }

  async function dispatch(name: string, method: string, ctx: Context, id: string): Promise<Response> {
    switch (name) {
      case 'metrics':
        return method === 'POST' ? postMetrics(ctx, store, evaluatePosted) : listMetrics(ctx, store)
      case 'measurements':
        return listMeasurements(ctx, store)
      case 'statistics':
        return listStatistics(ctx, store)
      case 'names':
        return listNames(ctx, store)
      case 'dimension-names':
        return listDimensionNames(ctx, store)
      case 'dimension-values':
        return listDimensionValues(ctx, store)
      case 'definitions':
        if (method === 'GET') return definitions.list(ctx)
        if (method === 'POST') return definitions.create(ctx)
        throw monascaError(400, 'Bad Request', 'Alarm definition ID not provided')
      case 'definition':
        if (method === 'GET') return definitions.get(ctx, id)
        if (method === 'DELETE') return definitions.delete(ctx, id)
        return definitions.update(ctx, id, method === 'PATCH')
      case 'alarms':
        return alarms.list(ctx)
      case 'count':
        return alarms.count(ctx)
      case 'history-list':
        return alarms.historyList(ctx)
      case 'history':
        return alarms.history(ctx, id)
      case 'alarm':
        if (method === 'GET') return alarms.get(ctx, id)
        if (method === 'DELETE') return alarms.delete(ctx, id)
        return alarms.update(ctx, id, method === 'PATCH')
      case 'notifications':
        return method === 'POST' ? notifications.create(ctx) : notifications.list(ctx)
      case 'types':
        return notifications.types(ctx)
      default:
        if (method === 'GET') return notifications.get(ctx, id)
        if (method === 'DELETE') return notifications.delete(ctx, id)
        return notifications.update(ctx, id, method === 'PATCH')
    }
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url)
    const base = (options.baseUrl ?? url.origin).replace(/\/+$/, '')
    const method = request.method.toUpperCase()
    let bodyText: string | undefined
    if (logSize > 0 || options.onRequest) {
      if (method !== 'GET' && method !== 'HEAD') bodyText = await request.clone().text().catch(() => undefined)
    }
    let response: Response
    let service: RequestLogEntry['service'] = url.pathname.startsWith('/v3') ? 'keystone' : url.pathname.startsWith('/v2.0') ? 'monasca' : 'other'
    try {
      const failure = failures.take(method, url.pathname)
      if (failure?.spec.delayMs) await delay(failure.spec.delayMs, request.signal)
      if (failure?.spec.network) throw new InjectedNetworkFailure()
      if (failure) throw failureError(failure, url.pathname, base)
      const routed = await route(request, url, base)
      response = routed.response
      service = routed.service
    } catch (e) {
      if (e instanceof HttpError) response = json(e.status, e.body, e.headers)
      else if (e instanceof InjectedNetworkFailure || (e instanceof DOMException && e.name === 'AbortError')) throw e
      else response = json(500, { title: 'Service unavailable', description: e instanceof Error ? e.message : String(e) })
    }
    response.headers.set('x-openstack-request-id', requestId())
    response.headers.set('Date', new Date(clock()).toUTCString())
    if (method === 'HEAD' && response.body) response = new Response(null, { status: response.status, headers: response.headers })

    const headers: Record<string, string> = {}
    request.headers.forEach((value, key) => {
      headers[key] = /^x-(auth|subject)-token$/i.test(key) ? '<redacted>' : value
    })
    const entry: RequestLogEntry = {
      method,
      url: request.url,
      path: url.pathname,
      headers,
      ...(bodyText ? { body: redactBody(bodyText) } : {}),
      status: response.status,
      service,
    }
    if (logSize > 0) {
      requests.push(entry)
      if (requests.length > logSize) requests.splice(0, requests.length - logSize)
    }
    options.onRequest?.(entry)
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
    requests,
    clearRequests: () => {
      requests.length = 0
    },
    setAlarmState(alarmId, state, reason = 'Alarm state set by the emulator') {
      const alarm = store.alarms.get(alarmId)
      if (!alarm) throw new Error(`no alarm ${alarmId}`)
      if (!['OK', 'ALARM', 'UNDETERMINED'].includes(state)) throw new Error(`invalid state ${String(state)}`)
      evaluator.record(alarm, state, reason, clock())
    },
    issueToken: (spec) => keystone.issueToken(spec),
    revokeToken: (token) => keystone.revokeToken(token),
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

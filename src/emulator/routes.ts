/**
 * What the emulator answers: every path of Monasca v2.0 (plus the health check, the version
 * documents and Keystone's `/v3` mount), each with its handlers. Order matters: literal paths come
 * before the `{id}` placeholders that would also match them.
 */
import type { AlarmDefinitions } from './alarm-definitions.js'
import type { Alarms } from './alarms.js'
import type { Context } from './context.js'
import { json, monascaError, noContent } from './http.js'
import type { Keystone } from './keystone.js'
import { listDimensionNames, listDimensionValues, listMeasurements, listMetrics, listNames, listStatistics, postMetrics } from './metrics.js'
import type { Notifications } from './notifications.js'
import type { Route } from './router.js'
import type { Store } from './store.js'
import type { Series } from './types.js'

export interface Services {
  store: Store
  keystone: Keystone
  definitions: AlarmDefinitions
  alarms: Alarms
  notifications: Notifications
  /** Evaluate the tenant's alarm definitions against freshly posted series. */
  evaluatePosted(tenant: string, series: Series[]): void
}

const VERSION = (base: string) => ({
  id: 'v2.0',
  links: [{ rel: 'self', href: `${base}/v2.0` }],
  status: 'CURRENT',
  updated: '2013-03-06T00:00:00.000Z',
})

const NO_CACHE = { 'Cache-Control': 'must-revalidate, no-cache, no-store' }

export function routes(s: Services): Array<Route<Context>> {
  const { store, definitions, alarms, notifications } = s
  return [
    {
      path: '/v3',
      prefix: true,
      public: true,
      service: 'keystone',
      handlers: {},
      // Keystone routes its own paths (and words its own 404/405s).
      any: (ctx) => s.keystone.handle(ctx.request, ctx.url.pathname === '/v3/' ? '/v3/' : ctx.path, ctx.base),
    },
    {
      path: '/healthcheck',
      public: true,
      handlers: {
        GET: () => json(200, { kafka: 'OK', alarms_database: 'OK', metrics_database: 'OK' }, NO_CACHE),
        HEAD: () => noContent(NO_CACHE),
      },
    },
    { path: '/', handlers: { GET: (ctx) => json(200, { links: [{ rel: 'self', href: `${ctx.base}/` }], elements: [VERSION(ctx.base)] }) } },
    { path: '/v2.0', handlers: { GET: (ctx) => json(200, VERSION(ctx.base)) } },

    { path: '/v2.0/metrics', handlers: { GET: (ctx) => listMetrics(ctx, store), POST: (ctx) => postMetrics(ctx, store, s.evaluatePosted) } },
    { path: '/v2.0/metrics/measurements', handlers: { GET: (ctx) => listMeasurements(ctx, store) } },
    { path: '/v2.0/metrics/statistics', handlers: { GET: (ctx) => listStatistics(ctx, store) } },
    { path: '/v2.0/metrics/names', handlers: { GET: (ctx) => listNames(ctx, store) } },
    { path: '/v2.0/metrics/dimensions/names', handlers: { GET: (ctx) => listDimensionNames(ctx, store) } },
    { path: '/v2.0/metrics/dimensions/names/values', handlers: { GET: (ctx) => listDimensionValues(ctx, store) } },

    {
      path: '/v2.0/alarm-definitions',
      handlers: {
        GET: (ctx) => definitions.list(ctx),
        POST: (ctx) => definitions.create(ctx),
        // The real server routes these without an id, then refuses them.
        PUT: missingDefinitionId,
        PATCH: missingDefinitionId,
        DELETE: missingDefinitionId,
      },
    },
    {
      path: '/v2.0/alarm-definitions/{id}',
      handlers: {
        GET: (ctx, { id }) => definitions.get(ctx, id!),
        PUT: (ctx, { id }) => definitions.update(ctx, id!, false),
        PATCH: (ctx, { id }) => definitions.update(ctx, id!, true),
        DELETE: (ctx, { id }) => definitions.delete(ctx, id!),
      },
    },

    { path: '/v2.0/alarms', handlers: { GET: (ctx) => alarms.list(ctx) } },
    { path: '/v2.0/alarms/count', handlers: { GET: (ctx) => alarms.count(ctx) } },
    { path: '/v2.0/alarms/state-history', handlers: { GET: (ctx) => alarms.historyList(ctx) } },
    { path: '/v2.0/alarms/{id}/state-history', handlers: { GET: (ctx, { id }) => alarms.history(ctx, id!) } },
    {
      path: '/v2.0/alarms/{id}',
      handlers: {
        GET: (ctx, { id }) => alarms.get(ctx, id!),
        PUT: (ctx, { id }) => alarms.update(ctx, id!, false),
        PATCH: (ctx, { id }) => alarms.update(ctx, id!, true),
        DELETE: (ctx, { id }) => alarms.delete(ctx, id!),
      },
    },

    { path: '/v2.0/notification-methods', handlers: { GET: (ctx) => notifications.list(ctx), POST: (ctx) => notifications.create(ctx) } },
    { path: '/v2.0/notification-methods/types', handlers: { GET: (ctx) => notifications.types(ctx) } },
    {
      path: '/v2.0/notification-methods/{id}',
      handlers: {
        GET: (ctx, { id }) => notifications.get(ctx, id!),
        PUT: (ctx, { id }) => notifications.update(ctx, id!, false),
        PATCH: (ctx, { id }) => notifications.update(ctx, id!, true),
        DELETE: (ctx, { id }) => notifications.delete(ctx, id!),
      },
    },

    // Any other single segment is a version the server does not have.
    {
      path: '/{version}',
      handlers: { GET: (_ctx, { version }) => Promise.reject(monascaError(422, 'Invalid version', `No versions found matching ${version}`)) },
    },
  ]
}

function missingDefinitionId(): never {
  throw monascaError(400, 'Bad Request', 'Alarm definition ID not provided')
}

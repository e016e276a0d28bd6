import { MonascaValidationError } from '../errors.js'
import { countedOffset, type PagePromise } from '../paginate.js'
import { Query } from '../query.js'
import type { RequestOptions } from '../transport.js'
import type {
  NotificationListParams,
  NotificationMethod,
  NotificationMethodCreate,
  NotificationMethodPatch,
  NotificationMethodUpdate,
  NotificationType,
} from '../types.js'
import * as V from '../validate.js'
import { path, Resource } from './base.js'
import type { CallPromise } from './call-promise.js'
import { notificationShape, notificationTypeShape } from './shapes.js'

export { NOTIFICATION_SORT_FIELDS } from '../validate.js'

/** Notification methods (`/v2.0/notification-methods`). */
export class Notifications extends Resource {
  create(body: NotificationMethodCreate, options?: RequestOptions): CallPromise<NotificationMethod> {
    return this.call({ method: 'POST', path: '/notification-methods', body: () => checkNotification(body, 'create'), shape: notificationShape }, options)
  }

  get(id: string, options?: RequestOptions): CallPromise<NotificationMethod> {
    return this.call({ method: 'GET', path: () => path`/notification-methods/${id}`, shape: notificationShape }, options)
  }

  /** Notification methods; paged with integer offsets that we count ourselves (the server's next link is unusable). */
  list(params: NotificationListParams = {}, options?: RequestOptions): PagePromise<NotificationMethod> {
    return this.paged({
      path: '/notification-methods',
      shape: notificationShape,
      query: () => {
        const query = new Query()
        if (params.sort_by !== undefined) query.set('sort_by', V.sortBy(params.sort_by, V.NOTIFICATION_SORT_FIELDS))
        return query.page(params, true)
      },
      next: countedOffset(params?.offset),
    }, options)
  }

  /** Replace a method (PUT): name, type, address and period are required. */
  update(id: string, body: NotificationMethodUpdate, options?: RequestOptions): CallPromise<NotificationMethod> {
    return this.call({ method: 'PUT', path: () => path`/notification-methods/${id}`, body: () => checkNotification(body, 'update'), shape: notificationShape }, options)
  }

  patch(id: string, body: NotificationMethodPatch, options?: RequestOptions): CallPromise<NotificationMethod> {
    return this.call({ method: 'PATCH', path: () => path`/notification-methods/${id}`, body: () => checkNotification(body, 'patch'), shape: notificationShape }, options)
  }

  delete(id: string, options?: RequestOptions): CallPromise<void> {
    return this.call({ method: 'DELETE', path: () => path`/notification-methods/${id}` }, options)
  }
}

/** The notification method types this server supports (`/v2.0/notification-methods/types`). */
export class NotificationTypes extends Resource {
  list(options?: RequestOptions): PagePromise<NotificationType> {
    return this.paged({ path: '/notification-methods/types', shape: notificationTypeShape, query: () => new Query() }, options)
  }
}

function checkNotification(input: object, mode: 'create' | 'update' | 'patch'): Record<string, unknown> {
  const body = V.objectBody(input, 'body')
  const needed = (field: string) => mode !== 'patch' || body[field] !== undefined
  if (needed('name')) V.boundedString(body.name, 'name', V.LIMITS.notificationName)
  if (needed('type')) V.boundedString(body.type, 'type', V.LIMITS.notificationType)
  if (needed('address')) V.boundedString(body.address, 'address', V.LIMITS.notificationAddress)
  if (mode === 'update' && body.period === undefined) throw new MonascaValidationError('period', 'is required when replacing a notification method')
  if (body.period !== undefined) V.notificationPeriod(body.period)
  if (typeof body.type === 'string' && typeof body.address === 'string') checkAddress(body.type, body.address)
  return body
}

/** The server's own address rules for the two types it knows about. */
function checkAddress(type: string, address: string): void {
  const kind = type.toUpperCase()
  if (kind === 'EMAIL' && !/^.+@.+$/.test(address)) throw new MonascaValidationError('address', `is not an email address: ${JSON.stringify(address)}`)
  if (kind === 'WEBHOOK') {
    let url: URL | undefined
    try {
      url = new URL(address)
    } catch {
      url = undefined
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.host) {
      throw new MonascaValidationError('address', `must be an http or https URL with a host, got ${JSON.stringify(address)}`)
    }
  }
}

/**
 * Alarms plus `watch()`: what the main entry's client carries as `client.alarms`. The watch loop is
 * ~0.7 KB min+gzip that a page listing alarms need not bundle, so the lean `Alarms` leaves it out
 * (a class method cannot be tree-shaken); a lean client gets it with `resources: { alarms: AlarmsWithWatch }`.
 */
import { MonascaValidationError } from '../errors.js'
import { encodeTime, Query } from '../query.js'
import type { AlarmWatch, AlarmWatchOptions, AlarmWatchParams } from '../types.js'
import * as V from '../validate.js'
import { checkDelay, watchTransitions } from '../watch.js'
import { Alarms } from './alarms.js'

export class AlarmsWithWatch extends Alarms {
  /**
   * Live transitions: polls the state history from the last transition seen and yields each one
   * once, oldest first, until `signal` aborts or the loop breaks. Failed polls are reported to
   * `onError` and retried with backoff; errors no retry can cure (401, 403, 404, 422) are thrown.
   */
  watch(params: AlarmWatchParams = {}, options: AlarmWatchOptions = {}): AlarmWatch {
    V.objectBody(params, 'params')
    V.objectBody(options, 'options')
    const { dimensions } = params
    new Query().dimensions('dimensions', dimensions) // checked now, before any request
    const since = params.start_time === undefined ? Date.now() : Date.parse(encodeTime(params.start_time, 'start_time'))
    const limit = params.limit === undefined ? 1000 : V.limit(params.limit)
    if (limit > 10_000) throw new MonascaValidationError('limit', `must be at most 10000 (the server's ceiling), got ${limit}`)
    const interval = checkDelay(options.interval, 'interval', 10_000, 100)
    const maxBackoff = checkDelay(options.maxBackoff, 'maxBackoff', 300_000, interval)
    if (options.onError !== undefined && typeof options.onError !== 'function') throw new MonascaValidationError('onError', 'must be a function')
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new MonascaValidationError('signal', 'must be an AbortSignal')
    const { timeout, retries = 0, headers } = options
    return watchTransitions(async (from, size, signal) => {
      const page = await this.historyList({ dimensions, start_time: new Date(from), limit: size }, { signal, timeout, retries, headers }).page()
      return { elements: page.elements, more: page.nextOffset !== undefined }
    }, { since, limit, interval, maxBackoff, signal: options.signal, onError: options.onError })
  }
}

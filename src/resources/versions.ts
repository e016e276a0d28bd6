import type { RequestOptions } from '../transport.js'
import type { Version } from '../types.js'
import { Resource } from './base.js'
import type { CallPromise } from './call-promise.js'
import { versionShape } from './shapes.js'

/** The API version document of the endpoint (`GET /v2.0`). */
export class Versions extends Resource {
  /** The version the endpoint serves (`{id: 'v2.0', status: 'CURRENT', …}`). */
  get(options?: RequestOptions): CallPromise<Version> {
    return this.call({ method: 'GET', path: '', shape: versionShape }, options)
  }
}

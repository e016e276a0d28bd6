/**
 * monasca-client: the fetch-only core. Runs unchanged in browsers, Node 20+, Deno and Bun; nothing
 * here imports a Node built-in or does work at import time.
 */
export { createClient } from './client.js'
export { passwordAuth, keystoneTokenAuth, applicationCredentialAuth, type SessionSettings } from './auth/strategies.js'
export type { Client, ClientOptions } from './client.js'
export * from './auth/index.js'
export * from './errors.js'
export { PagePromise, offsetFromNextLink } from './paginate.js'
export type { Page, ToArrayOptions } from './paginate.js'
export { encodeDimensions, parseDimensions, encodeTime } from './query.js'
export type { RequestOptions, RetryPolicy, FetchLike } from './transport.js'
export type { CoreClientOptions, BaseClientOptions } from './core-client.js'
export { parseExpression, validateExpression, formatExpression, ExpressionError } from './expression/index.js'
export type { AlarmExpression, ExpressionValidation, SubExpression, LogicalExpression, ExpressionNode } from './expression/index.js'
export {
  LIMITS, SEVERITIES, ALARM_STATES, STATISTICS, LIFECYCLE_STATES,
  ALARM_SORT_FIELDS, ALARM_DEFINITION_SORT_FIELDS, NOTIFICATION_SORT_FIELDS, ALARM_COUNT_GROUP_BY,
} from './validate.js'
export type * from './types.js'
export { VERSION } from './version.js'
export { createWriter } from './writer/index.js'
export type * from './writer/types.js'

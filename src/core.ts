/**
 * monasca-client/core: the lean entry (as `@octokit/core` stands beside `octokit`). `createClient`
 * takes a fixed token, a session or an auth strategy; the strategies, `Session`, the identity
 * methods and the stores are exported one by one, so a page bundles only what it names.
 */
export { createClient } from './core-client.js'
export type { Client, CoreClientOptions, BaseClientOptions } from './core-client.js'
export { passwordAuth, keystoneTokenAuth, applicationCredentialAuth, type SessionSettings } from './auth/strategies.js'
export { Session, type SessionOptions } from './auth/session.js'
export * as identity from './auth/identity.js'
export type { PasswordOptions, TokenOptions, ApplicationCredentialOptions } from './auth/identity.js'
export type { ScopeOptions, UserOptions } from './auth/scope.js'
export type { AccessInfo, CatalogService, CatalogEndpoint } from './auth/access.js'
export type { KeystoneIdentity, IssuedToken } from './auth/plugin.js'
export { findEndpoint } from './auth/catalog.js'
export { staticToken } from './auth/static.js'
export type { AuthProvider, AuthCallOptions, AuthStrategy, EndpointFilter, StrategyContext } from './auth/types.js'
export { memoryStore } from './stores/memory.js'
export { webStorageStore, type WebStorageLike, type WebStorageStoreOptions } from './stores/web-storage.js'
export type { CredentialStore, StoredAuthState } from './stores/types.js'
export * from './errors.js'
export { PagePromise, offsetFromNextLink } from './paginate.js'
export type { Page, ToArrayOptions } from './paginate.js'
export type { RequestOptions, RetryPolicy, FetchLike } from './transport.js'
export type * from './types.js'
export { VERSION } from './version.js'

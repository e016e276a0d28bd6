export type { CredentialStore, StoredAuthState } from './types.js'
export { memoryStore } from './memory.js'
export { webStorageStore, type WebStorageLike, type WebStorageStoreOptions } from './web-storage.js'

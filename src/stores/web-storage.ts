import type { CredentialStore, StoredAuthState } from './types.js'

/** The part of the Web Storage API we use: `localStorage`, `sessionStorage`, or anything shaped like them. */
export interface WebStorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export interface WebStorageStoreOptions {
  /** Prepended to every key. Default `monasca-client:`. */
  prefix?: string
}

/**
 * Keeps token state in `localStorage` (shared by the origin's tabs, survives restarts) or
 * `sessionStorage` (this tab only). Any script on the page can read it: an XSS hole leaks the
 * token, so prefer sessionStorage, a short token life, and wrap it in encryptedStore for data at rest.
 * An unreadable entry reads as missing and is removed.
 */
export function webStorageStore<T = StoredAuthState>(storage: WebStorageLike, options: WebStorageStoreOptions = {}): CredentialStore<T> {
  const prefix = options.prefix ?? 'monasca-client:'
  return {
    get: (key) => {
      const text = storage.getItem(prefix + key)
      if (text === null) return undefined
      try {
        return JSON.parse(text) as T
      } catch {
        storage.removeItem(prefix + key)
        return undefined
      }
    },
    set: (key, value) => storage.setItem(prefix + key, JSON.stringify(value)),
    delete: (key) => storage.removeItem(prefix + key),
  }
}

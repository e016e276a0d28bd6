import type { CredentialStore, StoredAuthState } from './types.js'

/** The default store: a Map in this process or page, gone on reload. Values are copied in and out. */
export function memoryStore<T = StoredAuthState>(): CredentialStore<T> {
  const entries = new Map<string, string>()
  return {
    get: (key) => {
      const text = entries.get(key)
      return text === undefined ? undefined : (JSON.parse(text) as T)
    },
    set: (key, value) => {
      entries.set(key, JSON.stringify(value))
    },
    delete: (key) => {
      entries.delete(key)
    },
  }
}

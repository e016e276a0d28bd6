/** Checks what comes back from a store: anything unexpected reads as "nothing stored". */
import type { StoredAuthState } from './types.js'

export function parseStoredState(value: unknown, key: string): StoredAuthState | undefined {
  if (!value || typeof value !== 'object') return undefined
  const v = value as Record<string, unknown>
  const ok =
    v.v === 1 &&
    v.key === key &&
    typeof v.token === 'string' &&
    v.token !== '' &&
    typeof v.body === 'object' &&
    v.body !== null &&
    (v.expiresAt === null || (typeof v.expiresAt === 'string' && Number.isFinite(Date.parse(v.expiresAt)))) &&
    typeof v.skewMs === 'number' &&
    Number.isFinite(v.skewMs) &&
    typeof v.storedAt === 'number'
  return ok ? (value as StoredAuthState) : undefined
}

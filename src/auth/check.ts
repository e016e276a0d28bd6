import { MonascaValidationError } from '../errors.js'
import type { AuthProvider } from './types.js'

/** The provider behind a session option: checked for the two methods the transport calls. */
export function checkSession(session: unknown): AuthProvider {
  const s = session as Partial<AuthProvider> | null
  if (!s || typeof s.getToken !== 'function' || typeof s.invalidate !== 'function') {
    throw new MonascaValidationError('session', 'must be a Session (or an object with getToken and invalidate)')
  }
  return s as AuthProvider
}

import type { AuthProvider } from './types.js'

/** A fixed token and no Keystone (keystoneauth's `token_endpoint.Token`): never refreshed, a 401 is final. */
export function staticToken(token: string | undefined): AuthProvider {
  // Returned as is, not as a promise: the transport awaits nothing for a token it already has.
  return {
    getToken: () => token,
    invalidate: () => false,
  }
}

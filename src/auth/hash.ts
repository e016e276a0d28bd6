/** SHA-256 with WebCrypto (browsers, Node ≥ 20, Deno, Bun): no Node built-ins. */

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
}

export function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** JSON with object keys sorted at every level, so equal identities hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** The store key of an identity: base64url SHA-256 of its canonical JSON. */
export async function identityKey(identity: Record<string, unknown>): Promise<string> {
  return base64url(await sha256(canonicalJson(identity)))
}

/** PBKDF2 rounds for secretVerifier: slow enough that a store key does not help guess a password. */
const VERIFIER_ITERATIONS = 100_000

/**
 * A slow one-way digest of a password or secret (PBKDF2-SHA-256, salted with the rest of the
 * identity). It goes into the store key so that a stored token is only reused by someone who knows
 * the same secret (keystoneauth's get_cache_id hashes the password for the same reason), while the
 * key itself never lets anyone test password guesses quickly.
 */
export async function secretVerifier(secret: string, salt: Record<string, unknown>): Promise<string> {
  const encoder = new TextEncoder()
  const material = await globalThis.crypto.subtle.importKey('raw', encoder.encode(secret), 'PBKDF2', false, ['deriveBits'])
  const bits = await globalThis.crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: encoder.encode(`monasca-client:${canonicalJson(salt)}`), iterations: VERIFIER_ITERATIONS },
    material,
    256,
  )
  return base64url(new Uint8Array(bits))
}

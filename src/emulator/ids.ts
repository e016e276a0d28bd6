/** Identifiers made with WebCrypto only (the emulator runs in browsers too). */

export const uuid = (): string => crypto.randomUUID()

/** Keystone-style id: 32 lower-case hex digits. */
export const hexId = (): string => crypto.randomUUID().replace(/-/g, '')

/** A stable 32-hex id for a name (FNV-1a, four rounds), so default users and projects keep their ids. */
export function stableHexId(name: string): string {
  let out = ''
  for (let round = 0; round < 4; round++) {
    let h = (0x811c9dc5 ^ Math.imul(round + 1, 0x9e3779b1)) >>> 0
    for (const ch of `${round}:${name}`) {
      h ^= ch.codePointAt(0)!
      h = Math.imul(h, 0x01000193) >>> 0
    }
    out += h.toString(16).padStart(8, '0')
  }
  return out
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** A Fernet-looking opaque token (183 characters, like a project-scoped Fernet token). */
export function fernetLikeToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(176))
  let out = 'gAAAAAB'
  for (const b of bytes) out += B64URL[b & 63]
  return out
}

/** keystone audit id: 22 url-safe base64 characters. */
export function auditId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22))
  let out = ''
  for (const b of bytes) out += B64URL[b & 63]
  return out
}

export const requestId = (): string => `req-${crypto.randomUUID()}`

/**
 * monasca-client/encrypted: a CredentialStore that encrypts what it hands to another store, as a
 * compact JWE (`dir` + `A256GCM`, jose). It protects token state at rest (a copied localStorage or
 * file is useless without the key); it does not protect against script running in the page (XSS),
 * which can use the key as well as the SDK can.
 */
import { CompactEncrypt, compactDecrypt } from 'jose'
import type { CredentialStore, StoredAuthState } from './types.js'

/** What the inner store holds: only ciphertext. */
export interface EncryptedEntry {
  v: 1
  jwe: string
}

/** An AES-GCM CryptoKey of 256 bits (best: generated non-extractable), or its 32 raw bytes. */
export type EncryptionKey = CryptoKey | Uint8Array

export function encryptedStore(inner: CredentialStore<unknown>, key: EncryptionKey): CredentialStore {
  if (key instanceof Uint8Array && key.length !== 32) throw new TypeError('encryptedStore: a raw key must be 32 bytes (A256GCM)')
  const encoder = new TextEncoder()
  const decoder = new TextDecoder()
  return {
    async get(storeKey: string): Promise<StoredAuthState | undefined> {
      const entry = await inner.get(storeKey)
      if (!entry || typeof entry !== 'object' || typeof (entry as EncryptedEntry).jwe !== 'string') return undefined
      try {
        const { plaintext, protectedHeader } = await compactDecrypt((entry as EncryptedEntry).jwe, key)
        // The store key is in the authenticated header: an entry moved under another key is foreign.
        if (protectedHeader.alg !== 'dir' || protectedHeader.enc !== 'A256GCM' || protectedHeader.ctx !== storeKey) return undefined
        return JSON.parse(decoder.decode(plaintext)) as StoredAuthState
      } catch {
        // Tampered, truncated, or written with another key: read as nothing stored.
        return undefined
      }
    },
    async set(storeKey: string, value: StoredAuthState): Promise<void> {
      const jwe = await new CompactEncrypt(encoder.encode(JSON.stringify(value)))
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', ctx: storeKey })
        .encrypt(key)
      await inner.set(storeKey, { v: 1, jwe } satisfies EncryptedEntry)
    },
    async delete(storeKey: string): Promise<void> {
      await inner.delete(storeKey)
    },
  }
}

/** A fresh non-extractable AES-256-GCM key for encryptedStore (WebCrypto). */
export function generateStoreKey(): Promise<CryptoKey> {
  return globalThis.crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
}

export type { CredentialStore, StoredAuthState } from './types.js'

/** A CredentialStore on disk for Node CLIs and servers: one JSON file per identity, mode 0600. */
import { mkdir, readFile, rename, rm, writeFile, chmod } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { CredentialStore, StoredAuthState } from '../stores/types.js'

/** `$XDG_CACHE_HOME/monasca-client`, else `~/.cache/monasca-client`. */
export function defaultCacheDirectory(): string {
  const xdg = process.env.XDG_CACHE_HOME
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'monasca-client')
}

/**
 * Token state in `<directory>/<key>.json` (directory 0700, files 0600, written atomically). An
 * unreadable file reads as nothing stored. Store keys are base64url hashes: safe as file names.
 */
export function fileStore(directory: string = defaultCacheDirectory()): CredentialStore {
  const fileOf = (key: string) => {
    if (!/^[A-Za-z0-9_-]+$/.test(key)) throw new TypeError('fileStore: unexpected store key')
    return join(directory, `${key}.json`)
  }
  return {
    async get(key: string): Promise<StoredAuthState | undefined> {
      try {
        return JSON.parse(await readFile(fileOf(key), 'utf8')) as StoredAuthState
      } catch {
        return undefined
      }
    },
    async set(key: string, value: StoredAuthState): Promise<void> {
      await mkdir(directory, { recursive: true, mode: 0o700 })
      const file = fileOf(key)
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`
      await writeFile(temporary, JSON.stringify(value), { mode: 0o600 })
      await chmod(temporary, 0o600) // the umask may have narrowed it further, never widened: make it exact
      await rename(temporary, file)
    },
    async delete(key: string): Promise<void> {
      await rm(fileOf(key), { force: true })
    },
  }
}

import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir, homedir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Session, identity } from '../../src/auth/index.js'
import { defaultCacheDirectory, fileStore } from '../../src/node/index.js'
import { fakeKeystone } from '../auth/fake-keystone.js'

const auth = () => new identity.Password({ authUrl: 'http://keystone.test', username: 'alice', password: 'correct-horse', projectName: 'demo' })
let directory: string

beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), 'monasca-file-store-')), 'cache')
})
afterEach(async () => {
  await rm(join(directory, '..'), { recursive: true, force: true })
  vi.unstubAllEnvs()
})

describe('fileStore', () => {
  it('writes one file per identity with mode 0600 in a 0700 directory, and a new process reuses it', async () => {
    const keystone = fakeKeystone()
    const session = new Session({ auth: auth(), store: fileStore(directory), fetch: keystone.fetch })
    await session.getToken()
    const file = join(directory, `${await session.storeKey()}.json`)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect((await stat(directory)).mode & 0o777).toBe(0o700)
    expect(await readdir(directory)).toEqual([`${await session.storeKey()}.json`])
    const next = new Session({ auth: auth(), store: fileStore(directory), fetch: keystone.fetch })
    expect(await next.getToken()).toBe('tok-1')
    expect(keystone.requests).toHaveLength(1)
  })

  it('a corrupt file is ignored and replaced', async () => {
    const keystone = fakeKeystone()
    const session = new Session({ auth: auth(), store: fileStore(directory), fetch: keystone.fetch })
    await session.getToken()
    const file = join(directory, `${await session.storeKey()}.json`)
    await writeFile(file, '\u0000garbage{')
    const next = new Session({ auth: auth(), store: fileStore(directory), fetch: keystone.fetch })
    expect(await next.getToken()).toBe('tok-2')
    expect(JSON.parse(await readFile(file, 'utf8')).token).toBe('tok-2')
  })

  it('defaults to $XDG_CACHE_HOME/monasca-client, else ~/.cache/monasca-client', () => {
    vi.stubEnv('XDG_CACHE_HOME', '/tmp/xdg-test')
    expect(defaultCacheDirectory()).toBe('/tmp/xdg-test/monasca-client')
    vi.stubEnv('XDG_CACHE_HOME', '')
    expect(defaultCacheDirectory()).toBe(join(homedir(), '.cache', 'monasca-client'))
  })

  it('refuses keys that are not store hashes (no path tricks)', async () => {
    await expect(fileStore(directory).set('../evil', {} as never)).rejects.toThrow(/unexpected store key/)
  })
})

// Keystone's jws token provider (ES256-signed JWT tokens): this suite starts its own instance with
// scripts/keystone.sh on 127.0.0.1:5002 and stops it afterwards.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { KeystoneAuthError, Session, identity } from '../../src/index.js'
import { describeWithSystemPart } from '../helpers/env.js'
import { ADMIN } from './helpers.js'

const root = resolve(import.meta.dirname, '../..')
const run = promisify(execFile)
const JWS_KEYSTONE = 'http://127.0.0.1:5002'
const env = { ...process.env, KS_DIR: '/var/lib/monasca-client-keystone-jws', KS_PORT: '5002', KS_TOKEN_PROVIDER: 'jws' }
const installed = existsSync('/usr/bin/keystone-manage') && existsSync('/usr/bin/uwsgi') && process.getuid?.() === 0

describeWithSystemPart('Keystone (jws tokens)', installed, () => {
  beforeAll(async () => {
    await run('bash', [resolve(root, 'scripts/keystone.sh'), 'start'], { env, timeout: 170_000 })
  }, 180_000)
  afterAll(async () => {
    await run('bash', [resolve(root, 'scripts/keystone.sh'), 'stop'], { env, timeout: 60_000 })
  }, 60_000)

  it('a JWS token: its exp agrees with expires_at, it validates, rescopes and is refused once revoked', async () => {
    const session = new Session({
      auth: new identity.Password({ authUrl: JWS_KEYSTONE, username: ADMIN.username, password: ADMIN.password, projectName: ADMIN.projectName }),
    })
    const access = await session.getAccess()
    expect(access.token.split('.')).toHaveLength(3)
    expect(decodeJwt(access.token).exp! * 1000).toBe(access.expiresAt!.getTime())

    const validated = new Session({ auth: new identity.Token({ authUrl: JWS_KEYSTONE, token: access.token }) })
    expect((await validated.getAccess()).projectName).toBe(ADMIN.projectName)
    const rescoped = new Session({ auth: new identity.Token({ authUrl: JWS_KEYSTONE, token: access.token, projectName: ADMIN.projectName }) })
    const rescopedAccess = await rescoped.getAccess()
    expect(rescopedAccess.token).not.toBe(access.token)
    expect(rescopedAccess.expiresAt!.getTime()).toBe(access.expiresAt!.getTime())

    await session.revoke()
    const error = await new Session({ auth: new identity.Token({ authUrl: JWS_KEYSTONE, token: access.token }) }).getToken().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeystoneAuthError)
    // The jws provider's messages quote the token they refuse: it must not reach the error.
    expect(JSON.stringify(error)).not.toContain(access.token)
    expect((error as Error).message).not.toContain(access.token)
  })
})

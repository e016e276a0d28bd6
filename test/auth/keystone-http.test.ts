import { describe, expect, it, vi } from 'vitest'
import { Session, identity } from '../../src/auth/index.js'
import { BadRequestError, MonascaAbortError, MonascaConnectionError, MonascaTimeoutError, InternalServerError } from '../../src/errors.js'

const password = 'pa"ss\\word-with-quotes'
const session = (fetch: typeof globalThis.fetch, timeout?: number) =>
  new Session({ auth: new identity.Password({ authUrl: 'http://keystone.test', userId: 'u1', password }), fetch, ...(timeout ? { timeout } : {}) })

const hanging: typeof fetch = (_input, init) =>
  new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))

describe('Keystone HTTP failures', () => {
  it('a Keystone that does not answer in time is a MonascaTimeoutError', async () => {
    const error = await session(hanging, 50).getToken().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MonascaTimeoutError)
    expect((error as MonascaTimeoutError).url).toBe('http://keystone.test/v3/auth/tokens')
  })

  it('an unreachable Keystone is a MonascaConnectionError whose cause is fetch’s error', async () => {
    const refused = new TypeError('fetch failed')
    const error = await session(async () => Promise.reject(refused)).getToken().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MonascaConnectionError)
    expect(error).not.toBeInstanceOf(MonascaTimeoutError)
    expect((error as Error).cause).toBe(refused)
  })

  it('a caller that gives up while Keystone is slow gets a MonascaAbortError', async () => {
    const controller = new AbortController()
    const pending = session(hanging).getToken({ signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toBeInstanceOf(MonascaAbortError)
  })

  it('Keystone’s 400 echoing the request body never brings the password along (raw or JSON-escaped)', async () => {
    const echo: typeof fetch = async (_input, init) =>
      new Response(
        JSON.stringify({ error: { code: 400, title: 'Bad Request', message: `Invalid input for field: ${String(init?.body)}` } }),
        { status: 400, headers: { 'Content-Type': 'application/json', 'x-openstack-request-id': 'req-9' } },
      )
    const error = (await session(echo).getToken().catch((e: unknown) => e)) as BadRequestError
    expect(error).toBeInstanceOf(BadRequestError)
    expect(error.requestId).toBe('req-9')
    expect(error.description).toContain('[REDACTED]')
    const escaped = JSON.stringify(password).slice(1, -1)
    for (const text of [error.message, error.description ?? '', JSON.stringify(error)]) {
      expect(text).not.toContain(password)
      expect(text).not.toContain(escaped)
    }
  })

  it('a 5xx with a text body keeps the text as description', async () => {
    const broken: typeof fetch = async () => new Response('Internal boom', { status: 503, headers: { 'Content-Type': 'text/plain' } })
    const error = (await session(broken).getToken().catch((e: unknown) => e)) as InternalServerError
    expect(error).toBeInstanceOf(InternalServerError)
    expect(error.status).toBe(503)
    expect(error.description).toBe('Internal boom')
  })

  it('uses globalThis.fetch at call time when none is injected', async () => {
    const stub = vi.fn(async () => new Response('{}', { status: 500 }))
    const lateBound = new Session({ auth: new identity.Password({ authUrl: 'http://keystone.test', userId: 'u1', password }) })
    vi.stubGlobal('fetch', stub)
    try {
      await lateBound.getToken().catch(() => undefined)
    } finally {
      vi.unstubAllGlobals()
    }
    expect(stub).toHaveBeenCalledTimes(1)
  })
})

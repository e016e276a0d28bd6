/** The router and its table: routes carry their handlers; 404/405 come from the table itself. */
import { describe, expect, it } from 'vitest'
import { HttpError } from '../../src/emulator/http.js'
import { createEmulator } from '../../src/emulator/index.js'
import { RequestLog, redactBody } from '../../src/emulator/request-log.js'
import { Router } from '../../src/emulator/router.js'
import { harness } from './helpers.js'

describe('Router', () => {
  const router = new Router<string>([
    { path: '/things/count', handlers: { GET: () => new Response('count') } },
    { path: '/things/{id}', handlers: { GET: (ctx, { id }) => new Response(`${ctx}:${id}`), DELETE: () => new Response(null, { status: 204 }) } },
    { path: '/mount', prefix: true, handlers: {}, any: () => new Response('mounted') },
  ])

  it('tries routes in order, so a literal path wins over a placeholder', async () => {
    expect(await (await Router.call(router.match('GET', '/things/count'), 'c')).text()).toBe('count')
    expect(await (await Router.call(router.match('GET', '/things/a%2Fb'), 'c')).text()).toBe('c:a/b')
  })

  it('leaves a broken percent-encoding as sent instead of throwing', () => {
    expect(router.match('GET', '/things/%E0%A4%A')!.params).toEqual({ id: '%E0%A4%A' })
  })

  it('answers 404 for no route and 405 with Allow for an unrouted method', async () => {
    const missing = await Router.call(router.match('GET', '/nothing'), 'c').catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(HttpError)
    expect((missing as HttpError).status).toBe(404)
    const wrong = (await Router.call(router.match('PUT', '/things/x'), 'c').catch((e: unknown) => e)) as HttpError
    expect(wrong.status).toBe(405)
    expect(wrong.headers.Allow).toBe('GET, DELETE')
  })

  it('a prefix route takes its path and everything under it, not lookalikes', () => {
    expect(router.match('POST', '/mount')?.route.path).toBe('/mount')
    expect(router.match('POST', '/mount/a/b')?.route.path).toBe('/mount')
    expect(router.match('POST', '/mountain')).toBeUndefined()
  })
})

describe('the emulator’s table', () => {
  it('answers every documented method of every path, and 405 with the table’s Allow otherwise', async () => {
    const h = harness()
    const cases: Array<[string, string, number]> = [
      ['DELETE', '/v2.0/metrics', 405],
      ['POST', '/v2.0/alarms', 405],
      ['HEAD', '/v2.0/alarms', 405],
      ['PUT', '/v2.0/alarm-definitions', 400],
      ['GET', '/v2.0/alarms/count', 200],
      ['GET', '/v2.0/alarms/nope', 404],
      ['GET', '/v2.0/alarms/nope/state-history', 200],
      ['GET', '/v2.0/notification-methods/types', 200],
      ['GET', '/v2.0/nothing/here', 404],
      ['GET', '/v7', 422],
      ['HEAD', '/healthcheck', 204],
    ]
    for (const [method, path, status] of cases) expect((await h.call(method, path)).status, `${method} ${path}`).toBe(status)
    expect((await h.call('DELETE', '/v2.0/metrics')).headers.get('allow')).toBe('GET, POST')
  })

  it('authenticates before routing: an unknown path without a token is a 401, the health check and Keystone need none', async () => {
    const h = harness()
    expect((await h.call('GET', '/v2.0/nothing', { token: null })).status).toBe(401)
    expect((await h.call('GET', '/healthcheck', { token: null })).status).toBe(200)
    expect((await h.call('GET', '/v3', { token: null })).status).toBe(200)
  })
})

describe('the request log', () => {
  it('keeps the last N, redacts credentials, and records a dropped connection as status 0', async () => {
    const seen: number[] = []
    const emulator = createEmulator({ tokens: { t: { projectId: 'p' } }, requestLogSize: 2, onRequest: (e) => seen.push(e.status) })
    const requests = emulator.requests
    await emulator.fetch('/v2.0/alarms', { headers: { 'X-Auth-Token': 't' } })
    await emulator.fetch('/v3/auth/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ auth: { identity: { password: { user: { password: 'hunter2' } } } } }) })
    emulator.failNext({ network: true })
    await emulator.fetch('/v2.0/alarms', { headers: { 'X-Auth-Token': 't' } }).catch(() => undefined)
    expect(emulator.requests).toBe(requests)
    expect(requests).toHaveLength(2)
    expect(requests.map((r) => [r.service, r.status])).toEqual([['keystone', 400], ['monasca', 0]])
    expect(JSON.stringify(requests)).not.toContain('hunter2')
    expect(requests[1]!.headers['x-auth-token']).toBe('<redacted>')
    expect(seen).toEqual([200, 400, 0])
    emulator.clearRequests()
    expect(requests).toHaveLength(0)
  })

  it('redacts by pattern what is not JSON, and JSON nested past the stack', () => {
    expect(redactBody('password=hunter2&user=a')).toBe('password="<redacted>"&user=a')
    const deep = `{"password":"hunter2","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
    expect(redactBody(deep)).not.toContain('hunter2')
    expect(new RequestLog(0).wanted).toBe(false)
  })
})

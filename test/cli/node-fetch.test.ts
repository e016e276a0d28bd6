import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeFetch } from '../../src/node/node-fetch.js'

let server: Server
let base: string

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      if (req.url === '/empty') {
        res.writeHead(204, { 'x-openstack-request-id': 'req-9' })
        return res.end()
      }
      if (req.url === '/slow') return setTimeout(() => res.end('late'), 2000)
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/echo?from=moved' })
        return res.end()
      }
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] })
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('createNodeFetch', () => {
  const fetch = createNodeFetch()

  it('sends method, headers and body, and returns a web Response with status, headers and url', async () => {
    const response = await fetch(`${base}/echo?a=1`, {
      method: 'POST',
      headers: new Headers({ 'Content-Type': 'application/json', 'X-Auth-Token': 'tok' }),
      body: JSON.stringify({ x: 'ñ' }),
    })
    expect(response).toBeInstanceOf(Response)
    expect(response.status).toBe(200)
    expect(response.url).toBe(`${base}/echo?a=1`)
    const echoed = await response.json()
    expect(echoed).toMatchObject({ method: 'POST', url: '/echo?a=1', body: '{"x":"ñ"}' })
    expect(echoed.headers['content-type']).toBe('application/json')
    expect(echoed.headers['x-auth-token']).toBe('tok')
    expect(echoed.headers['content-length']).toBe(String(Buffer.byteLength('{"x":"ñ"}')))
    expect(response.headers.get('set-cookie')).toContain('a=1')
  })

  it('takes a Request as input', async () => {
    const response = await fetch(new Request(`${base}/echo`, { method: 'PUT', body: 'abc', headers: { 'x-y': 'z' } }))
    expect(await response.json()).toMatchObject({ method: 'PUT', body: 'abc', headers: { 'x-y': 'z' } })
  })

  it('gives 204 a null body and keeps error statuses as responses', async () => {
    const empty = await fetch(`${base}/empty`)
    expect(empty.status).toBe(204)
    expect(empty.body).toBeNull()
    expect(empty.headers.get('x-openstack-request-id')).toBe('req-9')
    const missing = await fetch(`${base}/missing`)
    expect(missing.status).toBe(404)
    expect(missing.ok).toBe(false)
  })

  it('follows redirects', async () => {
    const response = await fetch(`${base}/moved`)
    expect(await response.json()).toMatchObject({ url: '/echo?from=moved' })
  })

  it('rejects with the abort reason when the signal fires', async () => {
    const controller = new AbortController()
    const pending = fetch(`${base}/slow`, { signal: controller.signal })
    setTimeout(() => controller.abort(new DOMException('stop', 'TimeoutError')), 20)
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' })
  })

  it('rejects like fetch (TypeError with a cause) when nothing listens', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const error = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError & { cause: { code: string } }).cause.code).toBe('ECONNREFUSED')
  })
})

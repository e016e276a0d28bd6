/**
 * A fetch on node:http / node:https for the CLI. Node's global fetch loads its HTTP stack on first
 * use (tens of milliseconds on Node 20), a lot for a command that makes one request. This one sends
 * the request with node:http and hands back a web Response; no keep-alive, no compression asked.
 */
import type { IncomingMessage, RequestOptions } from 'node:http'

export interface NodeFetchOptions {
  /** Skip TLS certificate verification (`--insecure`). */
  insecure?: boolean
  /** Extra CA certificates, PEM (`--os-cacert`). */
  ca?: string | Buffer
  /** Client certificate and key, PEM (`--os-cert`, `--os-key`). */
  cert?: string | Buffer
  key?: string | Buffer
  /** Redirects followed before giving up (fetch's default is 20). */
  maxRedirects?: number
  /**
   * Milliseconds to wait for a TLS handshake (default 10 000). A plain-HTTP server that waits for a
   * request line (uWSGI) never answers a TLS hello; without this limit https to it hangs until the
   * request's own timeout, with no word of TLS.
   */
  tlsHandshakeTimeout?: number
}

export type NodeFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

function headerPairs(headers: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  if (!headers) return out
  if (typeof (headers as Headers).forEach === 'function' && !Array.isArray(headers)) {
    ;(headers as Headers).forEach((value, key) => (out[key] = value))
  } else if (Array.isArray(headers)) {
    for (const [k, v] of headers as [string, string][]) out[k.toLowerCase()] = v
  } else {
    for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = String(v)
  }
  return out
}

async function bodyBytes(body: BodyInit | null | undefined): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string') return Buffer.from(body)
  if (body instanceof URLSearchParams) return Buffer.from(body.toString())
  if (body instanceof ArrayBuffer) return Buffer.from(body)
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  if (body instanceof Blob) return Buffer.from(await body.arrayBuffer())
  // Streams and FormData: let a Response read them into bytes.
  return Buffer.from(await new Response(body).arrayBuffer())
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError')
}

export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const maxRedirects = options.maxRedirects ?? 5

  return async function nodeFetch(input, init = {}) {
    let url: URL
    let method: string
    let headers: Record<string, string>
    let body: Buffer | undefined
    let signal: AbortSignal | null | undefined = init.signal
    if (typeof input === 'object' && 'method' in input && !(input instanceof URL)) {
      url = new URL(input.url)
      method = (init.method ?? input.method).toUpperCase()
      headers = { ...headerPairs(input.headers), ...headerPairs(init.headers) }
      body = await bodyBytes(init.body ?? (input.body ? await input.arrayBuffer() : undefined))
      signal ??= input.signal
    } else {
      url = new URL(String(input))
      method = (init.method ?? 'GET').toUpperCase()
      headers = headerPairs(init.headers)
      body = await bodyBytes(init.body)
    }

    for (let redirects = 0; ; redirects++) {
      const response = await send(url, method, headers, body, signal ?? undefined, options)
      const location = response.headers.location
      if (response.statusCode && [301, 302, 303, 307, 308].includes(response.statusCode) && location && init.redirect !== 'manual') {
        response.resume()
        if (init.redirect === 'error') throw new TypeError('fetch failed', { cause: new Error(`redirect to ${location}`) })
        if (redirects >= maxRedirects) throw new TypeError('fetch failed', { cause: new Error('too many redirects') })
        const next = new URL(location, url)
        if (response.statusCode === 303 || ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')) {
          method = 'GET'
          body = undefined
          delete headers['content-type']
          delete headers['content-length']
        }
        if (next.origin !== url.origin) delete headers['x-auth-token']
        url = next
        continue
      }
      return toResponse(response, url, signal ?? undefined)
    }
  }
}

async function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  signal: AbortSignal | undefined,
  options: NodeFetchOptions,
): Promise<IncomingMessage> {
  if (signal?.aborted) throw abortReason(signal)
  const isHttps = url.protocol === 'https:'
  if (!isHttps && url.protocol !== 'http:') throw new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${url.protocol}`) })
  const transport = isHttps ? await import('node:https') : await import('node:http')
  const requestOptions: RequestOptions & { rejectUnauthorized?: boolean; ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer } = {
    method,
    headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) },
    agent: false,
  }
  if (isHttps && options.insecure) requestOptions.rejectUnauthorized = false
  if (isHttps && options.ca) requestOptions.ca = options.ca
  if (isHttps && options.cert) requestOptions.cert = options.cert
  if (isHttps && options.key) requestOptions.key = options.key
  return new Promise<IncomingMessage>((resolve, reject) => {
    const request = transport.request(url, requestOptions, resolve)
    if (isHttps) {
      request.once('socket', (socket) => {
        const limit = options.tlsHandshakeTimeout ?? 10_000
        const timer = setTimeout(() => {
          const error = new Error(`no TLS handshake with ${url.host} within ${limit / 1000} s (does the server speak TLS there?)`)
          request.destroy(Object.assign(error, { code: 'ETLSHANDSHAKE' }))
        }, limit)
        socket.once('secureConnect', () => clearTimeout(timer))
        socket.once('close', () => clearTimeout(timer))
      })
    }
    const onAbort = () => request.destroy(abortReason(signal!) as Error)
    signal?.addEventListener('abort', onAbort, { once: true })
    request.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort)
      reject(signal?.aborted ? abortReason(signal) : new TypeError('fetch failed', { cause: error }))
    })
    request.on('response', () => signal?.removeEventListener('abort', onAbort))
    request.end(body)
  })
}

async function toResponse(message: IncomingMessage, url: URL, signal: AbortSignal | undefined): Promise<Response> {
  const chunks: Buffer[] = []
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => message.destroy(abortReason(signal!) as Error)
    signal?.addEventListener('abort', onAbort, { once: true })
    message.on('data', (chunk: Buffer) => chunks.push(chunk))
    message.on('end', () => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    })
    message.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort)
      reject(signal?.aborted ? abortReason(signal) : new TypeError('fetch failed', { cause: error }))
    })
  })
  const headers = new Headers()
  for (let i = 0; i < message.rawHeaders.length; i += 2) headers.append(message.rawHeaders[i]!, message.rawHeaders[i + 1]!)
  const status = message.statusCode ?? 0
  const nullBody = status === 204 || status === 205 || status === 304 || status < 200
  const response = new Response(nullBody ? null : Buffer.concat(chunks), { status: status < 200 ? 200 : status, statusText: message.statusMessage ?? '', headers })
  Object.defineProperty(response, 'url', { value: url.href })
  return response
}

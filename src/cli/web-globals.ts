/**
 * Small stand-ins for the web `Headers`, `Response` and `FormData` globals, for the `monasca` bin only.
 *
 * Node 20 defines those globals as lazy getters that load undici, its fetch stack, on first touch:
 * ~30–50 ms of a command that takes ~100. The CLI never uses undici (requests go through node:http,
 * src/node/node-fetch.ts), yet the wire's ofetch builds a `Headers` for every request and node-fetch
 * hands back a `Response`. So, before the CLI loads, the bin puts these
 * classes where the lazy getters were (only where undici has not been loaded yet, never over a real
 * one). They do what the SDK, ofetch and node-fetch need: case-insensitive headers with append and
 * iteration, a buffered response body read once as text, JSON or bytes. `FormData` only has to exist
 * (ofetch asks `body instanceof FormData`); the CLI never sends a form.
 */

const lower = (name: string) => String(name).toLowerCase()

export class LightHeaders {
  readonly #map = new Map<string, string[]>()

  constructor(init?: unknown) {
    if (init === undefined || init === null) return
    if (typeof (init as { forEach?: unknown }).forEach === 'function' && !Array.isArray(init)) {
      ;(init as { forEach(cb: (value: string, key: string) => void): void }).forEach((value, key) => this.append(key, value))
    } else if (typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const pair of init as Iterable<[string, string]>) this.append(pair[0], pair[1])
    } else {
      for (const [key, value] of Object.entries(init as Record<string, unknown>)) this.append(key, String(value))
    }
  }

  append(name: string, value: string): void {
    const key = lower(name)
    const values = this.#map.get(key)
    if (values) values.push(String(value))
    else this.#map.set(key, [String(value)])
  }
  set(name: string, value: string): void {
    this.#map.set(lower(name), [String(value)])
  }
  get(name: string): string | null {
    return this.#map.get(lower(name))?.join(', ') ?? null
  }
  has(name: string): boolean {
    return this.#map.has(lower(name))
  }
  delete(name: string): void {
    this.#map.delete(lower(name))
  }
  getSetCookie(): string[] {
    return [...(this.#map.get('set-cookie') ?? [])]
  }
  forEach(callback: (value: string, key: string, parent: LightHeaders) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this)
  }
  *entries(): IterableIterator<[string, string]> {
    for (const key of [...this.#map.keys()].sort()) yield [key, this.get(key)!]
  }
  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key
  }
  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries()
  }
  get [Symbol.toStringTag]() {
    return 'Headers'
  }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function bytesOf(body: unknown): Uint8Array | null {
  if (body === undefined || body === null) return null
  if (typeof body === 'string') return encoder.encode(body)
  if (body instanceof Uint8Array) return body
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
  if (body instanceof URLSearchParams) return encoder.encode(body.toString())
  throw new TypeError('this CLI build reads only string and byte bodies')
}

export class LightResponse {
  readonly status: number
  readonly statusText: string
  readonly headers: LightHeaders
  readonly type = 'default'
  readonly redirected = false
  url = ''
  readonly #bytes: Uint8Array | null
  #used = false

  constructor(body?: unknown, init: { status?: number; statusText?: string; headers?: unknown } = {}) {
    this.#bytes = bytesOf(body)
    this.status = init.status ?? 200
    this.statusText = init.statusText ?? ''
    this.headers = init.headers instanceof LightHeaders ? init.headers : new LightHeaders(init.headers)
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300
  }
  get bodyUsed(): boolean {
    return this.#used
  }
  /** Truthy when there is a body (ofetch's test); a real stream only if someone reads it as one. */
  get body(): { locked: boolean; cancel(): Promise<void>; getReader(): ReadableStreamDefaultReader<Uint8Array> } | null {
    const bytes = this.#bytes
    if (bytes === null) return null
    return {
      locked: false,
      cancel: async () => void (this.#used = true),
      getReader: () => {
        this.#used = true
        return new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(bytes), c.close()) }).getReader()
      },
    }
  }
  #take(): Uint8Array {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read')
    this.#used = true
    return this.#bytes ?? new Uint8Array(0)
  }
  async text(): Promise<string> {
    return decoder.decode(this.#take())
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text())
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#take()
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  }
  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.arrayBuffer())
  }
  clone(): LightResponse {
    if (this.#used) throw new TypeError('Response.clone: Body has already been consumed.')
    const copy = new LightResponse(this.#bytes ? this.#bytes.slice() : null, { status: this.status, statusText: this.statusText, headers: new LightHeaders(this.headers) })
    copy.url = this.url
    return copy
  }
}

/** Nothing in the CLI sends a form; the class exists so `x instanceof FormData` is false without undici. */
export class LightFormData {}

/**
 * Puts the stand-ins in place of Node's lazy undici getters. A global already turned into a value
 * (undici loaded) is left alone. Returns the names replaced.
 */
export function installLightWebGlobals(target: typeof globalThis = globalThis): string[] {
  const replaced: string[] = []
  for (const [name, value] of [['Headers', LightHeaders], ['Response', LightResponse], ['FormData', LightFormData]] as const) {
    const descriptor = Object.getOwnPropertyDescriptor(target, name)
    if (descriptor && !descriptor.get) continue
    Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false })
    replaced.push(name)
  }
  return replaced
}

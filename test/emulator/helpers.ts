import { type Emulator, type EmulatorOptions, createEmulator } from '../../src/emulator/index.js'

export const BASE = 'http://monasca.test'
export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0)

export interface Harness {
  emulator: Emulator
  /** Move the emulator's clock. */
  clock: { now: number }
  call(method: string, path: string, options?: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<Reply>
  get(path: string, token?: string): Promise<Reply>
  post(path: string, body: unknown, token?: string): Promise<Reply>
}

export interface Reply {
  status: number
  body: any
  text: string
  headers: Headers
}

/**
 * An emulator with a fixed clock and static tokens:
 * `user` (project p1, monasca-user), `other` (p2), `admin` (p1, admin + monasca-user),
 * `reader` (p1, monasca-read-only-user), `agent` (p1, monasca-agent), `noroles` (p1, no role).
 */
export function harness(options: EmulatorOptions = {}): Harness {
  const clock = { now: T0 }
  const emulator = createEmulator({
    clock: () => clock.now,
    tokens: {
      user: { projectId: 'p1' },
      other: { projectId: 'p2' },
      admin: { projectId: 'p1', roles: ['admin', 'monasca-user'] },
      reader: { projectId: 'p1', roles: ['monasca-read-only-user'] },
      agent: { projectId: 'p1', roles: ['monasca-agent'] },
      noroles: { projectId: 'p1', roles: [] },
    },
    ...options,
  })
  const call: Harness['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) }
    const token = o.token === undefined ? 'user' : o.token
    if (token !== null) headers['X-Auth-Token'] = token
    let body: string | undefined = o.rawBody
    if (o.body !== undefined) {
      body = JSON.stringify(o.body)
      headers['Content-Type'] ??= 'application/json'
    }
    const response = await emulator.fetch(`${BASE}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) })
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = undefined
    }
    return { status: response.status, body: parsed, text, headers: response.headers }
  }
  return {
    emulator,
    clock,
    call,
    get: (path, token) => call('GET', path, token === undefined ? {} : { token }),
    post: (path, body, token) => call('POST', path, token === undefined ? { body } : { body, token }),
  }
}

/** `k:v,k2:v2` percent-encoded once, as the SDK sends it. */
export const q = (params: Record<string, string | number>) =>
  `?${Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&')}`

export function metric(name: string, dimensions: Record<string, string>, value: number, timestamp = T0, value_meta?: Record<string, unknown>) {
  return { name, dimensions, value, timestamp, ...(value_meta ? { value_meta } : {}) }
}

/**
 * The request log behind `emulator.requests` and `onRequest`: what each request asked and what it
 * was answered, with every credential redacted, the last N kept.
 */
import type { RequestLogEntry } from './types.js'

const SECRET_KEY = /password|secret/i
const TOKEN_HEADER = /^x-(auth|subject)-token$/i

/** A JSON body with passwords, secrets and `token.id` replaced; a form or text body by pattern. */
export function redactBody(text: string): string {
  try {
    const redact = (value: unknown, parentKey = ''): unknown => {
      if (Array.isArray(value)) return value.map((v) => redact(v, parentKey))
      if (value && typeof value === 'object') {
        return Object.fromEntries(
          Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) || (parentKey === 'token' && k === 'id') ? '<redacted>' : redact(v, k)]),
        )
      }
      return value
    }
    return JSON.stringify(redact(JSON.parse(text)))
  } catch {
    // Not JSON, or nested past the stack: redact by pattern.
    return text.replace(/("?(password|secret)"?\s*[:=]\s*)("[^"]*"|[^&\s,}]+)/gi, '$1"<redacted>"')
  }
}

function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((value, key) => {
    out[key] = TOKEN_HEADER.test(key) ? '<redacted>' : value
  })
  return out
}

export class RequestLog {
  /** The live array handed out as `emulator.requests` (cleared in place, never replaced). */
  readonly entries: RequestLogEntry[] = []

  constructor(
    private readonly size: number,
    private readonly listener?: (entry: RequestLogEntry) => void,
  ) {}

  /** Whether anyone reads the log: otherwise request bodies need not be copied. */
  get wanted(): boolean {
    return this.size > 0 || this.listener !== undefined
  }

  /** A copy of the body text for the log (before a handler consumes it), for methods that have one. */
  async bodyOf(request: Request): Promise<string | undefined> {
    if (!this.wanted || request.method === 'GET' || request.method === 'HEAD') return undefined
    return request.clone().text().catch(() => undefined)
  }

  record(request: Request, url: URL, bodyText: string | undefined, status: number, service: RequestLogEntry['service']): RequestLogEntry {
    const entry: RequestLogEntry = {
      method: request.method.toUpperCase(),
      url: request.url,
      path: url.pathname,
      headers: redactHeaders(request.headers),
      ...(bodyText ? { body: redactBody(bodyText) } : {}),
      status,
      service,
    }
    if (this.size > 0) {
      this.entries.push(entry)
      if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size)
    }
    this.listener?.(entry)
    return entry
  }

  clear(): void {
    this.entries.length = 0
  }
}

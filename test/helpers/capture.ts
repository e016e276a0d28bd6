/** A fetch stub that records every request and answers with a scripted response. */
export interface CapturedRequest {
  method: string
  url: string
  path: string
  /** Decoded query pairs, in order. */
  query: Array<[string, string]>
  /** The raw query string as sent (to check the encoding itself). */
  rawQuery: string
  headers: Headers
  body: unknown
  rawBody: string
}

export type Responder = (request: CapturedRequest, index: number) => Response | Promise<Response>

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })
}

export const emptyList = () => json({ links: [], elements: [] })

export function captureFetch(responder: Responder = () => emptyList()) {
  const calls: CapturedRequest[] = []
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    const rawBody = request.body ? await request.text() : ''
    const captured: CapturedRequest = {
      method: request.method,
      url: request.url,
      path: url.pathname,
      query: [...url.searchParams.entries()],
      rawQuery: url.search.replace(/^\?/, ''),
      headers: request.headers,
      body: rawBody ? JSON.parse(rawBody) : undefined,
      rawBody,
    }
    calls.push(captured)
    return responder(captured, calls.length - 1)
  }
  return { fetch, calls }
}

/**
 * The page of the pagehide test (bundled for Chromium by the test): a client on this origin whose
 * fetch marks each request with whether it was sent with `keepalive`, and a writer that holds
 * everything until the page goes away.
 */
import { createClient } from '../../src/index.js'

const client = createClient({
  endpoint: `${location.origin}/v2.0`,
  token: 'browser-token',
  fetch: (input, init) => {
    const headers = new Headers(init?.headers)
    headers.set('x-test-keepalive', String(init?.keepalive === true))
    return fetch(input, { ...init, headers })
  },
})
const writer = client.metrics.writer({
  flushInterval: 600_000,
  onPageHide: ({ sent, unsent }) => {
    localStorage.setItem('pagehide', JSON.stringify({ sent, unsent: unsent.map((m) => m.dimensions!.id) }))
  },
})

Object.assign(globalThis, {
  addMetrics(count: number, padding: number) {
    const metrics = Array.from({ length: count }, (_, i) => ({
      name: 'browser.metric',
      dimensions: { id: String(i) },
      timestamp: Date.now(),
      value: i,
      ...(padding > 0 ? { value_meta: { pad: 'x'.repeat(padding) } } : {}),
    }))
    return writer.add(metrics)
  },
  writerStats: () => writer.stats(),
})

/** The metrics writer: batching, backpressure, safe retries and an account of every metric. */
export { createWriter, type WriterTransport } from './writer.js'
export type * from './types.js'

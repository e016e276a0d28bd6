/** monasca-client/node: what needs Node built-ins. */
export { fileStore, defaultCacheDirectory } from './file-store.js'
export { spool, type SpoolOptions } from './spool.js'

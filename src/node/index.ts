/** monasca-client/node: what needs Node built-ins. */
export { fileStore, defaultCacheDirectory } from './file-store.js'

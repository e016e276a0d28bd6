/** monasca-client/node: what needs Node built-ins. */
export { fileStore, defaultCacheDirectory } from './file-store.js'
export { spool, type SpoolOptions } from './spool.js'
export { clientFromCloud, sessionFromCloud, identityFromCloud, cloudAuthKind, loadCloud, cloudsSearchPath, CloudConfigError, type CloudSettings, type CloudsSearch, type FromCloudOptions } from './clouds.js'

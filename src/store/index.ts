/** The library: graphs, weights, checkpoints, runs and settings in IndexedDB; files, bundles and links for sharing. */
export { openLibrary, deleteLibrary, currentDbVersion, defaultDbName, upgradeSteps, upgradeToV1, upgradeToV2, type Library, type OpenOptions, type Tx } from './db';
export { StoreError, isQuotaError, messages as storeMessages, type Outcome, type StoreErrorCode } from './errors';
export * from './graphs';
export * from './weights';
export * from './settings';
export * from './autosave';
export { graphLink, readGraphLink, hasGraphLink, maxLinkFragment } from './link';
export { writeBundle, readBundle, importBundle, bundleExtension, type BundleContents, type BundleRead, type WeightsManifest } from './bundle';
export { embedGraphInPng, graphFromPng, pngGraphKeyword } from './png';
export { exportGraphFile, fileNameFor, readDroppedFile, graphFileExtension, type DroppedFile } from './files';
export * from './warm-start';

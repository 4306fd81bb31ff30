/**
 * @funes/sync — move Funes caches between computers as verified bundles.
 *
 * `pack` streams a cache (or some of its functions) as a gzip tarball that starts
 * with a manifest; `unpack` checks such a bundle, untrusted, and merges it into a
 * cache. docs/sync.md describes the format and the guarantees.
 *
 * @packageDocumentation
 */
export { pack, type PackOptions, type BundleStream, type SkippedFile } from './pack.js';
export {
  unpack,
  readBundleManifest,
  DEFAULT_MAX_BYTES,
  type UnpackOptions,
  type UnpackMode,
  type UnpackSummary,
  type UnpackProblem,
  type Tally,
} from './unpack.js';
export type { BundleSource } from './bundle-reader.js';
export type { Progress } from './progress.js';
export {
  functionNameOf,
  objectBytes,
  type BundleManifest,
  type ManifestVersion,
  type ManifestObject,
  type ManifestFile,
} from './manifest.js';
export {
  BundleError,
  BundleFormatError,
  UnsafeEntryError,
  EntrySizeError,
  BundleTooLargeError,
  DuplicateEntryError,
  TruncatedBundleError,
  CacheChangedError,
  PackSelectionError,
} from './errors.js';

// S3-compatible remotes: configuration, push/pull, and live sharing for memorious (docs/remote.md).
export { push, pull, type TransferOptions, type TransferProgress, type TransferResult } from './remote/transfer.js';
export type { TransferPlan, PlannedFile } from './remote/transfer-plan.js';
export {
  addRemote,
  removeRemote,
  listRemotes,
  resolveRemote,
  type RemoteConfig,
  type ResolvedRemote,
} from './remote/remote-config.js';
export { isRemoteUrl, parseRemoteUrl, type ParsedRemoteUrl } from './remote/remote-url.js';
export { S3Remote, type RemoteEntry, type ConnectOptions, type ConditionalWritesVerdict } from './remote/s3-client.js';
export { probeRemote } from './remote/connect.js';
export { verifyRemote, type RemoteVerifyOptions, type RemoteVerifyResult } from './remote/verify-remote.js';
export { gcRemote, type RemoteGcOptions, type RemoteGcResult } from './remote/gc-remote.js';
// Opens the remote of memorious' `remote` option (core's optional peer dependency on this package).
export { openRemoteStore } from './remote/live-store.js';
export {
  RemoteError,
  RemoteConfigError,
  NoSuchRemoteError,
  RemoteExistsError,
  RemoteAuthError,
  RemoteUnreachableError,
  NoSuchBucketError,
  NotS3Error,
  RemoteRequestError,
  RemoteReadOnlyError,
  UnsignedObjectError,
} from './remote/errors.js';

/**
 * `@funes/core/internal`: what Funes' own packages (the CLI, @funes/sync, the ui) share
 * with core beyond `@funes/core/cache` — the store's layout and object format, atomic
 * files, and small helpers. Not for users: it follows the other packages, release by
 * release, with no compatibility promise.
 *
 * @packageDocumentation
 */
export { FUNES_VERSION } from './version.js';
export { projectCacheDir, prepareCacheDir } from './cache-location.js';
export {
  isHash,
  isFunctionDirName,
  isTempFile,
  parseCachePath,
  tempName,
  functionNameOfDir,
  METADATA_FILE,
} from './layout.js';
export {
  addressDefect,
  decodeObject,
  readHeader,
  checkHeader,
  isNewerFormat,
  sectionsCheck,
  Compression,
  HEADER_SIZE,
  HEADER_2_SIZE,
  type ObjectAddress,
  type SectionsCheck,
} from './object-format.js';
export {
  readObjectFile,
  readObjectListed,
  readObjectMetadata,
  writeFileAtomic,
  createFileAtomic,
  removeQuietly,
  type ListedObject,
} from './store.js';
export { acquireLockSync, inspectLock, DEFAULT_LEASE_MS } from './lock.js';
export { sha256Hex } from './sha256.js';
export { toJsonValue, type Json } from './json-value.js';
export {
  recordCells,
  recordRow,
  rowJson,
  csvField,
  csvLine,
  type ColumnGroup,
  type Row,
  type ExportFormat,
} from './record-rows.js';
export { nearestInputs } from './explain-miss.js';
export { definitionChanges } from './definition-changes.js';
export { listFailedVersions, listFailures, type FailedPoint } from './failure-record.js';
export {
  REMOTE_FAILURES_DIR,
  REMOTE_USED_DIR,
  remoteUseKey,
  remoteProjectMarker,
  parseRemoteUseKey,
  type RemoteUse,
} from './remote-store.js';
export { durationMs, DURATION_FORMS } from './duration.js';
export { editDistance } from './nearest-name.js';
export { makeDirectory } from './make-directory.js';
export { readRegularFile, NotRegularFileError } from './regular-file.js';
export { writeWhyAnswer } from './why-request.js';

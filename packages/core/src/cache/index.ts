/**
 * `@funes/core/cache`: a cache directory as tools see it — for the `funes` CLI and
 * `@funes/sync`, not for code that memorizes (that is `@funes/core`). Lists functions,
 * versions and entries with their sizes and times, decides which version of each
 * function is current (the one used most recently here), and maintains the
 * directory (sizes, verification, garbage collection, removal).
 *
 * @packageDocumentation
 */
export { markUsed, lastUsedMs, type ProjectUse } from './use-marker.js';
export {
  listCache,
  readVersion,
  identityOf,
  recencyMs,
  byRecentUse,
  currentVersions,
  type CachedVersion,
  type CacheListing,
} from './versions.js';
export {
  planGc,
  currentForProjects,
  versionSize,
  lastActivityMs,
  STALE_TEMP_MS,
  DEFAULT_GRACE_MS,
  GONE_PROJECT_HOLD_MS,
  type GcPolicy,
  type GcPlan,
  type InventoryVersion,
  type RemovalReason,
  type Size,
  type VersionRemoval,
} from './gc-plan.js';
export {
  parseSpec,
  specFunctionDir,
  versionsOf,
  matchVersions,
  selectVersions,
  resolveVersion,
  otherFunctionsNamed,
  selectCurrent,
  versionNamedByHash,
  resolveArgumentHash,
  MIN_PREFIX,
  SelectionError,
  type Spec,
  type VersionRef,
} from './select.js';
export {
  collectGarbage,
  removedVersionOf,
  sizeAfter,
  isProcessAlive,
  type GcOptions,
  type GcResult,
  type RemovedVersion,
  type CacheProblem,
  type ProgressFor,
} from './gc.js';
export { removeFile, removeVersionDir, leftoversIn, removeLeftover, isRemoving } from './remove.js';
export { planRemoval, removeVersions, type RemovalPlan, type PlannedRemoval } from './removal-plan.js';
export { verifyCache, type VerifyOptions, type VerifyProblem, type VerifyResult } from './verify.js';
export {
  readObjects,
  inThreadReader,
  OBJECT_BATCH,
  type ObjectReader,
  type ReadJob,
  type ObjectsRead,
  type ObjectProblem,
  type ReadDepth,
} from './read-objects.js';
export { diffMetadata, type DefinitionDiff, type DependencyChanges, type DiffFile } from './definition-diff.js';
export {
  VersionTallies,
  stampOf,
  TALLIES_FILE,
  type DirectoryStamp,
  type RecordedReads,
  type RecordedTally,
} from './version-tallies.js';
export {
  summarizeVersion,
  diskUsage,
  type VersionSummary,
  type DiskUsage,
  type FunctionUsage,
  type VersionUsage,
} from './usage.js';
export {
  listVersions,
  listEntries,
  scanVersion,
  tallyVersion,
  objectFileBatches,
  tempFilePid,
  diskBytesOf,
  type VersionLocation,
  type VersionContents,
  type VersionFiles,
  type ListedVersionFiles,
  type VersionTally,
  type ObjectTotals,
  type EntryStat,
  type TempFileStat,
  type LockFileStat,
} from '../cache-index.js';
export { readVersionMetadata, metadataDefect, type VersionMetadata, type MetadataResult } from '../version-metadata.js';
export { USED_FILE, METADATA_FILE, isProjectUsedFile } from '../layout.js';

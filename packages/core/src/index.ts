/**
 * @funes/core — memorize the results of expensive functions permanently on disk.
 *
 * @packageDocumentation
 */
export { memorious, describeDefinition, explainMiss, explainDefinition, type Memorious, type MemoriousDecorator } from './memorious.js';
export { nearestInputs, type MissExplanation, type NearEntry } from './explain-miss.js';
export { definitionChanges, type DefinitionChange, type ComparedDefinition } from './definition-changes.js';
export { loadCachedResults, openResults, type StoredRecord, type OutputOf, type ResultsOptions } from './load-cached-results.js';
export type { MemoriousOptions } from './options.js';
export type { Seed } from './seeding.js';
export type { CachedRecord } from './record.js';
export type { FunesEvent, CallEvent, WarningEvent, MissReason, EventListener } from './events.js';
export type { MemoriousStats } from './call-stats.js';
export { shard, shardPosition, type ShardOptions, type ShardPosition } from './shard.js';
export { flushRemoteWrites, type RemoteStore, type RemoteOption } from './remote-store.js';
export type { DefinitionDescription, Dependency, ConfigurationRead } from './definition/index.js';
export { funesKey } from './canonical-hash.js';
export { hashValue } from './argument-keys.js';
export { FunesError, NotSerializableError, UnhashableArgumentError, InvalidUsageError, LockTimeoutError, LeaseHeldError, NoLeaseError, SyncLockError, type LockHolder } from './errors.js';
export type { HeldLease, LeaseAttempt, LeaseHolder, LeaseRenewal } from './remote-lease.js';
export { CallFailedError, listFailures, type FailureRecord, type FailedPoint } from './failure-record.js';
export { FUNES_VERSION } from './version.js';
export { projectCacheDir, prepareCacheDir } from './cache-location.js';
export { editDistance } from './nearest-name.js';
export { unifiedDiff } from './unified-diff.js';
export { writeWhyAnswer } from './why-request.js';
export { sha256Hex } from './sha256.js';

// The store's layout and format, for tools that read a cache directory (the CLI, @funes/sync); the cache model is `@funes/core/cache`.
export { decodeRecord, type DecodedRecord, type RecordMetadata } from './record.js';
export {
  addressDefect,
  decodeObject,
  readHeader,
  checkHeader,
  sectionsCheck,
  Compression,
  HEADER_SIZE,
  HEADER_2_SIZE,
  type DecodedObject,
  type HeaderCheck,
  type ObjectAddress,
  type SectionsCheck,
} from './object-format.js';
export { readObjectFile, readObjectMetadata, writeFileAtomic, createFileAtomic, removeQuietly, type ReadResult } from './store.js';
export { isHash, isFunctionDirName, parseCachePath, type CachePath, isTempFile, tempName, isLockFile, functionDirName, functionNameOfDir, METADATA_FILE, TEMP_PREFIX, LOCK_PREFIX } from './layout.js';
export { inspectLock } from './lock.js';
export type { LockOwner } from './lock-owner.js';
export { toJsonValue, type Json } from './json-value.js';
export { recordCells, recordRow, rowJson, csvField, csvLine, SPREAD_ITEMS, type Cell, type ColumnGroup, type Row, type ExportFormat } from './record-rows.js';

/**
 * @funes/core — memorize the results of expensive functions permanently on disk.
 *
 * This is the API for code that memorizes (docs/api.md). Tools that maintain a cache
 * directory import `@funes/core/cache`; `@funes/core/internal` is shared by Funes' own
 * packages and is not for users.
 *
 * @packageDocumentation
 */
export { memorious } from './memorious.js';
export type { Memorious, Seeded } from './wrapper.js';
export type { MemoriousDecorator } from './decorator.js';
export type { MemoriousOptions } from './options.js';
export type { Seed } from './seeding.js';
export type { MemoriousStats } from './call-stats.js';
export { describeDefinition, explainMiss, explainDefinition } from './inspect.js';
export type { MissExplanation, NearEntry } from './explain-miss.js';
export type { DefinitionChange } from './definition-changes.js';
export type {
  DefinitionDescription,
  Dependency,
  ConfigurationRead,
  ConfiguredPath,
  ConfiguredValue,
  ParameterSlot,
} from './definition/index.js';
export {
  loadCachedResults,
  openResults,
  type StoredRecord,
  type OutputOf,
  type ResultsOptions,
} from './load-cached-results.js';
export type { CachedRecord } from './record.js';
export type { FunesEvent, CallEvent, WarningEvent, MissReason, EventListener } from './events.js';
export { shard, shardPosition, type ShardOptions, type ShardPosition } from './shard.js';
export { flushRemoteWrites, type RemoteStore, type RemoteOption } from './remote-store.js';
export type { HeldLease, LeaseAttempt, LeaseHolder, LeaseLoss, LeaseRenewal } from './remote-lease.js';
export { funesKey } from './canonical-hash.js';
export { hashValue } from './argument-keys.js';
export {
  FunesError,
  NotSerializableError,
  UnhashableArgumentError,
  InvalidUsageError,
  LockTimeoutError,
  LeaseHeldError,
  NoLeaseError,
  SyncLockError,
  type LockHolder,
} from './errors.js';
export { CallFailedError, type FailureRecord } from './failure-record.js';

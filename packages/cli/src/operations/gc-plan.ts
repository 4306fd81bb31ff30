/**
 * What `funes gc` removes, decided without touching the disk (pure), so dry runs and
 * real runs agree and the policy is testable on made-up inventories:
 *
 * 1. Versions are grouped by function identity (name and defining module); the
 *    `keep` newest of each group stay. An older one goes, unless `olderThanMs` is set
 *    and it was created or written more recently than that.
 * 2. A temp file goes once it is older than the grace period, unless the process
 *    named in it is alive (a write in progress) and it is less than a day old. A
 *    lock file goes when core's `inspectLock` calls it stale (its process is gone).
 *    A version with a write in progress or a held lock is never removed: someone is
 *    using it.
 * 3. With `maxBytes`, least recently used entries (by access time where the
 *    filesystem records it, else write time) go until the cache fits; a version left
 *    without entries goes with them.
 */
import type { EntryStat, LockFileStat, TempFileStat } from '@funes/core';
import { byNewest, identityOf, type Version } from '../cache.js';
import { versionBytes } from '../version-summary.js';

/** Past this age a temp file is abandoned even if a process with its pid runs (pids are reused). */
export const STALE_TEMP_MS = 86_400_000;

/** A version and its files, as found on disk. */
export interface InventoryVersion {
  readonly version: Version;
  readonly entries: readonly EntryStat[];
  readonly temps: readonly TempFileStat[];
  readonly locks: readonly LockFileStat[];
  readonly metadataSize: number;
}

/** How `gc` decides. */
export interface GcPolicy {
  /** Newest versions kept per function. */
  readonly keep: number;
  /** Only remove versions not created or written for this long. */
  readonly olderThanMs: number | undefined;
  /** Remove least recently used entries until the cache is at most this size. */
  readonly maxBytes: number | undefined;
  /** Temp files younger than this are left alone. */
  readonly tempGraceMs: number;
  readonly now: number;
  /** Whether a process id is running on this machine. */
  readonly isLive: (pid: number) => boolean;
  /** Whether a lock file was left by a process that is gone. */
  readonly isStaleLock: (lock: LockFileStat) => boolean;
}

/** Why a version goes: beyond `--keep` (`superseded`), or emptied to fit `--max-size`. */
export type RemovalReason = 'superseded' | 'max-size';

/** A version the plan removes, with the bytes it frees. */
export interface VersionRemoval {
  readonly item: InventoryVersion;
  readonly bytes: number;
  readonly reason: RemovalReason;
}

/** What {@link planGc} decided; byte counts before and after. */
export interface GcPlan {
  readonly versions: readonly VersionRemoval[];
  /** Entries removed from versions that stay (`maxBytes`). */
  readonly entries: readonly EntryStat[];
  /** Temp files removed from versions that stay. */
  readonly temps: readonly TempFileStat[];
  /** Stale lock files removed from versions that stay. */
  readonly locks: readonly LockFileStat[];
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

function lastWritten(item: InventoryVersion): number {
  let latest = item.version.createdMs;
  for (const entry of item.entries) latest = Math.max(latest, entry.mtimeMs);
  return latest;
}

/** Whether a temp file may be a write still in progress. */
function tempInUse(temp: TempFileStat, policy: GcPolicy): boolean {
  const age = policy.now - temp.mtimeMs;
  if (age < policy.tempGraceMs) return true;
  return temp.pid !== undefined && age < STALE_TEMP_MS && policy.isLive(temp.pid);
}

/** Whether a process may be writing to or computing in a version right now. */
function inUse(item: InventoryVersion, policy: GcPolicy): boolean {
  return item.temps.some((temp) => tempInUse(temp, policy)) || item.locks.some((lock) => !policy.isStaleLock(lock));
}

function lastUsed(entry: EntryStat): number {
  return Math.max(entry.atimeMs, entry.mtimeMs);
}

/** Decides what to remove. */
export function planGc(inventory: readonly InventoryVersion[], policy: GcPolicy): GcPlan {
  const bytesBefore = inventory.reduce((total, item) => total + versionBytes(item), 0);
  const groups = new Map<string, InventoryVersion[]>();
  for (const item of inventory) {
    const key = identityOf(item.version);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const removed = new Map<InventoryVersion, VersionRemoval>();
  for (const group of groups.values()) {
    group.sort((a, b) => byNewest(a.version, b.version));
    for (const item of group.slice(policy.keep)) {
      if (inUse(item, policy)) continue;
      if (policy.olderThanMs !== undefined && policy.now - lastWritten(item) < policy.olderThanMs) continue;
      removed.set(item, { item, bytes: versionBytes(item), reason: 'superseded' });
    }
  }
  const kept = inventory.filter((item) => !removed.has(item));
  const tempOwner = new Map<TempFileStat, InventoryVersion>();
  for (const item of kept) for (const temp of item.temps) if (!tempInUse(temp, policy)) tempOwner.set(temp, item);
  const lockOwner = new Map<LockFileStat, InventoryVersion>();
  for (const item of kept) for (const lock of item.locks) if (policy.isStaleLock(lock)) lockOwner.set(lock, item);
  let bytesAfter = kept.reduce((total, item) => total + versionBytes(item), 0);
  for (const file of [...tempOwner.keys(), ...lockOwner.keys()]) bytesAfter -= file.size;

  const entryOwner = new Map<EntryStat, InventoryVersion>();
  if (policy.maxBytes !== undefined && bytesAfter > policy.maxBytes) {
    const candidates: [EntryStat, InventoryVersion][] = kept.flatMap((item) => item.entries.map((entry): [EntryStat, InventoryVersion] => [entry, item]));
    candidates.sort(([a], [b]) => lastUsed(a) - lastUsed(b));
    const left = new Map(kept.map((item) => [item, item.entries.length]));
    for (const [entry, item] of candidates) {
      if (bytesAfter <= policy.maxBytes) break;
      entryOwner.set(entry, item);
      bytesAfter -= entry.size;
      const remaining = left.get(item)! - 1;
      left.set(item, remaining);
      if (remaining === 0 && !inUse(item, policy)) {
        // Its last entry went: the directory goes too, with definition.json.
        bytesAfter -= item.metadataSize;
        removed.set(item, { item, bytes: versionBytes(item), reason: 'max-size' });
      }
    }
  }
  const stays = ([, item]: [unknown, InventoryVersion]) => !removed.has(item);
  return {
    versions: [...removed.values()],
    entries: [...entryOwner].filter(stays).map(([entry]) => entry),
    temps: [...tempOwner].filter(stays).map(([temp]) => temp),
    locks: [...lockOwner].filter(stays).map(([lock]) => lock),
    bytesBefore,
    bytesAfter,
  };
}

/**
 * What garbage collection removes, decided without touching the disk (pure), so dry
 * runs and real runs agree and the policy is testable on made-up inventories:
 *
 * 1. Versions are grouped by function identity (name and defining module) and ranked
 *    by {@link byRecentUse}; the `keep` most recently used of each group stay, and (unless
 *    `keep` is 0) so does the version each project directory sharing the cache used last:
 *    its code's current version. A project directory that is gone stops holding its version
 *    {@link GONE_PROJECT_HOLD_MS} after its last use, as `git worktree prune` waits.
 * 2. No version used, written or changed within `graceMs` goes (as `git gc` keeps
 *    recent loose objects): a process may be about to use it. `--now` sets it to 0.
 * 3. With `maxDiskBytes`, versions go least recently used first, current ones too,
 *    until the cache's disk usage fits (still never one within the grace period).
 * 4. A version holding neither an object nor a valid `definition.json` (a write killed before it
 *    stored anything) goes whatever `keep` says, once outside the grace period: it holds nothing.
 * 5. A temp file goes once older than `tempGraceMs`, unless the process named in it is
 *    alive (a write in progress) and it is less than a day old. A lock file goes when
 *    `isStaleLock` says its process is gone. A version with a write in progress or a
 *    held lock is never removed: someone is using it.
 */
import type { LockFileStat, TempFileStat, VersionTally } from '../cache-index.js';
import type { ProjectUse } from './use-marker.js';
import { byRecentUse, identityOf, recencyMs, type CachedVersion } from './versions.js';

/** How long a project directory that is gone still holds the version it used last. */
export const GONE_PROJECT_HOLD_MS = 90 * 86_400_000;
/** Past this age a temp file is abandoned even if a process with its pid runs (pids are reused). */
export const STALE_TEMP_MS = 86_400_000;
/** How long a version used or written stays safe from `gc` by default (`--now`: 0). */
export const DEFAULT_GRACE_MS = 3_600_000;

/** A version and its files, as found on disk. */
export interface InventoryVersion extends VersionTally {
  readonly version: CachedVersion;
}

/** How garbage collection decides. */
export interface GcPolicy {
  /** Most recently used versions kept per function. */
  readonly keep: number;
  /** Nothing used, written or changed within this long goes. */
  readonly graceMs: number;
  /** Then least recently used versions go until the disk usage is at most this (bytes of allocated blocks). */
  readonly maxDiskBytes: number | undefined;
  /** Temp files younger than this are left alone. */
  readonly tempGraceMs: number;
  readonly now: number;
  /** Whether a process id is running on this machine. */
  readonly isLive: (pid: number) => boolean;
  /** Whether a lock file was left by a process that is gone. */
  readonly isStaleLock: (lock: LockFileStat) => boolean;
}

/**
 * Why a version goes: beyond the `keep` most recently used (`superseded`), to fit `maxDiskBytes`,
 * or holding nothing (`empty`, see {@link isEmptyVersion}).
 */
export type RemovalReason = 'superseded' | 'max-size' | 'empty';

/** Sizes: bytes of the files, and the disk blocks they take. */
export interface Size {
  readonly bytes: number;
  readonly diskBytes: number;
}

/** A version the plan removes. */
export interface VersionRemoval extends Size {
  readonly item: InventoryVersion;
  readonly reason: RemovalReason;
}

/** What {@link planGc} decided; sizes before and after. */
export interface GcPlan {
  readonly versions: readonly VersionRemoval[];
  /** Temp files removed from versions that stay. */
  readonly temps: readonly TempFileStat[];
  /** Stale lock files removed from versions that stay. */
  readonly locks: readonly LockFileStat[];
  readonly before: Size;
  readonly after: Size;
}

/** A version directory's size: every file in it. */
export function versionSize(
  contents: Pick<VersionTally, 'objects' | 'temps' | 'locks' | 'metadataSize' | 'otherDiskBytes'>,
): Size {
  let bytes = contents.metadataSize + contents.objects.bytes;
  for (const files of [contents.temps, contents.locks]) for (const file of files) bytes += file.size;
  return { bytes, diskBytes: contents.otherDiskBytes + contents.objects.diskBytes };
}

/** The last time anything happened to a version here: used, an object written, its directory changed. */
export function lastActivityMs(item: InventoryVersion): number {
  return Math.max(
    item.lastUsedMs ?? 0,
    item.version.lastUsedMs ?? 0,
    item.version.changedMs,
    item.objects.lastWrittenMs ?? 0,
  );
}

/**
 * Whether a version holds nothing worth keeping: no object and no valid `definition.json`, as a
 * process killed between creating the directory and its first write leaves it.
 */
export function isEmptyVersion(
  item: { readonly objects: { readonly count: number }; readonly version: Pick<CachedVersion, 'metadata'> },
): boolean {
  return item.objects.count === 0 && item.version.metadata.status !== 'ok';
}

/** Whether a temp file may be a write still in progress. */
function tempInUse(temp: TempFileStat, policy: GcPolicy): boolean {
  const age = policy.now - temp.mtimeMs;
  if (age < policy.tempGraceMs) return true;
  return temp.pid !== undefined && age < STALE_TEMP_MS && policy.isLive(temp.pid);
}

/** Whether a version may go: nobody is writing to or computing in it, and it was not active within the grace period. */
export function removable(item: InventoryVersion, policy: GcPolicy): boolean {
  if (item.temps.some((temp) => tempInUse(temp, policy)) || item.locks.some((lock) => !policy.isStaleLock(lock))) {
    return false;
  }
  return policy.now - lastActivityMs(item) >= policy.graceMs;
}

/** The sizes added up. */
export function sum(sizes: readonly Size[]): Size {
  let bytes = 0;
  let diskBytes = 0;
  for (const size of sizes) {
    bytes += size.bytes;
    diskBytes += size.diskBytes;
  }
  return { bytes, diskBytes };
}

/**
 * The version each project directory used last among a function's versions, by marker, with that use;
 * a project directory gone for {@link GONE_PROJECT_HOLD_MS} holds none (see the module comment).
 */
export function currentForProjects<T extends { readonly projectUses: readonly ProjectUse[] }>(
  group: readonly T[],
  now: number,
): Map<string, { item: T; use: ProjectUse }> {
  const latest = new Map<string, { item: T; use: ProjectUse }>();
  for (const item of group) {
    for (const use of item.projectUses) {
      if (!use.present && now - use.usedMs >= GONE_PROJECT_HOLD_MS) continue;
      const held = latest.get(use.marker);
      if (!held || use.usedMs > held.use.usedMs) latest.set(use.marker, { item, use });
    }
  }
  return latest;
}

/** Decides what to remove. */
export function planGc(inventory: readonly InventoryVersion[], policy: GcPolicy): GcPlan {
  const sizes = new Map(inventory.map((item) => [item, versionSize(item)]));
  const before = sum([...sizes.values()]);
  const removed = new Map<InventoryVersion, VersionRemoval>();
  const remove = (item: InventoryVersion, reason: RemovalReason) =>
    removed.set(item, { item, reason, ...sizes.get(item)! });
  const groups = new Map<string, InventoryVersion[]>();
  for (const item of inventory) {
    if (isEmptyVersion(item)) {
      if (removable(item, policy)) remove(item, 'empty');
      continue;
    }
    const key = identityOf(item.version);
    const group = groups.get(key);
    if (group) group.push(item);
    else {
      groups.set(key, [item]);
    }
  }
  for (const group of groups.values()) {
    group.sort((a, b) => byRecentUse(a.version, b.version));
    const held = new Set(
      policy.keep > 0 ? [...currentForProjects(group, policy.now).values()].map(({ item }) => item) : [],
    );
    for (const item of group.slice(policy.keep)) {
      if (!held.has(item) && removable(item, policy)) remove(item, 'superseded');
    }
  }
  let kept = inventory.filter((item) => !removed.has(item));
  let diskAfter = sum(kept.map((item) => sizes.get(item)!)).diskBytes;
  if (policy.maxDiskBytes !== undefined && diskAfter > policy.maxDiskBytes) {
    const leastRecent = [...kept].sort(
      (a, b) => recencyMs(a.version) - recencyMs(b.version) || byRecentUse(b.version, a.version),
    );
    for (const item of leastRecent) {
      if (diskAfter <= policy.maxDiskBytes) break;
      if (!removable(item, policy)) continue;
      remove(item, 'max-size');
      diskAfter -= sizes.get(item)!.diskBytes;
    }
    kept = inventory.filter((item) => !removed.has(item));
  }
  const temps = kept.flatMap((item) => item.temps.filter((temp) => !tempInUse(temp, policy)));
  const locks = kept.flatMap((item) => item.locks.filter((lock) => policy.isStaleLock(lock)));
  const after = sum(kept.map((item) => sizes.get(item)!));
  const freedBytes = [...temps, ...locks].reduce((total, file) => total + file.size, 0);
  return {
    versions: [...removed.values()],
    temps,
    locks,
    before,
    // Temp and lock files are small: their blocks are left in the disk figure.
    after: { bytes: after.bytes - freedBytes, diskBytes: after.diskBytes },
  };
}

/**
 * `funes gc`: takes the cache's inventory, plans with {@link planGc} and, unless it
 * is a dry run, removes what the plan lists.
 */
import { inspectLock, scanVersion } from '@funes/core';
import { shortHash, type Cache } from '../cache.js';
import type { Progress } from '../progress.js';
import { planGc, type GcPolicy, type InventoryVersion, type RemovalReason } from './gc-plan.js';
import { removeFile, removeVersionDir } from './remove.js';

/** A version `gc` removed (or would remove). */
export interface RemovedVersion {
  readonly function: string;
  readonly module: string | null;
  readonly hash: string;
  readonly shortHash: string;
  readonly entries: number;
  readonly bytes: number;
  /** `superseded`: beyond --keep newest; `max-size`: its last entries went to fit --max-size. */
  readonly reason: RemovalReason;
}

/** `funes gc --json`. */
export interface GcResult {
  readonly cache: string;
  readonly dryRun: boolean;
  readonly removedVersions: readonly RemovedVersion[];
  /** Least recently used entries removed to fit --max-size (from versions that stay). */
  readonly removedEntries: { readonly count: number; readonly bytes: number };
  /** Temp files left by interrupted writes. */
  readonly removedTempFiles: { readonly count: number; readonly bytes: number };
  /** Lock files left by killed processes. */
  readonly removedLockFiles: { readonly count: number; readonly bytes: number };
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  readonly freedBytes: number;
}

/** Whether a process with this id runs on this machine (EPERM: it runs, as another user). */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stats every version directory. */
function takeInventory(cache: Cache, progress: Progress): InventoryVersion[] {
  const inventory = cache.versions.map((version) => {
    const contents = scanVersion(version.dir);
    progress.tick();
    return { version, ...contents };
  });
  progress.done();
  return inventory;
}

function total(files: readonly { size: number }[]): { count: number; bytes: number } {
  return { count: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) };
}

/** Plans and (unless `dryRun`) applies a collection. */
export function gc(cache: Cache, policy: Omit<GcPolicy, 'isLive' | 'isStaleLock'>, dryRun: boolean, progressFor: (label: string, total: number) => Progress): GcResult {
  // A lock gone since the scan is as good as stale: removing it is a no-op.
  const isStaleLock = (lock: { file: string }) => inspectLock(lock.file)?.stale ?? true;
  const plan = planGc(takeInventory(cache, progressFor('Scanning', cache.versions.length)), { ...policy, isLive: isProcessAlive, isStaleLock });
  if (!dryRun) {
    const progress = progressFor('Removing', plan.versions.length + plan.entries.length + plan.temps.length + plan.locks.length);
    for (const { item } of plan.versions) {
      removeVersionDir(item.version.dir);
      progress.tick();
    }
    for (const file of [...plan.entries, ...plan.temps, ...plan.locks]) {
      removeFile(file.file);
      progress.tick();
    }
    progress.done();
  }
  return {
    cache: cache.dir,
    dryRun,
    removedVersions: plan.versions.map(({ item, bytes, reason }) => ({
      function: item.version.name,
      module: item.version.module,
      hash: item.version.hash,
      shortHash: shortHash(item.version.hash),
      entries: item.entries.length,
      bytes,
      reason,
    })),
    removedEntries: total(plan.entries),
    removedTempFiles: total(plan.temps),
    removedLockFiles: total(plan.locks),
    bytesBefore: plan.bytesBefore,
    bytesAfter: plan.bytesAfter,
    freedBytes: plan.bytesBefore - plan.bytesAfter,
  };
}

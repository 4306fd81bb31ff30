/**
 * Garbage collection: takes a cache's inventory, plans with {@link planGc} and,
 * unless it is a dry run, removes what the plan lists. Each version is looked at
 * again just before it goes: one used or written since the inventory stays.
 */
import { dirname } from 'node:path';
import { tallyVersion, type LockFileStat, type TempFileStat } from '../cache-index.js';
import { FunesError } from '../errors.js';
import { inspectLock } from '../lock.js';
import {
  isEmptyVersion,
  lastActivityMs,
  planGc,
  removable,
  sum,
  versionSize,
  type GcPlan,
  type GcPolicy,
  type InventoryVersion,
  type RemovalReason,
  type Size,
  type VersionRemoval,
} from './gc-plan.js';
import { leftoversInCache, refuseForeign, removeFile, removeLeftover, removeVersionDir } from './remove.js';
import { readVersion, type CacheListing } from './versions.js';

/** Reports progress of a long operation: `tick` per item (or `count` items) of `total`, then `done`. */
export type ProgressFor = (label: string, total: number) => { tick(count?: number): void; done(): void };

/** Reports nothing. */
export const NO_PROGRESS: ProgressFor = () => ({ tick() {}, done() {} });

/** A version `gc` removed (or would remove). */
export interface RemovedVersion extends Size {
  readonly function: string;
  readonly module: string | null;
  readonly hash: string;
  readonly entries: number;
  /** `superseded`: beyond the `keep` most recently used; `max-size`: removed to fit `maxDiskBytes`. */
  readonly reason: RemovalReason;
}

/** A directory (or a temp or lock file) that could not be read or removed; the others were still collected. */
export interface CacheProblem {
  readonly dir: string;
  readonly code: string;
  readonly message: string;
  /** Why Funes itself left it, and what to do (a version holding files Funes never writes); absent for I/O errors. */
  readonly why?: string;
}

/** What a collection did (or, in a dry run, would do). */
export interface GcResult {
  readonly cache: string;
  readonly dryRun: boolean;
  readonly removedVersions: readonly RemovedVersion[];
  /** Temp files left by interrupted writes. */
  readonly removedTempFiles: { readonly count: number; readonly bytes: number };
  /** Lock files left by killed processes. */
  readonly removedLockFiles: { readonly count: number; readonly bytes: number };
  /** Directories left by killed removals (`gc`, `rm`), with the files they held; counted in `before`. */
  readonly removedLeftovers: { readonly count: number } & Size;
  readonly before: Size;
  readonly after: Size;
  /** Version directories skipped because they could not be read or removed, and files that could not be removed. */
  readonly problems: readonly CacheProblem[];
}

/** Options of {@link collectGarbage}: the policy without the process checks, which it makes itself. */
export type GcOptions = Omit<GcPolicy, 'isLive' | 'isStaleLock'> & {
  readonly dryRun: boolean;
  readonly progress?: ProgressFor;
};

/** Whether a process with this id runs on this machine (EPERM: it runs, as another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A directory left because reading or removing it failed, or because Funes refuses to remove it. */
export function problemOf(dir: string, error: unknown): CacheProblem {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  // Funes' own refusals say why and what to do; a filesystem error is named by its code.
  if (error instanceof FunesError) {
    const why = `${error.message}${error.hint ? `; ${error.hint}` : ''}`;
    return { dir, code, message: why, why };
  }
  return { dir, code, message: `cannot read or remove ${dir} (${code})` };
}

function total(files: readonly { size: number }[]): { count: number; bytes: number } {
  return { count: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) };
}

/** Plans and (unless `dryRun`) applies a collection of the versions listed. */
export function collectGarbage(listing: CacheListing, options: GcOptions): GcResult {
  const progressFor = options.progress ?? NO_PROGRESS;
  // A lock gone since the scan is as good as stale: removing it is a no-op.
  const policy: GcPolicy = {
    ...options,
    isLive: isProcessAlive,
    isStaleLock: (lock) => inspectLock(lock.file)?.stale ?? true,
  };
  const problems: CacheProblem[] = [];
  const scanning = progressFor('Scanning', listing.versions.length);
  const inventory: InventoryVersion[] = [];
  for (const version of listing.versions) {
    try {
      inventory.push({ version, ...listing.tallies.tally(version.dir) });
    } catch (error) {
      problems.push(problemOf(version.dir, error));
    }
    scanning.tick();
  }
  scanning.done();
  const plan = planGc(inventory, policy);
  // What killed removals left holds whole versions' objects: counted, so that what gc frees adds up.
  const leftovers = leftoversInCache(listing.dir, policy.isLive);
  const leftoverSizes = new Map(leftovers.map((dir) => [dir, sizeOfLeftover(dir)]));
  const removedLeftovers: string[] = [];
  // A directory holding files Funes never writes is not a version to remove: a real run learns it from
  // removeVersionDir, a dry run asks the same question here.
  let versions = options.dryRun
    ? plan.versions.filter(({ item }) => {
        try {
          refuseForeign(item.version.dir);
          return true;
        } catch (error) {
          problems.push(problemOf(item.version.dir, error));
          return false;
        }
      })
    : plan.versions;
  const unremoved = new Set<TempFileStat | LockFileStat>();
  if (!options.dryRun) {
    const removing = progressFor('Removing', versions.length + plan.temps.length + plan.locks.length);
    versions = versions.filter(({ item, reason }) => {
      removing.tick();
      try {
        // Looked at again: used, written or locked since the inventory, it stays. Once more
        // after it is renamed away, when nothing can be added to it: a write that landed
        // between this look and the rename puts it back.
        const inUse = (dir: string) => {
          const fresh: InventoryVersion = {
            version: readVersion(item.version.functionDir, item.version.hash, dir),
            ...tallyVersion(dir),
          };
          return (
            lastActivityMs(fresh) > lastActivityMs(item) ||
            !removable(fresh, { ...policy, now: Date.now() }) ||
            (reason === 'empty' && !isEmptyVersion(fresh))
          );
        };
        const removed = !inUse(item.version.dir) && removeVersionDir(item.version.dir, inUse);
        if (removed) listing.tallies.forget(item.version.dir);
        return removed;
      } catch (error) {
        problems.push(problemOf(item.version.dir, error));
        return false;
      }
    });
    for (const file of [...plan.temps, ...plan.locks]) {
      try {
        removeFile(file.file);
      } catch (error) {
        problems.push(problemOf(file.file, error));
        unremoved.add(file);
      }
      removing.tick();
    }
    removing.done();
  }
  // A dry run asks of each leftover what removing it would: whether it holds a file Funes never writes.
  for (const leftover of leftovers) {
    try {
      (options.dryRun ? refuseForeign : removeLeftover)(leftover);
      removedLeftovers.push(leftover);
    } catch (error) {
      problems.push(problemOf(dirname(leftover), error));
    }
  }
  const leftoverSize = (dirs: readonly string[]) => sum(dirs.map((dir) => leftoverSizes.get(dir)!));
  const kept = leftoverSize(leftovers.filter((dir) => !removedLeftovers.includes(dir)));
  const after = sizeAfter(plan, versions);
  listing.tallies.save();
  return {
    cache: listing.dir,
    dryRun: options.dryRun,
    removedVersions: versions.map(removedVersionOf),
    removedTempFiles: total(plan.temps.filter((file) => !unremoved.has(file))),
    removedLockFiles: total(plan.locks.filter((file) => !unremoved.has(file))),
    removedLeftovers: { count: removedLeftovers.length, ...leftoverSize(removedLeftovers) },
    before: sum([plan.before, leftoverSize(leftovers)]),
    after: sum([after, kept]),
    problems,
  };
}

/** A planned removal as {@link GcResult} reports it. */
export function removedVersionOf({ item, bytes, diskBytes, reason }: VersionRemoval): RemovedVersion {
  return {
    function: item.version.name,
    module: item.version.module,
    hash: item.version.hash,
    entries: item.objects.count,
    bytes,
    diskBytes,
    reason,
  };
}

/**
 * What is left after a plan when only the removals `done` happened (a version in use since the
 * plan, or one that failed, stays).
 */
export function sizeAfter(plan: GcPlan, done: readonly VersionRemoval[]): Size {
  const gone = new Set(done);
  const notRemoved = plan.versions.filter((removal) => !gone.has(removal));
  return notRemoved.reduce(
    (size, removal) => ({ bytes: size.bytes + removal.bytes, diskBytes: size.diskBytes + removal.diskBytes }),
    plan.after,
  );
}

/** The files a leftover of a killed removal holds; nothing when it cannot be read. */
export function sizeOfLeftover(dir: string): Size {
  try {
    return versionSize(tallyVersion(dir));
  } catch {
    return { bytes: 0, diskBytes: 0 };
  }
}

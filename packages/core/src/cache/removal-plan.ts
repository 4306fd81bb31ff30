/**
 * Removing chosen versions (`funes rm`): what a selection frees, then removing it.
 */
import { removeVersionDir } from './remove.js';
import { summarizeVersion } from './usage.js';
import type { CachedVersion } from './versions.js';

/** One version a {@link RemovalPlan} removes. */
export interface PlannedRemoval {
  readonly function: string;
  readonly module: string | null;
  readonly hash: string;
  readonly entries: number;
  /** Bytes of its objects, `definition.json`, temp and lock files. */
  readonly bytes: number;
}

/** What removing some versions frees. */
export interface RemovalPlan<V extends PlannedRemoval = PlannedRemoval> {
  readonly removed: readonly V[];
  readonly entries: number;
  readonly bytes: number;
}

/** What removing `versions` frees; nothing is removed. */
export function planRemoval(versions: readonly CachedVersion[]): RemovalPlan {
  const removed = versions.map((version) => {
    const { entries, bytes } = summarizeVersion(version);
    return { function: version.name, module: version.module, hash: version.hash, entries, bytes };
  });
  return {
    removed,
    entries: removed.reduce((total, v) => total + v.entries, 0),
    bytes: removed.reduce((total, v) => total + v.bytes, 0),
  };
}

/** Removes versions (each atomically, see {@link removeVersionDir}); how many were still there. */
export function removeVersions(versions: readonly CachedVersion[]): number {
  let removed = 0;
  for (const version of versions) if (removeVersionDir(version.dir)) removed++;
  return removed;
}

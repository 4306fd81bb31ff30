/**
 * Removing chosen versions (`funes rm`): what a selection frees, then removing it. A version
 * Funes refuses to remove (`EFOREIGN`), or one the filesystem will not let go, is a problem
 * of the plan or of the removal, and the others still go: a dry run lists what the run removes.
 */
import { problemOf, type CacheProblem } from './gc.js';
import { refuseForeign, removeVersionDir } from './remove.js';
import { summarizeVersion } from './usage.js';
import type { VersionTallies } from './version-tallies.js';
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

/** What removing some versions frees (or freed), and the versions left, each with why. */
export interface RemovalPlan<V extends PlannedRemoval = PlannedRemoval> {
  readonly removed: readonly V[];
  readonly entries: number;
  readonly bytes: number;
  readonly problems: readonly CacheProblem[];
}

function plannedOf(version: CachedVersion, tallies: VersionTallies | undefined): PlannedRemoval {
  const { entries, bytes } = summarizeVersion(version, tallies);
  return { function: version.name, module: version.module, hash: version.hash, entries, bytes };
}

/** Sums what each version removed frees. */
function planOf(removed: readonly PlannedRemoval[], problems: readonly CacheProblem[]): RemovalPlan {
  return {
    removed,
    entries: removed.reduce((total, v) => total + v.entries, 0),
    bytes: removed.reduce((total, v) => total + v.bytes, 0),
    problems,
  };
}

/**
 * What removing `versions` frees, and those that would be left (as {@link removeVersions} finds them); nothing is
 * removed. With `tallies` (the listing's), unchanged versions are sized from what earlier commands recorded.
 */
export function planRemoval(versions: readonly CachedVersion[], tallies?: VersionTallies): RemovalPlan {
  const removed: PlannedRemoval[] = [];
  const problems: CacheProblem[] = [];
  for (const version of versions) {
    try {
      refuseForeign(version.dir);
      removed.push(plannedOf(version, tallies));
    } catch (error) {
      problems.push(problemOf(version.dir, error));
    }
  }
  return planOf(removed, problems);
}

/**
 * Removes versions (each atomically, see {@link removeVersionDir}): what each removed freed, and
 * those left, each with why. One already gone is neither. With `tallies` (the listing's), the tallies
 * recorded of those removed go too.
 */
export function removeVersions(versions: readonly CachedVersion[], tallies?: VersionTallies): RemovalPlan {
  const removed: PlannedRemoval[] = [];
  const problems: CacheProblem[] = [];
  for (const version of versions) {
    try {
      const planned = plannedOf(version, tallies);
      if (removeVersionDir(version.dir)) {
        removed.push(planned);
        tallies?.forget(version.dir);
      }
    } catch (error) {
      problems.push(problemOf(version.dir, error));
    }
  }
  tallies?.save();
  return planOf(removed, problems);
}

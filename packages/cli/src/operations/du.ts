/**
 * `funes du`: @funes/core/cache's disk usage, with the short hashes the CLI prints.
 */
import { diskUsage, type DiskUsage, type FunctionUsage, type ProgressFor, type VersionUsage } from '@funes/core/cache';
import { shortHash, type Cache } from '../cache.js';

/** One version in `funes du --json`. */
export interface DuVersion extends VersionUsage {
  readonly shortHash: string;
}

/** One function (name and module) in `funes du --json`. */
export type DuFunction = FunctionUsage<DuVersion>;

/** `funes du --json`. */
export type DuResult = DiskUsage<DuVersion>;

/** Sizes of the selected versions (all when none are named), grouped by function. */
export function du(cache: Cache, functions: readonly string[], progress: ProgressFor): DuResult {
  const usage = diskUsage(cache, functions, progress);
  return {
    ...usage,
    functions: usage.functions.map((fn) => ({
      ...fn,
      versions: fn.versions.map(({ hash, ...rest }) => ({ hash, shortHash: shortHash(hash), ...rest })),
    })),
  };
}

/**
 * `funes rm`: removes a function's versions, or one version.
 */
import { shortHash, type Version } from '../cache.js';
import { summarizeVersion } from '../version-summary.js';
import { removeVersionDir } from '@funes/core/cache';

/** `funes rm --json`. */
export interface RmResult {
  readonly dryRun: boolean;
  readonly removed: readonly { function: string; module: string | null; hash: string; shortHash: string; entries: number; bytes: number }[];
  readonly entries: number;
  readonly bytes: number;
}

/** What removing `versions` frees (nothing is removed yet). */
export function planRm(versions: readonly Version[]): RmResult {
  const removed = versions.map((version) => {
    const { entries, bytes } = summarizeVersion(version);
    return { function: version.name, module: version.module, hash: version.hash, shortHash: shortHash(version.hash), entries, bytes };
  });
  return {
    dryRun: true,
    removed,
    entries: removed.reduce((total, v) => total + v.entries, 0),
    bytes: removed.reduce((total, v) => total + v.bytes, 0),
  };
}

/** Removes the versions a plan lists. */
export function applyRm(versions: readonly Version[], plan: RmResult): RmResult {
  for (const version of versions) removeVersionDir(version.dir);
  return { ...plan, dryRun: false };
}

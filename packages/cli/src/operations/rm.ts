/**
 * `funes rm`: @funes/core/cache's removal plan, with the short hashes the CLI prints.
 */
import { planRemoval, removeVersions, type PlannedRemoval, type RemovalPlan } from '@funes/core/cache';
import { shortHash, type Version } from '../cache.js';

/** `funes rm --json`. */
export interface RmResult extends RemovalPlan<PlannedRemoval & { readonly shortHash: string }> {
  readonly dryRun: boolean;
}

/** What removing `versions` frees (nothing is removed yet). */
export function planRm(versions: readonly Version[]): RmResult {
  const plan = planRemoval(versions);
  return {
    dryRun: true,
    removed: plan.removed.map(({ hash, entries, bytes, ...named }) => ({
      ...named,
      hash,
      shortHash: shortHash(hash),
      entries,
      bytes,
    })),
    entries: plan.entries,
    bytes: plan.bytes,
  };
}

/** Removes the versions a plan lists. */
export function applyRm(versions: readonly Version[], plan: RmResult): RmResult {
  removeVersions(versions);
  return { ...plan, dryRun: false };
}

/**
 * `funes rm`: @funes/core/cache's removal plan, with the short hashes the CLI prints.
 */
import {
  planRemoval,
  removeVersions,
  type PlannedRemoval,
  type RemovalPlan,
  type VersionTallies,
} from '@funes/core/cache';
import { shortHash, type Version } from '../cache.js';

/** `funes rm --json`. */
export interface RmResult extends RemovalPlan<PlannedRemoval & { readonly shortHash: string }> {
  readonly dryRun: boolean;
}

function rmResult(plan: RemovalPlan, dryRun: boolean): RmResult {
  return { ...plan, dryRun, removed: plan.removed.map((v) => ({ ...v, shortHash: shortHash(v.hash) })) };
}

/** What removing `versions` frees, and what it would leave (nothing is removed yet). */
export function planRm(versions: readonly Version[], tallies: VersionTallies): RmResult {
  return rmResult(planRemoval(versions, tallies), true);
}

/** Removes `versions`: what went, and what stayed and why. */
export function applyRm(versions: readonly Version[], tallies: VersionTallies): RmResult {
  return rmResult(removeVersions(versions, tallies), false);
}

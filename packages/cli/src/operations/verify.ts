/**
 * `funes verify`: @funes/core/cache's `verifyCache`, reading objects in worker threads
 * on large caches.
 */
import { verifyCache, type ProgressFor, type VerifyResult } from '@funes/core/cache';
import type { Cache } from '../cache.js';
import { createObjectReader } from '../object-reader.js';

export type { VerifyProblem, VerifyResult } from '@funes/core/cache';

/** Checks the objects of the selected versions (all when none are named); with `fix`, removes what is damaged. */
export function verify(
  cache: Cache,
  options: { readonly functions: readonly string[]; readonly fix: boolean },
  progress: ProgressFor | undefined,
): Promise<VerifyResult> {
  return verifyCache(cache, { ...options, reader: () => createObjectReader(undefined, 'whole'), progress });
}

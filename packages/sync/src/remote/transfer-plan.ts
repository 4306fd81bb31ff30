/**
 * What a push or pull must move (pure): the keys the source has and the destination
 * lacks. Comparing listings makes transfers idempotent, so an interrupted transfer
 * resumes by running it again: objects are written whole or not at all on both
 * sides, and what arrived is not sent twice.
 */
import { METADATA_FILE, parseCachePath } from '@funes/core/internal';

/** Cache-relative key → size in bytes. */
export type Listing = ReadonlyMap<string, number>;

/** One file to transfer. */
export interface PlannedFile {
  readonly key: string;
  readonly size: number;
}

export interface TransferPlan {
  /**
   * Files to transfer: each version's `definition.json` before its
   * objects, so a partial transfer still describes what it holds.
   */
  readonly missing: readonly PlannedFile[];
  /** Files of the selection the destination already has. */
  readonly present: number;
}

/** The files in `source` that `destination` lacks. */
export function planTransfer(source: Listing, destination: { has(key: string): boolean }): TransferPlan {
  const missing: PlannedFile[] = [];
  let present = 0;
  for (const [key, size] of source) {
    if (destination.has(key)) present++;
    else {
      missing.push({ key, size });
    }
  }
  const rank = (file: PlannedFile) => (parseCachePath(file.key)?.file === METADATA_FILE ? 0 : 1);
  missing.sort((a, b) => rank(a) - rank(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { missing, present };
}

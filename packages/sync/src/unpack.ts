/**
 * `unpack`: checks a bundle and merges it into a cache. Every entry is admitted by
 * the entry rules, then streamed (never held whole, whatever size it declares) into
 * a temp file in its version's directory while it is checked against the manifest
 * and decoded, and only then linked into place — atomically, never over an existing
 * file; the temp file is removed whatever happens. A damaged object is rejected and
 * reported while the rest are merged; a bundle that breaks the format or the safety
 * rules is refused with a {@link BundleError} and nothing more is written.
 */
import { createHash } from 'node:crypto';
import { InvalidUsageError } from '@funes/core';
import { DEFAULT_MAX_BYTES, readBundle, type BundleSource } from './bundle-reader.js';
import { entryCheck, type EntryAdmission } from './entry-check.js';
import type { BundleManifest, ExpectedEntry } from './manifest.js';
import { openSpool, placeEntry, type Placement } from './place-entry.js';
import type { Progress } from './progress.js';

/**
 * - `merge`: add the bundle's new objects to the cache.
 * - `dry-run`: check everything and compare with the cache, write nothing.
 * - `verify`: check the bundle end to end without looking at any cache.
 */
export type UnpackMode = 'merge' | 'dry-run' | 'verify';

const MODES: readonly UnpackMode[] = ['merge', 'dry-run', 'verify'];

export { DEFAULT_MAX_BYTES } from './bundle-reader.js';

/** Options of {@link unpack}; `acceptFormat1` admits objects in format 1, which carry no address. */
export interface UnpackOptions extends EntryAdmission {
  /** The cache directory to merge into; required unless `mode` is `verify`. */
  readonly cacheDir?: string;
  /** @default 'merge' */
  readonly mode?: UnpackMode;
  /**
   * The most bytes the bundle may expand to, and the most one object may decode to;
   * the guard against decompression bombs. Raise it for larger trusted bundles.
   * @default 4294967296
   */
  readonly maxBytes?: number;
  /** Called after each entry is handled. */
  readonly onProgress?: (progress: Progress) => void;
}

/** A count of objects and their bytes. */
export interface Tally {
  objects: number;
  bytes: number;
}

/** An object that was not merged, and why. */
export interface UnpackProblem {
  /** The tar entry name, `<functionDir>/<definitionHash>/<argumentHash>`. */
  readonly entry: string;
  readonly reason: string;
  /** `EUNADDRESSED` for an object refused only because it is in format 1 (see `acceptFormat1`). */
  readonly code?: string;
}

/** What unpacking a bundle did (in `dry-run`, would do). */
export interface UnpackSummary {
  readonly mode: UnpackMode;
  readonly manifest: BundleManifest;
  /** Objects that passed every check. */
  readonly verified: Tally;
  /** Objects new to the cache, now in it. */
  readonly added: Tally;
  /** Objects the cache already held, byte for byte. */
  readonly skipped: Tally;
  /** Objects whose key holds something else in the cache; the cache's object was kept. */
  readonly conflicts: Tally;
  /** Objects that failed their integrity check and were not merged. */
  readonly rejected: Tally;
  /** `definition.json` files created, and those already present. */
  readonly metadata: { added: number; skipped: number };
  readonly conflictList: UnpackProblem[];
  readonly rejectedList: UnpackProblem[];
}

function tally(): Tally {
  return { objects: 0, bytes: 0 };
}

function count(into: Tally, bytes: number): void {
  into.objects++;
  into.bytes += bytes;
}

/**
 * Checks a bundle and merges it into `cacheDir`: new objects are added, identical
 * ones skipped, and an object whose key the cache already holds with other bytes
 * is kept as the cache has it and reported in `conflictList`.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { unpack } from '@funes/sync';
 *
 * const summary = await unpack(createReadStream('train.tar.gz'), { cacheDir: 'cache' });
 * console.log(`${summary.added.objects} added, ${summary.skipped.objects} already there`);
 * ```
 */
export async function unpack(source: BundleSource, options: UnpackOptions): Promise<UnpackSummary> {
  const mode = options.mode ?? 'merge';
  const { cacheDir } = options;
  if (!MODES.includes(mode)) {
    throw new InvalidUsageError(`unpack has no mode ${JSON.stringify(mode)}`, "use 'merge', 'dry-run' or 'verify'");
  }
  if (mode !== 'verify' && !cacheDir) throw new InvalidUsageError(`unpack in ${mode} mode needs the cacheDir option`);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let manifest: BundleManifest | undefined;
  const summary = {
    verified: tally(),
    added: tally(),
    skipped: tally(),
    conflicts: tally(),
    rejected: tally(),
    metadata: { added: 0, skipped: 0 },
    conflictList: [] as UnpackProblem[],
    rejectedList: [] as UnpackProblem[],
  };
  const progress = { entries: 0, totalEntries: 0, bytes: 0, totalBytes: 0 };

  const record = (entry: ExpectedEntry, bytes: number, placement: Placement) => {
    if (entry.kind === 'metadata') {
      summary.metadata[placement.outcome === 'added' ? 'added' : 'skipped']++;
    } else if (placement.outcome === 'conflict') {
      count(summary.conflicts, bytes);
      summary.conflictList.push({ entry: entry.name, reason: placement.reason });
    } else {
      count(summary[placement.outcome], bytes);
    }
  };
  const handle = async (entry: ExpectedEntry, chunks: AsyncIterable<Buffer>) => {
    const check = entryCheck(entry, maxBytes, options);
    const spool = mode === 'merge' ? openSpool(cacheDir as string, entry) : undefined;
    // A dry run compares what it would add by digest; a merge
    // compares the spooled bytes, and only for a file already there.
    const hash = mode === 'dry-run' ? createHash('sha256') : undefined;
    try {
      for await (const chunk of chunks) {
        await check.update(chunk);
        // A refused entry is read to its end, to reach the next one, but neither hashed nor kept.
        if (check.defect) continue;
        hash?.update(chunk);
        spool?.write(chunk);
      }
      const defect = await check.finish();
      if (defect) {
        if (entry.kind === 'object') count(summary.rejected, entry.size);
        summary.rejectedList.push({ entry: entry.name, reason: defect, ...(check.code && { code: check.code }) });
      } else {
        if (entry.kind === 'object') count(summary.verified, entry.size);
        if (spool) record(entry, entry.size, placeEntry(cacheDir as string, entry, spool));
        else if (hash) record(entry, entry.size, placeEntry(cacheDir as string, entry, undefined, hash.digest('hex')));
      }
    } finally {
      spool?.remove();
    }
    progress.entries++;
    progress.bytes += entry.size;
    options.onProgress?.({ ...progress });
  };

  await readBundle(source, maxBytes, {
    manifest(found) {
      manifest = found;
      progress.totalBytes = found.bytes;
      progress.totalEntries = found.versions.reduce(
        (sum, version) => sum + version.objects.length + (version.metadata ? 1 : 0),
        0,
      );
      return true;
    },
    entry: handle,
  });
  return { mode, manifest: manifest as BundleManifest, ...summary };
}

/**
 * Reads only a bundle's manifest — what `funes unpack --list` shows — and stops;
 * the manifest is checked, the entries after it are not read.
 */
export async function readBundleManifest(
  source: BundleSource,
  options: { readonly maxBytes?: number } = {},
): Promise<BundleManifest> {
  let manifest: BundleManifest | undefined;
  await readBundle(source, options.maxBytes ?? DEFAULT_MAX_BYTES, {
    manifest(found) {
      manifest = found;
      return false;
    },
    async entry() {},
  });
  return manifest as BundleManifest;
}

/**
 * Checking a cache (`funes verify`): reads every object and checks it, and checks each
 * version's `definition.json`. Objects are read in batches, so memory stays flat however
 * large the cache; only problems are kept.
 */
import { join } from 'node:path';
import { countObjects, objectFileBatches } from '../cache-index.js';
import { METADATA_FILE } from '../layout.js';
import { NO_PROGRESS, type ProgressFor } from './gc.js';
import { inThreadReader, OBJECT_BATCH, type ObjectReader } from './read-objects.js';
import { removeFile } from './remove.js';
import { selectVersions } from './select.js';
import type { CacheListing, CachedVersion } from './versions.js';

/** One thing `verify` found wrong. */
export interface VerifyProblem {
  /**
   * `damaged-object`: failed its integrity check; `unreadable-object` / `unreadable-version`: the
   * filesystem refused it; `damaged-metadata`: definition.json is not valid; `missing-metadata`:
   * a version with objects but no definition.json (never current; the version's next call writes it).
   */
  readonly kind:
    'damaged-object' | 'unreadable-object' | 'unreadable-version' | 'damaged-metadata' | 'missing-metadata';
  readonly function: string;
  readonly hash: string;
  readonly file: string;
  readonly reason: string;
  /** Whether `--fix` removed it. */
  readonly fixed: boolean;
}

/** `funes verify --json`. */
export interface VerifyResult {
  readonly cache: string;
  readonly versions: number;
  /** Objects read and checked. */
  readonly objects: number;
  readonly problems: readonly VerifyProblem[];
  /** True when nothing is wrong any more (no problems, or all fixed). */
  readonly ok: boolean;
}

/** What {@link verifyCache} checks, whether it removes what is damaged, and how it reads. */
export interface VerifyOptions {
  /** Versions to check, in {@link selectVersions}'s grammar; all when empty. */
  readonly functions: readonly string[];
  /** Remove damaged objects and metadata (they are recomputed on their next call). */
  readonly fix: boolean;
  /** The reader for about `total` objects; by default each batch is read in this thread. */
  readonly reader?: (total: number) => ObjectReader;
  readonly progress?: ProgressFor;
}

function remove(file: string, fix: boolean): boolean {
  if (fix) removeFile(file);
  return fix;
}

async function verifyVersion(
  version: CachedVersion,
  fix: boolean,
  reader: ObjectReader,
  progress: ReturnType<ProgressFor>,
  found: (problem: VerifyProblem) => void,
): Promise<number> {
  const where = { function: version.name, hash: version.hash };
  if (version.metadata.status === 'damaged') {
    // memorious writes a missing definition.json again at the version's next store; a damaged one blocks that.
    found({
      kind: 'damaged-metadata',
      ...where,
      file: join(version.dir, METADATA_FILE),
      reason: version.metadata.reason,
      fixed: remove(version.metadata.file, fix),
    });
  }
  let objects = 0;
  const batches = objectFileBatches(version.dir, OBJECT_BATCH);
  for (let listed = 0; ; listed++) {
    let next: IteratorResult<string[]>;
    try {
      next = batches.next();
    } catch (error) {
      // One unreadable directory is reported; the others are still verified.
      found({
        kind: 'unreadable-version',
        ...where,
        file: version.dir,
        reason: `cannot be listed (${(error as NodeJS.ErrnoException).code ?? 'EIO'})`,
        fixed: false,
      });
      break;
    }
    if (next.done) break;
    if (listed === 0 && version.metadata.status === 'missing') {
      found({
        kind: 'missing-metadata',
        ...where,
        file: join(version.dir, METADATA_FILE),
        reason: 'missing: the version is never current until its next call writes it again',
        fixed: false,
      });
    }
    const read = await reader.read(next.value);
    progress.tick(next.value.length);
    objects += read.objects;
    for (const { file, reason, unreadable } of read.problems) {
      found(
        unreadable
          ? { kind: 'unreadable-object', ...where, file, reason, fixed: false }
          : { kind: 'damaged-object', ...where, file, reason, fixed: remove(file, fix) },
      );
    }
  }
  return objects;
}

function entryCount(dir: string): number {
  try {
    return countObjects(dir);
  } catch {
    return 0;
  }
}

/**
 * Reads every object of the selected versions (all when none are named) and checks it,
 * like `git fsck` or cacache's `verify`; with `fix`, removes damaged objects and
 * `definition.json` files. Only problems are kept, so memory stays flat.
 */
export async function verifyCache(listing: CacheListing, options: VerifyOptions): Promise<VerifyResult> {
  const versions = selectVersions(listing.versions, options.functions);
  const total = versions.reduce((sum, v) => sum + entryCount(v.dir), 0);
  const progress = (options.progress ?? NO_PROGRESS)('Verifying', total);
  const reader = options.reader ? options.reader(total) : inThreadReader('whole');
  const problems: VerifyProblem[] = [];
  let objects = 0;
  try {
    for (const version of versions) {
      objects += await verifyVersion(version, options.fix, reader, progress, (problem) => problems.push(problem));
    }
  } finally {
    await reader.close();
    progress.done();
  }
  return { cache: listing.dir, versions: versions.length, objects, problems, ok: problems.every((p) => p.fixed) };
}

/**
 * Checking a cache (`funes verify`): reads every object and checks it, and checks each
 * version's `definition.json`. Objects are read in batches, so memory stays flat however
 * large the cache; only problems are kept.
 */
import { linkSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { countObjects, objectFileBatches } from '../cache-index.js';
import { METADATA_FILE, tempName } from '../layout.js';
import { checkObjectFile } from '../store.js';
import { readVersionMetadata } from '../version-metadata.js';
import { NO_PROGRESS, type ProgressFor } from './gc.js';
import { isEmptyVersion } from './gc-plan.js';
import { inThreadReader, OBJECT_BATCH, type ObjectReader } from './read-objects.js';
import { refuseForeign, removeFile, removeVersionDir } from './remove.js';
import { selectVersions } from './select.js';
import type { CacheListing, CachedVersion } from './versions.js';

/** One thing `verify` found wrong. */
export interface VerifyProblem {
  /**
   * `damaged-object`: failed its integrity check; `unreadable-object` / `unreadable-version`: the
   * filesystem refused it; `damaged-metadata`: definition.json is not valid; `missing-metadata`:
   * a version with objects but no definition.json (never current; the version's next call writes it);
   * `empty-version`: a version directory with no object and no valid definition.json, which `fix` removes.
   */
  readonly kind:
    | 'damaged-object'
    | 'unreadable-object'
    | 'unreadable-version'
    | 'damaged-metadata'
    | 'missing-metadata'
    | 'empty-version';
  readonly function: string;
  readonly hash: string;
  readonly file: string;
  readonly reason: string;
  /** Whether `--fix` removed it. */
  readonly fixed: boolean;
  /** The code of what stopped `--fix` removing it (`EROFS`, `EFOREIGN`), when it tried and could not. */
  readonly fixRefused?: string;
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
  /** The reader of the objects (not counted first); by default each batch is read in this thread. */
  readonly reader?: () => ObjectReader;
  /** Reports progress, against a count of the objects made before reading them: none without it. */
  readonly progress?: ProgressFor;
}

type FixOutcome = Pick<VerifyProblem, 'fixed' | 'reason' | 'fixRefused'>;

/**
 * What `fix` did about a problem: `removal` done, or refused by the filesystem (a read-only
 * cache) or as not Funes' to remove, which is noted in the reason and leaves the problem open;
 * the rest are still fixed.
 */
function fixed(fix: boolean, reason: string, removal: () => boolean): FixOutcome {
  if (!fix) return { fixed: false, reason };
  try {
    return { fixed: removal(), reason };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { fixed: false, reason: `${reason}; --fix could not remove it (${code})`, fixRefused: code };
  }
}

/**
 * Removes an object found damaged, unless a process that met the same damage has stored its
 * result again under its name since it was read: the file is first renamed away (atomically,
 * to a temp name `gc` collects if this process is killed), checked again, and put back when
 * it is sound, unless an even newer one took its place.
 */
function removeDamagedObject(file: string): boolean {
  const away = join(dirname(file), tempName());
  try {
    renameSync(file, away);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  if (checkObjectFile(away, file).status === 'hit') {
    try {
      linkSync(away, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  removeFile(away);
  return true;
}

/** A batch of one version's objects to check, and the problems found before it in that version. */
interface VerifyJob {
  readonly files: readonly string[];
  readonly version: CachedVersion;
  readonly before: readonly VerifyProblem[];
}

/** The problem with a version's `definition.json` when it holds objects; removed with `fix` when damaged. */
function metadataProblem(version: CachedVersion, fix: boolean): VerifyProblem | undefined {
  const where = { function: version.name, hash: version.hash, file: join(version.dir, METADATA_FILE) };
  if (version.metadata.status === 'damaged') {
    const { file, reason } = version.metadata;
    // memorious writes a missing definition.json again at the version's next store; a damaged one blocks that.
    return {
      kind: 'damaged-metadata',
      ...where,
      ...fixed(fix, reason, () => {
        refuseForeign(version.dir);
        removeFile(file);
        return true;
      }),
    };
  }
  if (version.metadata.status === 'missing') {
    return {
      kind: 'missing-metadata',
      ...where,
      reason: 'missing: the version is never current until its next call writes it again',
      fixed: false,
    };
  }
  return undefined;
}

/**
 * A version directory holding no object and no valid `definition.json`, as a process killed before
 * its first write leaves it; removed with `fix`, unless a writer stored something in it meanwhile.
 */
function emptyVersionProblem(version: CachedVersion, fix: boolean): VerifyProblem {
  const reason = `holds no object and ${version.metadata.status === 'missing' ? 'no' : 'a damaged'} definition.json`;
  return {
    kind: 'empty-version',
    function: version.name,
    hash: version.hash,
    file: version.dir,
    ...fixed(fix, reason, () =>
      removeVersionDir(version.dir, (renamed) => !isEmptyVersion(emptiness(renamed, version))),
    ),
  };
}

/** What {@link isEmptyVersion} needs to know of a version directory as it is now. */
function emptiness(dir: string, version: CachedVersion) {
  return { objects: { count: countObjects(dir) }, version: { metadata: readVersionMetadata(dir, version.hash) } };
}

/**
 * Lists the objects of each version in batches, with its metadata's and listing's problems
 * placed before the batches they precede, so they come out in the order a walk finds them.
 */
function* verifyJobs(versions: readonly CachedVersion[], fix: boolean): Generator<VerifyJob> {
  for (const version of versions) {
    let before: VerifyProblem[] = [];
    const batches = objectFileBatches(version.dir, OBJECT_BATCH);
    for (let listed = 0; ; listed++) {
      let next: IteratorResult<string[], unknown>;
      try {
        next = batches.next();
      } catch (error) {
        // One unreadable directory is reported; the others are still verified.
        before.push({
          kind: 'unreadable-version',
          function: version.name,
          hash: version.hash,
          file: version.dir,
          reason: `cannot be listed (${(error as NodeJS.ErrnoException).code ?? 'EIO'})`,
          fixed: false,
        });
        break;
      }
      if (listed === 0) {
        const problem =
          next.done && isEmptyVersion({ objects: { count: 0 }, version })
            ? emptyVersionProblem(version, fix)
            : metadataProblem(version, fix);
        if (problem) before.push(problem);
      }
      if (next.done) break;
      yield { files: next.value, version, before };
      before = [];
    }
    if (before.length > 0) yield { files: [], version, before };
  }
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
  // Counted only for a progress report: a listing of every directory delays the first read.
  const total = options.progress ? versions.reduce((sum, v) => sum + entryCount(v.dir), 0) : 0;
  const progress = (options.progress ?? NO_PROGRESS)('Verifying', total);
  const reader = options.reader ? options.reader() : inThreadReader('whole');
  const problems: VerifyProblem[] = [];
  let objects = 0;
  try {
    await reader.readAll(verifyJobs(versions, options.fix), (read, { files, version, before }) => {
      problems.push(...before);
      progress.tick(files.length);
      objects += read.objects;
      const where = { function: version.name, hash: version.hash };
      for (const { file, reason, unreadable } of read.problems) {
        problems.push(
          unreadable
            ? { kind: 'unreadable-object', ...where, file, reason, fixed: false }
            : {
                kind: 'damaged-object',
                ...where,
                file,
                ...fixed(options.fix, reason, () => {
                  // A directory holding files Funes never writes is not a cache's: nothing in it is removed.
                  refuseForeign(version.dir);
                  return removeDamagedObject(file);
                }),
              },
        );
      }
    });
  } finally {
    await reader.close();
    progress.done();
  }
  return { cache: listing.dir, versions: versions.length, objects, problems, ok: problems.every((p) => p.fixed) };
}

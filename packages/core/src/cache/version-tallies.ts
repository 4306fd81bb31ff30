/**
 * Tallies of version directories kept between commands (`<cache>/.funes/tallies.json`), so that
 * `funes log`, `du` and `gc` on a large cache list and stat only the versions that changed, as
 * Git's index spares `git status` from reading unchanged files.
 *
 * Objects are only ever added, replaced or removed by renaming and unlinking in their version
 * directory, and each of these moves the directory's modification and change times. A tally
 * recorded with the directory's stamp (inode, mtime, ctime, taken before it was listed) therefore
 * holds as long as the stamp does. The files beside the objects (use markers, locks, temp files)
 * change in place, so they are stat'ed afresh by the names recorded. A stamp is recorded only once
 * it is older than the filesystem's timestamp granularity at the time it was taken (a change in the
 * same tick would not move it), measured on the filesystem's own clock. Damage inside an object
 * moves no stamp: `funes verify` reads every byte and is never answered from here.
 */
import { rmdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  describeVersionFiles,
  isVersionFile,
  tallyVersion,
  type ListedVersionFiles,
  type ObjectTotals,
  type VersionTally,
} from '../cache-index.js';
import { readRegularFile } from '../regular-file.js';
import { writeSettled } from './settled-write.js';

/** What reading a version's records found, kept beside its tally: only for versions whose every record was sound. */
export interface RecordedReads {
  /** Sum of the records' compute time, in seconds. */
  readonly seconds: number;
}

/** A version's tally as recorded, with what its records held when they were read. */
export interface RecordedTally extends VersionTally, ListedVersionFiles {
  readonly reads?: RecordedReads;
}

/** A version directory's stamp: inode, modification and change time in nanoseconds. */
export interface DirectoryStamp {
  readonly text: string;
  /** The later of mtime and ctime, in nanoseconds. */
  readonly changedNs: bigint;
}

interface Entry {
  readonly stamp: string;
  readonly objects: ObjectTotals;
  readonly names: readonly string[];
  readonly reads?: RecordedReads;
}

/** Where the tallies are kept, relative to the cache directory. */
export const TALLIES_FILE = join('.funes', 'tallies.json');

const FORMAT = 1;

/** The stamp of a version directory; undefined when it is gone or cannot be reached. */
export function stampOf(dir: string): DirectoryStamp | undefined {
  try {
    const stats = statSync(dir, { bigint: true });
    if (!stats.isDirectory()) return undefined;
    const changedNs = stats.mtimeNs > stats.ctimeNs ? stats.mtimeNs : stats.ctimeNs;
    return { text: `${stats.ino}:${stats.mtimeNs}:${stats.ctimeNs}`, changedNs };
  } catch {
    return undefined;
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isTime(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Whether a recorded name is one a version directory's listing could give for a file beside its objects: one path
 * component, since `gc` removes the temp and lock files a tally lists.
 */
function isNameInVersion(name: unknown): boolean {
  return typeof name === 'string' && isVersionFile(name) && !/[/\\\0]/.test(name);
}

/** A recorded entry as the file holds it, checked field by field: the file is only a hint, never trusted blindly. */
function entryOf(value: unknown): Entry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { stamp, objects, names, reads } = value as Record<string, unknown>;
  if (typeof stamp !== 'string' || !/^\d+:\d+:\d+$/.test(stamp)) return undefined;
  if (typeof objects !== 'object' || objects === null) return undefined;
  const { count, bytes, diskBytes, lastWrittenMs } = objects as Record<string, unknown>;
  if (!isCount(count) || !isCount(bytes) || !isCount(diskBytes) || !isTime(lastWrittenMs)) return undefined;
  if (!Array.isArray(names) || !names.every(isNameInVersion)) return undefined;
  let recordedReads: RecordedReads | undefined;
  if (reads !== undefined) {
    const seconds = (reads as Record<string, unknown> | null)?.seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return undefined;
    recordedReads = { seconds };
  }
  return {
    stamp,
    objects: { count, bytes, diskBytes, lastWrittenMs },
    names: names as string[],
    ...(recordedReads && { reads: recordedReads }),
  };
}

function readEntries(file: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readRegularFile(file, 'utf8'));
  } catch {
    return entries;
  }
  const { format, versions } = (parsed ?? {}) as Record<string, unknown>;
  if (format !== FORMAT || typeof versions !== 'object' || versions === null) return entries;
  for (const [key, value] of Object.entries(versions)) {
    const entry = entryOf(value);
    if (entry) entries.set(key, entry);
  }
  return entries;
}

/**
 * The tallies of one cache's versions for one command: read when first asked, answered from
 * what was recorded where a directory is unchanged, and saved with what the command counted anew.
 */
export class VersionTallies {
  private entries: Map<string, Entry> | undefined;
  private readonly fresh = new Map<string, { entry: Entry; changedNs: bigint }>();
  private readonly gone = new Set<string>();
  /** When this command began, on this process's clock: what it records is at most this old. */
  private readonly startedMs = performance.now();

  /**
   * @param cacheDir The cache directory.
   * @param versions Every version the cache holds, by directory and its name there (`<function-dir>/<hash>`);
   *   recorded tallies of versions not among them are dropped when saving.
   */
  constructor(
    private readonly cacheDir: string,
    private readonly versions: ReadonlyMap<string, string>,
  ) {}

  private loaded(): Map<string, Entry> {
    this.entries ??= readEntries(join(this.cacheDir, TALLIES_FILE));
    return this.entries;
  }

  /** The recorded tally of a version directory, when its stamp has not moved since; its other files stat'ed now. */
  recorded(dir: string): RecordedTally | undefined {
    const key = this.versions.get(dir);
    if (key === undefined) return undefined;
    const entry = this.fresh.get(key)?.entry ?? this.loaded().get(key);
    if (entry === undefined || stampOf(dir)?.text !== entry.stamp) return undefined;
    return {
      objects: entry.objects,
      ...describeVersionFiles(dir, entry.names),
      ...(entry.reads && { reads: entry.reads }),
    };
  }

  /** A version's tally: the recorded one while its directory is unchanged, otherwise counted (and recorded). */
  tally(dir: string): VersionTally {
    const recorded = this.recorded(dir);
    if (recorded) return recorded;
    const stamp = stampOf(dir);
    const tally = tallyVersion(dir);
    if (stamp) this.record(dir, stamp, tally.objects, tally.names);
    return tally;
  }

  /** Notes a version's tally, counted after `stamp` was taken, to be saved with the others. */
  record(
    dir: string,
    stamp: DirectoryStamp,
    objects: ObjectTotals,
    names: readonly string[],
    reads?: RecordedReads,
  ): void {
    const key = this.versions.get(dir);
    // A directory holding nothing Funes writes (another tool's, named by a --cache given by mistake) lists as
    // fast as its tally answers, and a command that only reads leaves no file among another tool's.
    if (key === undefined || (objects.count === 0 && names.length === 0)) return;
    const entry: Entry = { stamp: stamp.text, objects, names, ...(reads && { reads }) };
    this.fresh.set(key, { entry, changedNs: stamp.changedNs });
  }

  /** Notes that a version directory was removed: its tally goes when saving. */
  forget(dir: string): void {
    const key = this.versions.get(dir);
    if (key === undefined) return;
    this.gone.add(key);
    this.fresh.delete(key);
  }

  /**
   * Writes the tallies recorded (atomically; a cache that cannot be written to is left as it is).
   * Only stamps that had settled when this command started are kept (`settled-write.ts`). With
   * nothing left to keep, the file goes.
   */
  save(): void {
    const loaded = this.loaded();
    const present = new Set(this.versions.values());
    const kept = new Map([...loaded].filter(([key]) => present.has(key) && !this.gone.has(key)));
    if (this.fresh.size === 0 && kept.size === loaded.size) return;
    const written = writeSettled(this.cacheDir, TALLIES_FILE, performance.now() - this.startedMs, (settled) => {
      for (const [key, { entry, changedNs }] of this.fresh) {
        if (settled(changedNs)) kept.set(key, entry);
        else kept.delete(key);
      }
      return kept.size > 0 ? JSON.stringify({ format: FORMAT, versions: Object.fromEntries(kept) }) : undefined;
    });
    if (written !== 'nothing') return;
    try {
      rmSync(join(this.cacheDir, TALLIES_FILE), { force: true });
      // `.funes` holds other things too (failure records, remotes): it goes only when this left it empty.
      rmdirSync(join(this.cacheDir, '.funes'));
    } catch {
      // A read-only cache, or `.funes` holds more.
    }
  }
}

/**
 * Hint files a cache keeps beside its objects (`.funes/tallies.json`, `.funes/file-hashes/`) record stamps: a
 * file's or directory's times, which say whether it changed since. A stamp is worth keeping only once it has
 * settled: file systems keep times at a coarse granularity, so one taken within it of a change may not move for
 * another change made just after. Such files are written atomically, and judged by the file system's own clock.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { tempName } from '../layout.js';

/**
 * The coarsest timestamp granularity of the file systems a cache may sit on (FAT's; network file systems pass the
 * server's on).
 */
const GRANULARITY_NS = 2_000_000_000n;

/** Whether a stamp, whose later time is `changedNs`, had settled when it was taken at `takenNs`. */
export function settledAt(changedNs: bigint, takenNs: bigint): boolean {
  return changedNs + GRANULARITY_NS <= takenNs;
}

/** Whether a stamp, whose later time is `changedNs`, had settled when the stamps at hand were taken. */
export type Settled = (changedNs: bigint) => boolean;

/**
 * Writes `<cacheDir>/<relative>` (atomically) with what `compose` makes of the stamps that had settled, taken
 * `elapsedMs` ago: the temp file's creation time, on the file system's clock, less that, bounds when they were
 * taken. `compose` gives undefined to write nothing. The directories on the way are made inside a cache directory
 * that exists, never the cache directory itself: one made here would miss the `.gitignore` its first write gives
 * it. `written`, `nothing` (compose gave nothing), or `failed` (a read-only or full cache: the file is a hint).
 */
export function writeSettled(
  cacheDir: string,
  relative: string,
  elapsedMs: number,
  compose: (settled: Settled) => string | undefined,
): 'written' | 'nothing' | 'failed' {
  const file = join(cacheDir, relative);
  const temp = join(dirname(file), tempName());
  let fd: number | undefined;
  try {
    let dir = cacheDir;
    for (const part of dirname(relative).split(sep)) {
      dir = join(dir, part);
      if (!existsSync(dir)) mkdirSync(dir);
    }
    fd = openSync(temp, 'wx');
    const takenNs = fstatSync(fd, { bigint: true }).mtimeNs - BigInt(Math.ceil(elapsedMs * 1e6));
    const text = compose((changedNs) => settledAt(changedNs, takenNs));
    if (text !== undefined) writeFileSync(fd, text);
    closeSync(fd);
    fd = undefined;
    if (text === undefined) {
      unlinkSync(temp);
      return 'nothing';
    }
    renameSync(temp, file);
    return 'written';
  } catch {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Never made, or already gone.
    }
    return 'failed';
  }
}

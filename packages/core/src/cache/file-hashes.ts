/**
 * Content hashes of large files read as configuration (a dataset a function reads), kept between processes in
 * `<cache>/.funes/file-hashes/<SHA-256 of the path>`: a fresh process's hit need not read the whole file again.
 * Each entry holds the file's stamp (size, modification and change times, inode, device) and its hash; a file
 * whose stamp differs is read again. Best effort: a cache that cannot be written to keeps nothing.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileStamp, StoredFileHashes } from '../definition/configuration.js';
import { FILE_HASHES_DIR, isHash, tempName } from '../layout.js';
import { sha256Hex } from '../sha256.js';

/**
 * A stamp taken within this long (ns) of a change may not move on the next one: file systems keep times at a
 * coarse granularity (a clock tick; two seconds on FAT).
 */
const GRANULARITY_NS = 2_000_000_000n;

/** Remembered content hashes of files, by path, in one cache directory. */
export class FileHashes implements StoredFileHashes {
  private readonly dir: string;

  constructor(cacheDir: string) {
    this.dir = join(cacheDir, FILE_HASHES_DIR);
  }

  /** The hash remembered for `path` at `stamp`, if any. */
  get(path: string, stamp: FileStamp): string | undefined {
    let text: string;
    try {
      text = readFileSync(this.entry(path), 'utf8');
    } catch {
      return undefined;
    }
    const newline = text.indexOf('\n');
    const hash = text.slice(newline + 1);
    return newline > 0 && text.slice(0, newline) === stamp.text && isHash(hash) ? hash : undefined;
  }

  /**
   * Remembers `hash` for `path` at `stamp`, taken `elapsedMs` ago, unless the file had changed too recently then
   * to tell a later change by its times: the temp file's creation time, on the file system's clock, says when.
   */
  set(path: string, stamp: FileStamp, hash: string, elapsedMs: number): void {
    const temp = join(this.dir, tempName());
    let fd: number | undefined;
    try {
      // Inside a cache directory that exists: one made here would miss the `.gitignore` its first write gives it.
      for (const dir of [dirname(this.dir), this.dir]) {
        if (!existsSync(dir)) mkdirSync(dir);
      }
      fd = openSync(temp, 'wx');
      const takenNs = fstatSync(fd, { bigint: true }).mtimeNs - BigInt(Math.ceil(elapsedMs * 1e6));
      if (stamp.changedNs + GRANULARITY_NS <= takenNs) {
        writeSync(fd, `${stamp.text}\n${hash}`);
        closeSync(fd);
        fd = undefined;
        renameSync(temp, this.entry(path));
        return;
      }
      closeSync(fd);
      fd = undefined;
      unlinkSync(temp);
    } catch {
      if (fd !== undefined) closeSync(fd);
      try {
        unlinkSync(temp);
      } catch {
        // Never made, or already gone.
      }
    }
  }

  private entry(path: string): string {
    return join(this.dir, sha256Hex(path));
  }
}

/**
 * Content hashes of large files read as configuration (a dataset a function reads), kept between processes in
 * `<cache>/.funes/file-hashes/<SHA-256 of the path>`: a fresh process's hit need not read the whole file again.
 * Each entry holds the file's stamp (size, modification and change times, inode, device) and its hash; a file
 * whose stamp differs is read again. Best effort: a cache that cannot be written to keeps nothing.
 */
import { join } from 'node:path';
import type { FileStamp, StoredFileHashes } from '../definition/configuration.js';
import { FILE_HASHES_DIR, isHash } from '../layout.js';
import { readRegularFile } from '../regular-file.js';
import { sha256Hex } from '../sha256.js';
import { writeSettled } from './settled-write.js';

/** Remembered content hashes of files, by path, in one cache directory. */
export class FileHashes implements StoredFileHashes {
  constructor(private readonly cacheDir: string) {}

  /** The hash remembered for `path` at `stamp`, if any. */
  get(path: string, stamp: FileStamp): string | undefined {
    let text: string;
    try {
      // Not a FIFO planted there: a hint that would block is passed over.
      text = readRegularFile(join(this.cacheDir, this.entry(path)), 'utf8');
    } catch {
      return undefined;
    }
    const newline = text.indexOf('\n');
    const hash = text.slice(newline + 1);
    return newline > 0 && text.slice(0, newline) === stamp.text && isHash(hash) ? hash : undefined;
  }

  /**
   * Remembers `hash` for `path` at `stamp`, taken `elapsedMs` ago, unless the file had changed too recently then
   * to tell a later change by its times.
   */
  set(path: string, stamp: FileStamp, hash: string, elapsedMs: number): void {
    writeSettled(this.cacheDir, this.entry(path), elapsedMs, (settled) =>
      settled(stamp.changedNs) ? `${stamp.text}\n${hash}` : undefined,
    );
  }

  /** The entry of a path, relative to the cache directory. */
  private entry(path: string): string {
    return join(FILE_HASHES_DIR, sha256Hex(path));
  }
}

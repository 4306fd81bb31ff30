/**
 * Removing files from a cache, shared by `gc`, `rm` and `verify --fix`.
 */
import { rmdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

/** Removes a file; one already gone is fine. */
export function removeFile(file: string): void {
  rmSync(file, { force: true });
}

/** Removes a version directory, then its function directory when that is left empty. */
export function removeVersionDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  try {
    rmdirSync(dirname(dir));
  } catch (error) {
    // Other versions remain (ENOTEMPTY), or another process removed it first.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw error;
  }
}

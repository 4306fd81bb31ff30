/**
 * `mkdir -p` that reports the real cause of a failure, and always ends. Node's recursive
 * `mkdir` answers ENOENT when a missing parent cannot be made — on a read-only filesystem,
 * or in a directory without write permission — so the caller would be told a path is
 * missing instead of that it cannot be written (EROFS, EACCES); and where a directory
 * exists but refuses new entries with ENOENT (procfs, sysfs) it retries forever. Each
 * directory is made here alone, outermost missing first, and tried once more at most.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Creates `dir` and its missing parents; returns the first directory created, if any. */
export function makeDirectory(dir: string): string | undefined {
  try {
    mkdirSync(dir);
    return dir;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && isDirectory(dir)) return undefined;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
    const first = makeDirectory(parent);
    try {
      mkdirSync(dir);
    } catch (again) {
      // Made meanwhile by another process is as good as made here.
      if ((again as NodeJS.ErrnoException).code === 'EEXIST' && isDirectory(dir)) return first;
      throw again;
    }
    return first ?? dir;
  }
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

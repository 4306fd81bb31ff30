/**
 * `mkdir -p` that reports the real cause of a failure. Node's recursive `mkdir` answers
 * ENOENT when a missing parent cannot be made — on a read-only filesystem, or in a
 * directory without write permission — so the caller would be told a path is missing
 * instead of that it cannot be written (EROFS, EACCES).
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Creates `dir` and its missing parents; returns the first directory created, if any. */
export function makeDirectory(dir: string): string | undefined {
  try {
    return mkdirSync(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // Create the first missing directory alone: its error is the real one.
    const missing = firstMissing(dir);
    try {
      mkdirSync(missing);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw code === 'ENOENT' || code === 'EEXIST' ? error : cause;
    }
    // It could be made after all (a parent appeared meanwhile): so can the rest.
    mkdirSync(dir, { recursive: true });
    return missing;
  }
}

/** The outermost directory of `dir`'s path that does not exist. */
function firstMissing(dir: string): string {
  let missing = dir;
  while (dirname(missing) !== missing && !exists(dirname(missing))) missing = dirname(missing);
  return missing;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

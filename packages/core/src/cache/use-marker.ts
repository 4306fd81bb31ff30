/**
 * Which version of a function is in use. A process that reads or writes a version
 * touches `<version-dir>/.used` once, so the marker's modification time is the
 * version's last use on this machine. It lives beside the objects, never in them:
 * bundles and remotes do not carry it, so no date from elsewhere decides what is
 * current here.
 */
import { closeSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { USED_FILE } from '../layout.js';

/**
 * Marks a version as used now. Opening with truncation sets the time and needs only
 * write permission (setting times explicitly needs ownership, which a shared cache
 * lacks). False when the version directory does not exist yet or is not writable:
 * a read-only cache still serves hits.
 */
export function markUsed(versionDir: string): boolean {
  try {
    closeSync(openSync(join(versionDir, USED_FILE), 'w'));
    return true;
  } catch {
    return false;
  }
}

/** When a version was last used here (ms since the epoch); null when never, or before use markers existed. */
export function lastUsedMs(versionDir: string): number | null {
  try {
    return statSync(join(versionDir, USED_FILE), { throwIfNoEntry: false })?.mtimeMs ?? null;
  } catch {
    return null;
  }
}

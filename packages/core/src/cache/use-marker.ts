/**
 * Which version of a function is in use. A process that reads or writes a version
 * touches `<version-dir>/.used` once, so the marker's modification time is the
 * version's last use on this machine. When the function's module lies in a project
 * directory, the process also writes that directory's marker, `.used-<id>`, holding its
 * path: projects (or checkouts of one project) sharing a cache each keep the version
 * their own code uses. Markers live beside the objects, never in them: bundles and
 * remotes do not carry them, so no date from elsewhere decides what is current here.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isProjectUsedFile, projectUsedFile, USED_FILE } from '../layout.js';

/**
 * Marks a version as used now, by `projectDir` when given. Opening with truncation sets
 * the time and needs only write permission (setting times explicitly needs ownership,
 * which a shared cache lacks). False when the version directory does not exist yet or is
 * not writable: a read-only cache still serves hits.
 */
export function markUsed(versionDir: string, projectDir?: string): boolean {
  try {
    closeSync(openSync(join(versionDir, USED_FILE), 'w'));
  } catch {
    return false;
  }
  if (projectDir !== undefined) {
    try {
      writeFileSync(join(versionDir, projectUsedFile(projectDir)), projectDir);
    } catch {
      // The version-wide mark is made; only which project used the version stays unknown.
    }
  }
  return true;
}

function modifiedMs(file: string): number | null {
  try {
    return statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? null;
  } catch {
    return null;
  }
}

/** When a version was last used here (ms since the epoch); null when never, or before use markers existed. */
export function lastUsedMs(versionDir: string): number | null {
  return modifiedMs(join(versionDir, USED_FILE));
}

/** The markers of the project directories holding `dir`: `dir` itself and every directory above it. */
export function projectUsedFilesAt(dir: string): string[] {
  const files = [projectUsedFile(dir)];
  for (let at = dir, parent = dirname(at); parent !== at; at = parent, parent = dirname(at)) {
    files.push(projectUsedFile(parent));
  }
  return files;
}

/** The latest use of a version by the project directories whose markers are named; null when none used it. */
export function lastUsedByMs(versionDir: string, markers: readonly string[]): number | null {
  let latest: number | null = null;
  for (const marker of markers) {
    const ms = modifiedMs(join(versionDir, marker));
    if (ms !== null && (latest === null || ms > latest)) latest = ms;
  }
  return latest;
}

/** Whether any project directory marked the version used (none: it is nobody's in particular). */
export function usedByAnyProject(versionDir: string): boolean {
  try {
    return readdirSync(versionDir).some(isProjectUsedFile);
  } catch {
    return false;
  }
}

/** One project directory's use of a version, from its marker. */
export interface ProjectUse {
  /** The marker's name: one per project directory. */
  readonly marker: string;
  /** The project directory (absolute); null when its marker could not be read (being written). */
  readonly dir: string | null;
  /** Its last use of the version. */
  readonly usedMs: number;
  /**
   * Whether the project directory is still there. A marker that cannot be read (being
   * written) counts as there: a project's use is never dismissed on a guess.
   */
  readonly present: boolean;
}

/** Reads a project marker found in a version directory (its mtime already known). */
export function readProjectUse(file: string, usedMs: number): ProjectUse {
  const marker = basename(file);
  let dir: string;
  try {
    dir = readFileSync(file, 'utf8');
  } catch {
    return { marker, dir: null, usedMs, present: true };
  }
  return dir === '' ? { marker, dir: null, usedMs, present: true } : { marker, dir, usedMs, present: existsSync(dir) };
}

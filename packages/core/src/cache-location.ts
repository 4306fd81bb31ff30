/**
 * Where a wrapped function's cache lives, and how a cache directory is first made.
 *
 * The default is `cache` in the project root of the module that wraps the function —
 * the nearest directory above it holding a package.json — so a script run from a
 * subdirectory (`cd src && node train.mjs`) uses the project's one cache. A module
 * inside node_modules belongs to the project that installed it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { createFileAtomic } from './store.js';
import { makeDirectory } from './make-directory.js';

export const DEFAULT_CACHE_NAME = 'cache';

/**
 * The nearest directory at or above `dir` holding a package.json, outside node_modules; undefined when there is none.
 */
export function projectDir(dir: string): string | undefined {
  const installed = dir.indexOf(`${sep}node_modules${sep}`);
  const start = installed >= 0 ? dir.slice(0, installed) : dir.endsWith(`${sep}node_modules`) ? dirname(dir) : dir;
  for (let current = start; ; current = dirname(current)) {
    if (existsSync(join(current, 'package.json'))) return current;
    if (dirname(current) === current) return undefined;
  }
}

/**
 * The cache directory: the `cacheDir` option, else `$FUNES_CACHE_DIR` (both against the
 * working directory), else `cache` in the project root of `definingFile`, else in the
 * working directory.
 */
export function resolveCacheDir(
  option: string | undefined,
  definingFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const given = option ?? (env.FUNES_CACHE_DIR || undefined);
  if (given !== undefined) return resolve(given);
  const root = definingFile === undefined ? undefined : projectDir(dirname(definingFile));
  return join(root ?? process.cwd(), DEFAULT_CACHE_NAME);
}

/** The default cache directory for tools run in `cwd`: `cache` in its project root, else in `cwd`. */
export function projectCacheDir(cwd: string): string {
  return join(projectDir(resolve(cwd)) ?? resolve(cwd), DEFAULT_CACHE_NAME);
}

const GITIGNORE = '# Created by Funes: results are not source. Remove this file to commit them.\n*\n';

/**
 * Creates `cacheDir` when it does not exist, with a `.gitignore` holding `*` so that
 * `git add .` leaves results out; a directory that exists is never touched. Failures
 * are left to the write that follows, which reports them.
 */
export function prepareCacheDir(cacheDir: string): void {
  if (existsSync(cacheDir)) return;
  try {
    makeDirectory(dirname(cacheDir));
    mkdirSync(cacheDir);
  } catch {
    return; // Made meanwhile by another process (which writes the file), or not writable.
  }
  try {
    createFileAtomic(join(cacheDir, '.gitignore'), cacheDir, [Buffer.from(GITIGNORE)]);
  } catch {
    // An unwritable directory: the record's write reports it.
  }
}

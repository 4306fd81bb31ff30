/**
 * Where things live in a cache directory (pure):
 *
 * ```
 * <cacheDir>/.funes/tallies.json                                  what tools last counted in each version directory
 * <cacheDir>/.funes/file-hashes/<sha256 of a path>                 a large configuration file's stamp and content hash
 * <cacheDir>/<function-dir>/<definition-hash>/<argument-hash>   one object per call
 * <cacheDir>/<function-dir>/<definition-hash>/definition.json    what the version hashed
 * <cacheDir>/<function-dir>/<definition-hash>/.used              its modification time: the version's last use here
 * <cacheDir>/<function-dir>/<definition-hash>/.used-<16 hex>     the same for one project directory, which it holds
 * <cacheDir>/<function-dir>/.removing-<definition-hash>-<pid>-<hex>  a version being removed (renamed away first)
 * <cacheDir>/<function-dir>/<definition-hash>/.tmp-<pid>-<hex>    a write in progress (or left by a killed process)
 * <cacheDir>/<function-dir>/<definition-hash>/.lock-<argument-hash> a process computing that call (`lock` option)
 * <cacheDir>/<function-dir>/<definition-hash>/.lock-<argument-hash>.break-<token>  a stale lock being taken over
 * ```
 * Hashes are 64 lowercase hex digits; nothing else in a version directory can look like
 * one, and temp and lock files start with a dot, so they never collide with an object or
 * `definition.json`.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { InvalidUsageError } from './errors.js';
import { sha256Hex } from './sha256.js';

export const METADATA_FILE = 'definition.json';
/** Content hashes of large files read as configuration: see `cache/file-hashes.ts`. */
export const FILE_HASHES_DIR = join('.funes', 'file-hashes');
export const TEMP_PREFIX = '.tmp-';
export const LOCK_PREFIX = '.lock-';
/** The use marker: see `cache/use-marker.ts`. */
export const USED_FILE = '.used';
/** A project directory's use marker: `.used-` and the first 16 hex digits of the SHA-256 of its path. */
export const PROJECT_USED_PREFIX = '.used-';
const PROJECT_USED_LENGTH = PROJECT_USED_PREFIX.length + 16;
/** A version directory renamed away to be removed: see `cache/remove.ts`. */
export const REMOVING_PREFIX = '.removing-';
const MAX_NAME_BYTES = 120;

/** Whether a directory entry is an argument hash (a stored object): 64 lower-case hex digits. */
export function isHash(name: string): boolean {
  if (name.length !== 64) return false;
  // A loop, not a regular expression: listing a cache tests every name, and the loop is several times faster.
  for (let i = 0; i < 64; i++) {
    const code = name.charCodeAt(i);
    if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66))) return false;
  }
  return true;
}

/** Whether a directory entry is a temp file left by a write (in progress or crashed). */
export function isTempFile(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/** The name of the use marker of one project directory (absolute): see `cache/use-marker.ts`. */
export function projectUsedFile(projectDir: string): string {
  return `${PROJECT_USED_PREFIX}${sha256Hex(projectDir).slice(0, 16)}`;
}

/** Whether a directory entry is a project directory's use marker. */
export function isProjectUsedFile(name: string): boolean {
  return name.length === PROJECT_USED_LENGTH && name.startsWith(PROJECT_USED_PREFIX) &&
    /^[0-9a-f]{16}$/.test(name.slice(PROJECT_USED_PREFIX.length));
}

/**
 * Whether a directory entry is a lock file (held, stale, or being taken over) rather than an object or leftover write.
 */
export function isLockFile(name: string): boolean {
  return name.startsWith(LOCK_PREFIX);
}

/** The lock file for one call: `.lock-<argument-hash>` in the version directory. */
export function lockPath(versionDir: string, argumentHash: string): string {
  return join(versionDir, `${LOCK_PREFIX}${argumentHash}`);
}

/**
 * The directory name for a function name: safe on every filesystem and never a path
 * outside the cache. Characters outside `[A-Za-z0-9_$.-]` and a leading dot are
 * %-escaped; very long names are cut and suffixed with a hash of the whole name.
 */
export function functionDirName(name: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidUsageError('a memorious function needs a name: pass a named function or the `name` option');
  }
  let escaped = '';
  for (const char of name) {
    const safe = /^[A-Za-z0-9_$.-]$/.test(char) && !(escaped === '' && char === '.');
    escaped += safe
      ? char
      : [...Buffer.from(char, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  if (escaped.length > MAX_NAME_BYTES) {
    const digest = sha256Hex(name).slice(0, 16);
    escaped = `${escaped.slice(0, MAX_NAME_BYTES - 17).replace(/%[0-9A-F]?$/, '')}~${digest}`;
  }
  return escaped;
}

/** Whether `name` is a directory name {@link functionDirName} can produce, so one that stays inside the cache. */
export function isFunctionDirName(name: string): boolean {
  const roundTrips = (dir: string) => dir !== '' && functionDirName(functionNameOfDir(dir)) === dir;
  // Long names are cut and suffixed with `~` and 16 hex digits of their hash.
  const cut = /^(.+)~[0-9a-f]{16}$/.exec(name);
  return roundTrips(name) || (cut !== null && roundTrips(cut[1]));
}

/** A file of the layout named relative to the cache directory. */
export interface CachePath {
  readonly functionDir: string;
  readonly definitionHash: string;
  /** An argument hash, or `definition.json`. */
  readonly file: string;
}

/**
 * Reads `<function-dir>/<definition-hash>/<argument-hash | definition.json>`; undefined
 * for any other name. Names from bundles and remotes are untrusted: only these can be written.
 */
export function parseCachePath(relative: string): CachePath | undefined {
  const parts = relative.split('/');
  if (parts.length !== 3) return undefined;
  const [functionDir, definitionHash, file] = parts;
  if (!isFunctionDirName(functionDir) || !isHash(definitionHash) || !(isHash(file) || file === METADATA_FILE)) {
    return undefined;
  }
  return { functionDir, definitionHash, file };
}

/**
 * The function name a directory name stands for (the inverse of {@link functionDirName} for names that were not cut).
 */
export function functionNameOfDir(dir: string): string {
  try {
    return decodeURIComponent(dir);
  } catch {
    return dir;
  }
}

export function versionDir(cacheDir: string, functionDir: string, definitionHash: string): string {
  return join(cacheDir, functionDir, definitionHash);
}

/**
 * Unique per process, drawn once: a random draw per write would slow every write, and Math.random
 * would repeat across processes inside a seeded call.
 */
const processToken = randomBytes(4).toString('hex');
let tempCounter = 0;

/** A unique temp file name next to `target`'s directory; the pid helps `gc` tell live writers from crashed ones. */
export function tempName(): string {
  return `${TEMP_PREFIX}${process.pid}-${processToken}-${(tempCounter++).toString(36)}`;
}


/**
 * The key an object file is stored under, from its path `…/<definition-hash>/<argument-hash>`;
 * undefined for a path not shaped so.
 */
export function addressOfObjectPath(
  file: string,
): { readonly definitionHash: string; readonly argumentHash: string } | undefined {
  // Sliced from the end, not split: listing a cache reads every object's path.
  const end = file.length;
  if (end < 129 || !isSeparator(file, end - 65) || (end > 129 && !isSeparator(file, end - 130))) return undefined;
  const definitionHash = file.slice(end - 129, end - 65);
  const argumentHash = file.slice(end - 64);
  return isHash(definitionHash) && isHash(argumentHash) ? { definitionHash, argumentHash } : undefined;
}

function isSeparator(path: string, at: number): boolean {
  const code = path.charCodeAt(at);
  return code === 0x2f || code === 0x5c;
}

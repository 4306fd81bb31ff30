/**
 * A cache directory as the CLI sees it: @funes/core/cache's listing, opened once per
 * command, with the CLI's errors and labels.
 */
import { statSync } from 'node:fs';
import {
  identityOf,
  listCache,
  otherFunctionsNamed,
  type CacheListing,
  type CachedVersion,
  type VersionMetadata,
} from '@funes/core/cache';
import { CliError, hintForErrno } from './errors.js';
import type { Output } from './output.js';

/** One function version in the cache. */
export type Version = CachedVersion;

/** An opened cache directory. */
export type Cache = CacheListing;

/** Opens a cache directory; a one-line error with a hint when it is missing or unreadable. */
export function openCache(dir: string): Cache {
  try {
    return listCache(dir);
  } catch (error) {
    throw cacheDirError(dir, error as NodeJS.ErrnoException);
  }
}

/**
 * For commands that create the cache directory when it is missing (`unpack`, `pull`,
 * `remote add`): the error {@link openCache} gives when something else is in its place,
 * before any file is written under it.
 */
export function checkCachePlace(dir: string): void {
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory() === false) {
    throw cacheDirError(dir, Object.assign(new Error(`ENOTDIR: ${dir}`), { code: 'ENOTDIR' }));
  }
}

function cacheDirError(dir: string, error: NodeJS.ErrnoException): CliError {
  const where = 'pass --cache <dir> or set FUNES_CACHE_DIR';
  switch (error.code) {
    case 'ENOENT':
      return new CliError('ENOCACHE', `no cache directory at ${dir}`, {
        hint: `run inside the project (its cache is in the root, beside package.json), or ${where}`,
        cause: error,
      });
    case 'ENOTDIR':
      return new CliError('ENOCACHE', `${dir} is not a directory`, { hint: where, cause: error });
    default:
      return new CliError('ECACHEREAD', `cannot read the cache directory ${dir} (${error.code ?? error.message})`, {
        hint: hintForErrno(error.code) ?? where,
        cause: error,
      });
  }
}

/**
 * A version's metadata, or an error saying its `definition.json` is missing or damaged
 * (commands that show source or dependencies cannot work without it).
 */
export function requireMetadata(version: Version): VersionMetadata {
  const { metadata } = version;
  if (metadata.status === 'ok') return metadata.metadata;
  const label = versionLabel(version);
  const hint = `run \`funes verify\` to check the cache; \`funes rm ${label} --force\` removes the version`;
  if (metadata.status === 'missing') return throwMetadata(`${label} has no definition.json`, hint);
  return throwMetadata(`${metadata.file} is damaged (${metadata.reason})`, hint);
}

function throwMetadata(message: string, hint: string): never {
  throw new CliError('EMETADATA', message, { hint });
}

/** How many hex digits of a hash the CLI prints. */
export const SHORT_HASH = 12;

/** A hash as printed: the first {@link SHORT_HASH} digits. */
export function shortHash(hash: string): string {
  return hash.slice(0, SHORT_HASH);
}

/** `train@7e8f44270c3a`: how messages name a version. */
export function versionLabel(version: { readonly name: string; readonly hash: string }): string {
  return `${version.name}@${shortHash(version.hash)}`;
}

/**
 * Warns when `spec` names a function defined in several modules, of which a command needing one version took
 * `chosen` (the one used last): the user learns whose results these are, and how to name the others'.
 */
export function warnOtherFunctionsNamed(
  out: Output,
  versions: readonly Version[],
  spec: string,
  chosen: Version,
  command: string,
): void {
  const others = otherFunctionsNamed(versions, spec, chosen);
  if (others.length === 0) return;
  const moduleOf = (version: Version) => version.module ?? 'an unknown module';
  out.warn(
    `'${spec}' names functions of ${others.length + 1} modules: this is ${versionLabel(chosen)} of ` +
        `${moduleOf(chosen)}, the one used last; name another by its hash: ` +
        others.map((version) => `funes ${command} ${versionLabel(version)} (${moduleOf(version)})`).join(', '),
  );
}

/**
 * Every version of `chosen`'s function: its name and module, as `gc` keeps them apart. A version whose
 * `definition.json` is missing or damaged cannot be told apart: it is taken when no other module's function
 * shares the directory, where it can be no other's. Pure.
 */
export function versionsOfFunction(versions: readonly Version[], chosen: Version): Version[] {
  const inDir = versions.filter((version) => version.functionDir === chosen.functionDir);
  const ours = (version: Version) => identityOf(version) === identityOf(chosen);
  const alone = inDir.every((version) => version.metadata.status !== 'ok' || ours(version));
  return inDir.filter((version) => version === chosen || (version.metadata.status === 'ok' ? ours(version) : alone));
}

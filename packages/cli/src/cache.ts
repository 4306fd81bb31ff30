/**
 * A cache directory as the CLI sees it: its function versions with their metadata,
 * opened once per command. Listing goes through @funes/core's cache index, so the
 * CLI never parses the layout itself.
 */
import { statSync } from 'node:fs';
import { functionNameOfDir, listVersions, readVersionMetadata, type MetadataResult, type VersionMetadata } from '@funes/core';
import { CliError, hintForErrno } from './errors.js';

/** One function version in the cache. */
export interface Version {
  /** The function directory's name. */
  readonly functionDir: string;
  /** The function's name: from `definition.json`, else from its directory. */
  readonly name: string;
  /** The defining module (project-relative), when known. */
  readonly module: string | null;
  /** The 64-hex definition hash (the version directory's name). */
  readonly hash: string;
  readonly dir: string;
  /** When the version was created: `definition.json`'s createdAt, else the directory's time. */
  readonly createdMs: number;
  readonly metadata: MetadataResult;
}

/** An opened cache directory. */
export interface Cache {
  readonly dir: string;
  readonly versions: readonly Version[];
}

/** Opens a cache directory; a one-line error with a hint when it is missing or unreadable. */
export function openCache(dir: string): Cache {
  let locations;
  try {
    locations = listVersions(dir);
  } catch (error) {
    throw cacheDirError(dir, error as NodeJS.ErrnoException);
  }
  const versions = locations.map(({ functionDir, definitionHash, dir: versionDir }): Version => {
    const metadata = readVersionMetadata(versionDir, definitionHash);
    const known = metadata.status === 'ok' ? metadata.metadata : undefined;
    return {
      functionDir,
      name: known?.name ?? functionNameOfDir(functionDir),
      module: known?.module ?? null,
      hash: definitionHash,
      dir: versionDir,
      createdMs: known ? Date.parse(known.createdAt) : directoryTime(versionDir),
      metadata,
    };
  });
  return { dir, versions };
}

function directoryTime(dir: string): number {
  try {
    const stats = statSync(dir);
    return stats.birthtimeMs || stats.mtimeMs;
  } catch {
    return 0;
  }
}

function cacheDirError(dir: string, error: NodeJS.ErrnoException): CliError {
  const where = 'pass --cache <dir> or set FUNES_CACHE_DIR';
  switch (error.code) {
    case 'ENOENT':
      return new CliError('ENOCACHE', `no cache directory at ${dir}`, { hint: `run from the directory that holds ./cache, or ${where}`, cause: error });
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

/** The key that groups versions of one function: its name and defining module, not its directory. */
export function identityOf(version: Version): string {
  return `${version.name}\0${version.module ?? ''}`;
}

/** Newest first: by creation time, then by hash so the order is stable. */
export function byNewest(a: Version, b: Version): number {
  return b.createdMs - a.createdMs || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);
}

/** The newest version of each function identity. */
export function newestVersions(versions: readonly Version[]): Set<Version> {
  const newest = new Map<string, Version>();
  for (const version of versions) {
    const current = newest.get(identityOf(version));
    if (!current || byNewest(version, current) < 0) newest.set(identityOf(version), version);
  }
  return new Set(newest.values());
}

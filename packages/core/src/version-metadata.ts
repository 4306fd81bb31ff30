/**
 * `definition.json`, the metadata file of a version directory: its one typed contract,
 * its writer (memorious, before a version's first result) and its checks, used by every
 * reader (the CLI, the ui, and `unpack` and `pull` before what they bring enters a cache).
 */
import { join } from 'node:path';
import type { DefinitionDescription, Dependency } from './definition/index.js';
import { functionDirName, isHash, METADATA_FILE } from './layout.js';
import { NotRegularFileError, readRegularFile } from './regular-file.js';
import { FUNES_VERSION } from './version.js';

/** What a version directory's `definition.json` holds (written once, by the first process that stores a result). */
export interface VersionMetadata {
  /** The contract's version: 1 (docs/format.md). */
  readonly format: 1;
  /** The function's name as memorious knew it. */
  readonly name: string;
  /** 64-hex definition hash: the version directory's name. */
  readonly definitionHash: string;
  /** The defining module, project-relative and `/`-separated; null when unknown. */
  readonly module: string | null;
  readonly source: string;
  readonly dependencies: readonly Dependency[];
  readonly warnings: readonly string[];
  readonly pinnedVersion: string | null;
  /** ISO 8601 time the version's first result was stored. */
  readonly createdAt: string;
  /** Funes version that wrote it. */
  readonly funes: string;
}

export type MetadataResult =
  | { readonly status: 'ok'; readonly metadata: VersionMetadata }
  | { readonly status: 'missing' }
  | { readonly status: 'damaged'; readonly file: string; readonly reason: string };

/** The `definition.json` memorious writes for a version of the function `name`, first stored now. */
export function versionMetadata(name: string, definition: DefinitionDescription): VersionMetadata {
  return {
    format: 1,
    name,
    definitionHash: definition.hash,
    module: definition.modulePath ?? null,
    source: definition.source,
    dependencies: definition.dependencies,
    warnings: definition.warnings,
    pinnedVersion: definition.pinnedVersion ?? null,
    createdAt: new Date().toISOString(),
    funes: FUNES_VERSION,
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';

/**
 * How deep arrays and objects may nest in a `definition.json`: far deeper than any Funes
 * writes, far shallower than what overflows the stack of a reader that prints or compares it.
 */
const MAX_METADATA_DEPTH = 100;

/** Whether a parsed JSON value nests arrays and objects deeper than `limit`; measured without recursion. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth > limit) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

/**
 * Why a parsed `definition.json` breaks its contract (docs/format.md), or undefined when
 * it keeps it: every field of {@link VersionMetadata} present and well typed (fields
 * added by later Funes versions are allowed), nothing nested deeper than
 * {@link MAX_METADATA_DEPTH}, its `definitionHash` the version
 * directory's name and, when `functionDir` is given, its `name` the function directory's.
 * Its writer is memorious; its readers are every tool, and `unpack` and `pull` check
 * what a bundle or remote brings against it before it enters a cache.
 */
export function metadataDefect(
  value: unknown,
  where: { readonly definitionHash?: string; readonly functionDir?: string },
): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  if (nestsDeeperThan(value, MAX_METADATA_DEPTH)) return `nested deeper than ${MAX_METADATA_DEPTH} levels`;
  const m = value as Record<string, unknown>;
  if (m.format !== 1) return 'its format is not 1';
  if (!isString(m.name) || m.name === '') return 'no function name';
  if (!isString(m.definitionHash) || !isHash(m.definitionHash)) return 'no definition hash';
  if (where.definitionHash !== undefined && m.definitionHash !== where.definitionHash) {
    return 'its definition hash is not its directory name';
  }
  if (where.functionDir !== undefined && !functionDirMatches(m.name, where.functionDir)) {
    return 'its function name is not its directory name';
  }
  if (!(m.module === null || isString(m.module))) return 'module is neither a string nor null';
  if (!isString(m.source)) return 'no source text';
  if (
    !Array.isArray(m.dependencies) ||
    !m.dependencies.every((d) => d !== null && typeof d === 'object' && !Array.isArray(d))
  ) {
    return 'dependencies is not a list of objects';
  }
  if (!Array.isArray(m.warnings) || !m.warnings.every(isString)) return 'warnings is not a list of strings';
  if (!(m.pinnedVersion === null || isString(m.pinnedVersion))) return 'pinnedVersion is neither a string nor null';
  if (!isString(m.createdAt) || Number.isNaN(Date.parse(m.createdAt))) return 'no valid createdAt time';
  if (!isString(m.funes)) return 'no Funes version';
  return undefined;
}

/** Whether a function name is stored under this directory name (see `functionDirName`). */
function functionDirMatches(name: string, functionDir: string): boolean {
  return functionDirName(name) === functionDir;
}

function damagedMetadata(file: string, reason: string): MetadataResult {
  return { status: 'damaged', file, reason };
}

/**
 * Reads and checks a version's `definition.json`. Fields added by later Funes versions
 * are kept; the ones tools rely on must be present and well typed.
 */
export function readVersionMetadata(versionDir: string, definitionHash?: string): MetadataResult {
  const file = join(versionDir, METADATA_FILE);
  let text: string;
  try {
    text = readRegularFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'missing' };
    if (error instanceof NotRegularFileError) return damagedMetadata(file, 'not a regular file');
    return damagedMetadata(file, `cannot be read: ${code ?? (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return damagedMetadata(file, 'not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return damagedMetadata(file, 'not a JSON object');
  }
  const reason = metadataDefect(value, { definitionHash });
  if (reason !== undefined) return damagedMetadata(file, reason);
  return { status: 'ok', metadata: value as VersionMetadata };
}

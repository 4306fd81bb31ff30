/**
 * The bundle manifest (pure): the first entry of every bundle, `funes-bundle.json`.
 * It lists every entry that follows with its size and digest, so a bundle can be
 * listed without extracting it and every entry can be checked against it.
 *
 * ```json
 * {
 *   "format": "funes-bundle", "version": 1,
 *   "createdAt": "2026-11-25T20:00:00.000Z", "funes": "0.1.0",
 *   "objectCount": 1, "bytes": 1187,
 *   "versions": [{
 *     "functionDir": "train", "definitionHash": "<64 hex>",
 *     "metadata": { "size": 912, "sha256": "<64 hex: SHA-256 of definition.json>" },
 *     "objects": [{
 *       "argumentHash": "<64 hex>", "size": 275,
 *       "digest": "<64 hex: the digest the object's header seals it with>"
 *     }]
 *   }]
 * }
 * ```
 * Entry names are `<functionDir>/<definitionHash>/<argumentHash | definition.json>`,
 * relative to the cache directory. docs/sync.md is the normative description.
 */
import { functionNameOfDir, isFunctionDirName, isHash, METADATA_FILE } from '@funes/core/internal';
import { BundleFormatError, DuplicateEntryError, UnsafeEntryError } from './errors.js';

/** Name of the manifest entry, always first in a bundle. */
export const MANIFEST_ENTRY = 'funes-bundle.json';
/** The manifest's `format` field: what the file is. */
export const BUNDLE_FORMAT = 'funes-bundle';
/** The manifest's `version` field: the bundle format version this code writes and reads. */
export const BUNDLE_VERSION = 1;
/**
 * A manifest lists a few hundred bytes per object, so this allows
 * several hundred thousand objects while bounding what is parsed.
 */
export const MAX_MANIFEST_BYTES = 128 * 1024 * 1024;
/** definition.json holds source text; anything larger is not one memorious wrote. */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;

/** One stored object in a bundle. */
export interface ManifestObject {
  readonly argumentHash: string;
  /** Bytes of the object file. */
  readonly size: number;
  /**
   * Hex digest the object's header seals it with (format 2's
   * seal, format 1's payload SHA-256), as the header records it.
   */
  readonly digest: string;
}

/** A version's `definition.json` in a bundle. */
export interface ManifestFile {
  readonly size: number;
  /** Hex SHA-256 of the file's bytes. */
  readonly sha256: string;
}

/** One function version in a bundle. */
export interface ManifestVersion {
  /** The function directory's name (an escaped function name). */
  readonly functionDir: string;
  readonly definitionHash: string;
  /** The version's `definition.json`, or null when the cache had none. */
  readonly metadata: ManifestFile | null;
  readonly objects: readonly ManifestObject[];
}

/**
 * Bytes of the objects of some versions, the size tools report
 * for a bundle (its metadata files left out, as when unpacking).
 */
export function objectBytes(versions: readonly ManifestVersion[]): number {
  return versions.reduce(
    (sum, version) => version.objects.reduce((inVersion, object) => inVersion + object.size, sum),
    0,
  );
}

/** What a bundle holds, written as its first entry. */
export interface BundleManifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly version: typeof BUNDLE_VERSION;
  /** ISO 8601 time the bundle was made. */
  readonly createdAt: string;
  /** Funes version that made it. */
  readonly funes: string;
  /** Number of objects, over all versions. */
  readonly objectCount: number;
  /** Bytes of all entries after the manifest (objects and metadata files). */
  readonly bytes: number;
  readonly versions: readonly ManifestVersion[];
}

/** An entry the manifest announces, as unpack expects to meet it. */
export interface ExpectedEntry {
  readonly name: string;
  readonly kind: 'object' | 'metadata';
  readonly functionDir: string;
  readonly definitionHash: string;
  /** The argument hash, or `definition.json`. */
  readonly fileName: string;
  readonly size: number;
  /** Hex digest: the seal an object's header records, the file's SHA-256 for metadata. */
  readonly digest: string;
}

/** The tar entry name of a file in a version directory. */
export function entryName(functionDir: string, definitionHash: string, fileName: string): string {
  return `${functionDir}/${definitionHash}/${fileName}`;
}

/** The function name a bundle's function directory stands for. */
export function functionNameOf(version: ManifestVersion): string {
  return functionNameOfDir(version.functionDir);
}

/** Totals a manifest from its versions. */
export function buildManifest(versions: readonly ManifestVersion[], createdAt: Date, funes: string): BundleManifest {
  let objectCount = 0;
  let bytes = 0;
  for (const version of versions) {
    objectCount += version.objects.length;
    bytes += version.metadata?.size ?? 0;
    for (const object of version.objects) bytes += object.size;
  }
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    createdAt: createdAt.toISOString(),
    funes,
    objectCount,
    bytes,
    versions,
  };
}

/** The manifest entry's bytes (compact JSON: a manifest lists every object). */
export function encodeManifest(manifest: BundleManifest): Buffer {
  return Buffer.from(JSON.stringify(manifest));
}

function fail(message: string): never {
  throw new BundleFormatError(`the bundle manifest is malformed: ${message}`, MANIFEST_ENTRY);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function size(value: unknown, where: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) fail(`${where} has no valid size`);
  return value as number;
}

function digest(value: unknown, where: string): string {
  if (typeof value !== 'string' || !isHash(value)) fail(`${where} has no valid SHA-256 digest`);
  return value;
}

function parseObject(value: unknown, where: string): ManifestObject {
  if (!isRecord(value)) fail(`${where} is not an object`);
  const { argumentHash } = value;
  if (typeof argumentHash !== 'string' || !isHash(argumentHash)) {
    throw new UnsafeEntryError(`${where}/${String(argumentHash)}`, 'an object name must be a 64-hex argument hash');
  }
  return { argumentHash, size: size(value.size, where), digest: digest(value.digest, where) };
}

function parseVersion(value: unknown, index: number): ManifestVersion {
  if (!isRecord(value)) fail(`versions[${index}] is not an object`);
  const { functionDir, definitionHash, metadata, objects } = value;
  if (typeof functionDir !== 'string' || !isFunctionDirName(functionDir)) {
    throw new UnsafeEntryError(String(functionDir), 'not a function directory of the cache layout');
  }
  if (typeof definitionHash !== 'string' || !isHash(definitionHash)) {
    throw new UnsafeEntryError(
      `${functionDir}/${String(definitionHash)}`,
      'a version directory must be a 64-hex definition hash',
    );
  }
  const where = `${functionDir}/${definitionHash}`;
  if (metadata !== null && !isRecord(metadata)) fail(`${where} has a malformed metadata field`);
  if (!Array.isArray(objects)) fail(`${where} has no objects list`);
  return {
    functionDir,
    definitionHash,
    metadata:
      metadata === null
        ? null
        : {
            size: size(metadata.size, `${where}/${METADATA_FILE}`),
            sha256: digest(metadata.sha256, `${where}/${METADATA_FILE}`),
          },
    objects: objects.map((object) => parseObject(object, where)),
  };
}

/**
 * Parses and checks a manifest: every field typed, every name inside the store's
 * layout, totals consistent. Throws a {@link BundleFormatError} (or an
 * {@link UnsafeEntryError} for names) rather than returning anything doubtful.
 */
export function parseManifest(bytes: Uint8Array): BundleManifest {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    fail('not JSON');
  }
  if (!isRecord(value)) fail('not a JSON object');
  if (value.format !== BUNDLE_FORMAT) fail(`format is ${JSON.stringify(value.format)}, not "${BUNDLE_FORMAT}"`);
  if (Number.isSafeInteger(value.version) && (value.version as number) > BUNDLE_VERSION) {
    throw new BundleFormatError(
      `the bundle has format version ${value.version as number}, newer than this Funes reads ` +
          `(${BUNDLE_VERSION}): upgrade Funes`,
      MANIFEST_ENTRY,
      { hint: 'install the latest @funes/cli (and @funes/sync, from code) to unpack it' },
    );
  }
  if (value.version !== BUNDLE_VERSION) fail(`version is ${JSON.stringify(value.version)}, not ${BUNDLE_VERSION}`);
  if (typeof value.createdAt !== 'string' || Number.isNaN(Date.parse(value.createdAt))) fail('createdAt is not a time');
  if (typeof value.funes !== 'string') fail('funes is not a version string');
  if (!Array.isArray(value.versions)) fail('versions is not a list');
  const manifest = buildManifest(value.versions.map(parseVersion), new Date(value.createdAt), value.funes);
  if (value.objectCount !== manifest.objectCount || value.bytes !== manifest.bytes) {
    fail('its totals disagree with its entries');
  }
  return { ...manifest, createdAt: value.createdAt };
}

/** Every entry a manifest announces, by tar entry name; a name announced twice is refused. */
export function expectedEntries(manifest: BundleManifest): Map<string, ExpectedEntry> {
  const entries = new Map<string, ExpectedEntry>();
  const add = (entry: ExpectedEntry) => {
    if (entries.has(entry.name)) throw new DuplicateEntryError(entry.name);
    entries.set(entry.name, entry);
  };
  for (const { functionDir, definitionHash, metadata, objects } of manifest.versions) {
    const base = { functionDir, definitionHash };
    if (metadata) {
      add({
        ...base,
        name: entryName(functionDir, definitionHash, METADATA_FILE),
        kind: 'metadata',
        fileName: METADATA_FILE,
        size: metadata.size,
        digest: metadata.sha256,
      });
    }
    for (const object of objects) {
      add({
        ...base,
        name: entryName(functionDir, definitionHash, object.argumentHash),
        kind: 'object',
        fileName: object.argumentHash,
        size: object.size,
        digest: object.digest,
      });
    }
  }
  return entries;
}

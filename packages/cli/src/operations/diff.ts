/**
 * `funes diff`: what changed between two versions of a function — its source, its
 * dependency list and the source of each dependency that changed.
 */
import { unifiedDiff, type Dependency } from '@funes/core';
import { type VersionMetadata, byRecentUse, identityOf, resolveVersion, versionsOf } from '@funes/core/cache';
import { requireMetadata, shortHash, versionLabel, type Version } from '../cache.js';
import { CliError } from '../errors.js';

/** One of the two versions compared. */
export interface DiffSide {
  readonly function: string;
  readonly module: string | null;
  readonly hash: string;
  readonly shortHash: string;
  /** When `definition.json` says the version's first result was stored; null when unknown. */
  readonly createdAt: string | null;
  /** When it was last used here; null when never. */
  readonly lastUsedAt: string | null;
}

/** One compared text and its unified diff. */
export interface DiffFile {
  /** `source`, `dependencies` or `dependencies/<kind>/<name>`. */
  readonly path: string;
  readonly patch: string;
}

/** `funes diff --json`. */
export interface DiffResult {
  readonly from: DiffSide;
  readonly to: DiffSide;
  /** Whether the two definitions are the same (as with two pinned versions). */
  readonly identical: boolean;
  readonly dependencies: {
    readonly added: readonly Dependency[];
    readonly removed: readonly Dependency[];
    readonly changed: readonly { readonly kind: string; readonly name: string; readonly from: Dependency; readonly to: Dependency }[];
  };
  readonly files: readonly DiffFile[];
}

/** A dependency as one line of the compared dependency list. */
function dependencyLine(d: Dependency): string {
  const where = d.file ? ` ${d.file}${d.line ? `:${d.line}` : ''}` : '';
  return `${d.kind} ${d.name}${d.version ? ` ${d.version}` : ''}${where} ${String(d.hash).slice(0, 12)}`;
}

const keyOf = (d: Dependency) => `${d.kind}/${d.name}`;

function side(version: Version): DiffSide {
  return { function: version.name, module: version.module, hash: version.hash, shortHash: shortHash(version.hash), createdAt: isoOrNull(version.createdMs), lastUsedAt: isoOrNull(version.lastUsedMs) };
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** Compares two versions' metadata (pure). */
export function diffMetadata(a: VersionMetadata, b: VersionMetadata): Pick<DiffResult, 'dependencies' | 'files'> {
  const before = new Map(a.dependencies.map((d) => [keyOf(d), d]));
  const after = new Map(b.dependencies.map((d) => [keyOf(d), d]));
  const added = b.dependencies.filter((d) => !before.has(keyOf(d)));
  const removed = a.dependencies.filter((d) => !after.has(keyOf(d)));
  const changed = a.dependencies
    .filter((d) => after.has(keyOf(d)) && after.get(keyOf(d))!.hash !== d.hash)
    .map((d) => ({ kind: d.kind, name: d.name, from: d, to: after.get(keyOf(d))! }));
  const files: DiffFile[] = [
    { path: 'source', patch: unifiedDiff(a.source, b.source, 'source') },
    { path: 'dependencies', patch: unifiedDiff(a.dependencies.map(dependencyLine).join('\n'), b.dependencies.map(dependencyLine).join('\n'), 'dependencies') },
  ];
  for (const { kind, name, from, to } of changed) {
    // The function's own entry repeats `source`; other code dependencies show their text.
    if (kind === 'function' || (from.source === undefined && to.source === undefined)) continue;
    const path = `dependencies/${kind}/${name}`;
    files.push({ path, patch: unifiedDiff(from.source ?? '', to.source ?? '', path) });
  }
  return { dependencies: { added, removed, changed }, files: files.filter((file) => file.patch !== '') };
}

/**
 * The two versions to compare: `hashA` and `hashB` when given; `hashA` against the
 * current one; else the current version of `fn` and the one used before it.
 */
export function diffVersions(versions: readonly Version[], fn: string, hashA: string | undefined, hashB: string | undefined): DiffResult {
  let from: Version;
  let to: Version;
  if (hashA !== undefined) {
    from = resolveVersion(versions, `${fn}@${hashA}`);
    to = resolveVersion(versions, hashB === undefined ? fn : `${fn}@${hashB}`);
  } else {
    const named = versionsOf(versions, fn).sort(byRecentUse);
    // Prefer versions of the current one's identity: a same-named function in another module is another function.
    const sameIdentity = named.filter((v) => identityOf(v) === identityOf(named[0]));
    const all = sameIdentity.length >= 2 ? sameIdentity : named;
    if (all.length < 2) {
      throw new CliError('ENOTHINGTODIFF', `${versionLabel(all[0])} is the only version of '${fn}'`, { hint: 'a diff needs two versions; `funes show` prints one' });
    }
    [to, from] = all;
  }
  const a = requireMetadata(from);
  const b = requireMetadata(to);
  return { from: side(from), to: side(to), identical: from.hash === to.hash, ...diffMetadata(a, b) };
}

/**
 * What changed between two definitions of a function (pure): its source, its list of
 * dependencies and the source of each dependency that changed, as unified diffs. One
 * comparison for `funes diff` and `funes ui`.
 */
import type { Dependency } from '../definition/index.js';
import { unifiedDiff } from '../unified-diff.js';
import type { VersionMetadata } from '../version-metadata.js';

/** One compared text and its unified diff. */
export interface DiffFile {
  /** `source`, `dependencies` or `dependencies/<kind>/<name>`. */
  readonly path: string;
  readonly patch: string;
}

/** The dependencies added, removed and changed between two definitions. */
export interface DependencyChanges {
  readonly added: readonly Dependency[];
  readonly removed: readonly Dependency[];
  readonly changed: readonly {
    readonly kind: string;
    readonly name: string;
    readonly from: Dependency;
    readonly to: Dependency;
  }[];
}

/**
 * The two definitions' differences: which dependencies changed, and the unified diff of each
 * compared text that differs.
 */
export interface DefinitionDiff {
  readonly dependencies: DependencyChanges;
  readonly files: readonly DiffFile[];
}

/** A dependency as one line of the compared dependency list. */
function dependencyLine(d: Dependency): string {
  const where = d.file ? ` ${d.file}${d.line ? `:${d.line}` : ''}` : '';
  return `${d.kind} ${d.name}${d.version ? ` ${d.version}` : ''}${where} ${String(d.hash).slice(0, 12)}`;
}

const keyOf = (d: Dependency) => `${d.kind}/${d.name}`;

/** Compares two definitions; only their source and dependencies are read. */
export function diffMetadata(
  a: Pick<VersionMetadata, 'source' | 'dependencies'>,
  b: Pick<VersionMetadata, 'source' | 'dependencies'>,
): DefinitionDiff {
  const before = new Map(a.dependencies.map((d) => [keyOf(d), d]));
  const after = new Map(b.dependencies.map((d) => [keyOf(d), d]));
  const added = b.dependencies.filter((d) => !before.has(keyOf(d)));
  const removed = a.dependencies.filter((d) => !after.has(keyOf(d)));
  const changed = a.dependencies
    .filter((d) => after.has(keyOf(d)) && after.get(keyOf(d))!.hash !== d.hash)
    .map((d) => ({ kind: d.kind, name: d.name, from: d, to: after.get(keyOf(d))! }));
  const files: DiffFile[] = [
    { path: 'source', patch: unifiedDiff(a.source, b.source, 'source') },
    {
      path: 'dependencies',
      patch: unifiedDiff(
        a.dependencies.map(dependencyLine).join('\n'),
        b.dependencies.map(dependencyLine).join('\n'),
        'dependencies',
      ),
    },
  ];
  for (const { kind, name, from, to } of changed) {
    // The function's own entry repeats `source`; other code dependencies show their text.
    if (kind === 'function' || (from.source === undefined && to.source === undefined)) continue;
    const path = `dependencies/${kind}/${name}`;
    files.push({ path, patch: unifiedDiff(from.source ?? '', to.source ?? '', path) });
  }
  return { dependencies: { added, removed, changed }, files: files.filter((file) => file.patch !== '') };
}


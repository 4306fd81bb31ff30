/**
 * What differs between two definitions of a function, most telling first: its own
 * code, then the helpers and constants it uses, captured values, `deps`, packages and
 * builtins — each with a unified diff of its source where both sides have one (pure).
 */
import type { Dependency } from './definition/index.js';
import { unifiedDiff } from './unified-diff.js';

/** The parts of a definition that are compared: what `definition.json` stores. */
export interface ComparedDefinition {
  readonly source: string;
  readonly dependencies: readonly Dependency[];
  readonly pinnedVersion?: string | null;
}

/** One difference between a stored definition and another. */
export interface DefinitionChange {
  readonly change: 'changed' | 'added' | 'removed';
  /** A dependency's kind, or `version` for the `version` option. */
  readonly kind: Dependency['kind'] | 'version';
  /** The dependency's name; a package's without its version. */
  readonly name: string;
  /** Where it is declared (project-relative), when known. */
  readonly file?: string;
  readonly line?: number;
  /** A package's version, or the `version` option, on each side. */
  readonly before?: string;
  readonly after?: string;
  /** Unified diff of the source, when both sides have one. */
  readonly diff?: string;
}

/** What matters most comes first: the function's own code, then what it calls and reads. */
const RANK: Readonly<Record<DefinitionChange['kind'], number>> = {
  version: 0,
  function: 1,
  local: 2,
  closure: 3,
  explicit: 4,
  package: 5,
  import: 6,
};

/** A package's name without its version: `lodash@4.17.21` → `lodash`, `@scope/pkg@1.0.0` → `@scope/pkg`. */
function packageName(name: string): string {
  const at = name.lastIndexOf('@');
  return at > 0 ? name.slice(0, at) : name;
}

/** Pairs a dependency with itself in another definition: a package across versions, a whole module by its file. */
function identity(d: Dependency): string {
  if (d.kind === 'package') return `package\0${packageName(d.name)}`;
  if (d.name === '*') return `${d.kind}\0*\0${d.file ?? ''}`;
  return `${d.kind}\0${d.name}`;
}

function described(d: Dependency, change: DefinitionChange['change'], other?: Dependency): DefinitionChange {
  const [before, after] = change === 'added' ? [other, d] : [d, other];
  const name = d.kind === 'package' ? packageName(d.name) : d.name;
  const where =
    d.file !== undefined
      ? { file: (after ?? d).file ?? d.file, ...((after ?? d).line !== undefined ? { line: (after ?? d).line } : {}) }
      : {};
  const versions =
    d.kind === 'package'
      ? {
          ...(before ? { before: before.version ?? before.name } : {}),
          ...(after ? { after: after.version ?? after.name } : {}),
        }
      : {};
  const diff =
    before?.source !== undefined && after?.source !== undefined && d.kind !== 'function'
      ? unifiedDiff(before.source, after.source, `${d.kind}/${name}`)
      : undefined;
  return { change, kind: d.kind, name, ...where, ...versions, ...(diff ? { diff } : {}) };
}

/** Dependencies by identity: a name may stand for several (a declaration and the statements that change it). */
function grouped(dependencies: readonly Dependency[]): Map<string, Dependency[]> {
  const groups = new Map<string, Dependency[]>();
  for (const d of dependencies) {
    const key = identity(d);
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return groups;
}

/**
 * Pairs the dependencies of one identity before and after: the same code is no change; of the rest, one in the same
 * file (the nearest line) is the same one changed; what is left was removed or added.
 */
function paired(olds: readonly Dependency[], news: readonly Dependency[]) {
  const removed = [...olds];
  const added = [...news];
  for (let i = removed.length - 1; i >= 0; i--) {
    const same = added.findIndex((d) => d.hash === removed[i]!.hash);
    if (same >= 0) {
      added.splice(same, 1);
      removed.splice(i, 1);
    }
  }
  const changed: [Dependency, Dependency][] = [];
  for (const d of [...removed]) {
    // A lone pair is one helper changed (moved to another file, perhaps).
    const lone = added.length === 1 && removed.length === 1;
    const distance = (next: Dependency) => Math.abs((next.line ?? 0) - (d.line ?? 0));
    const next = added.filter((n) => lone || n.file === d.file).sort((a, b) => distance(a) - distance(b))[0];
    if (!next) continue;
    changed.push([d, next]);
    added.splice(added.indexOf(next), 1);
    removed.splice(removed.indexOf(d), 1);
  }
  return { changed, removed, added };
}

/** How `after` differs from `before`, most telling first. */
export function definitionChanges(before: ComparedDefinition, after: ComparedDefinition): DefinitionChange[] {
  const changes: DefinitionChange[] = [];
  const pinnedBefore = before.pinnedVersion ?? undefined;
  const pinnedAfter = after.pinnedVersion ?? undefined;
  if (pinnedBefore !== pinnedAfter) {
    changes.push({
      change: pinnedBefore === undefined ? 'added' : pinnedAfter === undefined ? 'removed' : 'changed',
      kind: 'version',
      name: 'version',
      ...(pinnedBefore ? { before: pinnedBefore } : {}),
      ...(pinnedAfter ? { after: pinnedAfter } : {}),
    });
  }
  const now = grouped(after.dependencies);
  for (const [key, olds] of grouped(before.dependencies)) {
    const { changed, removed, added } = paired(olds, now.get(key) ?? []);
    now.delete(key);
    for (const [d, next] of changed) changes.push(described(d, 'changed', next));
    for (const d of removed) changes.push(described(d, 'removed'));
    for (const d of added) changes.push(described(d, 'added'));
  }
  for (const news of now.values()) for (const d of news) changes.push(described(d, 'added'));
  const own = changes.findIndex((c) => c.kind === 'function');
  if (own >= 0 && before.source !== after.source) {
    changes[own] = { ...changes[own], diff: unifiedDiff(before.source, after.source, 'source') };
  }
  return changes.sort((a, b) => RANK[a.kind] - RANK[b.kind]);
}

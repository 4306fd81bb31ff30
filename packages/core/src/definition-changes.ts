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
  const old = new Map(before.dependencies.map((d) => [identity(d), d]));
  const now = new Map(after.dependencies.map((d) => [identity(d), d]));
  for (const [key, d] of old) {
    const next = now.get(key);
    if (!next) changes.push(described(d, 'removed'));
    else if (next.hash !== d.hash) changes.push(described(d, 'changed', next));
  }
  for (const [key, d] of now) if (!old.has(key)) changes.push(described(d, 'added'));
  const own = changes.findIndex((c) => c.kind === 'function');
  if (own >= 0 && before.source !== after.source) {
    changes[own] = { ...changes[own], diff: unifiedDiff(before.source, after.source, 'source') };
  }
  return changes.sort((a, b) => RANK[a.kind] - RANK[b.kind]);
}

/**
 * `funes diff`: what changed between two versions of a function — its source, its
 * dependency list and the source of each dependency that changed.
 */
import {
  type DependencyChanges,
  type DiffFile,
  byRecentUse,
  diffMetadata,
  identityOf,
  resolveVersion,
  versionNamedByHash,
  versionsOf,
} from '@funes/core/cache';
import { requireMetadata, shortHash, versionLabel, type Version } from '../cache.js';
import { CliError, ExitCode, UsageError } from '../errors.js';

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

/** `funes diff --json`. */
export interface DiffResult {
  readonly from: DiffSide;
  readonly to: DiffSide;
  /** Whether the two definitions are the same (as with two pinned versions). */
  readonly identical: boolean;
  readonly dependencies: DependencyChanges;
  readonly files: readonly DiffFile[];
}

function side(version: Version): DiffSide {
  return {
    function: version.name,
    module: version.module,
    hash: version.hash,
    shortHash: shortHash(version.hash),
    createdAt: isoOrNull(version.createdMs),
    lastUsedAt: isoOrNull(version.lastUsedMs),
  };
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/**
 * The two versions to compare: `hashA` and `hashB` when given; `hashA` against the current one of its
 * function (name and module), as when `fn` names one version (`train@4f1c`, or its hash alone), which is
 * compared with `hashA` when that is given; else the current version of `fn` and the one used before it.
 */
export function diffVersions(
  versions: readonly Version[],
  fn: string,
  hashA: string | undefined,
  hashB: string | undefined,
): DiffResult {
  // An empty word (`"$UNSET"`) joined to the name would read `train@`, the current version: it names none.
  if (hashA === '' || hashB === '') {
    throw new CliError('EBADSPEC', "'' is not a version hash prefix", {
      hint: 'give hex digits `funes log` lists, or leave the version out for the current one',
      exitCode: ExitCode.usage,
    });
  }
  let from: Version;
  let to: Version;
  const pinned = hashA === undefined ? undefined : versionNamedByHash(versions, fn);
  if (pinned !== undefined) {
    // `train@9a0b 4f1c` (or `9a0b 4f1c`): that version against the other of its function, as `train 9a0b 4f1c`.
    if (hashB !== undefined) {
      throw new UsageError(
        `funes diff compares two versions: ${fn} names one, and ${hashA} and ${hashB} two more`,
        `e.g. funes diff ${fn} ${hashA}`,
      );
    }
    from = pinned;
    to = resolveVersion(versions, `${pinned.name}@${hashA}`);
  } else if (hashA !== undefined) {
    from = resolveVersion(versions, `${fn}@${hashA}`);
    // Against the current version of its own function: a same-named function in another module is another one.
    const ofFrom = versions.filter((v) => identityOf(v) === identityOf(from));
    to = hashB === undefined ? resolveVersion(ofFrom, fn) : resolveVersion(versions, `${fn}@${hashB}`);
  } else {
    const named = versionsOf(versions, fn).sort(byRecentUse);
    const [first] = named;
    // Versions of one function: a same-named function in another module is another function.
    const ofFirst = versions.filter((v) => v.functionDir === first.functionDir && identityOf(v) === identityOf(first));
    // Prefer versions of the current one's identity when the name is used in several modules.
    const sameIdentity = named.filter((v) => identityOf(v) === identityOf(first));
    const all = named.length === 1 ? ofFirst : sameIdentity.length >= 2 ? sameIdentity : named;
    if (all.length < 2) {
      throw new CliError('ENOTHINGTODIFF', `${versionLabel(first)} is the only version of '${first.name}'`, {
        hint: 'a diff needs two versions; `funes show` prints one',
      });
    }
    // One version named (by its hash) is compared with its function's current one, as `diff <fn> <hash>` does.
    [to, from] = named.length === 1 ? [resolveVersion(ofFirst, first.name), first] : all;
  }
  const a = requireMetadata(from);
  const b = requireMetadata(to);
  return { from: side(from), to: side(to), identical: from.hash === to.hash, ...diffMetadata(a, b) };
}

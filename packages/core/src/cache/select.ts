/**
 * The one selection grammar of every command and sync operation (pure). A spec is:
 *
 * - `train` — the function by name (every version of it; where one version is
 *   needed, its current one);
 * - `train@4f1c29ab` — one version, by a prefix of at least {@link MIN_PREFIX} hex
 *   digits of its definition hash (the last `@` splits, so `user@host@4f1c` works);
 * - `4f1c29ab` or `@4f1c29ab` — a version by hash prefix alone (a bare hex word that
 *   names no function);
 * - `user@host@` — a trailing `@` ends the name: the function `user@host`, for names
 *   containing `@`.
 *
 * A name matches a function's name, else its directory's name: `a%2Fb` is the function of that
 * name, never also `a/b`, whose directory is `a%2Fb`.
 */
import { FunesError } from '../errors.js';
import { functionDirName } from '../layout.js';
import { nearest } from '../nearest-name.js';
import { byRecentUse, currentVersions, identityOf, type CachedVersion } from './versions.js';

/** Shortest hash prefix accepted, as in git. */
export const MIN_PREFIX = 4;

/**
 * A spec names nothing there is, or cannot be read: `ENOFUNCTION`, `ENOVERSION`,
 * `EAMBIGUOUS`, `ENOENTRY`, or `EBADSPEC` (malformed: a usage error).
 */
export class SelectionError extends FunesError {
  constructor(
    code: 'ENOFUNCTION' | 'ENOVERSION' | 'EAMBIGUOUS' | 'ENOENTRY' | 'EBADSPEC',
    message: string,
    hint: string,
  ) {
    super(code, message, { hint });
  }
}

/** A parsed spec. */
export interface Spec {
  readonly name: string | undefined;
  readonly hashPrefix: string | undefined;
  readonly text: string;
}

/** What selection needs to know of a version: enough for a remote's listing, which has no metadata. */
export interface VersionRef {
  readonly functionDir: string;
  /** The function's name (from `definition.json`, else from its directory). */
  readonly name: string;
  /** The definition hash. */
  readonly hash: string;
}

const HEX = /^[0-9a-f]+$/;

function checkPrefix(prefix: string, what: string): void {
  if (prefix.length < MIN_PREFIX) {
    throw new SelectionError(
      'EBADSPEC',
      `${what} prefix '${prefix}' is too short`,
      `give at least ${MIN_PREFIX} hex digits`,
    );
  }
}

/** Parses a spec; `EBADSPEC` for what is not one. */
export function parseSpec(text: string): Spec {
  if (text.length > 1 && text.endsWith('@')) return { name: text.slice(0, -1), hashPrefix: undefined, text };
  const at = text.lastIndexOf('@');
  if (at < 0) {
    if (text === '') {
      throw new SelectionError('EBADSPEC', 'an empty function name', 'write name, name@<hash prefix> or a hash prefix');
    }
    return { name: text, hashPrefix: undefined, text };
  }
  const hashPrefix = text.slice(at + 1).toLowerCase();
  if (!HEX.test(hashPrefix)) {
    throw new SelectionError(
      'EBADSPEC',
      `'${text.slice(at + 1)}' in '${text}' is not a hash prefix`,
      `write name@<hex digits>, e.g. train@7e8f4427; end a name containing @ with @: '${text}@'`,
    );
  }
  checkPrefix(hashPrefix, 'hash');
  return { name: at === 0 ? undefined : text.slice(0, at), hashPrefix, text };
}

/** The function directory a spec's name stands for, to narrow a listing; undefined for a bare hash prefix. */
export function specFunctionDir(spec: Spec): string | undefined {
  return spec.name === undefined ? undefined : functionDirName(spec.name);
}

/** The versions of the function `name`; only when there are none, those whose directory is named `name`. */
function named<V extends VersionRef>(versions: readonly V[], name: string): V[] {
  const dir = functionDirName(name);
  const byName = versions.filter((v) => v.name === name || v.functionDir === dir);
  return byName.length > 0 ? byName : versions.filter((v) => v.functionDir === name);
}

function unknownFunction(versions: readonly VersionRef[], name: string, where: string): SelectionError {
  const known = [...new Set(versions.map((v) => v.name))].sort();
  const close = nearest(name, known);
  const hint =
    close !== undefined
      ? `did you mean '${close}'?`
      : known.length > 0
        ? `run \`funes log --oneline\` to list the ${known.length} function${known.length === 1 ? '' : 's'} in ${where}`
        : `${where} holds no function`;
  return new SelectionError('ENOFUNCTION', `no function '${name}' in ${where}`, hint);
}

/**
 * The one version among `candidates` whose hash starts with `prefix`; `name` is the function
 * they are versions of, if one.
 */
function withPrefix<V extends VersionRef>(
  candidates: readonly V[],
  prefix: string,
  name: string | undefined,
  where: string,
): V {
  const found = candidates.filter((v) => v.hash.startsWith(prefix));
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    throw new SelectionError(
      'ENOVERSION',
      `no version ${prefix} of ${name === undefined ? 'any function' : `'${name}'`} in ${where}`,
      'run `funes log` to list versions and their hashes',
    );
  }
  const listed = found
    .sort((a, b) => (a.hash !== b.hash ? (a.hash < b.hash ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, 5)
    .map((v) => `${v.hash.slice(0, 12)} (${v.name})`)
    .join(', ');
  // Versions of several functions pinned with the same `version` share their whole hash: digits never tell them apart.
  const shared = found.every((v) => v.hash === found[0].hash);
  // The last `@` splits, so a name holding `@` needs no more than one before the prefix.
  const spec = `${found[0].name}@${prefix}`;
  throw new SelectionError(
    'EAMBIGUOUS',
    `hash prefix ${prefix} is ambiguous: ${listed}${found.length > 5 ? ', …' : ''}`,
    shared
      ? `these functions share one definition hash (a pinned version): name one, e.g. ${spec}`
      : 'give more hex digits',
  );
}

/** The versions a spec names, and whether it named one by hash. */
function lookup<V extends VersionRef>(
  versions: readonly V[],
  text: string,
  where: string,
): { readonly found: V[]; readonly byHash: boolean } {
  const spec = parseSpec(text);
  if (spec.name === undefined) {
    return { found: [withPrefix(versions, spec.hashPrefix!, undefined, where)], byHash: true };
  }
  const ofName = named(versions, spec.name);
  if (ofName.length === 0 && spec.hashPrefix === undefined && HEX.test(spec.name) && spec.name.length >= MIN_PREFIX) {
    return { found: [withPrefix(versions, spec.name, undefined, where)], byHash: true };
  }
  if (ofName.length === 0) throw unknownFunction(versions, spec.name, where);
  if (spec.hashPrefix === undefined) return { found: ofName, byHash: false };
  return { found: [withPrefix(ofName, spec.hashPrefix, spec.name, where)], byHash: true };
}

/** The one version a spec names by its hash (`train@4f1c`, or `4f1c` alone); undefined when it names a function. */
export function versionNamedByHash<V extends VersionRef>(versions: readonly V[], text: string): V | undefined {
  const { found, byHash } = lookup(versions, text, 'the cache');
  return byHash ? found[0] : undefined;
}

/** Every version a spec names. `where` names the place in messages (`the cache`, `remote origin`). */
export function versionsOf<V extends VersionRef>(versions: readonly V[], text: string, where = 'the cache'): V[] {
  return lookup(versions, text, where).found;
}

/** The versions named by any of `specs` (all versions when none), without repeats, in the order found. */
export function matchVersions<V extends VersionRef>(
  versions: readonly V[],
  specs: readonly string[],
  where = 'the cache',
): V[] {
  if (specs.length === 0) return [...versions];
  const chosen = new Set<V>();
  for (const spec of specs) for (const version of versionsOf(versions, spec, where)) chosen.add(version);
  return [...chosen];
}

/** The versions named by any of `specs` (all when none), most recently used first. */
export function selectVersions<V extends CachedVersion>(versions: readonly V[], specs: readonly string[]): V[] {
  return matchVersions(versions, specs).sort(byRecentUse);
}

/**
 * The one version a spec names: the version its hash names, else the function's current
 * version (its best ranked when none is current: every version lacks valid metadata).
 */
export function resolveVersion<V extends CachedVersion>(versions: readonly V[], text: string): V {
  const named = versionsOf(versions, text).sort(byRecentUse);
  const current = currentVersions(named);
  return named.find((version) => current.has(version)) ?? named[0];
}

/**
 * The current versions of the other functions a spec names besides `chosen`'s: functions of the same
 * name defined in other modules, which a command needing one version did not take. None when the spec
 * names a version by its hash.
 */
export function otherFunctionsNamed<V extends CachedVersion>(versions: readonly V[], text: string, chosen: V): V[] {
  const { found, byHash } = lookup(versions, text, 'the cache');
  if (byHash) return [];
  return [...currentVersions(found)].filter((version) => identityOf(version) !== identityOf(chosen)).sort(byRecentUse);
}

/**
 * One version per function (name and module) named — its current one — and every
 * version named by hash; with no specs, the current version of every function.
 * Functions without a current version (no valid metadata) are left out unless named by hash.
 */
export function selectCurrent<V extends CachedVersion>(versions: readonly V[], specs: readonly string[]): V[] {
  const chosen = new Set<V>();
  const take = (found: readonly V[], byHash: boolean) =>
    (byHash ? found : currentVersions(found)).forEach((version) => chosen.add(version));
  if (specs.length === 0) take(versions, false);
  for (const text of specs) {
    const { found, byHash } = lookup(versions, text, 'the cache');
    take(found, byHash);
  }
  return [...chosen];
}

/** The one entry (argument hash) a prefix names among a version's entries. */
export function resolveArgumentHash(argumentHashes: readonly string[], prefix: string, versionLabel: string): string {
  const wanted = prefix.toLowerCase();
  if (!HEX.test(wanted)) {
    throw new SelectionError(
      'EBADSPEC',
      `'${prefix}' is not an argument hash prefix`,
      'give the hex digits `funes show` lists under ARGUMENT',
    );
  }
  checkPrefix(wanted, 'argument hash');
  const found = argumentHashes.filter((hash) => hash.startsWith(wanted));
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    throw new SelectionError(
      'ENOENTRY',
      `no entry ${wanted} in ${versionLabel}`,
      `run \`funes show ${versionLabel}\` to list its entries`,
    );
  }
  throw new SelectionError(
    'EAMBIGUOUS',
    `argument hash prefix ${wanted} is ambiguous in ${versionLabel} (${found.length} entries)`,
    'give more hex digits',
  );
}

/**
 * Which versions a command line names. A spec is `fn` (every version of a function),
 * `fn@<hash prefix>` or a bare hash prefix; any unambiguous prefix of at least
 * {@link MIN_PREFIX} hex digits is accepted. Pure: works on an opened cache's list.
 */
import { editDistance } from '@funes/core';
import { byRecentUse } from '@funes/core/cache';
import { shortHash, type Version } from './cache.js';
import { CliError, UsageError } from './errors.js';

/** Shortest hash prefix accepted, as in git. */
export const MIN_PREFIX = 4;

/** A parsed spec. */
export interface Spec {
  readonly name: string | undefined;
  readonly hashPrefix: string | undefined;
  readonly text: string;
}

const HEX = /^[0-9a-f]+$/;

/** Splits `fn@hash` (the last `@`, so names containing `@` still work when a hash follows). */
export function parseSpec(text: string): Spec {
  const at = text.lastIndexOf('@');
  if (at < 0) return { name: text, hashPrefix: undefined, text };
  const hashPrefix = text.slice(at + 1).toLowerCase();
  const name = at === 0 ? undefined : text.slice(0, at);
  if (!HEX.test(hashPrefix)) throw new UsageError(`'${text.slice(at + 1)}' in '${text}' is not a hash prefix`, 'write fn@<hex digits>, e.g. train@7e8f4427');
  checkPrefixLength(hashPrefix);
  return { name, hashPrefix, text };
}

function checkPrefixLength(prefix: string): void {
  if (prefix.length < MIN_PREFIX) throw new UsageError(`hash prefix '${prefix}' is too short`, `give at least ${MIN_PREFIX} hex digits`);
}

function namesOf(version: Version): string[] {
  return [version.name, version.functionDir];
}

function unknownFunction(versions: readonly Version[], name: string): CliError {
  const names = [...new Set(versions.map((v) => v.name))].sort();
  const close = names.filter((candidate) => editDistance(candidate.toLowerCase(), name.toLowerCase()) <= Math.max(2, Math.floor(name.length / 3)));
  const hint =
    close.length > 0
      ? `did you mean ${close.slice(0, 3).map((n) => `'${n}'`).join(' or ')}?`
      : names.length > 0
        ? `run \`funes log --oneline\` to list the ${names.length} function${names.length === 1 ? '' : 's'} in the cache`
        : 'the cache is empty';
  return new CliError('ENOFUNCTION', `no function '${name}' in the cache`, { hint });
}

/** The one version among `candidates` whose hash starts with `prefix`; `name` is the function they are versions of, if one. */
function withPrefix(candidates: readonly Version[], prefix: string, name: string | undefined): Version {
  const found = candidates.filter((v) => v.hash.startsWith(prefix));
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    throw new CliError('ENOVERSION', `no version ${prefix} of ${name === undefined ? 'any function' : `'${name}'`}`, {
      hint: 'run `funes log` to list versions and their hashes',
    });
  }
  const listed = found
    .sort(byRecentUse)
    .slice(0, 5)
    .map((v) => `${shortHash(v.hash)} (${v.name})`)
    .join(', ');
  throw new CliError('EAMBIGUOUS', `hash prefix ${prefix} is ambiguous: ${listed}${found.length > 5 ? ', …' : ''}`, {
    hint: 'give more hex digits',
  });
}

/** Every version a spec names. A bare hex word that is no function's name is read as a hash prefix. */
export function versionsOf(versions: readonly Version[], text: string): Version[] {
  const spec = parseSpec(text);
  if (spec.name === undefined) return [withPrefix(versions, spec.hashPrefix!, undefined)];
  const named = versions.filter((v) => namesOf(v).includes(spec.name!));
  if (named.length === 0 && spec.hashPrefix === undefined && HEX.test(spec.name) && spec.name.length >= MIN_PREFIX) {
    return [withPrefix(versions, spec.name, undefined)];
  }
  if (named.length === 0) throw unknownFunction(versions, spec.name);
  return spec.hashPrefix === undefined ? named : [withPrefix(named, spec.hashPrefix, spec.name)];
}

/** The versions named by any of `specs` (all versions when none), most recently used first, without repeats. */
export function selectVersions(versions: readonly Version[], specs: readonly string[]): Version[] {
  if (specs.length === 0) return [...versions].sort(byRecentUse);
  const chosen = new Set<Version>();
  for (const spec of specs) for (const version of versionsOf(versions, spec)) chosen.add(version);
  return [...chosen].sort(byRecentUse);
}

/** The one version a spec names: the given hash, or the function's current version (the most recently used). */
export function resolveVersion(versions: readonly Version[], text: string): Version {
  return versionsOf(versions, text).sort(byRecentUse)[0];
}

/** The one entry (argument hash) a prefix names among a version's entries. */
export function resolveArgumentHash(argumentHashes: readonly string[], prefix: string, versionLabel: string): string {
  const wanted = prefix.toLowerCase();
  if (!HEX.test(wanted)) throw new UsageError(`'${prefix}' is not an argument hash prefix`, 'give the hex digits `funes show` lists under ARGUMENT');
  checkPrefixLength(wanted);
  const found = argumentHashes.filter((hash) => hash.startsWith(wanted));
  if (found.length === 1) return found[0];
  if (found.length === 0) throw new CliError('ENOENTRY', `no entry ${wanted} in ${versionLabel}`, { hint: `run \`funes show ${versionLabel}\` to list its entries` });
  throw new CliError('EAMBIGUOUS', `argument hash prefix ${wanted} is ambiguous in ${versionLabel} (${found.length} entries)`, { hint: 'give more hex digits' });
}

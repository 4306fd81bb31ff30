/**
 * Which function versions `pack` takes (pure). Selectors are `name` or
 * `name@hash-prefix`, as `funes pack train score@3fa2` takes them. By default a
 * function contributes its current version (the one used most recently here, by
 * @funes/core/cache's rule); `allVersions` takes every version of the selected functions.
 */
import { functionDirName, functionNameOfDir } from '@funes/core';
import { byRecentUse, type CachedVersion } from '@funes/core/cache';
import { PackSelectionError } from './errors.js';

/** A version found in the cache, with what selection needs to know about it. */
export interface CandidateVersion {
  readonly functionDir: string;
  readonly definitionHash: string;
  readonly version: CachedVersion;
}

/** A parsed selector: a function, and optionally the start of one of its definition hashes. */
export interface Selector {
  readonly text: string;
  readonly functionDir: string;
  readonly hashPrefix: string | undefined;
}

/** Parses `name` or `name@hash-prefix`; `invalid` makes the error for anything else. */
export function parseSelector(text: string, invalid: (message: string) => Error = (message) => new PackSelectionError(message)): Selector {
  const at = text.lastIndexOf('@');
  const name = at > 0 ? text.slice(0, at) : text;
  const hashPrefix = at > 0 ? text.slice(at + 1).toLowerCase() : undefined;
  if (hashPrefix !== undefined && !/^[0-9a-f]{1,64}$/.test(hashPrefix)) {
    throw invalid(`${JSON.stringify(text)} is not a function selector: after @ comes a definition hash or its first hex digits, e.g. train@3fa2`);
  }
  return { text, functionDir: functionDirName(name), hashPrefix };
}

/**
 * Of `items`, the one whose definition hash (`hashOf`) starts with `prefix`; when none or
 * several do, how many.
 */
export function matchPrefix<T>(items: readonly T[], prefix: string, hashOf: (item: T) => string): T | number {
  const matches = items.filter((item) => hashOf(item).startsWith(prefix));
  return matches.length === 1 ? matches[0] : matches.length;
}

function current(versions: readonly CandidateVersion[]): CandidateVersion {
  return versions.reduce((a, b) => (byRecentUse(b.version, a.version) < 0 ? b : a));
}

function byFunction(candidates: readonly CandidateVersion[]): Map<string, CandidateVersion[]> {
  const groups = new Map<string, CandidateVersion[]>();
  for (const candidate of candidates) {
    const group = groups.get(candidate.functionDir);
    if (group) group.push(candidate);
    else groups.set(candidate.functionDir, [candidate]);
  }
  return groups;
}

function pick(versions: readonly CandidateVersion[], selector: Selector | undefined, allVersions: boolean): CandidateVersion[] {
  if (selector?.hashPrefix === undefined) return allVersions ? [...versions] : [current(versions)];
  const prefix = selector.hashPrefix;
  const match = matchPrefix(versions, prefix, (version) => version.definitionHash);
  if (typeof match !== 'number') return [match];
  const what = match === 0 ? 'no version of it has a definition hash starting' : `${match} versions have definition hashes starting`;
  throw new PackSelectionError(`cannot pack ${selector.text}: ${what} with ${prefix}; \`funes log\` lists the versions`);
}

/**
 * The versions to pack, each once, in a stable order (function, then hash).
 * Throws {@link PackSelectionError} for a function the cache does not hold or a hash
 * prefix that matches no version or several.
 */
export function selectVersions(candidates: readonly CandidateVersion[], selectors: readonly string[], allVersions: boolean): CandidateVersion[] {
  const groups = byFunction(candidates);
  const chosen = new Map<string, CandidateVersion>();
  const take = (versions: CandidateVersion[]) => {
    for (const version of versions) chosen.set(`${version.functionDir}/${version.definitionHash}`, version);
  };
  if (selectors.length === 0) {
    for (const versions of groups.values()) take(pick(versions, undefined, allVersions));
  }
  for (const selector of selectors.map((text) => parseSelector(text))) {
    const versions = groups.get(selector.functionDir);
    if (!versions) {
      throw new PackSelectionError(`the cache holds no function named ${JSON.stringify(functionNameOfDir(selector.functionDir))}; \`funes log --oneline\` lists them`);
    }
    take(pick(versions, selector, allVersions));
  }
  return [...chosen.values()].sort((a, b) => (a.functionDir === b.functionDir ? cmp(a.definitionHash, b.definitionHash) : cmp(a.functionDir, b.functionDir)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

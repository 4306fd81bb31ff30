/**
 * Definition hashing: what a memorious function's version directory is keyed by.
 * The hash covers the function's code without comments, whitespace and positions,
 * plus any explicit `deps`; `version` replaces it with a hand-pinned one.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalBytes } from '../canonical-hash.js';
import { parseFunctionSource, type AstNode } from '../function-source.js';
import type { DefinitionSite } from './site.js';

export { captureSite, type DefinitionSite } from './site.js';

/** One thing a definition hash covers. */
export interface Dependency {
  /** `local`: code in the project; `import`: a builtin module; `package`: a node_modules package by version; `closure`: a captured value; `explicit`: from `deps`. */
  readonly kind: 'function' | 'local' | 'import' | 'package' | 'closure' | 'explicit';
  /** The identifier, module specifier or `name@version`. */
  readonly name: string;
  /** Project-relative file, when known. */
  readonly file?: string;
  readonly line?: number;
  /** The dependency's source text, for `funes diff`. */
  readonly source?: string;
  readonly version?: string;
  /** SHA-256 (hex) of what was hashed for it. */
  readonly hash: string;
}

/** What a function's definition hash covered, as `describeDefinition` reports it. */
export interface DefinitionDescription {
  /** 64-hex SHA-256: the version directory name. */
  readonly hash: string;
  readonly name: string;
  /** The defining module's path relative to the project root, `/`-separated, when known. */
  readonly modulePath?: string;
  /** The function's own source text. */
  readonly source: string;
  readonly dependencies: readonly Dependency[];
  /** Where the hash may miss a change (eval, dynamic dispatch, …). */
  readonly warnings: readonly string[];
  /** The `version` option, when the hash was pinned by hand. */
  readonly pinnedVersion?: string;
}

export interface DefinitionOptions {
  readonly name: string;
  readonly site: DefinitionSite;
  readonly deps?: readonly unknown[] | undefined;
  readonly version?: string | undefined;
}

const POSITION_KEYS = new Set(['start', 'end', 'range', 'loc', 'raw']);

/** A function's code as JSON without positions, raw literal spellings, comments or whitespace. */
export function normalizedCode(node: AstNode): string {
  return JSON.stringify(node, (key, value) => (POSITION_KEYS.has(key) ? undefined : value));
}

function hex(data: Uint8Array | string): string {
  return bytesToHex(sha256(typeof data === 'string' ? new TextEncoder().encode(data) : data));
}

/** Hash of a function's own code; the text itself when it does not parse (native or bound functions). */
export function functionCodeHash(fn: Function): string {
  const source = Function.prototype.toString.call(fn);
  const parsed = parseFunctionSource(source);
  return hex(parsed ? normalizedCode(parsed.node) : `unparsed:${fn.name}:${fn.length}:${source}`);
}

function explicitDependency(value: unknown, index: number): Dependency {
  if (typeof value === 'function') {
    return { kind: 'explicit', name: value.name || `deps[${index}]`, source: Function.prototype.toString.call(value), hash: functionCodeHash(value) };
  }
  return { kind: 'explicit', name: `deps[${index}]`, hash: hex(canonicalBytes(value, `deps[${index}]`)) };
}

/** Computes a function's definition hash and what it covered. */
export function analyzeDefinition(fn: Function, options: DefinitionOptions): DefinitionDescription {
  const source = Function.prototype.toString.call(fn);
  const own: Dependency = { kind: 'function', name: options.name, hash: functionCodeHash(fn), source };
  const dependencies = [own, ...(options.deps ?? []).map(explicitDependency)];
  const description = { name: options.name, source, dependencies, warnings: [] as string[] };
  if (options.version !== undefined) {
    return { ...description, hash: hex(`funes-pinned-version/1\0${options.version}`), pinnedVersion: options.version };
  }
  const hashed = dependencies.map((d) => `${d.kind}\0${d.name}\0${d.hash}`).join('\n');
  return { ...description, hash: hex(`funes-definition/1\n${hashed}`) };
}

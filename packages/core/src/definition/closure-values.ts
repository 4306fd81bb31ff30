/**
 * Hashing values a function reaches at run time: variables captured from enclosing
 * functions (`makeScaler(5)` vs `makeScaler(6)`), and, for functions with no file
 * (eval, `new Function`, the REPL, `node -e`), everything they use by name.
 *
 * Data values are hashed canonically. A function value is hashed by its code and,
 * recursively, by the values it uses in turn; a function met again on the way
 * (recursion) is hashed by its code alone, so the walk terminates.
 */
import { runInNewContext } from 'node:vm';
import { canonicalBytes } from '../canonical-hash.js';
import { UnhashableArgumentError } from '../errors.js';
import { sha256Hex } from '../sha256.js';
import { functionCodeHash, parseRuntimeCode } from './code-hash.js';
import type { ScopeLayer } from './runtime-scopes.js';
import { freeVariables } from './scope-resolution.js';
import { unwrap } from './wrapped-functions.js';

/** What hashing runtime values needs from its surroundings. */
export interface RuntimeContext {
  /** A function's scope chain, innermost first (from the inspector). */
  scopes(fn: Function): readonly ScopeLayer[];
  /** For code that is not the program's own, what stands for it: `node:fs`, `lodash@4.17.21`; undefined otherwise. */
  origin(fn: Function): string | undefined;
  warn(message: string): void;
}

/** The value of `name` in the innermost scope that has it. */
export function lookupVariable(layers: readonly ScopeLayer[], name: string): { value: unknown } | undefined {
  for (const layer of layers) {
    if (Object.prototype.hasOwnProperty.call(layer.variables, name)) return { value: layer.variables[name] };
  }
  return undefined;
}

/** Globals every Node process has: the runtime's, not the program's. */
const NODE_GLOBALS = [
  'global', 'globalThis', 'process', 'Buffer', 'console', 'require', 'module', 'exports', '__filename', '__dirname',
  'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask',
  'structuredClone', 'atob', 'btoa', 'fetch', 'crypto', 'performance', 'navigator', 'URL', 'URLSearchParams',
  'TextEncoder', 'TextDecoder', 'AbortController', 'AbortSignal', 'EventTarget', 'Event', 'MessageChannel',
  'MessagePort', 'MessageEvent', 'Blob', 'BroadcastChannel', 'DOMException', 'File', 'FormData', 'Headers',
  'Request', 'Response', 'WebAssembly', '_', '_error',
];
let builtinGlobals: Set<string> | undefined;

/** A global the program itself defined (`function helper` at the top of a script or the REPL); undefined for the runtime's own. */
export function programGlobal(name: string): { value: unknown } | undefined {
  builtinGlobals ??= new Set([...(runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]), ...NODE_GLOBALS]);
  if (builtinGlobals.has(name)) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
  return descriptor && 'value' in descriptor ? { value: descriptor.value } : undefined;
}

/** Hashes runtime values; one instance per analysis, so a function is walked once. */
export class RuntimeHasher {
  private readonly onPath = new Set<Function>();
  private readonly done = new Map<Function, string>();

  constructor(private readonly context: RuntimeContext) {}

  /** SHA-256 of a value: canonical bytes for data, code and used values for functions. */
  value(value: unknown, label: string): string {
    if (typeof value === 'function') return this.function(value, label);
    try {
      return sha256Hex(canonicalBytes(value, label));
    } catch (error) {
      if (!(error instanceof UnhashableArgumentError)) throw error;
      this.context.warn(`${label} cannot be hashed (${error.path} is not plain data), so changes to it are not seen; add what matters to \`deps\``);
      return sha256Hex(`unhashable:${Object.prototype.toString.call(value)}`);
    }
  }

  /** SHA-256 of a function's code and of the values its free names have (innermost scope first, then program globals). */
  function(fn: Function, label: string): string {
    const original = unwrap(fn);
    const known = this.done.get(original);
    if (known) return known;
    // Node's and packages' functions are known by where they come from; their internals are not walked.
    const origin = this.context.origin(original);
    if (origin !== undefined) return sha256Hex(`function\0${origin}\0${original.name}`);
    const node = parseRuntimeCode(original);
    const code = functionCodeHash(original, node);
    if (this.onPath.has(original) || !node) return sha256Hex(`function\0${code}`);
    this.onPath.add(original);
    try {
      const parts = this.variables(original, freeVariables(node), label).map(({ name, hash }) => `${name}\0${hash}`);
      const hash = sha256Hex(`function\0${code}\n${parts.join('\n')}`);
      this.done.set(original, hash);
      return hash;
    } finally {
      this.onPath.delete(original);
    }
  }

  /** The hashes of the given free names of `fn`, for those that have a value in its scopes or among program globals. */
  variables(fn: Function, names: readonly string[], label: string): { name: string; hash: string }[] {
    const layers = names.length > 0 ? this.context.scopes(fn) : [];
    const out: { name: string; hash: string }[] = [];
    for (const name of names) {
      const found = lookupVariable(layers, name) ?? programGlobal(name);
      if (found) out.push({ name, hash: this.value(found.value, `${label} → ${name}`) });
    }
    return out;
  }
}

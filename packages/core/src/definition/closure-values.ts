/**
 * Hashing values a function reaches at run time: variables captured from enclosing
 * functions (`makeScaler(5)` vs `makeScaler(6)`), and, for functions with no file
 * (eval, `new Function`, the REPL, `node -e`), everything they use by name.
 *
 * Data values are hashed canonically. A function value is hashed by its code and,
 * recursively, by the values it uses in turn; a function met again on the way
 * (recursion) is hashed by its code alone, so the walk terminates. Arrays, objects,
 * Maps and Sets are walked member by member, so functions held in them count by
 * their code (`compose(inc, double)`); an instance of a class of the program counts
 * by its data and by its class, hashed as a function (the class's code and the
 * values it uses).
 */
import { types } from 'node:util';
import { runInNewContext } from 'node:vm';
import { canonicalBytes, funesKey } from '../canonical-hash.js';
import { UnhashableArgumentError } from '../errors.js';
import { readsEnclosingThis, type AstNode } from '../function-source.js';
import { sha256Hex } from '../sha256.js';
import { functionCodeHash, parseRuntimeCode } from './code-hash.js';
import type { BoundParts, ScopeLayer } from './runtime-scopes.js';
import { intrinsicPath } from './intrinsics.js';
import { ownState } from './mutation.js';
import { freeVariables } from './scope-resolution.js';
import { seededWrapper, unwrap } from './wrapped-functions.js';

/** What hashing runtime values needs from its surroundings. */
export interface RuntimeContext {
  /** A function's scope chain, innermost first (from the inspector). */
  scopes(fn: Function): readonly ScopeLayer[];
  /**
   * For code that is not the program's own, what stands for it: `node:fs`, a package's versions and the file in it;
   * undefined otherwise.
   */
  origin(fn: Function): string | undefined;
  /**
   * The free names a function reads from the functions enclosing it in its file (a factory's parameters), not from
   * its module's own scope; undefined where its file cannot be read.
   */
  enclosingNames?(fn: Function): readonly string[] | undefined;
  /** Whether any code in a function's file assigns `name`; undefined where the file cannot be read. */
  assigned?(fn: Function, name: string): boolean | undefined;
  warn(message: string): void;
  /** What a bound function was made of; undefined for any other function. */
  bound?(fn: Function): BoundParts | undefined;
}

/** Whether a function may be bound (`f.bind(…)`), which only the inspector can look into. */
export function mayBeBound(fn: Function): boolean {
  return fn.name.startsWith('bound ') && isNative(fn);
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

/**
 * A global the program itself defined (`function helper` at the
 * top of a script or the REPL); undefined for the runtime's own.
 */
export function programGlobal(name: string): { value: unknown } | undefined {
  builtinGlobals ??= new Set([
    ...(runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]),
    ...NODE_GLOBALS,
  ]);
  if (builtinGlobals.has(name)) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
  return descriptor && 'value' in descriptor ? { value: descriptor.value } : undefined;
}

/** By path (`Array.prototype`, `Math`), the member names of built-in objects, as a fresh context has them. */
let builtinMembers: Map<string, Set<string>> | undefined;

/**
 * The built-in objects whose members programs extend in practice: the language's core
 * constructors, their prototypes, and its namespaces. (Not every global: listing them all
 * at each analysis costs as much as analyzing a function.)
 */
const EXTENDED_BUILTINS = [
  'Array', 'BigInt', 'Boolean', 'Date', 'Error', 'Function', 'JSON', 'Map', 'Math', 'Number', 'Object', 'Promise',
  'Reflect', 'RegExp', 'Set', 'String', 'Symbol', 'WeakMap', 'WeakSet',
];

/** The member names of each of {@link EXTENDED_BUILTINS} and its `prototype`, by path (`Array.prototype`). */
const BUILTIN_MEMBERS = `JSON.stringify(Object.fromEntries(${JSON.stringify(EXTENDED_BUILTINS)}.flatMap((name) => {
  const value = globalThis[name];
  const own = [[name, Object.getOwnPropertyNames(value)]];
  return value.prototype ? [...own, [name + '.prototype', Object.getOwnPropertyNames(value.prototype)]] : own;
})))`;

/** The object a path of {@link BUILTIN_MEMBERS} names in this process (`Array.prototype`). */
function builtinObject(path: string): object | undefined {
  const [name, prototype] = path.split('.');
  const value = (globalThis as Record<string, unknown>)[name!] as { prototype?: unknown } | null | undefined;
  const target = prototype === undefined ? value : value?.prototype;
  return target !== null && (typeof target === 'object' || typeof target === 'function') ? target : undefined;
}

/**
 * Functions the program added to the engine's built-in objects and prototypes
 * (`Array.prototype.total = function …`, `Math.clamp = …`, a getter), by member name, with
 * where each is (`Array.prototype.total`): code that reads `xs.total` may run them, though
 * it names no binding of theirs. Values the runtime adds (`Symbol.dispose`) are not code.
 * A fresh context tells the engine's members from the program's, whenever it added them.
 */
export function programBuiltinMembers(): Map<string, { path: string; value: unknown }[]> {
  builtinMembers ??= new Map(
    Object.entries(JSON.parse(runInNewContext(BUILTIN_MEMBERS) as string) as Record<string, string[]>).map(
      ([path, names]) => [path, new Set(names)],
    ),
  );
  const added = new Map<string, { path: string; value: unknown }[]>();
  for (const [path, names] of builtinMembers) {
    const target = builtinObject(path);
    if (!target) continue;
    for (const name of Object.getOwnPropertyNames(target)) {
      if (names.has(name)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(target, name)!;
      const value: unknown = 'value' in descriptor ? descriptor.value : descriptor.get;
      if (typeof value !== 'function' || isNative(value)) continue;
      added.set(name, [...(added.get(name) ?? []), { path: `${path}.${name}`, value }]);
    }
  }
  return added;
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/** Whether a function is the runtime's own (`Date`, `Map`): its text is not code. */
function isNative(fn: Function): boolean {
  return Function.prototype.toString.call(fn).endsWith('{ [native code] }');
}

/** Hashes runtime values; one instance per analysis, so a function is walked once. */
/** A function's hash, and whether it may be kept (see {@link RuntimeHasher.settled}). */
export interface FunctionHash {
  readonly hash: string;
  readonly settled: boolean;
}

export class RuntimeHasher {
  private readonly onPath = new Set<Function>();
  /**
   * Whether every value the hashes so far took in stays as long as its function lives, so a function's hash may be
   * kept: false once one read an object or a variable that code may assign.
   */
  settled = true;

  /** `done`: functions already hashed, which hashers working out one key may share. */
  constructor(
    private readonly context: RuntimeContext,
    private readonly done = new Map<Function, FunctionHash>(),
  ) {}

  /**
   * SHA-256 of a value: canonical bytes for data, code and used values
   * for functions, members one by one for collections and instances.
   */
  value(value: unknown, label: string, thisSeen = false): string {
    if (typeof value === 'function') return this.function(value, label, thisSeen);
    if (value === null || typeof value !== 'object') return this.data(value, label);
    if (this.walking.has(value)) return sha256Hex('cycle');
    this.walking.add(value);
    try {
      return this.object(value, label);
    } finally {
      this.walking.delete(value);
    }
  }

  private readonly walking = new Set<object>();

  private object(value: object, label: string): string {
    const proto = Object.getPrototypeOf(value);
    const members = (entries: Iterable<[string, unknown]>, sorted: boolean, thisSeen = false) => {
      const parts = [...entries].map(
        ([key, member]) => `${JSON.stringify(key)}\0${this.value(member, `${label}${key}`, thisSeen)}`,
      );
      return sorted ? parts.sort() : parts;
    };
    if (Array.isArray(value)) {
      if (value.every(isPrimitive)) return this.data(value, label);
      // A sparse array (a compiler's `[, , ,]` of decorator initializers) by its length and the items it has.
      const entries: [string, unknown][] = [];
      for (let i = 0; i < value.length; i++) if (i in value) entries.push([`[${i}]`, value[i]]);
      const kind = entries.length === value.length ? 'array' : `sparse array ${value.length}`;
      return sha256Hex(`${kind}\n${members(entries, false).join('\n')}`);
    }
    if (proto === Object.prototype || proto === null) {
      if (Object.values(value).every(isPrimitive)) return this.data(value, label);
      return sha256Hex(
        `object\n${members(
          Object.entries(value).map(([key, item]) => [`.${key}`, item]),
          true,
        ).join('\n')}`,
      );
    }
    if (value instanceof Map) {
      return sha256Hex(
        `map\n${members(
          [...value].map(([key, item]) => [`.get(${this.value(key, `${label} key`)})`, item]),
          true,
        ).join('\n')}`,
      );
    }
    if (value instanceof Set) {
      return sha256Hex(
        `set\n${[...value]
          .map((item) => this.value(item, `${label} item`))
          .sort()
          .join('\n')}`,
      );
    }
    const ctor = (value as { constructor?: unknown }).constructor;
    if (typeof ctor !== 'function' || proto !== ctor.prototype || isNative(ctor)) return this.data(value, label);
    // An instance of the program's class: its class's code, and its state.
    const classHash = this.function(ctor, `${label} (class ${ctor.name || 'anonymous'})`);
    const keyed = typeof (value as { [funesKey]?: unknown })[funesKey] === 'function';
    const state = keyed || Object.values(value).every(isPrimitive)
      ? this.data(value, label)
      : sha256Hex(members(Object.entries(value).map(([key, item]) => [`.${key}`, item]), true, true).join('\n'));
    return sha256Hex(`instance\0${classHash}\0${state}`);
  }

  /** SHA-256 of plain data; what cannot be hashed is reported, not thrown. */
  private data(value: unknown, label: string): string {
    try {
      return sha256Hex(canonicalBytes(value, label));
    } catch (error) {
      if (!(error instanceof UnhashableArgumentError)) throw error;
      this.context.warn(
        `${label} cannot be hashed (${error.path} is not plain data), ` +
            `so changes to it are not seen; add what matters to \`deps\``,
      );
      return sha256Hex(`unhashable:${Object.prototype.toString.call(value)}`);
    }
  }

  /**
   * SHA-256 of a function's code and of the values its free names have (innermost scope first, then program globals).
   * `thisSeen`: where the function reads the `this` of the function that made it, that `this` is hashed or
   * refused elsewhere: the function is an own property of an instance hashed with its data, or the value
   * whose definition hash a caller asked for, which refuses such a function where it must.
   */
  function(fn: Function, label: string, thisSeen = false): string {
    // A seeded memorious function computes what its function does under its seed: both count.
    const seeded = seededWrapper(fn);
    if (seeded) {
      const parts = [this.function(seeded.wrapper, label), this.value(seeded.seed, `${label} (seed)`)];
      return sha256Hex(`seeded\n${parts.join('\n')}`);
    }
    const original = unwrap(fn);
    const known = this.done.get(original);
    if (known) {
      if (!known.settled) this.settled = false;
      return known.hash;
    }
    // A Proxy prints as native code whatever it runs, and nothing shows its target.
    if (types.isProxy(original)) {
      this.context.warn(
        `${label} is a Proxy of a function, whose code cannot be seen, so changes to it are not seen; ` +
            'capture the function itself, or add what matters to `deps`',
      );
      return sha256Hex('function\0proxy');
    }
    // Node's and packages' functions are known by where they come from; their internals are not walked.
    const bound = mayBeBound(original) ? this.context.bound?.(original) : undefined;
    if (bound) {
      const parts = [
        this.function(bound.target, label),
        this.value(bound.self, `${label} (bound this)`),
        ...bound.args.map((arg, i) => this.value(arg, `${label} (bound argument ${i})`)),
      ];
      return sha256Hex(`bound\n${parts.join('\n')}`);
    }
    const origin = this.context.origin(original);
    if (origin !== undefined) return this.outside(original, origin, label);
    // `Array.from` and `%TypedArray%.from` print the same text: such a built-in counts by where it lives.
    const intrinsic = isNative(original) ? intrinsicPath(original) : undefined;
    if (intrinsic !== undefined) return sha256Hex(`function\0intrinsic\0${intrinsic}`);
    const node = parseRuntimeCode(original);
    // Its `this` is in no property and no scope the inspector shows: two objects' arrows hash alike. Held by an
    // instance (a class field `predict = (x) => x * this.w`), it reads that instance, whose data is hashed.
    if (node && !thisSeen && readsEnclosingThis(node)) {
      this.context.warn(
        `${label} is an arrow function reading the \`this\` or \`arguments\` of the function that made it, ` +
            'which cannot be hashed, so which object it reads is not seen; capture a method bound to its ' +
            'object (model.predict.bind(model)), whose bound this is hashed, or add what it reads to `deps`',
      );
    }
    const head = `function\0${functionCodeHash(original, node)}`;
    return node ? this.withValues(original, head, freeVariables(node), node, label) : sha256Hex(head);
  }

  /**
   * A function of Node's or of a package's: where it is and its code, which the package's version fixes, and the
   * values it reads from the functions enclosing it, where `makeScaler(2)` and `makeScaler(3)` differ. Its module's
   * own variables are the version's too. Where its file cannot be read, every value it reads by name counts.
   */
  private outside(fn: Function, origin: string, label: string): string {
    if (origin.startsWith('node:')) return sha256Hex(`function\0${origin}\0${fn.name}`);
    const head = `function\0${origin}\0${fn.name}\0${sha256Hex(Function.prototype.toString.call(fn))}`;
    const node = parseRuntimeCode(fn);
    if (!node) return sha256Hex(head);
    const names = this.context.enclosingNames?.(fn) ?? freeVariables(node);
    return names.length > 0 ? this.withValues(fn, head, names, node, label) : sha256Hex(head);
  }

  /**
   * `head` with the hashes of the values `names` have for `fn` (`node`), but for its own state, which its code
   * changes; met again on the way, `fn` counts by `head` alone.
   */
  private withValues(fn: Function, head: string, names: readonly string[], node: AstNode, label: string): string {
    if (this.onPath.has(fn)) return sha256Hex(head);
    const state = ownState(node);
    const read = state.size > 0 ? names.filter((name) => !state.has(name)) : names;
    this.onPath.add(fn);
    const outer = this.settled;
    this.settled = true;
    try {
      const parts = this.variables(fn, read, label).map(({ name, hash }) => `${name}\0${hash}`);
      const hash = sha256Hex(`${head}\n${parts.join('\n')}`);
      this.done.set(fn, { hash, settled: this.settled });
      return hash;
    } finally {
      this.onPath.delete(fn);
      this.settled &&= outer;
    }
  }

  /** The hashes of the given free names of `fn`, for those that have a value in its scopes or among program globals. */
  variables(fn: Function, names: readonly string[], label: string): { name: string; hash: string }[] {
    const out: { name: string; hash: string }[] = [];
    for (const { name, value, fixed } of this.reads(fn, names)) {
      // A function's own hash checks its values as it is walked; an object's data may change whatever holds it.
      if (!fixed || (typeof value === 'object' && value !== null)) this.settled = false;
      out.push({ name, hash: this.value(value, `${label} → ${name}`) });
    }
    return out;
  }

  /** What the given names of `fn` hold, and whether no code assigns the variable (not a program global) holding it. */
  private reads(fn: Function, names: readonly string[]): readonly VariableRead[] {
    const key = names.join('\0');
    const known = fixedReads.get(fn)?.get(key);
    if (known) return known;
    const layers = names.length > 0 ? this.context.scopes(fn) : [];
    const reads: VariableRead[] = [];
    for (const name of names) {
      const captured = lookupVariable(layers, name);
      const found = captured ?? programGlobal(name);
      if (!found) continue;
      reads.push({ name, value: found.value, fixed: !!captured && this.context.assigned?.(fn, name) === false });
    }
    if (reads.every((read) => read.fixed)) {
      if (!fixedReads.has(fn)) fixedReads.set(fn, new Map());
      fixedReads.get(fn)!.set(key, reads);
    }
    return reads;
  }
}

interface VariableRead {
  readonly name: string;
  readonly value: unknown;
  readonly fixed: boolean;
}

/**
 * What functions read through variables no code assigns, by function and names read: the same values for as long as
 * it lives, so the inspector is asked once.
 */
const fixedReads = new WeakMap<Function, Map<string, readonly VariableRead[]>>();

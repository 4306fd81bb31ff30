/**
 * The engine's own functions by where they live (`Array.from`, `String.prototype.slice`).
 * Their text is `function slice() { [native code] }` whichever `slice` they are, so where
 * two of them share a name and a length, their text alone would let one stand for the other.
 */
import { runInNewContext } from 'node:vm';

interface Index {
  /** Each built-in function by its first path from a global, in a fixed order. */
  readonly paths: WeakMap<Function, string>;
  /** The texts (name, length, source) that more than one built-in function has. */
  readonly shared: ReadonlySet<string>;
}

let index: Index | undefined;

function text(fn: Function): string {
  return `${fn.name}:${fn.length}:${Function.prototype.toString.call(fn)}`;
}

/** The prototypes the engine keeps under no global name: typed arrays' and iterators' common ones. */
function hiddenRoots(): [string, object][] {
  const arrayIterator = Object.getPrototypeOf([][Symbol.iterator]()) as object;
  return [
    ['%TypedArray%', Object.getPrototypeOf(Uint8Array) as object],
    ['%ArrayIteratorPrototype%', arrayIterator],
    ['%IteratorPrototype%', Object.getPrototypeOf(arrayIterator) as object],
    ['%MapIteratorPrototype%', Object.getPrototypeOf(new Map().keys()) as object],
    ['%SetIteratorPrototype%', Object.getPrototypeOf(new Set().values()) as object],
    ['%StringIteratorPrototype%', Object.getPrototypeOf(''[Symbol.iterator]()) as object],
  ];
}

function built(): Index {
  const paths = new WeakMap<Function, string>();
  const seen = new Map<string, number>();
  const record = (fn: unknown, path: string) => {
    if (typeof fn !== 'function' || paths.has(fn)) return;
    paths.set(fn, path);
    seen.set(text(fn), (seen.get(text(fn)) ?? 0) + 1);
  };
  const members = (holder: object, path: string) => {
    for (const key of Reflect.ownKeys(holder)) {
      const descriptor = Object.getOwnPropertyDescriptor(holder, key)!;
      const member = typeof key === 'symbol' ? `${path}[${key.description}]` : `${path}.${key}`;
      record(descriptor.value, member);
      record(descriptor.get, `get ${member}`);
      record(descriptor.set, `set ${member}`);
    }
  };
  // The language's globals, as a fresh context has them: the program's own are not the engine's.
  const globals = (runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]).sort();
  const roots: [string, object][] = [];
  for (const name of globals) {
    const value = (globalThis as Record<string, unknown>)[name];
    if (name !== 'globalThis' && value !== null && (typeof value === 'object' || typeof value === 'function')) {
      roots.push([name, value]);
    }
  }
  roots.push(...hiddenRoots());
  for (const [name, root] of roots) record(root, name);
  for (const [name, root] of roots) {
    members(root, name);
    const prototype = (root as { prototype?: unknown }).prototype;
    if (typeof root === 'function' && prototype !== null && typeof prototype === 'object') {
      members(prototype, `${name}.prototype`);
    }
  }
  const shared = new Set([...seen].filter(([, count]) => count > 1).map(([key]) => key));
  return { paths, shared };
}

/**
 * Where a built-in function lives (`Uint8Array.from` is `%TypedArray%.from`), when its text
 * is shared with another built-in; undefined when the text alone tells it apart, or when it
 * is not the engine's.
 */
export function intrinsicPath(fn: Function): string | undefined {
  index ??= built();
  const path = index.paths.get(fn);
  return path !== undefined && index.shared.has(text(fn)) ? path : undefined;
}

/**
 * What a record stores as a call's input: the arguments as they were when the call
 * started — copied before the function runs, so a function that changes its argument
 * (`o.v = 999`) does not change what the record says it was given — in a form
 * structured clone keeps. A function, which no record can hold, is stored as a text
 * naming it and its definition hash; a symbol as its description; a class instance,
 * as structured clone keeps it, as its own enumerable properties.
 */
import type { CodeHasher } from './canonical-hash.js';

/** A copy of `value` as of now, storable by structured clone. */
export function snapshot<T>(value: T, code: CodeHasher): T {
  try {
    return structuredClone(value);
  } catch {
    // Something structured clone rejects (a function, a symbol, a Proxy): copy it by hand.
    return storable(value, code, new Map()) as T;
  }
}

/**
 * A call's named input as of now, as {@link snapshot} copies it. The object is the call's
 * own, made when its arguments were bound, so when it holds only primitives a shallow
 * copy is the same snapshot, without a structured clone's round trip.
 */
export function snapshotInput(input: Record<string, unknown>, code: CodeHasher): Record<string, unknown> {
  for (const key in input) {
    const value = input[key];
    if (value !== null && (typeof value === 'object' || typeof value === 'function' || typeof value === 'symbol')) {
      return snapshot(input, code);
    }
  }
  return { ...input };
}

function storable(value: unknown, code: CodeHasher, copies: Map<object, unknown>): unknown {
  if (typeof value === 'function') return `[function ${value.name || '(anonymous)'} ${code(value).slice(0, 16)}]`;
  if (typeof value === 'symbol') return String(value);
  if (value === null || typeof value !== 'object') return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  const copy = (made: object, fill: () => void) => {
    copies.set(value, made);
    fill();
    return made;
  };
  if (Array.isArray(value)) {
    const array: unknown[] = new Array(value.length);
    return copy(array, () => value.forEach((item, i) => (array[i] = storable(item, code, copies))));
  }
  if (value instanceof Map) {
    const map = new Map();
    return copy(map, () =>
      value.forEach((item, key) => map.set(storable(key, code, copies), storable(item, code, copies))),
    );
  }
  if (value instanceof Set) {
    const set = new Set();
    return copy(set, () => value.forEach((item) => set.add(storable(item, code, copies))));
  }
  try {
    const cloned = structuredClone(value);
    copies.set(value, cloned);
    return cloned;
  } catch {
    const object: Record<string, unknown> = {};
    return copy(object, () => {
      for (const key of Object.keys(value)) {
        object[key] = storable((value as Record<string, unknown>)[key], code, copies);
      }
    });
  }
}

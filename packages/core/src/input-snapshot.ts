/**
 * What a record stores as a call's input: the arguments as they were when the call
 * started — copied before the function runs, so a function that changes its argument
 * (`o.v = 999`) does not change what the record says it was given — in a form
 * structured clone keeps. A function, which no record can hold, is stored as a text
 * naming it and its definition hash; a symbol as its description; a class instance,
 * as structured clone keeps it, as its own enumerable properties; a SharedArrayBuffer
 * as an ArrayBuffer holding its bytes.
 */
import type { CodeHasher } from './canonical-hash.js';
import { deserializeValue, serializeValue } from './value-codec.js';

/**
 * `value` through the serializer that stores records: its bytes are copied, where
 * `structuredClone` would leave a view of a SharedArrayBuffer sharing memory with the
 * caller's, which the function may still change (and a Buffer would come back a Uint8Array).
 */
function copied<T>(value: T): T {
  return deserializeValue(serializeValue(value)) as T;
}

/** A copy of `value` as of now, storable by structured clone. */
export function snapshot<T>(value: T, code: CodeHasher): T {
  try {
    return copied(value);
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
  if (value instanceof SharedArrayBuffer) return new Uint8Array(value).slice().buffer;
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
    const cloned = copied(value);
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

/**
 * Turns results into bytes and back with node:v8's structured clone, which keeps
 * every type Funes promises (NaN, -0, BigInt, sparse arrays, Map, Set, Date, RegExp,
 * typed arrays, Error, circular references). Structured clone silently drops what it
 * cannot keep (class prototypes, symbol keys, extra error properties), so values are
 * checked first and rejected with ENOTSERIALIZABLE rather than stored wrong.
 */
import { deserialize, serialize } from 'node:v8';
import { NotSerializableError } from './errors.js';


const ERROR_PROTOTYPES = new Set<unknown>(
  [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError].map((c) => c.prototype),
);
const ERROR_OWN_KEYS = new Set(['message', 'stack', 'cause']);

const TYPED_ARRAY_PROTOTYPE = Object.getPrototypeOf(Uint8Array.prototype);

/** Built-in objects structured clone keeps exactly, by prototype. */
const CLONEABLE_PROTOTYPES = new Set<unknown>([
  Array.prototype,
  Date.prototype,
  RegExp.prototype,
  Map.prototype,
  Set.prototype,
  ArrayBuffer.prototype,
  DataView.prototype,
  Boolean.prototype,
  Number.prototype,
  String.prototype,
  Buffer.prototype,
]);

function describe(value: object): string {
  const ctor = (value as { constructor?: { name?: string } }).constructor;
  return ctor?.name ? `an instance of ${ctor.name}` : 'an object with a custom prototype';
}

/** Throws NotSerializableError naming the first value that would not survive storage. */
export function assertSerializable(value: unknown, path = 'output'): void {
  const seen = new Set<object>();
  const visit = (v: unknown, at: string): void => {
    if (typeof v === 'function') throw new NotSerializableError(at, 'a function');
    if (typeof v === 'symbol') throw new NotSerializableError(at, 'a symbol');
    if (v === null || typeof v !== 'object') return;
    if (seen.has(v)) return;
    seen.add(v);
    const proto = Object.getPrototypeOf(v);
    if (ArrayBuffer.isView(v)) {
      if (proto !== Buffer.prototype && Object.getPrototypeOf(proto) !== TYPED_ARRAY_PROTOTYPE && proto !== DataView.prototype) {
        throw new NotSerializableError(at, describe(v));
      }
      return;
    }
    if (ERROR_PROTOTYPES.has(proto)) {
      for (const key of Object.getOwnPropertyNames(v)) {
        if (!ERROR_OWN_KEYS.has(key)) throw new NotSerializableError(`${at}.${key}`, 'an extra property of an Error');
      }
      if ('cause' in v) visit((v as { cause: unknown }).cause, `${at}.cause`);
      return;
    }
    // Structured clone gives null-prototype objects Object.prototype back: not faithful.
    if (proto === null) throw new NotSerializableError(at, 'an object with a null prototype');
    if (proto !== Object.prototype && !CLONEABLE_PROTOTYPES.has(proto)) throw new NotSerializableError(at, describe(v));
    if (Object.getOwnPropertySymbols(v).length > 0) throw new NotSerializableError(at, 'an object with symbol keys');
    if (v instanceof Map) {
      let i = 0;
      for (const [k, item] of v) {
        visit(k, `${at}.<key ${i}>`);
        visit(item, `${at}.get(${i++})`);
      }
      return;
    }
    if (v instanceof Set) {
      let i = 0;
      for (const item of v) visit(item, `${at}.<item ${i++}>`);
      return;
    }
    for (const key of Object.keys(v)) {
      const descriptor = Object.getOwnPropertyDescriptor(v, key);
      if (descriptor?.get || descriptor?.set) throw new NotSerializableError(`${at}.${key}`, 'an accessor property');
      visit((v as Record<string, unknown>)[key], Array.isArray(v) ? `${at}[${key}]` : `${at}.${key}`);
    }
  };
  visit(value, path);
}

/** Serializes a value that has passed {@link assertSerializable}. */
export function serializeValue(value: unknown): Uint8Array {
  return serialize(value);
}

export function deserializeValue(bytes: Uint8Array): unknown {
  return deserialize(bytes);
}

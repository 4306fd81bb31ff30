/**
 * Stored values as text and as JSON (pure). Records hold anything structured clone
 * keeps — Map, Set, Date, BigInt, typed arrays, NaN, cycles — which JSON cannot
 * express, so `--json` and exports use one documented conversion.
 */
import { inspect } from 'node:util';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The JSON form of a stored value: Date → ISO string, BigInt → decimal string,
 * NaN and ±Infinity → null, Map → object (or `[key, value]` pairs when a key is not a
 * string), Set and typed arrays → arrays, a repeated reference in a cycle → `"[Circular]"`.
 */
export function toJsonValue(value: unknown, ancestors: Set<object> = new Set()): Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
  }
  if (value === null) return null;
  const object = value as object;
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? null : object.toISOString();
  if (object instanceof RegExp) return String(object);
  if (ancestors.has(object)) return '[Circular]';
  ancestors.add(object);
  try {
    if (object instanceof Error) return { name: object.name, message: object.message };
    if (ArrayBuffer.isView(object)) {
      const items = object instanceof DataView ? new Uint8Array(object.buffer, object.byteOffset, object.byteLength) : (object as unknown as ArrayLike<unknown>);
      return Array.from(items, (item) => toJsonValue(item, ancestors));
    }
    if (object instanceof ArrayBuffer) return Array.from(new Uint8Array(object));
    if (Array.isArray(object) || object instanceof Set) return Array.from(object, (item) => toJsonValue(item, ancestors));
    if (object instanceof Map) {
      const entries = [...object.entries()];
      if (entries.every(([key]) => typeof key === 'string')) return Object.fromEntries(entries.map(([k, v]) => [k, toJsonValue(v, ancestors)]));
      return entries.map(([k, v]) => [toJsonValue(k, ancestors), toJsonValue(v, ancestors)]);
    }
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, toJsonValue(v, ancestors)]));
  } finally {
    ancestors.delete(object);
  }
}

/** A one-line preview of a value for tables, cut to `width` characters. */
export function preview(value: unknown, width: number): string {
  const text = inspect(value, { depth: 2, breakLength: Infinity, maxArrayLength: 8, maxStringLength: width, compact: true, colors: false });
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** A value in full, for `funes show fn <argument hash>`. */
export function fullText(value: unknown): string {
  return inspect(value, { depth: Infinity, breakLength: 100, maxArrayLength: 1000, maxStringLength: 100_000, colors: false });
}

/** Whether a value is a single cell in a table: not an object, or a Date. */
function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object' || value instanceof Date;
}

/** Whether a value is a plain object whose values are all scalars (an export flattens it into columns). */
export function isScalarRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every(isScalar);
}

/**
 * Stored values as JSON (pure). Records hold anything structured clone keeps — Map,
 * Set, Date, BigInt, typed arrays, NaN, cycles — which JSON cannot express, so every
 * tool (`funes --json`, exports, `funes ui`) uses one documented conversion.
 */

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
      const items =
        object instanceof DataView
          ? new Uint8Array(object.buffer, object.byteOffset, object.byteLength)
          : (object as unknown as ArrayLike<unknown>);
      return Array.from(items, (item) => toJsonValue(item, ancestors));
    }
    if (object instanceof ArrayBuffer) return Array.from(new Uint8Array(object));
    if (Array.isArray(object) || object instanceof Set) {
      return Array.from(object, (item) => toJsonValue(item, ancestors));
    }
    if (object instanceof Map) {
      const entries = [...object.entries()];
      if (entries.every(([key]) => typeof key === 'string')) {
        return Object.fromEntries(entries.map(([k, v]) => [k, toJsonValue(v, ancestors)]));
      }
      return entries.map(([k, v]) => [toJsonValue(k, ancestors), toJsonValue(v, ancestors)]);
    }
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, toJsonValue(v, ancestors)]));
  } finally {
    ancestors.delete(object);
  }
}

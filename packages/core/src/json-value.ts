/**
 * Stored values as JSON (pure). Records hold anything structured clone keeps — Map,
 * Set, Date, BigInt, typed arrays, NaN, cycles — which JSON cannot express, so every
 * tool (`funes --json`, exports, `funes ui`) uses one documented conversion.
 */

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** How {@link toJsonValue} converts. */
export interface JsonValueOptions {
  /**
   * Keep NaN, ±Infinity and -0 as numbers, for a reader that carries them (the page of
   * `funes ui`), rather than null and 0 as `JSON.stringify` writes them.
   * @default false
   */
  readonly exactNumbers?: boolean;
  /**
   * Convert at most this many items of each array, typed array, Set, Map and ArrayBuffer: a
   * look at a large value that does not convert it whole first.
   * @default Infinity
   */
  readonly items?: number;
}

/**
 * The JSON form of a stored value: Date → ISO string, BigInt → decimal string,
 * NaN and ±Infinity → null (see {@link JsonValueOptions.exactNumbers}), Map → object (or
 * `[key, value]` pairs when a key is not a string), Set and typed arrays → arrays, a
 * repeated reference in a cycle → `"[Circular]"`.
 */
export function toJsonValue(value: unknown, options: JsonValueOptions = {}): Json {
  return convert(value, options.exactNumbers ?? false, options.items ?? Infinity, new Set());
}

/** The first `limit` items of an iterable. */
function first<T>(items: Iterable<T>, limit: number): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (out.length >= limit) break;
    out.push(item);
  }
  return out;
}

/** The first `limit` items of an array-like (holes and all, as `Array.from` reads them), each converted. */
function firstIndexed(items: ArrayLike<unknown>, limit: number, each: (item: unknown) => Json): Json[] {
  return Array.from({ length: Math.min(items.length, limit) }, (_, i) => each(items[i]));
}

function convert(value: unknown, exact: boolean, limit: number, ancestors: Set<object>): Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return exact || Number.isFinite(value) ? value : null;
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
  const each = (item: unknown) => convert(item, exact, limit, ancestors);
  try {
    if (object instanceof Error) return { name: object.name, message: object.message };
    if (ArrayBuffer.isView(object)) {
      const items =
        object instanceof DataView
          ? new Uint8Array(object.buffer, object.byteOffset, object.byteLength)
          : (object as unknown as ArrayLike<unknown>);
      return firstIndexed(items, limit, each);
    }
    if (object instanceof ArrayBuffer) return firstIndexed(new Uint8Array(object), limit, each);
    if (Array.isArray(object)) return firstIndexed(object, limit, each);
    if (object instanceof Set) return first(object, limit).map(each);
    if (object instanceof Map) {
      const entries = first(object, limit);
      if (entries.every(([key]) => typeof key === 'string')) {
        return Object.fromEntries(entries.map(([k, v]) => [k, each(v)]));
      }
      return entries.map(([k, v]) => [each(k), each(v)]);
    }
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, each(v)]));
  } finally {
    ancestors.delete(object);
  }
}

/**
 * The JSON the page receives (pure, shared by the server, the report writer and the page):
 * plain JSON, except that numbers JSON cannot carry — NaN, Infinity, -Infinity and -0, in table
 * cells, points, comparisons and entries — travel as `{"$number": "NaN"}` and come back as
 * numbers. `JSON.stringify` alone would send NaN as null, and -0 as 0: a diverged result would
 * show as a missing one, and the rows of f(-0) and f(0), which Funes keys apart, alike. An
 * object of the cache shaped like such a mark (`{"$number": "NaN"}` as an output) travels
 * as `{"$object": [[key, value], …]}`, so it comes back as itself.
 */

/** The key of an object standing for a number JSON cannot carry. */
const NUMBER_KEY = '$number';

/** The key of an object standing for an object that would read as a mark. */
const OBJECT_KEY = '$object';

/** The texts of the numbers JSON cannot carry, as the page reads them back with `Number`. */
const SPECIAL = new Set(['NaN', 'Infinity', '-Infinity', '-0']);

/** The only key of an object, if it has exactly one. */
function soleKey(item: object): string | undefined {
  const keys = Object.keys(item);
  return keys.length === 1 ? keys[0] : undefined;
}

/**
 * Whether JSON.stringify writes a value as the page receives it without help: plain objects and arrays of
 * finite numbers (not -0), texts, booleans and null, and no object shaped like a mark. A replacer called on
 * each of the values of a large answer (the points of a large sweep) costs more than writing them.
 */
function plainJson(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'number') {
      if (!Number.isFinite(item) || Object.is(item, -0)) return false;
    } else if (Array.isArray(item)) {
      for (const element of item) pending.push(element);
    } else if (item !== null && typeof item === 'object') {
      const prototype = Object.getPrototypeOf(item) as unknown;
      if ((prototype !== Object.prototype && prototype !== null) || 'toJSON' in item) return false;
      const key = soleKey(item);
      if (key === NUMBER_KEY || key === OBJECT_KEY) return false;
      for (const element of Object.values(item)) pending.push(element);
    } else if (item !== null && item !== undefined && typeof item !== 'string' && typeof item !== 'boolean') {
      return false;
    }
  }
  return true;
}

/** A value as the page receives it (see the module's summary). */
export function toWire(value: unknown): string {
  if (plainJson(value)) return JSON.stringify(value);
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'number') {
      if (Object.is(item, -0)) return { [NUMBER_KEY]: '-0' };
      return Number.isFinite(item) ? item : { [NUMBER_KEY]: String(item) };
    }
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const key = soleKey(item);
    return key === NUMBER_KEY || key === OBJECT_KEY ? { [OBJECT_KEY]: Object.entries(item) } : item;
  });
}

/** A value {@link toWire} wrote, its numbers and objects as they were. */
export function fromWire(text: string): unknown {
  // A text naming no mark (nor escaping a character, which could spell one) is plain JSON: a reviver
  // called on each of its values would cost more than reading them.
  if (!text.includes(NUMBER_KEY) && !text.includes(OBJECT_KEY) && !text.includes('\\u')) return JSON.parse(text);
  return JSON.parse(text, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const key = soleKey(item);
    const inner = (item as Record<string, unknown>)[key ?? ''];
    if (key === NUMBER_KEY && typeof inner === 'string' && SPECIAL.has(inner)) return Number(inner);
    if (key === OBJECT_KEY && Array.isArray(inner)) return Object.fromEntries(inner as [string, unknown][]);
    return item;
  });
}

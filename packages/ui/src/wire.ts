/**
 * The JSON the page receives (pure, shared by the server, the report writer and the page):
 * plain JSON, except that numbers JSON cannot carry — NaN, Infinity and -Infinity, in table
 * cells, points and comparisons — travel as `{"$number": "NaN"}` and come back as numbers.
 * `JSON.stringify` alone would send them as null, and a diverged result would show as a
 * missing one.
 */

/** The key of an object standing for a non-finite number. */
const NUMBER_KEY = '$number';

/** The texts of the non-finite numbers, as `String(value)` writes them. */
const NON_FINITE: ReadonlySet<string> = new Set(['NaN', 'Infinity', '-Infinity']);

/** A value as the page receives it (see the module's summary). */
export function toWire(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'number' && !Number.isFinite(item) ? { [NUMBER_KEY]: String(item) } : item,
  );
}

/** A value {@link toWire} wrote, its non-finite numbers numbers again. */
export function fromWire(text: string): unknown {
  return JSON.parse(text, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const keys = Object.keys(item);
    const text = (item as Record<string, unknown>)[NUMBER_KEY];
    return keys.length === 1 && typeof text === 'string' && NON_FINITE.has(text) ? Number(text) : item;
  });
}

/**
 * A value as indented JSON text (pure), with the numbers JSON has no words for written as
 * JavaScript writes them — NaN, Infinity, -Infinity, -0 — where `JSON.stringify` writes null
 * and 0: an entry shows a diverged result as what it is, and f(-0)'s input as -0.
 */

/** A JSON value whose numbers may be NaN, ±Infinity or -0. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `value` as JSON text indented by two spaces, nested under `indent`. */
export function jsonText(value: Json, indent = ''): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((item) => jsonText(item, inner))
    : Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${jsonText(item, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return items.length === 0 ? `${open}${close}` : `${open}\n${inner}${items.join(`,\n${inner}`)}\n${indent}${close}`;
}

/**
 * Stored values as text for `funes show` (pure); their JSON form is @funes/core's
 * `toJsonValue`.
 */
import { inspect } from 'node:util';

/** A one-line preview of a value for tables, cut to `width` characters. */
export function preview(value: unknown, width: number): string {
  const text = inspect(value, {
    depth: 2,
    breakLength: Infinity,
    maxArrayLength: 8,
    maxStringLength: width,
    compact: true,
    colors: false,
  });
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** A value in full, for `funes show fn <argument hash>`. */
export function fullText(value: unknown): string {
  return inspect(value, {
    depth: Infinity,
    breakLength: 100,
    maxArrayLength: 1000,
    maxStringLength: 100_000,
    colors: false,
  });
}

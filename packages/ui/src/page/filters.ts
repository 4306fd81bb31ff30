/**
 * Filters as typed in a column's header: `>0.5`, `<=3`, `1..5` (both ends included), `=adam`
 * or a number for one value, anything else as text the cell contains (pure).
 */
import type { Filter } from '../query.js';
import type { ColumnInfo } from '../table.js';

/** The filter a header's text asks for; undefined for empty text. */
export function parseFilter(column: ColumnInfo, text: string): Filter | undefined {
  const typed = text.trim();
  if (typed === '') return undefined;
  const numeric = column.kind === 'number';
  const range = /^(-?[\d.e+-]*)\s*\.\.\s*(-?[\d.e+-]*)$/.exec(typed);
  if (numeric && range && (range[1] !== '' || range[2] !== '')) {
    return {
      column: column.name,
      ...(range[1] !== '' ? { min: Number(range[1]) } : {}),
      ...(range[2] !== '' ? { max: Number(range[2]) } : {}),
    };
  }
  const bound = /^(>=?|<=?)\s*(-?[\d.e+-]+)$/.exec(typed);
  if (numeric && bound && Number.isFinite(Number(bound[2]))) {
    const limit = Number(bound[2]);
    const operator = bound[1];
    if (operator === '>') return { column: column.name, above: limit };
    if (operator === '>=') return { column: column.name, min: limit };
    if (operator === '<') return { column: column.name, below: limit };
    return { column: column.name, max: limit };
  }
  const exact = typed.startsWith('=')
    ? typed.slice(1).trim()
    : numeric && Number.isFinite(Number(typed))
      ? typed
      : undefined;
  if (exact !== undefined) {
    const value = column.kind === 'number' ? Number(exact) : column.kind === 'boolean' ? exact === 'true' : exact;
    return { column: column.name, values: [value] };
  }
  return { column: column.name, text: typed };
}

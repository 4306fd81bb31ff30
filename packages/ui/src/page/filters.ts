/**
 * Filters as typed in a column's header: `>0.5`, `<=3`, `1..5` (both ends included), `=adam`
 * or a number for one value, anything else as text the cell contains (pure). A filter that
 * cannot mean what it says (`1.2.3..5`, `>abc` under numbers) is an error to show, not a
 * filter that silently keeps no row.
 */
import { isBound, type Bound, type Filter } from '../query.js';
import { isDecimal, type ColumnInfo } from '../table.js';

/** What a header's text asks for: a filter, or why it is none. */
export type ParsedFilter = { readonly filter: Filter } | { readonly error: string };

/** How to write a filter, for an error's message. */
const SYNTAX = 'write >0.5, <=3, 1..5, =value or text';

/**
 * The bound a text writes: a decimal number or ±Infinity; an integer a number would round
 * (a BigInt's digits beyond 2^53) as its digits, compared exactly; undefined for anything else.
 */
function boundOf(text: string): Bound | undefined {
  if (!isDecimal(text) && text !== 'Infinity' && text !== '-Infinity') return undefined;
  const value = Number(text);
  return isBound(text) && !Number.isSafeInteger(value) ? text : value;
}

/** Whether a bound is above another, exactly. */
function exceeds(a: Bound, b: Bound): boolean {
  return typeof a === 'string' || typeof b === 'string' ? exact(a) > exact(b) : a > b;
}

/** A bound as a value comparable exactly with any other: digits as a BigInt. */
function exact(bound: Bound): number | bigint {
  return typeof bound === 'string' ? BigInt(bound) : bound;
}

/** Whether a column holds numbers (some or all): its ranges and bounds are numbers whatever is typed. */
function holdsNumbers(column: ColumnInfo): boolean {
  return column.kind === 'number' || column.kind === 'mixed';
}

/** The filter a header's text asks for; undefined for empty text. */
export function parseFilter(column: ColumnInfo, text: string): ParsedFilter | undefined {
  const typed = text.trim();
  if (typed === '') return undefined;
  const numbers = holdsNumbers(column);
  const range = typed.startsWith('=') ? null : /^(.*?)\s*\.\.\s*(.*)$/.exec(typed);
  if (range) {
    const ends = [range[1], range[2]];
    const values = ends.map((end) => (end === '' ? null : boundOf(end)));
    // In a column of text, `a..b` is a range only when its ends are numbers (a BigInt's digits).
    if (numbers || (values.every((value) => value !== undefined) && values.some((value) => value !== null))) {
      const wrong = ends.find((_, i) => values[i] === undefined);
      if (wrong !== undefined) return { error: `${wrong} is not a number: ${SYNTAX}` };
      const [low, high] = values as (Bound | null)[];
      if (low === null && high === null) return { error: `a range needs an end: ${SYNTAX}` };
      if (low !== null && high !== null && exceeds(low, high)) {
        return { error: `${typed} keeps nothing: write the smaller end first` };
      }
      return {
        filter: {
          column: column.name,
          ...(low !== null ? { min: low } : {}),
          ...(high !== null ? { max: high } : {}),
        },
      };
    }
  }
  const bound = /^(>=?|<=?)\s*(.*)$/.exec(typed);
  if (bound) {
    const limit = boundOf(bound[2]);
    if (limit === undefined && numbers) {
      return { error: `${bound[2] || 'nothing'} is not a number: ${SYNTAX}` };
    }
    if (limit !== undefined) {
      const operator = bound[1];
      const name = operator === '>' ? 'above' : operator === '>=' ? 'min' : operator === '<' ? 'below' : 'max';
      return { filter: { column: column.name, [name]: limit } };
    }
  }
  if (typed.startsWith('=')) return exactly(column, typed.slice(1).trim());
  if (numbers && (isDecimal(typed) || /^-?Infinity$|^NaN$/.test(typed))) return exactly(column, typed);
  return { filter: { column: column.name, text: typed } };
}

/**
 * One value: the text typed, and the number or boolean it writes, so that `=0.2` keeps the
 * number 0.2 in a column that also holds text (`'auto'`), and `=true` a boolean.
 */
function exactly(column: ColumnInfo, text: string): ParsedFilter {
  const number = isDecimal(text) || /^-?Infinity$|^NaN$/.test(text) ? Number(text) : undefined;
  if (number === undefined && column.kind === 'number') {
    return { error: `=${text}: ${column.name} holds numbers only, and ${text || 'nothing'} is none` };
  }
  const values: (string | number | boolean)[] = column.kind === 'number' ? [] : [text];
  if (number !== undefined) values.push(number);
  if (text === 'true' || text === 'false') values.push(text === 'true');
  return { filter: { column: column.name, values } };
}

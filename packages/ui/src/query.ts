/**
 * Questions asked of a version's table (pure, the same code in the server and in a
 * report that opens without one): a page of rows filtered and sorted, points
 * aggregated for a plot, and two versions compared on the inputs both computed.
 */
import {
  cellKey,
  compareCells,
  compareNumbers,
  numberOfCell,
  shownCell,
  type CellValue,
  type TableData,
  type TableRow,
} from './table.js';

/**
 * A range's end: a number, or an integer's decimal digits, compared exactly (a BigInt's value
 * beyond 2^53, which a number would round to its neighbour).
 */
export type Bound = number | string;

/**
 * Keeps rows whose cell in `column` is in a range, among values, or contains a text. A range
 * keeps numbers and text that writes one (a BigInt's digits), by its value.
 */
export interface Filter {
  readonly column: string;
  /** At least this (`>=`). */
  readonly min?: Bound;
  /** At most this (`<=`). */
  readonly max?: Bound;
  /** More than this (`>`). */
  readonly above?: Bound;
  /** Less than this (`<`). */
  readonly below?: Bound;
  /** One of these values, NaN, ±Infinity and -0 each only itself (see `cellKey`). */
  readonly values?: readonly (string | number | boolean | null)[];
  readonly text?: string;
}

/** Which rows, in which order. */
export interface RowQuery {
  readonly filters?: readonly Filter[];
  readonly sort?: string;
  readonly descending?: boolean;
}

/** A page of rows. */
export interface RowPage {
  /** Rows in the table. */
  readonly total: number;
  /** Rows the filters keep. */
  readonly matched: number;
  readonly offset: number;
  readonly rows: readonly TableRow[];
}

/** Most rows one page holds. */
export const MAX_PAGE = 1000;

function columnIndex(table: TableData, name: string | undefined): number {
  return name === undefined ? -1 : table.columns.findIndex((column) => column.name === name);
}

function textOf(cell: CellValue | undefined): string {
  if (cell === null || cell === undefined) return '';
  return typeof cell === 'object' ? cell.summary : String(cell);
}

/** A cell as a key: its value, or its summary. */
function keyOf(cell: CellValue | undefined): string | number | boolean | null {
  if (cell === undefined || cell === null) return null;
  return typeof cell === 'object' ? cell.summary : cell;
}

/** Whether a bound is a number or an integer's digits (see {@link Bound}). */
export function isBound(bound: unknown): bound is Bound {
  return typeof bound === 'number' || (typeof bound === 'string' && INTEGER_DIGITS.test(bound));
}

const INTEGER_DIGITS = /^-?\d+$/;

/** A bound's value, exact: digits as a BigInt. */
function boundValue(bound: Bound | undefined): number | bigint | undefined {
  return typeof bound === 'string' ? BigInt(bound) : bound;
}

/** A predicate for one filter; a filter on a column the table lacks keeps nothing. */
function matcher(table: TableData, filter: Filter): (row: TableRow) => boolean {
  const at = columnIndex(table, filter.column);
  if (at < 0) return () => false;
  const [min, max, above, below] = [filter.min, filter.max, filter.above, filter.below].map(boundValue);
  const { values, text } = filter;
  const allowed = values ? new Set(values.map(cellKey)) : undefined;
  const needle = text?.toLowerCase();
  const bounded = min !== undefined || max !== undefined || above !== undefined || below !== undefined;
  return (row) => {
    const cell = row.cells[at] ?? null;
    if (bounded) {
      // Text that writes a number (a BigInt's digits) is bounded by its value, as it sorts.
      const value = numberOfCell(cell);
      if (value === undefined) return false;
      if (min !== undefined && !(value >= min)) return false;
      if (max !== undefined && !(value <= max)) return false;
      if (above !== undefined && !(value > above)) return false;
      if (below !== undefined && !(value < below)) return false;
    }
    if (allowed && !allowed.has(cellKey(cell))) return false;
    if (needle !== undefined && !textOf(cell).toLowerCase().includes(needle)) return false;
    return true;
  };
}

/** The rows a query keeps, in its order (stable: ties keep the table's order). */
export function selectRows(table: TableData, query: RowQuery): TableRow[] {
  const tests = (query.filters ?? []).map((filter) => matcher(table, filter));
  const kept = tests.length === 0 ? [...table.rows] : table.rows.filter((row) => tests.every((test) => test(row)));
  const at = columnIndex(table, query.sort);
  if (at < 0) return kept;
  const sign = query.descending ? -1 : 1;
  // Empty cells, then NaN (no order among numbers), stay last whichever the direction.
  const empty = kept.filter((row) => row.cells[at] == null);
  const nan = kept.filter((row) => Number.isNaN(row.cells[at]));
  const full = kept.filter((row) => row.cells[at] != null && !Number.isNaN(row.cells[at]));
  if (full.every((row) => typeof row.cells[at] === 'number')) {
    // Numbers (the common case, and the one 100,000 rows are sorted by) sort by an index over their values.
    const values = Float64Array.from(full, (row) => row.cells[at] as number);
    const order = Uint32Array.from(full.keys()).sort((i, j) => sign * compareNumbers(values[i], values[j]) || i - j);
    return [...Array.from(order, (i) => full[i]), ...nan, ...empty];
  }
  return [...full.sort((a, b) => sign * compareCells(a.cells[at], b.cells[at])), ...nan, ...empty];
}

/**
 * One page of the rows a query keeps, their cells as a page shows them (see `shownCell`). An offset
 * past the last row (a link, or a view whose entries were removed meanwhile) gives the last page.
 */
export function pageOf(table: TableData, selected: readonly TableRow[], offset: number, limit: number): RowPage {
  const size = Math.min(MAX_PAGE, Math.max(0, Math.floor(limit)));
  const asked = Math.max(0, Math.floor(offset));
  const past = size > 0 && selected.length > 0 && asked >= selected.length;
  const start = past ? Math.floor((selected.length - 1) / size) * size : asked;
  return {
    total: table.rows.length,
    matched: selected.length,
    offset: start,
    rows: selected
      .slice(start, start + size)
      .map((row) => ({ argumentHash: row.argumentHash, cells: row.cells.map(shownCell) })),
  };
}

/** Plot points: rows grouped by the values of `by`, the numbers of `value` summarized per group. */
export interface PointGroup {
  /** The group's values of the `by` columns, in order. */
  readonly keys: readonly (string | number | boolean | null)[];
  /** How many rows have a number in `value`. */
  readonly n: number;
  readonly mean: number;
  /** Standard deviation (population); 0 for one row. */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
}

/** A cell as a group's identity: -0 apart from 0, as Funes keys f(-0) and f(0) apart (see `cellKey`). */
const MINUS_ZERO = Symbol('-0');

/** The value of a cell that tells its group: one Map key per `cellKey`, made without building a text. */
function identityOf(cell: CellValue | undefined): string | number | boolean | null | symbol {
  if (typeof cell === 'number') return Object.is(cell, -0) ? MINUS_ZERO : cell;
  return keyOf(cell);
}

/**
 * One column's cells in some rows, numbered: `ids[i]` tells row i's value apart from the others
 * (as `cellKey` does), `ranks[i]` is its place among the column's values in the table's order
 * (equal for values `compareCells` finds equal), and `keys` holds each id's value as a point shows it.
 */
function numberCells(
  rows: readonly TableRow[],
  at: number,
): { ids: Uint32Array; ranks: Uint32Array; count: number; keys: (string | number | boolean | null)[] } {
  const idOf = new Map<string | number | boolean | null | symbol, number>();
  const cells: (CellValue | undefined)[] = [];
  const ids = new Uint32Array(rows.length);
  rows.forEach((row, i) => {
    const cell = row.cells[at];
    const identity = identityOf(cell);
    let id = idOf.get(identity);
    if (id === undefined) {
      idOf.set(identity, (id = cells.length));
      cells.push(cell);
    }
    ids[i] = id;
  });
  const keys = cells.map(keyOf);
  // The distinct values are few beside the rows: they are ordered once, not each pair of groups.
  const order = [...keys.keys()].sort((a, b) => compareCells(keys[a], keys[b]));
  const rankOfId = new Uint32Array(keys.length);
  order.forEach((id, place) => {
    const previous = order[place - 1];
    rankOfId[id] = place > 0 && compareCells(keys[previous], keys[id]) === 0 ? rankOfId[previous] : place;
  });
  const ranks = new Uint32Array(ids.length);
  for (let i = 0; i < ids.length; i++) ranks[i] = rankOfId[ids[i]];
  return { ids, ranks, count: keys.length, keys: shownKeys(keys, order) };
}

/**
 * A column's values as points show them: a long text (a generated document) cut as a table's cell shows
 * it, so that each point does not carry it whole; texts cut alike (one beginning, one length) numbered in
 * the table's order, so that they stay apart on an axis. `order` lists the values in the table's order.
 */
function shownKeys(
  keys: readonly (string | number | boolean | null)[],
  order: readonly number[],
): (string | number | boolean | null)[] {
  const shown = [...keys];
  const alike = new Map<string, number[]>();
  for (const id of order) {
    const cell = shownCell(keys[id]);
    if (cell === null || typeof cell !== 'object') continue;
    shown[id] = cell.summary;
    const ids = alike.get(cell.summary);
    if (ids) ids.push(id);
    else {
      alike.set(cell.summary, [id]);
    }
  }
  for (const ids of alike.values()) if (ids.length > 1) ids.forEach((id, place) => (shown[id] += ` #${place + 1}`));
  return shown;
}

/**
 * Groups the rows by the cells of `by` and summarizes the numbers of `value` in each:
 * the seeds of one grid point become one point with a mean and a spread. Groups
 * without any number are left out; groups come sorted by their keys.
 */
export function groupPoints(
  table: TableData,
  rows: readonly TableRow[],
  by: readonly string[],
  value: string,
): PointGroup[] {
  const columns = by.map((name) => columnIndex(table, name));
  const at = columnIndex(table, value);
  if (at < 0 || columns.some((index) => index < 0)) return [];
  const counted = rows.filter((row) => typeof row.cells[at] === 'number');
  // Each column's values numbered once: a row's group is a number (or, past exact integers, a text of numbers)
  // rather than a text of its cells, and groups are ordered by comparing numbers rather than cells.
  const numbered = columns.map((index) => numberCells(counted, index));
  const exact = numbered.reduce((product, { count }) => product * count, 1) <= Number.MAX_SAFE_INTEGER;
  const groupOf = new Uint32Array(counted.length);
  const indexOf = new Map<number | string, number>();
  /** Each group's first row. */
  const firsts: number[] = [];
  for (let i = 0; i < counted.length; i++) {
    let id: number | string = exact ? 0 : '';
    for (const { ids, count } of numbered) id = exact ? (id as number) * count + ids[i] : `${id},${ids[i]}`;
    let group = indexOf.get(id);
    if (group === undefined) {
      indexOf.set(id, (group = firsts.length));
      firsts.push(i);
    }
    groupOf[i] = group;
  }
  // Sums per group in arrays, not a list of values per group: a sweep is often one row per point.
  const size = firsts.length;
  const [n, sum, squares] = [new Uint32Array(size), new Float64Array(size), new Float64Array(size)];
  const [min, max] = [new Float64Array(size).fill(Infinity), new Float64Array(size).fill(-Infinity)];
  for (let i = 0; i < counted.length; i++) {
    const group = groupOf[i];
    const v = counted[i].cells[at] as number;
    n[group]++;
    sum[group] += v;
    // As `extent`: NaN is the smallest and the largest of values holding it.
    if (v < min[group] || Number.isNaN(v)) min[group] = v;
    if (v > max[group] || Number.isNaN(v)) max[group] = v;
  }
  const mean = new Float64Array(size);
  for (let group = 0; group < size; group++) mean[group] = sum[group] / n[group];
  for (let i = 0; i < counted.length; i++) {
    const group = groupOf[i];
    squares[group] += ((counted[i].cells[at] as number) - mean[group]) ** 2;
  }
  const order = [...firsts.keys()].sort((a, b) => {
    for (const { ranks } of numbered) {
      const difference = ranks[firsts[a]] - ranks[firsts[b]];
      if (difference !== 0) return difference;
    }
    return 0;
  });
  return order.map(
    (group): PointGroup => ({
      keys: numbered.map(({ ids, keys }) => keys[ids[firsts[group]]]),
      n: n[group],
      mean: mean[group],
      sd: Math.sqrt(squares[group] / n[group]),
      min: min[group],
      max: max[group],
    }),
  );
}

/**
 * The smallest and largest of some numbers (Infinity and -Infinity for none). A loop, not
 * `Math.min(...values)`: spread into a call's arguments, a long list overflows the stack.
 */
export function extent(values: readonly number[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min || Number.isNaN(value)) min = value;
    if (value > max || Number.isNaN(value)) max = value;
  }
  return { min, max };
}

/** One input both versions computed: its value of the compared column in A and in B. */
export interface ComparedPair {
  readonly argumentHash: string;
  readonly a: number;
  readonly b: number;
}

/** Two versions on the inputs both computed. */
export interface Comparison {
  /**
   * Inputs both computed with a number in the column (NaN and ±Infinity included), largest
   * |a − b| first; a pair where a non-finite number changed counts as the largest.
   */
  readonly pairs: readonly ComparedPair[];
  /** Inputs both computed (with or without a number). */
  readonly shared: number;
  readonly onlyA: number;
  readonly onlyB: number;
  /** Inputs both computed whose values in the column differ, a number that became NaN or went missing included. */
  readonly changed: number;
}

/** Whether two cells hold the same value (NaN the same as NaN: a result that stayed NaN did not change). */
function sameCell(a: CellValue | undefined, b: CellValue | undefined): boolean {
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, b) === 0;
  return compareCells(a ?? null, b ?? null) === 0;
}

/** How far apart a pair is, for ordering: Infinity when a NaN or an infinite value changed. */
function distance(pair: ComparedPair): number {
  if (sameCell(pair.a, pair.b)) return 0;
  const gap = Math.abs(pair.a - pair.b);
  return Number.isFinite(gap) ? gap : Infinity;
}

/** Compares `column` between two versions' tables, matching entries by argument hash (the same inputs). */
export function compareTables(a: TableData, b: TableData, column: string): Comparison {
  const atA = columnIndex(a, column);
  const atB = columnIndex(b, column);
  const inB = new Map(b.rows.map((row) => [row.argumentHash, row]));
  const pairs: ComparedPair[] = [];
  let shared = 0;
  let changed = 0;
  for (const row of a.rows) {
    const other = inB.get(row.argumentHash);
    if (!other) continue;
    shared++;
    const va = atA < 0 ? undefined : row.cells[atA];
    const vb = atB < 0 ? undefined : other.cells[atB];
    if (!sameCell(va, vb)) changed++;
    if (typeof va === 'number' && typeof vb === 'number') pairs.push({ argumentHash: row.argumentHash, a: va, b: vb });
  }
  const distances = new Map(pairs.map((pair) => [pair, distance(pair)]));
  pairs.sort((p, q) => distances.get(q)! - distances.get(p)! || 0);
  return { pairs, shared, onlyA: a.rows.length - shared, onlyB: b.rows.length - shared, changed };
}

/**
 * A version's entries as one table (pure, runs in Node and in the page): columns
 * discovered as rows arrive, cells reduced to what a table shows and sorts — numbers,
 * strings, booleans, null — and anything larger summarized (`Float64Array(1000)`),
 * its full value loaded only when its entry is opened.
 */
import type { ColumnGroup } from '@funes/core/internal';

/** A table cell: a scalar (NaN and ±Infinity included), or the summary of a larger value. */
export type CellValue = null | boolean | number | string | { readonly summary: string };

/** What the values of a column are, for sorting, filtering and choosing plots. */
export type ColumnKind = 'number' | 'string' | 'boolean' | 'date' | 'value' | 'mixed' | 'empty';


/** A column, with what the page needs to offer filters and plots. */
export interface ColumnInfo {
  readonly name: string;
  readonly group: ColumnGroup;
  readonly kind: ColumnKind;
  /** Smallest and largest finite number (numbers only). */
  readonly min: number | null;
  readonly max: number | null;
  /** How many different values it holds, counted up to {@link DISTINCT_LIMIT} + 1. */
  readonly distinct: number;
  /**
   * Its values when there are at most {@link DISTINCT_LIMIT} and none is a text too long to
   * show (see {@link shownCell}), sorted.
   */
  readonly values: readonly (string | number | boolean | null)[] | null;
}

/** One entry: its argument hash and its cells by column index. */
export interface TableRow {
  readonly argumentHash: string;
  readonly cells: CellValue[];
}

/** A version's table, as it travels to the page (and into a report). */
export interface TableData {
  readonly columns: readonly ColumnInfo[];
  readonly rows: readonly TableRow[];
}

/** Columns with at most this many different values list them (filters by value, colour and facet choices). */
export const DISTINCT_LIMIT = 50;

/** Text cells longer than this many characters are shown cut (see {@link shownCell}). */
export const SHOWN_TEXT = 200;

/** The names of the record columns that are never plotted as parameters. */
export const RECORD_COLUMNS: ReadonlySet<string> = new Set(['time', 'host', 'createdAt', 'version', 'argumentHash']);

/**
 * A cell for a stored value: Date → ISO text, BigInt → decimal text, objects → a summary.
 * NaN and ±Infinity stay numbers: a diverged result must not look like a missing one.
 */
export function cellOf(value: unknown): CellValue {
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
  }
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return { summary: summaryOf(value as object) };
}

/** The stored output of a large object, not read for the table (its entry view reads it). */
export class UnreadOutput {
  constructor(readonly bytes: number) {}
}

/** A short description of a value too large for a cell: its type and size. */
export function summaryOf(value: object): string {
  if (value instanceof UnreadOutput) return `stored output, ${value.bytes} bytes`;
  if (ArrayBuffer.isView(value)) {
    const size = value instanceof DataView ? value.byteLength : (value as unknown as ArrayLike<unknown>).length;
    return `${value.constructor.name}(${size})`;
  }
  if (value instanceof ArrayBuffer) return `ArrayBuffer(${value.byteLength})`;
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (value instanceof Map || value instanceof Set) return `${value.constructor.name}(${value.size})`;
  if (value instanceof RegExp) return String(value);
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  const keys = Object.keys(value).length;
  return `{${keys} ${keys === 1 ? 'key' : 'keys'}}`;
}

/**
 * A cell as a page shows it: text longer than {@link SHOWN_TEXT} characters (a generated
 * document, a log) as its beginning and its length, so that a page of rows stays a page's
 * worth; the table keeps the text whole, to sort, filter and download by.
 */
export function shownCell(cell: CellValue): CellValue {
  if (typeof cell !== 'string' || cell.length <= SHOWN_TEXT) return cell;
  // Not between the two halves of a surrogate pair.
  const end = /[\uD800-\uDBFF]/.test(cell[SHOWN_TEXT - 1]) ? SHOWN_TEXT - 1 : SHOWN_TEXT;
  return { summary: `${cell.slice(0, end)}… (${cell.length.toLocaleString('en')} characters)` };
}

/**
 * A cell's value as a key that tells apart what the table shows apart: NaN, ±Infinity and -0
 * from null and 0 (Funes keys f(-0) apart from f(0), and a diverged result is no missing one),
 * a number from the text that writes it. A summary is keyed by its text, as it is filtered.
 */
export function cellKey(cell: CellValue | undefined): string {
  if (cell === undefined || cell === null) return 'null';
  switch (typeof cell) {
    case 'number':
      return Object.is(cell, -0) ? 'n-0' : `n${cell}`;
    case 'boolean':
      return `b${cell}`;
    case 'string':
      return `s${cell}`;
    default:
      return `s${cell.summary}`;
  }
}

interface ColumnStats {
  name: string;
  group: ColumnGroup;
  kinds: Set<ColumnKind>;
  min: number;
  max: number;
  /** Its values by {@link cellKey}. */
  values: Map<string, string | number | boolean | null>;
  overflow: boolean;
  /** Whether a value is a text too long to list (see {@link shownCell}). */
  long: boolean;
}

/** The kind of one cell; a column named `createdAt` holds dates. */
function kindOf(name: string, cell: CellValue): ColumnKind | null {
  if (cell === null) return null;
  if (typeof cell === 'object') return 'value';
  if (typeof cell === 'string' && name === 'createdAt') return 'date';
  return typeof cell as 'number' | 'string' | 'boolean';
}

/** A cell with the column it goes in. */
interface NamedCell {
  readonly name: string;
  readonly group: ColumnGroup;
  readonly cell: CellValue;
}

/**
 * Builds a table row by row; rows can also be replaced (an entry computed again) and removed
 * (an entry or version removed). Its columns and their statistics are always those of the rows
 * it holds: after a replacement or removal they are counted again from them.
 */
export class TableBuilder {
  private stats: ColumnStats[] = [];
  private readonly index = new Map<string, number>();
  private readonly rowsByHash = new Map<string, TableRow>();
  /** Whether a row was replaced or removed since the statistics were counted. */
  private stale = false;

  /** Adds (or replaces) the row of `argumentHash` from its record's cells. */
  add(
    argumentHash: string,
    cells: Iterable<{ readonly name: string; readonly group: ColumnGroup; readonly value: unknown }>,
  ): void {
    if (this.rowsByHash.has(argumentHash)) this.stale = true;
    this.put(argumentHash, Array.from(cells, ({ name, group, value }) => ({ name, group, cell: cellOf(value) })));
  }

  private put(argumentHash: string, cells: readonly NamedCell[]): void {
    const row: CellValue[] = [];
    for (const { name, group, cell } of cells) {
      let at = this.index.get(name);
      if (at === undefined) {
        at = this.stats.length;
        this.index.set(name, at);
        this.stats.push({
          name,
          group,
          kinds: new Set(),
          min: Infinity,
          max: -Infinity,
          values: new Map(),
          overflow: false,
          long: false,
        });
      }
      row[at] = cell;
      this.count(this.stats[at], cell);
    }
    this.rowsByHash.set(argumentHash, { argumentHash, cells: row });
  }

  /**
   * Counts the columns again from the rows held, as if they were added afresh: a value that
   * only a replaced or removed row held is not listed, nor is a column that only it had.
   */
  private recount(): void {
    const rows = [...this.rowsByHash.values()];
    const columns = this.stats;
    this.stats = [];
    this.index.clear();
    this.rowsByHash.clear();
    for (const row of rows) {
      const cells: NamedCell[] = [];
      row.cells.forEach((cell, at) => cells.push({ name: columns[at].name, group: columns[at].group, cell }));
      this.put(row.argumentHash, cells);
    }
    this.stale = false;
  }

  private count(stats: ColumnStats, cell: CellValue): void {
    const kind = kindOf(stats.name, cell);
    if (kind) stats.kinds.add(kind);
    if (typeof cell === 'number' && Number.isFinite(cell)) {
      if (cell < stats.min) stats.min = cell;
      if (cell > stats.max) stats.max = cell;
    }
    if (typeof cell === 'string' && cell.length > SHOWN_TEXT) stats.long = true;
    if (stats.overflow || (cell !== null && typeof cell === 'object')) return;
    stats.values.set(cellKey(cell), cell);
    if (stats.values.size > DISTINCT_LIMIT) stats.overflow = true;
  }

  /** Removes the row of `argumentHash`. */
  remove(argumentHash: string): void {
    if (this.rowsByHash.delete(argumentHash)) this.stale = true;
  }

  has(argumentHash: string): boolean {
    return this.rowsByHash.has(argumentHash);
  }

  hashes(): IterableIterator<string> {
    return this.rowsByHash.keys();
  }

  get size(): number {
    return this.rowsByHash.size;
  }

  /** The table so far: columns with their statistics, rows in the order they were added. */
  table(): TableData {
    if (this.stale) this.recount();
    return { columns: this.stats.map(columnInfo), rows: [...this.rowsByHash.values()] };
  }
}

function columnInfo(stats: ColumnStats): ColumnInfo {
  const kinds = [...stats.kinds];
  const kind: ColumnKind = kinds.length === 0 ? 'empty' : kinds.length === 1 ? kinds[0] : 'mixed';
  const values = stats.overflow || stats.long ? null : [...stats.values.values()].sort(compareScalars);
  return {
    name: stats.name,
    group: stats.group,
    kind,
    min: Number.isFinite(stats.min) ? stats.min : null,
    max: Number.isFinite(stats.max) ? stats.max : null,
    distinct: stats.overflow ? DISTINCT_LIMIT + 1 : stats.values.size,
    values,
  };
}

/**
 * Orders cells: null last, then numbers, booleans, numeric text, other text, summaries;
 * numbers by value (NaN after every other number), numeric text — a BigInt's digits
 * (`"1000000000000000000000"`), `"0.5"` — by its value, other text by code unit.
 */
export function compareCells(a: CellValue | undefined, b: CellValue | undefined): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, b);
  if (ra === NUMERIC_TEXT) {
    const [va, vb] = [numericText(a as string)!, numericText(b as string)!];
    if (va !== vb) return va < vb ? -1 : va > vb ? 1 : 0;
  }
  const ta = typeof a === 'object' && a !== null ? a.summary : String(a);
  const tb = typeof b === 'object' && b !== null ? b.summary : String(b);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/** Orders numbers by value, NaN last (subtraction would give NaN for it and for Infinity − Infinity). */
export function compareNumbers(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareScalars(a: string | number | boolean | null, b: string | number | boolean | null): number {
  return compareCells(a, b);
}

/** The rank of text holding a number: after booleans, before other text. */
const NUMERIC_TEXT = 2;

/** An integer's digits: a BigInt's cell, compared exactly. */
const INTEGER = /^-?\d+$/;

/** A decimal number's text. */
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * The number a cell holds, as it sorts: a number, or the value of text that writes one (a BigInt's
 * digits exactly); undefined for other cells.
 */
export function numberOfCell(cell: CellValue | undefined): bigint | number | undefined {
  if (typeof cell === 'number') return cell;
  return typeof cell === 'string' ? numericText(cell) : undefined;
}

/** Whether a text is a decimal number as a person types it (`0.5`, `-3`, `1e-4`), not `0x10` nor an empty text. */
export function isDecimal(text: string): boolean {
  return DECIMAL.test(text);
}

/** The value of text that writes a number (a BigInt's digits exactly), undefined for other text. */
function numericText(text: string): bigint | number | undefined {
  if (INTEGER.test(text)) return BigInt(text);
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function rank(cell: CellValue | undefined): number {
  if (cell === null || cell === undefined) return 5;
  switch (typeof cell) {
    case 'number':
      return 0;
    case 'boolean':
      return 1;
    case 'string':
      return numericText(cell) === undefined ? 3 : NUMERIC_TEXT;
    default:
      return 4;
  }
}

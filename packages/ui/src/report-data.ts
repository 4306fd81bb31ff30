/**
 * What a `funes ui --export` report embeds (pure, shared by its writer and the page):
 * the chosen functions with their versions, and each version's table and definition (the
 * page makes the diff of two definitions when it shows it).
 */
import type { DefinitionView, FunctionSummary } from './cache-view.js';
import type { TableData, TableRow } from './table.js';

/** A report's data, deflated and embedded in its page. */
export interface ReportData {
  readonly cache: string;
  /** When the report was written (ISO 8601). */
  readonly writtenAt: string;
  readonly functions: readonly FunctionSummary[];
  /** Tables by version key (see `versionKeys`), each packed by {@link packTable}. */
  readonly tables: Readonly<Record<string, TableData>>;
  readonly definitions: Readonly<Record<string, DefinitionView>>;
}

/** The id of the `<script>` element holding a report's data (base64 of deflated JSON). */
export const REPORT_DATA_ID = 'funes-report-data';

/** The column that repeats each row's argument hash. */
const HASH_COLUMN = 'argumentHash';

function mapHashCells(table: TableData, cell: (row: TableRow) => string | null): TableData {
  const at = table.columns.findIndex((column) => column.name === HASH_COLUMN);
  if (at < 0) return table;
  return {
    columns: table.columns,
    rows: table.rows.map((row) => ({
      argumentHash: row.argumentHash,
      cells: row.cells.map((value, i) => (i === at ? cell(row) : value)),
    })),
  };
}

/**
 * A table as a report stores it: the argument hash column
 * emptied, as each row carries its hash (hashes do not compress).
 */
export function packTable(table: TableData): TableData {
  return mapHashCells(table, () => null);
}

/** A table from a report, its argument hash column filled again. */
export function unpackTable(table: TableData): TableData {
  return mapHashCells(table, (row) => row.argumentHash);
}

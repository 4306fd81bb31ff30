/**
 * What a `funes ui --export` report embeds (pure, shared by its writer and the page):
 * the chosen functions with their versions, each version's table and definition, and
 * the definition diffs between versions of one function.
 */
import type { DefinitionView, FunctionSummary } from './cache-view.js';
import type { TableData } from './table.js';

/** A report's data, deflated and embedded in its page. */
export interface ReportData {
  readonly cache: string;
  /** When the report was written (ISO 8601). */
  readonly writtenAt: string;
  readonly functions: readonly FunctionSummary[];
  /** Tables by version hash. */
  readonly tables: Readonly<Record<string, TableData>>;
  readonly definitions: Readonly<Record<string, DefinitionView>>;
  /** Unified diffs of the definitions, by `${a}:${b}` for every ordered pair of versions of one function. */
  readonly diffs: Readonly<Record<string, string>>;
}

/** The id of the `<script>` element holding a report's data (base64 of deflated JSON). */
export const REPORT_DATA_ID = 'funes-report-data';

/**
 * `@funes/ui`: the server behind `funes ui` — a read-only web page to look at a Funes
 * cache: tables and plots of results against parameters, live while a sweep runs, and
 * how the results changed when the code changed. The page is built at `npm run build`
 * and shipped in `dist/page`, so serving it needs no build step.
 *
 * @packageDocumentation
 */
export { startUiServer, WATCH_MS, type UiServer, type UiServerOptions } from './server.js';
export { CacheView, LARGE_OBJECT, WRITING_MS, type FunctionSummary, type FunctionOutline, type VersionSummary, type EntryView, type DefinitionView } from './cache-view.js';
export { selectRows, pageOf, groupPoints, compareTables, MAX_PAGE, type Filter, type RowQuery, type RowPage, type PointGroup, type Comparison, type ComparedPair } from './query.js';
export { TableBuilder, cellOf, summaryOf, UnreadOutput, DISTINCT_LIMIT, type CellValue, type ColumnInfo, type ColumnKind, type TableData, type TableRow } from './table.js';
export { writeReport, reportData, reportHtml, type ReportOptions, type ReportSummary } from './report.js';
export { REPORT_DATA_ID, type ReportData } from './report-data.js';

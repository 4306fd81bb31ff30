/**
 * `@funes/ui`: the server behind `funes ui` — a read-only web page to look at a Funes
 * cache: tables and plots of results against parameters, live while a sweep runs, and
 * how the results changed when the code changed. The page is built at `npm run build`
 * and shipped in `dist/page`, so serving it needs no build step.
 *
 * @packageDocumentation
 */
export { startUiServer, type UiServer, type UiServerOptions } from './server.js';
export {
  renderReport,
  writeReport,
  type RenderedReport,
  type ReportOptions,
  type ReportSummary,
} from './report.js';
export { REPORT_DATA_ID, type ReportData } from './report-data.js';
export { versionKeys } from './cache-view.js';

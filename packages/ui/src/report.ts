/**
 * `funes ui --export report.html`: one self-contained HTML file — the page, its
 * script and stylesheet inlined, and the chosen versions' tables and definitions
 * embedded as deflated JSON — that opens from disk without a server.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { strToU8, zlibSync } from 'fflate';
import { CacheView } from './cache-view.js';
import { packTable, REPORT_DATA_ID, type ReportData } from './report-data.js';
import { toWire } from './wire.js';

/** What a report holds and where it goes. */
export interface ReportOptions {
  readonly cacheDir: string;
  /**
   * The versions to include, by key (see `versionKeys`: the full definition hash, unless versions
   * of several functions share it); every version when omitted.
   */
  readonly versions?: readonly string[];
  /** The HTML file to write. */
  readonly file: string;
}

/** What was written. */
export interface ReportSummary {
  readonly file: string;
  readonly versions: number;
  readonly rows: number;
  readonly bytes: number;
}

function asset(name: string): string {
  return readFileSync(new URL(`./page/${name}`, import.meta.url), 'utf8');
}

/** Text that may sit inside a `<script>` or `<style>` element: no closing tag of it can occur. */
function inlineSafe(text: string, tag: 'script' | 'style'): string {
  return text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}

/**
 * Gathers the data of the chosen versions: functions, tables and definitions.
 */
export async function reportData(cacheDir: string, versions?: readonly string[]): Promise<ReportData> {
  const view = new CacheView(cacheDir);
  const chosen = versions ? new Set(versions) : undefined;
  const functions = view
    .functions()
    .map((fn) => ({ ...fn, versions: fn.versions.filter((v) => !chosen || chosen.has(v.key)) }))
    .filter((fn) => fn.versions.length > 0);
  const tables: Record<string, ReportData['tables'][string]> = {};
  const definitions: Record<string, ReportData['definitions'][string]> = {};
  for (const fn of functions) {
    for (const version of fn.versions) {
      tables[version.key] = packTable((await view.select(version.key, {}, true))!.table);
      definitions[version.key] = view.definition(version.key)!;
    }
  }
  return { cache: cacheDir, writtenAt: new Date().toISOString(), functions, tables, definitions };
}

/** The report page for some data. */
export function reportHtml(data: ReportData): string {
  const packed = Buffer.from(zlibSync(strToU8(toWire(data)), { level: 9 })).toString('base64');
  const page = asset('index.html');
  return page
    .replace('<title>funes ui</title>', () => '<title>funes ui report</title>')
    .replace(
      '<link rel="stylesheet" href="app.css">',
      () => `<style>\n${inlineSafe(asset('app.css'), 'style')}\n</style>`,
    )
    .replace(
      '<script src="app.js"></script>',
      () =>
        [
          `<script id="${REPORT_DATA_ID}" type="application/octet-stream">${packed}</script>`,
          `<script>`,
          `${inlineSafe(asset('app.js'), 'script')}`,
          `</script>`,
        ].join('\n'),
    );
}

/** A report made in memory, for a caller that writes it its own way (`funes ui --export`: whole or not at all). */
export interface RenderedReport {
  /** The page. */
  readonly html: string;
  readonly versions: number;
  readonly rows: number;
}

/** Makes the report page of the chosen versions of a cache, without writing it. */
export async function renderReport(options: Omit<ReportOptions, 'file'>): Promise<RenderedReport> {
  const data = await reportData(options.cacheDir, options.versions);
  return {
    html: reportHtml(data),
    versions: Object.keys(data.tables).length,
    rows: Object.values(data.tables).reduce((sum, table) => sum + table.rows.length, 0),
  };
}

/** Writes a report of the chosen versions of a cache. */
export async function writeReport(options: ReportOptions): Promise<ReportSummary> {
  const { html, versions, rows } = await renderReport(options);
  writeFileSync(options.file, html);
  return { file: options.file, versions, rows, bytes: Buffer.byteLength(html) };
}

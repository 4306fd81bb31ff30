/**
 * `funes export <fn> [--format csv|jsonl|json] [--all-versions] [-o file]`
 */
import { extname, resolve } from 'node:path';
import { byRecentUse, resolveVersion, versionNamedByHash } from '@funes/core/cache';
import { versionsOfFunction, warnOtherFunctionsNamed } from '../cache.js';
import { defineCommand } from '../command.js';
import type { ExportFormat } from '@funes/core/internal';
import { exportEntries, type ExportResult } from '../operations/export.js';
import type { Style } from '../style.js';
import { countOf } from '../units.js';
import { checkOutputPath, isStdoutOutput, writeWholeText } from '../whole-file.js';

/** What `export -o file` reports. */
export interface ExportSummary extends ExportResult {
  readonly file: string;
  readonly format: ExportFormat;
}

/** `funes export -o`'s confirmation line. Pure. */
export function formatExport(summary: ExportSummary, style: Style): string {
  const damaged =
    summary.damaged > 0
      ? style.yellow(` (${countOf(summary.damaged, 'damaged entry', 'damaged entries')} skipped; run \`funes verify\`)`)
      : '';
  return `wrote ${countOf(summary.rows, 'row')} × ` +
      `${countOf(summary.columns.length, 'column')} to ${summary.file}${damaged}`;
}

const FORMATS: readonly ExportFormat[] = ['csv', 'jsonl', 'json'];

/**
 * The format asked for; else the `-o` file's extension (`.jsonl`, `.json`, else CSV);
 * else, on stdout, JSON with `--json` and CSV without. With `-o`, `--json` is about
 * the summary printed, never the file. Pure.
 */
export function exportFormatOf(
  format: ExportFormat | undefined,
  output: string | undefined,
  json: boolean,
): ExportFormat {
  if (format !== undefined) return format;
  if (output === undefined) return json ? 'json' : 'csv';
  const extension = extname(output).slice(1).toLowerCase();
  return FORMATS.find((f) => f === extension) ?? 'csv';
}

/** `funes export`: see docs/cli.md#funes-export. */
export const exportCommand = defineCommand({
  command: 'export <fn>',
  describe: 'Write one row per entry (inputs, outputs, time) as CSV, JSON Lines or JSON',
  builder: (yargs) =>
    yargs
      .positional('fn', {
        type: 'string',
        demandOption: true,
        describe: 'Function (its current version: the most recently used) or fn@hash',
      })
      .option('format', {
        alias: 'f',
        choices: ['csv', 'jsonl', 'json'] as const,
        describe: 'Output format',
        defaultDescription: "the -o file's extension, else csv (on stdout: json with --json)",
      })
      .option('all-versions', {
        alias: 'a',
        type: 'boolean',
        default: false,
        describe: 'Every version of the function (of fn@hash: of its function), with a version column',
      })
      .option('output', { alias: 'o', type: 'string', describe: 'Write to a file instead of stdout (`-`: stdout)' })
      .example('$0 export train > train.csv', "the current version's entries as CSV")
      .example('$0 export train --all-versions -f jsonl -o train.jsonl', 'every version, as JSON Lines, to a file')
      .example('python -c "import pandas; print(pandas.read_csv(\'train.csv\'))"', 'read an export with pandas'),
  async run(context, args) {
    const output = args.output === undefined || isStdoutOutput(args.output) ? undefined : args.output;
    const format = exportFormatOf(args.format, output, args.json);
    const all = context.openCache().versions;
    // A hash names that version; a name (`user@host@` too), the current one of the function used last. With
    // --all-versions, every version of that function: a name two modules define would mix two tables' rows.
    const pinned = versionNamedByHash(all, args.fn);
    const chosen = pinned ?? resolveVersion(all, args.fn);
    const versions = args.allVersions ? versionsOfFunction(all, chosen).sort(byRecentUse) : [chosen];
    // Said once the export is written, so that a failure stays the error alone.
    const warnOthers = () =>
      pinned === undefined &&
      warnOtherFunctionsNamed(context.out, all, args.fn, chosen, args.allVersions ? 'export -a' : 'export');
    const withVersion = args.allVersions && versions.length > 1;
    const progressFor = (total: number) => context.out.progress('Exporting', total);
    if (output === undefined) {
      const result = await exportEntries(versions, format, context.out, withVersion, progressFor);
      if (result.damaged > 0) {
        context.out.warn(
          `${countOf(result.damaged, 'damaged entry', 'damaged entries')} skipped; run \`funes verify\``,
        );
      }
      warnOthers();
      return;
    }
    const fileName = `${versions[0].name.replace(/[^\w.-]+/g, '_')}.${format}`;
    checkOutputPath(output, fileName);
    const file = resolve(output);
    const result = await writeWholeText(file, fileName, (sink) =>
      exportEntries(versions, format, sink, withVersion, progressFor),
    );
    context.out.report({ file, format, ...result }, formatExport);
    warnOthers();
  },
});

/**
 * `funes show <fn>[@hash] [argument-hash]`
 */
import { resolveVersion } from '@funes/core/cache';
import { shortHash, warnOtherFunctionsNamed } from '../cache.js';
import { defineCommand } from '../command.js';
import {
  showEntry,
  showVersion,
  type ShowEntryResult,
  type ShownEntry,
  type ShowVersionResult,
} from '../operations/show.js';
import { fullText, preview } from '../record-values.js';
import type { Style } from '../style.js';
import { formatTable } from '../table.js';
import { checkCount, countOf, formatAge, formatBytes, formatSeconds, formatTime } from '../units.js';

const PREVIEW_WIDTH = 48;

function indent(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : prefix + line))
    .join('\n');
}

function dependencyRows(result: ShowVersionResult, style: Style): string[] {
  const rows = result.metadata.dependencies.map((d) => [
    d.kind,
    style.bold(d.name),
    d.file ? `${d.file}${d.line ? `:${d.line}` : ''}` : '',
    d.version ?? '',
    style.dim(String(d.hash).slice(0, 12)),
  ]);
  return formatTable(rows).map((line) => `    ${line}`);
}

function entryRow(entry: ShownEntry, style: Style, now: number): string[] {
  const written = formatAge(Date.parse(entry.writtenAt), now);
  if (!entry.record) {
    return [style.yellow(entry.argumentHash.slice(0, 12)), written, '', style.red(`damaged: ${entry.damaged}`), ''];
  }
  return [
    style.yellow(entry.argumentHash.slice(0, 12)),
    written,
    formatSeconds(entry.record.time),
    // `this` cannot be a parameter's name, so it joins a method's inputs unambiguously.
    preview(
      entry.record.this === undefined ? entry.record.input : { this: entry.record.this, ...entry.record.input },
      PREVIEW_WIDTH,
    ),
    entry.previewed
      ? preview(entry.record.output, PREVIEW_WIDTH)
      : style.dim(`${formatBytes(entry.bytes)}: show it by its argument hash`),
  ];
}

/** `funes show fn[@hash]`'s text: metadata, source, dependencies, newest entries. Pure. */
export function formatShowVersion(result: ShowVersionResult, style: Style, now: number): string {
  const m = result.metadata;
  const created = Date.parse(m.createdAt);
  const lines = [
    style.yellow(`version ${result.hash}`),
    `Function: ${style.bold(result.function)}${result.module ? `  ${result.module}` : ''}`,
    `Created:  ${formatTime(created)} (${formatAge(created, now)}) by funes ${m.funes}`,
  ];
  if (m.pinnedVersion !== null) lines.push(`Pinned:   version ${JSON.stringify(m.pinnedVersion)}`);
  for (const warning of m.warnings) lines.push(style.yellow(`Warning:  ${warning}`));
  lines.push(
    '',
    'Source:',
    indent(m.source),
    '',
    `Dependencies (${m.dependencies.length}):`,
    ...dependencyRows(result, style),
    '',
  );
  const shown = result.entries.length < result.total ? `, newest ${result.entries.length} shown; -n 0 for all` : '';
  lines.push(`Entries (${countOf(result.total, 'entry', 'entries')}${shown}):`);
  if (result.entries.length > 0) {
    const header = ['ARGUMENT', 'WRITTEN', 'TIME', 'INPUT', 'OUTPUT'].map(style.dim);
    lines.push(
      ...formatTable([header, ...result.entries.map((e) => entryRow(e, style, now))]).map((line) => `    ${line}`),
    );
  }
  return lines.join('\n');
}

/** `funes show fn[@hash] <argument hash>`'s text: one entry with everything it stores. Pure. */
export function formatShowEntry(result: ShowEntryResult, style: Style): string {
  const { entry } = result;
  const lines = [
    style.yellow(`entry ${entry.argumentHash}`),
    `Version:  ${result.function}@${result.hash.slice(0, 12)}`,
    `File:     ${result.file} (${formatBytes(entry.bytes)})`,
  ];
  if (!entry.record) return [...lines, style.red(`Damaged:  ${entry.damaged}; run \`funes verify --fix\``)].join('\n');
  const { record } = entry;
  const p = record.provenance;
  lines.push(
    `Created:  ${formatTime(record.createdAt.getTime())}, computed in ` +
        `${formatSeconds(record.time)}${p.async ? ' (async)' : ''}`,
    `On:       ${p.host}, ${p.platform}, Node.js ${p.node}, funes ${p.funes}`,
  );
  if (p.seed !== undefined) lines.push(`Seed:     ${fullText(p.seed)}`);
  lines.push('', 'Input:', indent(fullText(record.input)));
  if (record.this !== undefined) lines.push('', 'This:', indent(fullText(record.this)));
  if (record.configuration !== undefined) {
    lines.push('', 'Read (what each saw, hashed):');
    for (const [read, hash] of Object.entries(record.configuration)) lines.push(`    ${read}  ${shortHash(hash)}`);
  }
  lines.push('', 'Output:', indent(fullText(record.output)));
  return lines.join('\n');
}

/** `funes show`: see docs/cli.md#funes-show. */
export const showCommand = defineCommand({
  command: 'show <fn> [argument]',
  describe: "Show a version's source, dependencies and entries, or one entry in full",
  builder: (yargs) =>
    yargs
      .positional('fn', {
        type: 'string',
        demandOption: true,
        describe: 'Function (its current version), fn@hash, or a version hash prefix',
      })
      .positional('argument', { type: 'string', describe: 'An argument hash prefix: show that entry in full' })
      .option('max-count', {
        alias: 'n',
        type: 'string',
        default: 20,
        describe: 'Entries to list, newest first (0: all)',
      })
      .example('$0 show train', 'the current version of train and its newest entries')
      .example('$0 show train@7e8f4427 -n 0', 'one version with all its entries')
      .example('$0 show train 126d36b0 --json', 'one entry, with input and output, as JSON'),
  async run(context, args) {
    const { versions } = context.openCache();
    const version = resolveVersion(versions, args.fn);
    if (args.argument !== undefined) {
      context.out.result(showEntry(version, args.argument), formatShowEntry);
    } else {
      const limit = checkCount(args.maxCount, '-n') ?? 20;
      context.out.result(showVersion(version, limit), (r, style) => formatShowVersion(r, style, context.now));
    }
    // Said once shown, so that a failure stays the error alone.
    warnOtherFunctionsNamed(context.out, versions, args.fn, version, 'show');
  },
});

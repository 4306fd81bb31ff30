/**
 * `funes gc [--keep N] [--older-than 30d] [--max-size 10GB] [--temp-grace 1h] [--dry-run]`
 */
import { versionLabel } from '../cache.js';
import { defineCommand } from '../command.js';
import { gc, type GcResult } from '../operations/gc.js';
import type { Style } from '../style.js';
import { formatTable } from '../table.js';
import { checkCount, countOf, formatBytes, parseDuration, parseSize } from '../units.js';

/** `funes gc`'s text: what went (or would go) and the bytes freed. Pure. */
export function formatGc(result: GcResult, style: Style): string {
  const verb = result.dryRun ? 'would remove' : 'removed';
  const rows = result.removedVersions.map((v) => [
    style.red(verb),
    style.bold(versionLabel({ name: v.function, hash: v.hash })),
    v.module ?? '',
    countOf(v.entries, 'entry', 'entries'),
    formatBytes(v.bytes),
    style.dim(v.reason === 'superseded' ? 'older version' : 'to fit --max-size'),
  ]);
  const lines = formatTable(rows, ['l', 'l', 'l', 'r', 'r', 'l']);
  const { removedEntries: entries, removedTempFiles: temps, removedLockFiles: locks } = result;
  if (entries.count > 0) lines.push(`${style.red(verb)} ${countOf(entries.count, 'least recently used entry', 'least recently used entries')} (${formatBytes(entries.bytes)}) to fit --max-size`);
  if (temps.count > 0) lines.push(`${style.red(verb)} ${countOf(temps.count, 'temp file')} left by interrupted writes (${formatBytes(temps.bytes)})`);
  if (locks.count > 0) lines.push(`${style.red(verb)} ${countOf(locks.count, 'stale lock file')} left by killed processes`);
  if (lines.length === 0) lines.push('nothing to remove');
  const freed = result.dryRun ? `would free ${formatBytes(result.freedBytes)}` : `freed ${formatBytes(result.freedBytes)}`;
  lines.push(style.green(`${freed}; the cache ${result.dryRun ? 'would be' : 'is now'} ${formatBytes(result.bytesAfter)}`));
  return lines.join('\n');
}

/** `funes gc`: see docs/cli.md#funes-gc. */
export const gcCommand = defineCommand({
  command: 'gc',
  describe: 'Remove older versions, stale temp and lock files and, with --max-size, least recently used entries',
  builder: (yargs) =>
    yargs
      .option('keep', { type: 'number', default: 1, describe: 'Newest versions to keep per function (name and module)' })
      .option('older-than', { type: 'string', describe: 'Only remove versions not created or written for this long (30d, 12h)' })
      .option('max-size', { type: 'string', describe: 'Then remove least recently used entries until the cache fits (10GB, 500MiB)' })
      .option('temp-grace', { type: 'string', default: '1h', describe: 'Leave temp files younger than this (a write may be in progress)' })
      .option('dry-run', { alias: 'n', type: 'boolean', default: false, describe: 'Show what would be removed; remove nothing' })
      .example('$0 gc --dry-run', 'what a collection would remove')
      .example('$0 gc --keep 3 --older-than 30d', 'keep 3 versions per function, and any used in the last 30 days')
      .example('$0 gc --max-size 10GB', 'also shrink the cache to 10 GB, least recently used entries first'),
  async run(context, args) {
    const policy = {
      keep: checkCount(args.keep, '--keep') ?? 1,
      olderThanMs: args.olderThan === undefined ? undefined : parseDuration(args.olderThan, '--older-than'),
      maxBytes: args.maxSize === undefined ? undefined : parseSize(args.maxSize, '--max-size'),
      tempGraceMs: parseDuration(args.tempGrace, '--temp-grace'),
      now: context.now,
    };
    const result = gc(context.openCache(), policy, args.dryRun, (label, total) => context.out.progress(label, total));
    context.out.report(result, formatGc);
  },
});

/**
 * `funes gc [--keep N] [--unused-for 30d | --now] [--max-size 10GB] [--temp-grace 1h] [--dry-run]`,
 * and `funes gc --remote [name]` with the same policies for the versions on a remote.
 */
import { collectGarbage, DEFAULT_GRACE_MS, type GcResult, type RemovalReason } from '@funes/core/cache';
import type { RemoteGcResult } from '@funes/sync';
import { versionLabel } from '../cache.js';
import { defineCommand } from '../command.js';
import { ExitCode, UsageError } from '../errors.js';
import type { Output } from '../output.js';
import type { Style } from '../style.js';
import { formatTable } from '../table.js';
import { checkCount, countOf, formatBytes, parseDuration, parseSize } from '../units.js';
import { loadSync } from '../sync-package.js';
import { remoteLabel } from '../remote-label.js';

/** Why `gc` removed a version, in words. */
function removalReason(reason: RemovalReason): string {
  if (reason === 'empty') return 'empty: no object and no valid definition.json';
  if (reason === 'max-size') return 'least recently used, to fit --max-size';
  return 'not the current version';
}

/** `funes gc`'s text: what went (or would go), and the disk usage freed. Pure. */
export function formatGc(result: GcResult | RemoteGcResult, style: Style): string {
  const remote = 'url' in result;
  const verb = result.dryRun ? 'would remove' : 'removed';
  const rows = result.removedVersions.map((v) => [
    style.red(verb),
    style.bold(versionLabel({ name: v.function, hash: v.hash })),
    v.module ?? '',
    countOf(v.entries, 'entry', 'entries'),
    remote ? formatBytes(v.bytes) : `${formatBytes(v.diskBytes)} on disk`,
    style.dim(removalReason(v.reason)),
  ]);
  const lines = formatTable(rows, ['l', 'l', 'l', 'r', 'r', 'l']);
  const { removedTempFiles: temps, removedLockFiles: locks } = result;
  if (temps.count > 0) {
    lines.push(
      `${style.red(verb)} ${countOf(temps.count, 'temp file')} left by ` +
          `interrupted writes (${formatBytes(temps.bytes)})`,
    );
  }
  if (locks.count > 0) {
    lines.push(`${style.red(verb)} ${countOf(locks.count, 'stale lock file')} left by killed processes`);
  }
  if (result.removedLeftovers.count > 0) {
    lines.push(
      `${style.red(verb)} ${countOf(result.removedLeftovers.count, 'directory', 'directories')} left by ` +
          `interrupted removals (${formatBytes(result.removedLeftovers.diskBytes)} on disk)`,
    );
  }
  for (const problem of result.problems) {
    lines.push(style.red(`skipped ${problem.dir}: ${problem.code}`));
    if (problem.why) lines.push(`  ${problem.why}`);
  }
  if (lines.length === 0) lines.push('nothing to remove');
  if (remote) {
    const freedBytes = result.before.bytes - result.after.bytes;
    const where = remoteLabel(result);
    const [free, hold] = result.dryRun ? ['would free', 'would hold'] : ['freed', 'holds'];
    lines.push(style.green(`${free} ${formatBytes(freedBytes)}; ${where} ${hold} ${formatBytes(result.after.bytes)}`));
    return lines.join('\n');
  }
  const freedBytes = result.before.diskBytes - result.after.diskBytes;
  const freed = result.dryRun
    ? `would free ${formatBytes(freedBytes)} of disk`
    : `freed ${formatBytes(freedBytes)} of disk`;
  lines.push(
    style.green(
      `${freed}; the cache ${result.dryRun ? 'would use' : 'uses'} ${formatBytes(result.after.diskBytes)} on disk ` +
          `(${formatBytes(result.after.bytes)} of files)`,
    ),
  );
  return lines.join('\n');
}

/** `funes gc`: see docs/cli.md#funes-gc. */
export const gcCommand = defineCommand({
  command: 'gc',
  describe:
    'Remove versions no longer in use, stale temp and lock files and, with --max-size, least recently used versions',
  builder: (yargs) =>
    yargs
      .option('keep', {
        type: 'string',
        default: 1,
        describe: 'Most recently used versions to keep per function (name and module)',
      })
      .option('unused-for', {
        type: 'string',
        describe: 'Only remove versions not used or written for this long (30d, 12h)',
        defaultDescription: '1h',
      })
      .option('now', {
        type: 'boolean',
        default: false,
        describe: 'No grace period: versions used a moment ago may go too (as git gc --prune=now)',
      })
      .option('max-size', {
        type: 'string',
        describe: 'Then remove least recently used versions until the disk usage fits (10GB, 500MiB)',
      })
      .option('temp-grace', {
        type: 'string',
        default: '1h',
        describe: 'Leave temp files younger than this (a write may be in progress)',
      })
      .option('dry-run', {
        alias: 'n',
        type: 'boolean',
        default: false,
        describe: 'Show what would be removed; remove nothing',
      })
      .option('remote', {
        type: 'string',
        describe:
          'Prune this remote instead (name or s3:// URL; the default remote when given no ' +
              'value), by when versions were last written',
      })
      .example('$0 gc --dry-run', 'what a collection would remove')
      .example('$0 gc --unused-for 30d', 'remove only versions unused for 30 days')
      .example('$0 gc --max-size 10GB', 'also shrink the cache to 10 GB on disk, least recently used versions first')
      .example(
        '$0 gc --remote origin --unused-for 90d --dry-run',
        "what pruning origin's versions not written for 90 days would remove",
      ),
  async run(context, args) {
    if (args.now && args.unusedFor !== undefined) {
      throw new UsageError('--now and --unused-for both set the grace period', 'give one of them');
    }
    const keep = checkCount(args.keep, '--keep') ?? 1;
    const graceMs = args.now
      ? 0
      : args.unusedFor === undefined
        ? DEFAULT_GRACE_MS
        : parseDuration(args.unusedFor, '--unused-for');
    const maxBytes = args.maxSize === undefined ? undefined : parseSize(args.maxSize, '--max-size');
    if (args.remote !== undefined) {
      const sync = await loadSync();
      const result = await sync.gcRemote({
        cacheDir: context.cacheDir,
        remote: args.remote || undefined,
        keep,
        graceMs,
        maxBytes,
        dryRun: args.dryRun,
      });
      printGc(context.out, result);
      warnOverMaxSize(context.out, result.after.bytes, maxBytes, args.dryRun, graceMs, args.unusedFor);
      return result.problems.length > 0 ? ExitCode.failure : ExitCode.ok;
    }
    const listing = context.openCache();
    const result = collectGarbage(listing, {
      keep,
      graceMs,
      maxDiskBytes: maxBytes,
      tempGraceMs: parseDuration(args.tempGrace, '--temp-grace'),
      now: context.now,
      dryRun: args.dryRun,
      progress: (label, total) => context.out.progress(label, total),
    });
    printGc(context.out, result);
    warnOverMaxSize(context.out, result.after.diskBytes, maxBytes, args.dryRun, graceMs, args.unusedFor);
    return result.problems.length > 0 ? ExitCode.failure : ExitCode.ok;
  },
});

/** Prints what gc did; with --quiet, only when something was left (a problem is printed even then). */
function printGc(out: Output, result: GcResult | RemoteGcResult): void {
  if (result.problems.length > 0) out.result(result, formatGc);
  else out.report(result, formatGc);
}

/** Says so when what stays is still over `--max-size`, with what kept it and how to let it go. */
function warnOverMaxSize(
  out: Output,
  bytesAfter: number,
  maxBytes: number | undefined,
  dryRun: boolean,
  graceMs: number,
  unusedFor: string | undefined,
): void {
  if (maxBytes === undefined || bytesAfter <= maxBytes) return;
  const kept =
    graceMs > 0
      ? `versions used or written within the last ${unusedFor ?? '1h'} stay (--now lets them go)`
      : 'versions with a write in progress or a held lock stay';
  out.warn(
    `the cache ${dryRun ? 'would still hold' : 'still holds'} ${formatBytes(bytesAfter)}, over --max-size ` +
        `${formatBytes(maxBytes)}: ${kept}`,
  );
}

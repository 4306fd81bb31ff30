/**
 * `funes log [fn..] [-n N] [--since 7d] [--oneline]`
 */
import { shortHash } from '../cache.js';
import { defineCommand } from '../command.js';
import type { FailedPoint } from '@funes/core/internal';
import { log, type FailedVersion, type LogEntry, type LogResult } from '../operations/log.js';
import type { Style } from '../style.js';
import { formatTable } from '../table.js';
import {
  checkCount,
  countOf,
  formatAge,
  formatBytes,
  formatCount,
  formatSeconds,
  formatTime,
  parseSince,
} from '../units.js';

function functionLabel(entry: LogEntry): string {
  return entry.module ? `${entry.function} (${entry.module})` : entry.function;
}

/** Failed points listed under a version before "and N more". */
const MAX_FAILED_LISTED = 5;

/** Whether more than one project directory used the versions listed: then each version says which. */
function sharedByProjects(result: LogResult): boolean {
  return new Set(result.versions.flatMap((entry) => entry.projects.map((use) => use.dir))).size > 1;
}

function entryLines(entry: LogEntry, style: Style, now: number, shared: boolean): string[] {
  const lines = [
    `${style.yellow(`version ${entry.hash}`)}${entry.current ? ` ${style.green('(current)')}` : ''}`,
    `Function: ${style.bold(entry.function)}${entry.module ? `  ${entry.module}` : ''}`,
  ];
  const dated = (label: string, iso: string | null) => {
    if (iso !== null) lines.push(`${label}${formatTime(Date.parse(iso))} (${formatAge(Date.parse(iso), now)})`);
  };
  if (entry.lastUsedAt === null) lines.push(`Used:     ${style.dim('never here')}`);
  dated('Used:     ', entry.lastUsedAt);
  if (shared) {
    for (const use of entry.projects) {
      const where = `${use.dir ?? style.dim('a project (its marker is being written)')}${use.present ? '' : ' (gone)'}`;
      lines.push(`  by ${where}, ${formatAge(Date.parse(use.lastUsedAt), now)}`);
    }
  }
  dated('Created:  ', entry.createdAt);
  dated('Written:  ', entry.lastWrittenAt);
  lines.push(
    `Entries:  ${countOf(entry.entries, 'entry', 'entries')}, ` +
      `${formatBytes(entry.bytes)} (${formatBytes(entry.diskBytes)} on disk), ` +
      `${formatSeconds(entry.computeSeconds)} of compute stored`,
  );
  if (entry.damagedEntries > 0) {
    lines.push(style.red(`Damaged:  ${countOf(entry.damagedEntries, 'damaged object')}; run \`funes verify --fix\``));
  }
  if (entry.metadata !== 'ok') lines.push(style.red(`Metadata: definition.json is ${entry.metadata}`));
  if (entry.failed.length > 0) lines.push(style.red(`Failed:   ${countOf(entry.failed.length, 'point')}`));
  lines.push(...failedLines(entry.failed, style, now));
  return lines;
}

/** The most recent failed points, one line each. */
function failedLines(failed: readonly FailedPoint[], style: Style, now: number): string[] {
  const lines = failed.slice(0, MAX_FAILED_LISTED).map(
    (point) =>
      `  ${style.yellow(shortHash(point.argumentHash))} ${countOf(point.attempts, 'attempt')}, ` +
        `last on ${point.host} ${formatAge(Date.parse(point.at), now)}: ` +
        `${point.error.name}: ${point.error.message.split('\n')[0]}`,
  );
  if (failed.length > MAX_FAILED_LISTED) {
    lines.push(style.dim(`  … and ${failed.length - MAX_FAILED_LISTED} more (--json lists them all)`));
  }
  return lines;
}

/** A version whose every call failed: what failed, as `Failed:` lists it for a version with entries. */
function failedVersionLines(version: FailedVersion, style: Style, options: LogLayout): string[] {
  const label = options.oneline ? version.shortHash : `version ${version.hash}`;
  const head =
    `${style.yellow(label)}  ${style.bold(version.function)}  ` +
    style.red(`nothing stored: ${countOf(version.failed.length, 'point')} failed`);
  return options.oneline ? [head] : [head, ...failedLines(version.failed, style, options.now)];
}

/** How `funes log` lays its text out. */
interface LogLayout {
  readonly oneline: boolean;
  readonly now: number;
  /** The `-n` given, if any. */
  readonly maxCount?: number;
}

/**
 * `funes log`'s text: git-log-like blocks, or one aligned line per version with `--oneline`;
 * then the versions whose every call failed. Pure.
 */
export function formatLog(result: LogResult, style: Style, options: LogLayout): string {
  const failed = result.failedWithoutEntries.map((version) => failedVersionLines(version, style, options).join('\n'));
  if (result.versions.length === 0 && failed.length === 0) {
    // `-n 0` asked for nothing, as `git log -n 0` prints nothing.
    return options.maxCount === 0 ? '' : style.dim('no function versions');
  }
  const listed = formatVersions(result, style, options);
  if (failed.length === 0) return listed;
  return [...(listed ? [listed] : []), ...failed].join(options.oneline ? '\n' : '\n\n');
}

function formatVersions(result: LogResult, style: Style, options: LogLayout): string {
  if (result.versions.length === 0) return '';
  if (!options.oneline) {
    const shared = sharedByProjects(result);
    return result.versions.map((entry) => entryLines(entry, style, options.now, shared).join('\n')).join('\n\n');
  }
  const rows = result.versions.map((entry) => [
    style.yellow(entry.shortHash),
    style.bold(functionLabel(entry)),
    formatCount(entry.entries),
    formatBytes(entry.bytes),
    formatSeconds(entry.computeSeconds),
    entry.lastUsedAt === null
      ? style.dim('never used here')
      : `used ${formatAge(Date.parse(entry.lastUsedAt), options.now)}`,
    entry.current ? style.green('current') : '',
  ]);
  return formatTable(rows, ['l', 'l', 'r', 'r', 'r', 'l', 'l']).join('\n');
}

/** `funes log`: see docs/cli.md#funes-log. */
export const logCommand = defineCommand({
  command: 'log [fn..]',
  describe: 'List function versions, most recently used first, marking the current one',
  builder: (yargs) =>
    yargs
      .positional('fn', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'Functions to list (name, name@hash or hash prefix); all when omitted',
      })
      .option('max-count', { alias: 'n', type: 'string', describe: 'Show at most N versions' })
      .option('since', {
        type: 'string',
        describe: 'Only versions used or written since a duration ago (7d, 12h) or a date',
      })
      .option('oneline', { type: 'boolean', default: false, describe: 'One line per version' })
      .example('$0 log', 'every version, most recently used first')
      .example('$0 log train --oneline -n 5', 'the five most recently used versions of train')
      .example('$0 log --since 7d --json', 'versions active in the last week, as JSON'),
  async run(context, args) {
    const cache = context.openCache();
    const progress = context.out.progress('Reading versions', cache.versions.length);
    const limit = checkCount(args.maxCount, '-n');
    const result = await log(
      cache,
      {
        functions: args.fn,
        limit,
        sinceMs: args.since === undefined ? undefined : parseSince(args.since, context.now),
      },
      () => progress.tick(),
    );
    progress.done();
    context.out.result(result, (r, style) =>
      formatLog(r, style, { oneline: args.oneline, now: context.now, maxCount: limit }),
    );
  },
});

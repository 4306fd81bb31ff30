/**
 * `funes push [remote] [fn[@hash]..]` and `funes pull …`: copy the objects the
 * other side lacks, verified, several at a time; `--dry-run` lists them instead.
 * The first argument is a remote when it names one (or is an s3:// URL), else the
 * first function, with the default remote (the only one, else `origin`).
 */
import type { TransferResult } from '@funes/sync';
import { checkCachePlace } from '../cache.js';
import { defineCommand } from '../command.js';
import { ExitCode, UsageError } from '../errors.js';
import { silentProgress, type Progress } from '../progress.js';
import type { Style } from '../style.js';
import { loadSync } from '../sync-package.js';
import { checkCount, countOf, formatBytes } from '../units.js';
import { remoteLabel } from '../remote-label.js';

/** Damaged files listed one per line before "and N more". */
const MAX_LISTED = 20;

/** `funes push`/`pull`'s text. Pure. */
export function formatTransfer(result: TransferResult, style: Style): string {
  const [verb, preposition] = result.direction === 'push' ? ['pushed', 'to'] : ['pulled', 'from'];
  const where = `${preposition} ${remoteLabel(result)}`;
  const already = `${countOf(result.present, 'file')} already there`;
  if (result.dryRun) {
    const keys = (result.keys ?? []).map((key) => `  ${key}`);
    return [
      `would ${result.direction} ${countOf(result.missing, 'file')} ` +
        `(${formatBytes(result.missingBytes)}) ${where}; ${already}`,
      ...keys,
    ].join('\n');
  }
  const lines: string[] = [];
  for (const [keys, why] of [
    [result.damaged, 'damaged'],
    [result.refused, 'unsigned or wrongly signed'],
    [result.unaddressed, 'in format 1, without an address (--accept-format-1 to accept)'],
  ] as const) {
    lines.push(...keys.slice(0, MAX_LISTED).map((key) => `${style.red(`${why}, not transferred`)} ${key}`));
    if (keys.length > MAX_LISTED) lines.push(style.red(`… and ${keys.length - MAX_LISTED} more ${why}`));
  }
  lines.push(
    style.green(`${verb} ${countOf(result.transferred, 'file')} (${formatBytes(result.bytes)}) ${where}; ${already}`),
  );
  return lines.join('\n');
}

/** Splits `[remote] [fn..]` (see the module comment); `isUrl` tells a remote given as a URL. */
export function splitTargets(
  words: readonly string[],
  remoteNames: readonly string[],
  isUrl: (word: string) => boolean,
): { remote: string | undefined; functions: string[] } {
  const [first, ...rest] = words;
  if (first !== undefined && (isUrl(first) || remoteNames.includes(first))) {
    return { remote: first, functions: rest };
  }
  return { remote: undefined, functions: [...words] };
}

function transferCommand(direction: 'push' | 'pull') {
  const toward = direction === 'push' ? 'to' : 'from';
  return defineCommand({
    command: `${direction} [targets..]`,
    describe:
      direction === 'push'
        ? 'Upload the objects a remote lacks'
        : 'Download the objects this cache lacks from a remote',
    builder: (yargs) =>
      yargs
        .positional('targets', {
          type: 'string',
          array: true,
          default: [] as string[],
          describe: `[remote] [fn[@hash]..]: the remote (default: the only one, else origin), ` +
              `then functions or versions (default: all)`,
        })
        .option('dry-run', {
          alias: 'n',
          type: 'boolean',
          default: false,
          describe: `List what would be ${direction === 'push' ? 'uploaded' : 'downloaded'}, transfer nothing`,
        })
        .option('jobs', {
          alias: 'j',
          type: 'string',
          default: 8,
          describe: 'Files transferred at once (0: the default)',
        })
        .option('accept-format-1', {
          type: 'boolean',
          // Only what arrives is checked for an address: a push sends what this cache holds.
          hidden: direction === 'push',
          describe: 'Accept objects in format 1 (Funes 0.1), which carry no address; only from a remote you trust',
        })
        .example(`$0 ${direction}`, `every function, ${toward} the default remote`)
        .example(`$0 ${direction} origin train`, `only train's results, ${toward} origin`)
        .example(`$0 ${direction} train@7e8f`, `only the version of train whose hash starts 7e8f`),
    async run(context, args) {
      checkCachePlace(context.cacheDir);
      if (direction === 'push' && args.acceptFormat1) {
        throw new UsageError(
          '--accept-format-1 is an option of pull and unpack',
          'leave it out: a push sends what this cache holds',
        );
      }
      const sync = await loadSync();
      let progress: Progress = silentProgress;
      try {
        const { remote, functions } = splitTargets(
          args.targets,
          sync.listRemotes(context.cacheDir).map((r) => r.name),
          sync.isRemoteUrl,
        );
        const result = await sync[direction]({
          cacheDir: context.cacheDir,
          remote,
          functions,
          dryRun: args.dryRun,
          acceptFormat1: args.acceptFormat1,
          concurrency: checkCount(args.jobs, '--jobs') || 8,
          onPlan: (plan) =>
            (progress = context.out.progress(direction === 'push' ? 'Pushing' : 'Pulling', plan.missing.length)),
          onProgress: () => progress.tick(),
        });
        progress.done();
        context.out.report(result, formatTransfer);
        const incomplete = result.damaged.length + result.refused.length + result.unaddressed.length > 0;
        return incomplete ? ExitCode.failure : ExitCode.ok;
      } catch (error) {
        progress.done();
        throw error;
      }
    },
  });
}

export const pushCommand = transferCommand('push');
export const pullCommand = transferCommand('pull');

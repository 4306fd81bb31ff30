/**
 * `funes push [remote] [fn[@hash]..]` and `funes pull …`: copy the objects the
 * other side lacks, verified, several at a time; `--dry-run` lists them instead.
 * The first argument is a remote when it names one (or is an s3:// URL), else the
 * first function, with the default remote (the only one, else `origin`).
 */
import type { TransferResult } from '@funes/sync';
import { checkCachePlace } from '../cache.js';
import { defineCommand } from '../command.js';
import { ExitCode } from '../errors.js';
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
  ] as const) {
    lines.push(...keys.slice(0, MAX_LISTED).map((key) => `${style.red(`${why}, not transferred`)} ${key}`));
    if (keys.length > MAX_LISTED) lines.push(style.red(`… and ${keys.length - MAX_LISTED} more ${why}`));
  }
  lines.push(
    style.green(`${verb} ${countOf(result.transferred, 'file')} (${formatBytes(result.bytes)}) ${where}; ${already}`),
  );
  return lines.join('\n');
}

/** Splits `[remote] [fn..]` (see the module comment). */
export function splitTargets(
  words: readonly string[],
  remoteNames: readonly string[],
): { remote: string | undefined; functions: string[] } {
  const [first, ...rest] = words;
  if (first !== undefined && (first.startsWith('s3://') || remoteNames.includes(first))) {
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
        .example(`$0 ${direction}`, `every function, ${toward} the default remote`)
        .example(`$0 ${direction} origin train`, `only train's results, ${toward} origin`)
        .example(`$0 ${direction} train@7e8f`, `only the version of train whose hash starts 7e8f`),
    async run(context, args) {
      checkCachePlace(context.cacheDir);
      const sync = await loadSync();
      let progress: Progress = silentProgress;
      try {
        const { remote, functions } = splitTargets(
          args.targets,
          sync.listRemotes(context.cacheDir).map((r) => r.name),
        );
        const result = await sync[direction]({
          cacheDir: context.cacheDir,
          remote,
          functions,
          dryRun: args.dryRun,
          concurrency: checkCount(args.jobs, '--jobs') || 8,
          onPlan: (plan) =>
            (progress = context.out.progress(direction === 'push' ? 'Pushing' : 'Pulling', plan.missing.length)),
          onProgress: () => progress.tick(),
        });
        progress.done();
        context.out.report(result, formatTransfer);
        return result.damaged.length > 0 || result.refused.length > 0 ? ExitCode.failure : ExitCode.ok;
      } catch (error) {
        progress.done();
        throw error;
      }
    },
  });
}

export const pushCommand = transferCommand('push');
export const pullCommand = transferCommand('pull');

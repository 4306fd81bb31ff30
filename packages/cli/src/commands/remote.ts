/**
 * `funes remote [list]`, `funes remote add <name> s3://bucket/prefix [--endpoint URL] [--region R]`,
 * `funes remote remove <name>`: where this cache's remotes are, kept in the cache
 * directory (`.funes/config.json`). Credentials are never asked for nor stored.
 */
import type { RemoteConfig, RemoteError } from '@funes/sync';
import { defineCommand } from '../command.js';
import { CliError, ExitCode, UsageError } from '../errors.js';
import type { Style } from '../style.js';
import { loadSync } from '../sync-package.js';
import { formatTable } from '../table.js';

/** A {@link RemoteError} as the CLI reports it: its code, message and hint; malformed configuration is a usage error. */
export function remoteCliError(error: unknown, remoteError: typeof RemoteError): unknown {
  if (!(error instanceof remoteError)) return error;
  return new CliError(error.code, error.message, { hint: error.hint, cause: error, exitCode: error.code === 'EREMOTECONFIG' ? ExitCode.usage : ExitCode.failure });
}

/** What `funes remote` did or lists. */
export interface RemoteResult {
  readonly action: 'list' | 'add' | 'remove';
  readonly remotes: readonly RemoteConfig[];
}

/** `funes remote`'s text. Pure. */
export function formatRemotes(result: RemoteResult, style: Style): string {
  if (result.action !== 'list') {
    const [remote] = result.remotes;
    return `${result.action === 'add' ? 'added' : 'removed'} remote ${style.bold(remote.name)} ${remote.url}`;
  }
  if (result.remotes.length === 0) return style.dim('no remotes; add one with `funes remote add <name> s3://bucket/prefix [--endpoint URL]`');
  return formatTable(result.remotes.map((r) => [style.bold(r.name), r.url, r.endpoint ?? '', r.region ?? ''])).join('\n');
}

export const remoteCommand = defineCommand({
  command: 'remote [action] [name] [url]',
  describe: "List, add or remove the cache's S3-compatible remotes",
  builder: (yargs) =>
    yargs
      .positional('action', { type: 'string', choices: ['list', 'add', 'remove'] as const, default: 'list' as const, describe: 'What to do' })
      .positional('name', { type: 'string', describe: 'The remote\'s name, e.g. origin' })
      .positional('url', { type: 'string', describe: 's3://bucket/prefix' })
      .option('endpoint', { type: 'string', describe: 'The S3 endpoint of a non-AWS server (MinIO, Ceph, Swift, R2, …)' })
      .option('region', { type: 'string', describe: 'The signing region (default: AWS_REGION, else us-east-1)' })
      .example('$0 remote add origin s3://ml-cache/funes', 'an AWS S3 bucket; credentials from AWS_* variables or your AWS profile')
      .example('$0 remote add lab s3://funes/sweeps --endpoint https://minio.lab:9000', 'an S3-compatible server'),
  async run(context, args) {
    const { addRemote, listRemotes, RemoteError, removeRemote } = await loadSync();
    try {
      if (args.action === 'list') {
        context.out.result({ action: 'list', remotes: listRemotes(context.cacheDir) }, formatRemotes);
        return;
      }
      if (args.name === undefined) throw new UsageError(`funes remote ${args.action} needs a remote name`, 'e.g. funes remote add origin s3://bucket/prefix');
      if (args.action === 'remove') {
        context.out.report({ action: 'remove', remotes: [removeRemote(context.cacheDir, args.name)] }, formatRemotes);
        return;
      }
      if (args.url === undefined) throw new UsageError('funes remote add needs a URL', 'e.g. funes remote add origin s3://bucket/prefix');
      const added = addRemote(context.cacheDir, {
        name: args.name,
        url: args.url,
        ...(args.endpoint !== undefined && { endpoint: args.endpoint }),
        ...(args.region !== undefined && { region: args.region }),
      });
      context.out.report({ action: 'add', remotes: [added] }, formatRemotes);
    } catch (error) {
      throw remoteCliError(error, RemoteError);
    }
  },
});

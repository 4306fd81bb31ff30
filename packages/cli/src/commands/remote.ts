/**
 * `funes remote [list]`, `funes remote add <name> s3://bucket/prefix [--endpoint URL] [--region R] [--read-only]`,
 * `funes remote remove <name>`: where this cache's remotes are, kept in the cache
 * directory (`.funes/config.json`). Credentials are never asked for nor stored. Adding a
 * writable remote probes its server for conditional writes and says what it found.
 */
import type { RemoteConfig } from '@funes/sync';
import { checkCachePlace } from '../cache.js';
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import type { Style } from '../style.js';
import { loadSync } from '../sync-package.js';
import { formatTable } from '../table.js';

/** What `funes remote` did or lists. */
export interface RemoteResult {
  readonly action: 'list' | 'add' | 'remove';
  readonly remotes: readonly RemoteConfig[];
  /**
   * For `add`: what the capability probe found (absent for a read-only remote, or when the server could not be asked).
   */
  readonly probe?: { readonly conditionalWrites: boolean; readonly detail: string } | { readonly error: string };
}

/** What a remote's recorded capability means for compute-once leases, in a few words. */
function writesLabel(remote: RemoteConfig): string {
  if (remote.readOnly) return 'read-only';
  if (remote.conditionalWrites === undefined) return 'not probed yet';
  return remote.conditionalWrites ? 'conditional writes' : 'no conditional writes';
}

/** The probe's verdict for `funes remote add`, plainly: what was found and what it means. */
function probeLines(probe: NonNullable<RemoteResult['probe']>): string[] {
  if ('error' in probe) return [`could not probe the server (${probe.error}); it is probed again at first use`];
  if (probe.conditionalWrites) return [`${probe.detail}.`, 'lock: true takes compute-once leases on this remote.'];
  return [
    `${probe.detail}.`,
    'lock: true cannot take leases on this remote: set FUNES_LOCK_URL=redis://host:port for Redis leases, ' +
        'or calls with lock: true and this remote fail (ENOLEASE).',
  ];
}

/** `funes remote`'s text. Pure. */
export function formatRemotes(result: RemoteResult, style: Style): string {
  if (result.action !== 'list') {
    const [remote] = result.remotes;
    const line = `${result.action === 'add' ? 'added' : 'removed'} remote ` +
        `${style.bold(remote.name)} ${remote.url}${remote.readOnly ? ' (read-only)' : ''}`;
    return [line, ...(result.probe ? probeLines(result.probe) : [])].join('\n');
  }
  if (result.remotes.length === 0) {
    return style.dim('no remotes; add one with `funes remote add <name> s3://bucket/prefix [--endpoint URL]`');
  }
  return formatTable(
    result.remotes.map((r) => [style.bold(r.name), r.url, r.endpoint ?? '', r.region ?? '', writesLabel(r)]),
  ).join('\n');
}

export const remoteCommand = defineCommand({
  command: 'remote [action] [name] [url]',
  describe: "List, add or remove the cache's S3-compatible remotes",
  builder: (yargs) =>
    yargs
      .positional('action', {
        type: 'string',
        choices: ['list', 'add', 'remove'] as const,
        default: 'list' as const,
        describe: 'What to do',
      })
      .positional('name', { type: 'string', describe: "The remote's name, e.g. origin" })
      .positional('url', { type: 'string', describe: 's3://bucket/prefix' })
      .option('endpoint', {
        type: 'string',
        describe: 'The S3 endpoint of a non-AWS server (MinIO, Ceph, Swift, R2, …)',
      })
      .option('region', { type: 'string', describe: 'The signing region (default: AWS_REGION, else us-east-1)' })
      .option('read-only', {
        type: 'boolean',
        default: false,
        describe: 'Only pull and read through: never write to this remote (CI, readers)',
      })
      .example(
        '$0 remote add origin s3://ml-cache/funes',
        'an AWS S3 bucket; credentials from AWS_* variables or your AWS profile',
      )
      .example('$0 remote add lab s3://funes/sweeps --endpoint https://minio.lab:9000', 'an S3-compatible server')
      .example('$0 remote add shared s3://ml-cache/funes --read-only', 'a remote this cache reads but never writes'),
  async run(context, args) {
    checkCachePlace(context.cacheDir);
    const { addRemote, listRemotes, probeRemote, RemoteError, removeRemote } = await loadSync();
    if (args.action === 'list') {
      context.out.result({ action: 'list', remotes: listRemotes(context.cacheDir) }, formatRemotes);
      return;
    }
    if (args.name === undefined) {
      throw new UsageError(
        `funes remote ${args.action} needs a remote name`,
        'e.g. funes remote add origin s3://bucket/prefix',
      );
    }
    if (args.action === 'remove') {
      context.out.report({ action: 'remove', remotes: [removeRemote(context.cacheDir, args.name)] }, formatRemotes);
      return;
    }
    if (args.url === undefined) {
      throw new UsageError('funes remote add needs a URL', 'e.g. funes remote add origin s3://bucket/prefix');
    }
    const added = addRemote(context.cacheDir, {
      name: args.name,
      url: args.url,
      ...(args.endpoint !== undefined && { endpoint: args.endpoint }),
      ...(args.region !== undefined && { region: args.region }),
      ...(args.readOnly && { readOnly: true }),
    });
    if (added.readOnly) {
      context.out.report({ action: 'add', remotes: [added] }, formatRemotes);
      return;
    }
    const probe = await probeRemote(context.cacheDir, added.name).catch((error: unknown) => ({
      error: error instanceof RemoteError ? `${error.code}: ${error.message}` : String(error),
    }));
    context.out.report(
      { action: 'add', remotes: listRemotes(context.cacheDir).filter((r) => r.name === added.name), probe },
      formatRemotes,
    );
  },
});

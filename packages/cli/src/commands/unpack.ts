/**
 * `funes unpack <file|-> [--dry-run] [--list] [--verify] [--max-size 4GiB]`
 */
import { createReadStream, statSync } from 'node:fs';
import type { BundleManifest, UnpackProblem, UnpackSummary } from '@funes/sync';
import { checkCachePlace, shortHash } from '../cache.js';
import { defineCommand } from '../command.js';
import { CliError, ExitCode, UsageError } from '../errors.js';
import type { Progress } from '../progress.js';
import type { Style } from '../style.js';
import { loadSync } from '../sync-package.js';
import { formatTable } from '../table.js';
import { countOf, formatBytes, formatCount, formatTime, parseSize } from '../units.js';

/** Problems listed one per line before the text report says "and N more". */
const MAX_LISTED = 20;

/** What `funes unpack --list` shows: the manifest, one row per version. */
export interface BundleListing {
  readonly createdAt: string;
  readonly funes: string;
  readonly objects: number;
  readonly bytes: number;
  readonly versions: readonly {
    readonly function: string;
    readonly hash: string;
    readonly objects: number;
    readonly bytes: number;
  }[];
}

/** What `funes unpack` did, checked or would do. */
export type UnpackReport = Omit<UnpackSummary, 'manifest'> & {
  readonly bundle: { readonly createdAt: string; readonly funes: string };
};

function listingOf(
  manifest: BundleManifest,
  sync: Pick<typeof import('@funes/sync'), 'functionNameOf' | 'objectBytes'>,
): BundleListing {
  return {
    createdAt: manifest.createdAt,
    funes: manifest.funes,
    objects: manifest.objectCount,
    bytes: sync.objectBytes(manifest.versions),
    versions: manifest.versions.map((v) => ({
      function: sync.functionNameOf(v),
      hash: v.definitionHash,
      objects: v.objects.length,
      bytes: sync.objectBytes([v]),
    })),
  };
}

/** `funes unpack --list`'s text. Pure. */
export function formatListing(listing: BundleListing, style: Style): string {
  const rows = listing.versions.map((v) => [
    style.yellow(shortHash(v.hash)),
    style.bold(v.function),
    formatCount(v.objects),
    formatBytes(v.bytes),
  ]);
  return [
    `bundle made ${formatTime(Date.parse(listing.createdAt))} by Funes ` +
        `${listing.funes}: ${countOf(listing.objects, 'object')}, ${formatBytes(listing.bytes)}`,
    ...formatTable(rows, ['l', 'l', 'r', 'r']),
  ].join('\n');
}

function problemLines(label: string, problems: readonly UnpackProblem[], color: (text: string) => string): string[] {
  const lines = problems.slice(0, MAX_LISTED).map((p) => `${color(label)} ${p.entry}: ${p.reason}`);
  if (problems.length > MAX_LISTED) lines.push(`… and ${problems.length - MAX_LISTED} more (--json lists them all)`);
  return lines;
}

/** `funes unpack`'s text: conflicts and rejections, then the counts. Pure. */
export function formatUnpack(report: UnpackReport, style: Style): string {
  const lines = [
    ...problemLines('conflict', report.conflictList, style.yellow),
    ...problemLines('rejected', report.rejectedList, style.red),
  ];
  const t = (tally: { objects: number; bytes: number }) =>
    `${countOf(tally.objects, 'object')} (${formatBytes(tally.bytes)})`;
  if (report.mode === 'verify') {
    lines.push(`verified ${t(report.verified)}, rejected ${t(report.rejected)}`);
  } else {
    const verb = report.mode === 'dry-run' ? 'would add' : 'added';
    lines.push(
      `${verb} ${t(report.added)}, skipped ${t(report.skipped)} already present, ` +
          `${countOf(report.conflicts.objects, 'conflict')} kept as the cache ` +
          `has ${report.conflicts.objects === 1 ? 'it' : 'them'}, rejected ${t(report.rejected)}`,
    );
  }
  const ok = report.rejected.objects === 0 && report.rejectedList.length === 0;
  lines[lines.length - 1] = ok ? style.green(lines[lines.length - 1]) : style.red(lines[lines.length - 1]);
  return lines.join('\n');
}

function bundleSource(file: string): NodeJS.ReadableStream {
  // An empty name (`unpack "$UNSET"`) is no bundle: reading stdin instead would merge whatever is piped in.
  if (file === '') {
    throw new UsageError('unpack needs a bundle', 'give the path of a bundle made by `funes pack`, or - for stdin');
  }
  // stdin is the process's own: the CLI's Io carries no binary input.
  if (file === '-') {
    // As gzip does: a terminal holds no bundle, and reading one would wait for input that never comes.
    if (process.stdin.isTTY) {
      throw new UsageError(
        'stdin is a terminal: unpack - reads a bundle piped in',
        'pipe one in (funes pack -o - | funes unpack -) or give its path',
      );
    }
    return process.stdin;
  }
  try {
    if (!statSync(file).isFile()) {
      throw new CliError('EBUNDLEFORMAT', `${file} is not a file`, {
        hint: 'give the path of a bundle made by `funes pack`, or - for stdin',
      });
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError('ENOENT', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code}`, {
      hint: 'give the path of a bundle made by `funes pack`, or - for stdin',
    });
  }
  return createReadStream(file);
}

export const unpackCommand = defineCommand({
  command: 'unpack <file>',
  describe: 'Check a bundle and merge it into the cache (new objects added, existing ones kept)',
  builder: (yargs) =>
    yargs
      .positional('file', { type: 'string', demandOption: true, describe: 'The bundle, or - for stdin' })
      .option('dry-run', {
        alias: 'n',
        type: 'boolean',
        describe: 'Check the bundle and show what would be added; write nothing',
      })
      .option('list', { type: 'boolean', describe: "Show the bundle's contents from its manifest; extract nothing" })
      .option('verify', { type: 'boolean', describe: 'Check every object of the bundle; write nothing, need no cache' })
      .option('max-size', {
        type: 'string',
        describe: 'Refuse bundles that expand past this (a guard against decompression bombs)',
        defaultDescription: '4GiB',
      })
      .option('accept-format-1', {
        type: 'boolean',
        describe: 'Accept objects in format 1 (Funes 0.1), which carry no address; only from a bundle you trust',
      })
      .conflicts('list', ['verify', 'dry-run'])
      .conflicts('verify', 'dry-run')
      .example('$0 unpack cache.tar.gz', 'merge a bundle into ./cache')
      .example('$0 unpack cache.tar.gz --list', 'what a bundle holds')
      .example('ssh lab funes pack -o - | $0 unpack -', "merge another computer's cache"),
  async run(context, args) {
    const sync = await loadSync();
    const { DEFAULT_MAX_BYTES, readBundleManifest, unpack } = sync;
    const maxBytes = args.maxSize === undefined ? DEFAULT_MAX_BYTES : parseSize(args.maxSize, '--max-size');
    if (maxBytes === 0) {
      throw new UsageError('--max-size 0 admits no bundle', 'leave it out for 4GiB, or raise it: --max-size 10GiB');
    }
    const source = bundleSource(args.file);
    if (args.list) {
      context.out.result(listingOf(await readBundleManifest(source, { maxBytes }), sync), formatListing);
      return;
    }
    const mode = args.verify ? 'verify' : args.dryRun ? 'dry-run' : 'merge';
    if (mode !== 'verify') checkCachePlace(context.cacheDir);
    let progress: Progress | undefined;
    const label = mode === 'merge' ? 'Unpacking' : 'Checking';
    let summary: UnpackSummary;
    try {
      summary = await unpack(source, {
        cacheDir: context.cacheDir,
        mode,
        maxBytes,
        acceptFormat1: args.acceptFormat1,
        onProgress: ({ totalEntries }) => (progress ??= context.out.progress(label, totalEntries)).tick(),
      });
    } finally {
      progress?.done();
    }
    const { manifest, ...rest } = summary;
    const report: UnpackReport = { ...rest, bundle: { createdAt: manifest.createdAt, funes: manifest.funes } };
    const ok = summary.rejectedList.length === 0;
    // Rejections are what the user must see: printed even with --quiet.
    if (ok) context.out.report(report, formatUnpack);
    else {
      context.out.result(report, formatUnpack);
    }
    return ok ? ExitCode.ok : ExitCode.failure;
  },
});

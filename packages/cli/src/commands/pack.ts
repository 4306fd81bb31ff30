/**
 * `funes pack [fn..] [-o file.tar.gz | -] [--all-versions] [--since 7d]`
 */
import type { BundleManifest, SkippedFile } from '@funes/sync';
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { silentProgress, type Progress } from '../progress.js';
import type { Style } from '../style.js';
import { loadSync } from '../sync-package.js';
import { checkCount, countOf, formatBytes, parseSince } from '../units.js';
import { isStdoutOutput, writeWholeFile } from '../whole-file.js';

/** What `funes pack` made. */
export interface PackResult {
  /** The bundle file, or null when it went to stdout. */
  readonly file: string | null;
  readonly functions: number;
  readonly versions: number;
  readonly objects: number;
  /** Bytes of the objects packed (as `unpack` counts them). */
  readonly bytes: number;
  /** Bytes of the compressed bundle written (null on stdout). */
  readonly bundleBytes: number | null;
  /** Damaged objects left out. */
  readonly skipped: readonly SkippedFile[];
}

/** `funes pack`'s text. Pure. */
export function formatPack(result: PackResult, style: Style): string {
  const lines = result.skipped.map((s) => `${style.yellow('left out')} ${s.file}: ${s.reason}`);
  const what = `${countOf(result.objects, 'object')} of ` +
      `${countOf(result.functions, 'function')} (${countOf(result.versions, 'version')}, ${formatBytes(result.bytes)})`;
  const size = result.bundleBytes === null ? '' : ` (${formatBytes(result.bundleBytes)})`;
  lines.push(style.green(`packed ${what} into ${result.file ?? 'stdout'}${size}`));
  if (result.skipped.length > 0) {
    lines.push(style.dim('damaged objects are left out; run `funes verify --fix` to remove them'));
  }
  return lines.join('\n');
}

function resultOf(
  manifest: BundleManifest,
  bytes: number,
  functionNames: readonly string[],
  file: string | null,
  bundleBytes: number | null,
  skipped: readonly SkippedFile[],
): PackResult {
  return {
    file,
    functions: new Set(functionNames).size,
    versions: manifest.versions.length,
    objects: manifest.objectCount,
    bytes,
    bundleBytes,
    skipped,
  };
}

export const packCommand = defineCommand({
  command: 'pack [fn..]',
  describe: 'Write the cache (or some functions) as a bundle to carry to another computer',
  builder: (yargs) =>
    yargs
      .positional('fn', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'Functions to pack (name or name@hash prefix); all when omitted',
      })
      .option('output', {
        alias: 'o',
        type: 'string',
        default: 'funes-bundle.tar.gz',
        describe: 'The bundle file; - writes it to stdout',
      })
      .option('all-versions', {
        type: 'boolean',
        default: false,
        describe: 'Pack every version, not only the current one of each function',
      })
      .option('since', { type: 'string', describe: 'Only objects written since a duration ago (7d, 12h) or a date' })
      .option('level', {
        type: 'string',
        describe:
          'gzip level for the whole bundle, 0 (none) to 9 (smallest, slowest); ' +
              'by default the cheapest that pays, per MiB',
      })
      .example('$0 pack -o cache.tar.gz', 'the current version of every function')
      .example(
        '$0 pack train --since 7d -o - | ssh gpu funes unpack -',
        "the last week of train's results, straight to another computer",
      ),
  async run(context, args) {
    const level = checkCount(args.level, '--level');
    if (level !== undefined && level > 9) {
      throw new UsageError(`--level ${level} is not a gzip level`, 'give 0 (none) to 9 (smallest), or leave it out');
    }
    context.openCache(); // the same clear error as every command when the cache directory is missing
    const toStdout = isStdoutOutput(args.output);
    // As gzip does: binary bytes on a terminal are garbage, and can set its modes.
    if (toStdout && process.stdout.isTTY) {
      throw new UsageError(
        'stdout is a terminal: pack -o - writes a binary bundle for a pipe or a file',
        'redirect it (-o - > cache.tar.gz), pipe it (-o - | ssh host funes unpack -) or give a file: -o cache.tar.gz',
      );
    }

    const { functionNameOf, objectBytes, pack } = await loadSync();
    let progress: Progress = silentProgress;
    let bundleBytes = 0;
    const bundle = pack({
      cacheDir: context.cacheDir,
      functions: args.fn,
      allVersions: args.allVersions,
      since: args.since === undefined ? undefined : new Date(parseSince(args.since, context.now)),
      level,
      onProgress: () => progress.tick(),
    });
    progress = context.out.progress(
      'Packing',
      bundle.manifest.versions.reduce((n, v) => n + v.objects.length + (v.metadata ? 1 : 0), 0),
    );
    // Imported here: the bundled CLI is one module, whose static imports every command's run loads.
    const { pipeline } = await import('node:stream/promises');
    try {
      if (toStdout) {
        // Binary data: straight to the process's stdout, which then carries nothing else.
        await pipeline(bundle, process.stdout, { end: false });
        return;
      }
      // Never a bundle that looks whole but is not, nor a temp file left behind.
      await writeWholeFile(args.output, 'cache.tar.gz', async (file) => {
        await pipeline(bundle, file);
        // Counted as written: the size of what it went to says nothing for /dev/null or a pipe.
        bundleBytes = file.bytesWritten;
      });
    } finally {
      progress.done();
    }
    context.out.report(
      resultOf(
        bundle.manifest,
        objectBytes(bundle.manifest.versions),
        bundle.manifest.versions.map(functionNameOf),
        args.output,
        bundleBytes,
        bundle.skipped,
      ),
      formatPack,
    );
  },
});

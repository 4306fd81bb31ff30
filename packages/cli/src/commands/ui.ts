/**
 * `funes ui [--port N] [--host ADDR] [--open]`: serves a read-only page to look at the
 * cache; `funes ui [fn..] --export report.html` writes it as one file instead (see
 * docs/ui.md). @funes/ui is loaded only when this command runs.
 */
import { resolve } from 'node:path';
import { selectVersions } from '@funes/core/cache';
import { defineCommand } from '../command.js';
import { CliError, UsageError } from '../errors.js';
import { checkCount, countOf, formatBytes } from '../units.js';
import { checkOutputPath, isStdoutOutput, writeWholeText } from '../whole-file.js';

/** What `funes ui` reports when it listens. */
export interface UiStarted {
  readonly url: string;
  readonly cache: string;
}

/** The line `funes ui` prints. Pure. */
export function formatUiStarted(started: UiStarted): string {
  return `funes ui: ${started.url}\nshowing ${started.cache} (read-only); Ctrl-C stops it`;
}

/** What `funes ui --export` reports. */
export interface ReportWritten {
  readonly file: string;
  readonly versions: number;
  readonly rows: number;
  readonly bytes: number;
}

/** The line `funes ui --export` prints. Pure. */
export function formatReportWritten(report: ReportWritten): string {
  const contents = `${countOf(report.versions, 'version')}, ${countOf(report.rows, 'row')}`;
  return `wrote ${report.file}: ${contents}, ${formatBytes(report.bytes)}`;
}

/** Opens a URL in the desktop's browser; failures are only a warning. */
async function openInBrowser(url: string, warn: (message: string) => void): Promise<void> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  // Imported here: the bundled CLI is one module, whose static imports every command's run loads.
  const { spawn } = await import('node:child_process');
  const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => warn(`cannot open a browser (${command}); open ${url} yourself`));
  child.unref();
}

/** `funes ui`: see docs/ui.md. */
export const uiCommand = defineCommand({
  command: 'ui [fn..]',
  describe: 'Serve a read-only page with tables and plots of the cache, live while a sweep runs',
  builder: (yargs) =>
    yargs
      .positional('fn', { type: 'string', array: true, describe: 'With --export: only these functions or versions' })
      .option('export', {
        alias: 'e',
        type: 'string',
        describe: 'Write one self-contained HTML report to this file (`-`: stdout) instead of serving',
      })
      .option('port', { alias: 'p', type: 'string', describe: 'Port to listen on', defaultDescription: 'a free port' })
      .option('host', {
        type: 'string',
        describe: 'Address to listen on; anything but 127.0.0.1 requires the printed token',
        defaultDescription: '127.0.0.1',
      })
      .option('open', { type: 'boolean', default: false, describe: "Open the page in the desktop's browser" })
      .example('$0 ui', 'serve the cache on 127.0.0.1 and print its URL')
      .example('$0 ui --cache runs/cache --port 8700 --open', 'a given cache and port, opened in the browser')
      .example('$0 ui train --export report.html', "a report of train's versions that opens without a server"),
  async run(context, args) {
    const specs = args.fn ?? [];
    if (args.export !== undefined) {
      const listed = context.openCache().versions;
      const chosen = new Set(selectVersions(listed, specs));
      // `-e -` is stdout, as `export -o -` and `pack -o -` are, never a file named `-`.
      const toStdout = isStdoutOutput(args.export, '--export');
      if (!toStdout) checkOutputPath(args.export, 'report.html');
      const file = resolve(args.export);
      const { renderReport, versionKeys } = await import('@funes/ui');
      const versions = versionKeys(listed).filter((_, i) => chosen.has(listed[i]));
      const { html, ...contents } = await renderReport({ cacheDir: context.cacheDir, versions });
      if (toStdout) return void (await context.out.write(html));
      await writeWholeText(file, 'report.html', (sink) => sink.write(html));
      context.out.report({ file, ...contents, bytes: Buffer.byteLength(html) }, formatReportWritten);
      return;
    }
    if (specs.length > 0) {
      throw new UsageError(
        'functions are chosen only for --export: the page shows every function',
        `run \`funes ui\`, or \`funes ui ${specs.join(' ')} --export report.html\``,
      );
    }
    const port = checkCount(args.port, '--port');
    if (port !== undefined && port > 65535) {
      throw new UsageError(
        `--port must be a whole number from 0 to 65535, not '${args.port}'`,
        'omit --port to use a free port',
      );
    }
    context.openCache();
    const { startUiServer } = await import('@funes/ui');
    let server;
    try {
      server = await startUiServer({ cacheDir: context.cacheDir, host: args.host, port });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(
        'ELISTEN',
        `cannot listen on ${args.host ?? '127.0.0.1'}:${port ?? 0} (${code ?? (error as Error).message})`,
        {
          hint: code === 'EADDRINUSE' ? 'choose another --port, or omit it' : 'check --host',
          cause: error,
        },
      );
    }
    context.out.result({ url: server.url, cache: context.cacheDir }, formatUiStarted);
    if (args.open) await openInBrowser(server.url, (message) => context.out.warn(message));
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop).off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop).on('SIGTERM', stop);
    });
    await server.close();
  },
});

/**
 * `funes ui [--port N] [--host ADDR] [--open]`: serves a read-only page to look at the
 * cache (see docs/ui.md). @funes/ui is loaded only when this command runs.
 */
import { spawn } from 'node:child_process';
import { defineCommand } from '../command.js';
import { CliError, UsageError } from '../errors.js';

/** What `funes ui` reports when it listens. */
export interface UiStarted {
  readonly url: string;
  readonly cache: string;
}

/** The line `funes ui` prints. Pure. */
export function formatUiStarted(started: UiStarted): string {
  return `funes ui: ${started.url}\nshowing ${started.cache} (read-only); Ctrl-C stops it`;
}

/** Opens a URL in the desktop's browser; failures are only a warning. */
function openInBrowser(url: string, warn: (message: string) => void): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => warn(`cannot open a browser (${command}); open ${url} yourself`));
  child.unref();
}

/** `funes ui`: see docs/ui.md. */
export const uiCommand = defineCommand({
  command: 'ui',
  describe: 'Serve a read-only page with tables and plots of the cache, live while a sweep runs',
  builder: (yargs) =>
    yargs
      .option('port', { alias: 'p', type: 'number', describe: 'Port to listen on', defaultDescription: 'a free port' })
      .option('host', { type: 'string', describe: 'Address to listen on; anything but 127.0.0.1 requires the printed token', defaultDescription: '127.0.0.1' })
      .option('open', { type: 'boolean', default: false, describe: "Open the page in the desktop's browser" })
      .example('$0 ui', 'serve the cache on 127.0.0.1 and print its URL')
      .example('$0 ui --cache runs/cache --port 8700 --open', 'a given cache and port, opened in the browser'),
  async run(context, args) {
    if (args.port !== undefined && (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535)) {
      throw new UsageError(`--port must be a whole number from 0 to 65535, not ${args.port}`, 'omit --port to use a free port');
    }
    context.openCache();
    const { startUiServer } = await import('@funes/ui');
    let server;
    try {
      server = await startUiServer({ cacheDir: context.cacheDir, host: args.host, port: args.port });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError('ELISTEN', `cannot listen on ${args.host ?? '127.0.0.1'}:${args.port ?? 0} (${code ?? (error as Error).message})`, {
        hint: code === 'EADDRINUSE' ? 'choose another --port, or omit it' : 'check --host',
        cause: error,
      });
    }
    context.out.result({ url: server.url, cache: context.cacheDir }, formatUiStarted);
    if (args.open) openInBrowser(server.url, (message) => context.out.warn(message));
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

/**
 * What the `funes` executable does, however its CLI is loaded (bin.ts, bundle-bin.ts):
 * runs it on the process's arguments and streams. `funes --version` answers before the
 * CLI loads.
 */
import type { main } from './cli.js';
import { CLI_VERSION } from './version.js';

/** The CLI as the executable runs it. */
export interface LoadedCli {
  readonly main: typeof main;
}

/** Runs the CLI `load` loads, unless `--version` alone is asked; the exit code is the CLI's. */
export async function runExecutable(load: () => LoadedCli | Promise<LoadedCli>): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${CLI_VERSION}\n`);
    return;
  }
  // `funes log | head` closes stdout early; that ends the output, it is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // Output that cannot be written (a full disk, /dev/full) fails the run plainly, as any other failure does.
    const code = error.code ?? 'EIO';
    const message = `cannot write the output to stdout (${code}: ${error.message.replace(/^[A-Z]+: |, \w+$/g, '')})`;
    const full = code === 'ENOSPC' || code === 'EDQUOT';
    const hint = `${full ? 'free disk space where' : 'check where'} stdout goes, then run the command again`;
    process.stderr.write(
      argv.includes('--json')
        ? `${JSON.stringify({ error: { code, message, hint } })}\n`
        : `error: ${message}\nhint: ${hint}\n`,
    );
    process.exit(1);
  });
  // `funes export f 2>&1 | head -1` closes stderr too, before a warning that follows the rows: the
  // warning is lost with the reader, and the run's outcome (its exit code, the rest of stdout) stands.
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  const { main } = await load();
  process.exitCode = await main(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
}

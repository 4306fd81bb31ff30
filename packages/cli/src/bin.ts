#!/usr/bin/env node
/**
 * The `funes` executable: runs the CLI on the process's arguments and streams.
 * `funes --version` answers before the rest of the CLI loads.
 */
import { CLI_VERSION } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${CLI_VERSION}\n`);
} else {
  // `funes log | head` closes stdout early; that ends the output, it is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const { main } = await import('./cli.js');
  process.exitCode = await main(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
}

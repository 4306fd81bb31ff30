#!/usr/bin/env node
/**
 * The `funes` executable: runs the CLI on the process's arguments and streams.
 */
import { main } from './cli.js';

// `funes log | head` closes stdout early; that ends the output, it is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });

/**
 * @funes/cli — the `funes` command (its executable is `bin/funes.js`), also usable in
 * process: `main(argv, io)` runs it on given streams and resolves to its exit code.
 *
 * @packageDocumentation
 */
export { createCli, main, type RunState } from './cli.js';
export type { GlobalArgs } from './command.js';
export { CliError, UsageError, ExitCode } from './errors.js';
export type { Io } from './output.js';

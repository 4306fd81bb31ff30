/**
 * @funes/cli — the `funes` command, also usable in process for tests and tools.
 *
 * @packageDocumentation
 */
export { createCli, main, type RunState } from './cli.js';
export { defineCommand, type FunesCommand, type CommandContext, type GlobalArgs } from './command.js';
export { commands, loadCommands, type CommandEntry } from './commands/index.js';
export { CliError, UsageError, ExitCode } from './errors.js';
export type { Io } from './output.js';

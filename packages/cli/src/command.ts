/**
 * What a `funes` command is: a yargs command line, a builder for its options and a
 * `run` function that gets the parsed arguments and a {@link CommandContext}. The
 * registry in `commands/index.ts` lists them; `createCli` turns each into a yargs
 * command, so the context (streams, cache, clock) is injected, never global.
 */
import { resolve } from 'node:path';
import { projectCacheDir } from '@funes/core/internal';
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { openCache, type Cache } from './cache.js';
import { UsageError, type ExitCode } from './errors.js';
import type { Output } from './output.js';

/** The options every command accepts. */
export interface GlobalArgs {
  readonly cache: string | undefined;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly color: boolean;
}

/** What a command works with. */
export interface CommandContext {
  /**
   * The cache directory, resolved: `--cache`, else `$FUNES_CACHE_DIR`, else
   * `cache` in the project root (the nearest package.json), else `./cache`.
   */
  readonly cacheDir: string;
  readonly out: Output;
  /** The time the command started (ms since the epoch), so one run uses one "now". */
  readonly now: number;
  /** The process's environment (`$SHELL` for `completion`). */
  readonly env: NodeJS.ProcessEnv;
  /** Opens the cache directory (throws a CliError when it is missing or unreadable). */
  openCache(): Cache;
}

/** One `funes` subcommand. */
export interface FunesCommand<A = unknown> {
  /** The yargs command line, e.g. `log [fn..]`. */
  readonly command: string;
  readonly describe: string;
  readonly builder: (yargs: Argv<GlobalArgs>) => Argv<A>;
  /** Does the work; returns the exit code (ok when nothing is returned). */
  readonly run: (context: CommandContext, args: ArgumentsCamelCase<A & GlobalArgs>) => Promise<ExitCode | void>;
}

/** Declares a command with its argument types checked between builder and run. */
export function defineCommand<A>(command: FunesCommand<A>): FunesCommand<A> {
  return command;
}

/** The cache directory the global options and environment name. */
export function cacheDirOf(args: Pick<GlobalArgs, 'cache'>, env: NodeJS.ProcessEnv, cwd: string): string {
  // `--cache $UNSET` would otherwise name the working directory and act on it as a cache.
  if (args.cache === '') {
    throw new UsageError('--cache needs a directory', 'e.g. --cache ./cache; without --cache: $FUNES_CACHE_DIR, ' +
        "else the project's cache");
  }
  const given = args.cache ?? (env.FUNES_CACHE_DIR || undefined);
  return given === undefined ? projectCacheDir(cwd) : resolve(cwd, given);
}

/** A context for one run. */
export function createContext(cacheDir: string, out: Output, now: number, env: NodeJS.ProcessEnv = {}): CommandContext {
  return { cacheDir, out, now, env, openCache: () => openCache(cacheDir) };
}

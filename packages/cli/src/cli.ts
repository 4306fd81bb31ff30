/**
 * The `funes` command line: {@link createCli} builds the yargs parser (testable in
 * process), {@link main} runs it and maps every outcome to an exit code in one place.
 * A run loads yargs and the one command it names; only help and shell completion load
 * every command.
 */
import type { Argv } from 'yargs';
import { editDistance } from '@funes/core/internal';
import { openCache } from './cache.js';
import { cacheDirOf, createContext, type GlobalArgs } from './command.js';
import { commands, loadCommands, type AnyCommand } from './commands/index.js';
import { errorReport, ExitCode, UsageError } from './errors.js';
import { loadHelpLayout } from './help-layout.js';
import { switchValueError, usageErrorOf, type ParseState } from './usage-errors.js';
import { completionsFor } from './completion.js';

/** The option a shell's completion function passes, as yargs names it. */
const COMPLETION_KEY = 'get-yargs-completions';
/** yargs' own completion command, hidden and never reached: `funes completion` is a command of ours. */
const COMPLETION_SCRIPT_COMMAND = '__yargs-completion-script';
import { Output, type Io } from './output.js';
import { referencePath } from './reference.js';
import { CLI_VERSION } from './version.js';

/** Where a run's exit code is left by the command that ran. */
export interface RunState {
  exitCode: ExitCode;
}

/**
 * The value the command line leaves a global switch with, read as the parser reads it: the last of `--name`,
 * `--name=true`, `--name=false` and `--no-name` (and of `-x` alone or in a group of short switches) decides.
 */
function switchGiven(argv: readonly string[], name: string, fallback: boolean, short?: string): boolean {
  let on = fallback;
  for (const arg of argv) {
    if (arg === `--${name}` || arg === `--${name}=true`) on = true;
    else if (arg === `--no-${name}` || arg === `--${name}=false`) on = false;
    else if (short !== undefined && /^-[A-Za-z]+$/.test(arg) && arg.includes(short)) on = true;
  }
  return on;
}

/** The options given to every command, read before the command runs (for error output). */
function globalsOf(argv: readonly string[]): Pick<GlobalArgs, 'json' | 'color' | 'quiet'> {
  return {
    json: switchGiven(argv, 'json', false),
    color: switchGiven(argv, 'color', true),
    quiet: switchGiven(argv, 'quiet', false, 'q'),
  };
}

/**
 * The parsed arguments with each lone `-` typed as a positional argument given back as `-`. The parser hands
 * it to a single positional as '', as it does an empty word, so `unpack -` (stdin) could not be told from
 * `unpack "$UNSET"`: only when no empty word was typed can '' stand for `-`. From a list (`fn..`) it drops it,
 * so `funes rm - --force` would have named no function and removed every one: each `-` that is no short
 * option's value (`-o -`) is put back, to name a function called `-` or none.
 */
function withDashArguments(
  args: Record<string, unknown>,
  command: string,
  argv: readonly string[],
  options: ParserOptions,
): void {
  if (!argv.includes('-')) return;
  const values = valueOptionNames(options);
  const isShortValueOption = (word: string | undefined) => /^-[A-Za-z]+$/.test(word ?? '') && values.has(word!.at(-1)!);
  for (const [, name, list] of command.matchAll(/[<[]([\w-]+)(\.\.)?[>\]]/g)) {
    const value = args[name];
    if (list === undefined && value === '' && !argv.includes('')) args[name] = '-';
    if (list !== undefined && Array.isArray(value) && !value.includes('-')) {
      value.push(...argv.filter((word, i) => word === '-' && !isShortValueOption(argv[i - 1])));
    }
  }
}
function toYargsCommand(
  command: AnyCommand,
  io: Io,
  state: RunState,
  cwd: string,
  argv: readonly string[],
  options: () => ParserOptions,
) {
  return {
    command: command.command,
    describe: command.describe,
    builder: command.builder,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command's own arguments, checked by yargs
    handler: async (args: any) => {
      withDashArguments(args, command.command, argv, options());
      const out = new Output(io, { json: args.json, quiet: args.quiet, color: args.color });
      const context = createContext(cacheDirOf(args, io.env, cwd), out, Date.now(), io.env);
      state.exitCode = (await command.run(context, args)) ?? ExitCode.ok;
    },
  };
}

/** The words a shell asks completions for, after the program name. */
function completionWords(argv: readonly string[]): string[] {
  return argv.slice(argv.indexOf(`--${COMPLETION_KEY}`) + 2).map(String);
}

/** Completes with yargs' proposals narrowed by {@link completionsFor}, and the cache's function names. */
function completer(
  cli: () => Argv<GlobalArgs>,
  loaded: readonly AnyCommand[],
  argv: readonly string[],
  io: Io,
  cwd: string,
) {
  type Proposed = (error: Error | null, completions: string[] | undefined) => void;
  type Args = { readonly cache?: string };
  return (
    _current: string,
    args: Args,
    completeDefault: (done: Proposed) => void,
    done: (completions: string[]) => void,
  ) => {
    completeDefault((_error, proposed) => {
      const options = optionsOf(cli());
      const takesValue = Object.keys(options.key).filter((key) => !options.boolean.includes(key));
      const valueOptions = new Set(takesValue.flatMap((key) => [key, ...(options.alias[key] ?? [])]));
      const functionNames = () => {
        try {
          return openCache(cacheDirOf({ cache: args.cache }, io.env, cwd)).versions.map((v) => v.name);
        } catch {
          // No cache here (yet): completing must never print an error into the user's command line.
          return [];
        }
      };
      const words = completionWords(argv);
      const declared = loaded.map((c) => c.command);
      done(completionsFor({ words, proposed: proposed ?? [], valueOptions, commands: declared, functionNames }));
    });
  };
}

/**
 * The configured parser for the commands given (all of them: {@link loadCommands}):
 * strict about unknown commands and options, suggesting close command names, and
 * turning every parse failure into a {@link UsageError} (exit 2).
 */
export async function createCli(
  io: Io,
  state: RunState,
  loaded: readonly AnyCommand[],
  cwd = process.cwd(),
  argv: readonly string[] = [],
): Promise<Argv<GlobalArgs>> {
  const { default: yargs } = await import('yargs');
  let cli = yargs()
    .scriptName('funes')
    .usage('$0 <command> [options]\n\nSee, check, prune and export a Funes cache.')
    .option('cache', {
      type: 'string',
      global: true,
      describe: 'The cache directory',
      defaultDescription: '$FUNES_CACHE_DIR, else cache in the project root',
    })
    .option('json', {
      type: 'boolean',
      global: true,
      default: false,
      describe: 'Print the result as JSON (schemas in the reference)',
    })
    .option('quiet', {
      alias: 'q',
      type: 'boolean',
      global: true,
      default: false,
      describe: 'No progress, and no report from commands that change the cache',
    })
    .option('color', {
      type: 'boolean',
      global: true,
      default: true,
      describe: 'Color output on a terminal (--no-color: never; NO_COLOR is honoured)',
    })
    // An option given twice takes its last value, as in git (a script's defaults, then the user's own:
    // `--cache a --cache b`), never an array where one value belongs; lists (`fn..`) keep every word.
    .middleware((args) => {
      const { array } = optionsOf(cli);
      for (const [key, value] of Object.entries(args)) {
        if (key !== '_' && Array.isArray(value) && !array.includes(key)) args[key] = value.at(-1);
      }
      const refused = switchValueError(argv, switchNames(optionsOf(cli)));
      if (refused) throw refused;
      const respelled = withDashValuesJoined(argv, optionsOf(cli));
      if (respelled !== argv) throw new Respelled(respelled);
    }, true)
    .strict()
    .demandCommand(1, 'name a command')
    .recommendCommands()
    // yargs answers `--get-yargs-completions` through this; the script comes from the `completion` command.
    .completion(
      COMPLETION_SCRIPT_COMMAND,
      false,
      completer(() => cli, loaded, argv, io, cwd),
    )
    .help()
    .alias('help', 'h')
    .version(CLI_VERSION)
    .alias('version', 'V')
    .group(['cache', 'json', 'quiet', 'color', 'help', 'version'], 'Global options:')
    .wrap(Math.min(110, (io.stdout as { columns?: number }).columns ?? 80))
    .epilogue(
      'Exit status: 0 ok, 1 problems found or the operation failed, 2 usage error.\n' +
        `Reference: ${referencePath(cwd)}`,
    )
    .exitProcess(false)
    // Its messages are translated into ours, which needs them in English.
    .locale('en')
    .fail((message, error) => {
      if (error) throw error;
      throw usageErrorOf(message ?? 'invalid command line', parseState(argv, Object.keys(optionsOf(cli).key), loaded));
    }) as unknown as Argv<GlobalArgs>;
  for (const command of loaded) {
    cli = cli.command(toYargsCommand(command, io, state, cwd, argv, () => optionsOf(cli))) as Argv<GlobalArgs>;
  }
  skipHelpAfterHandler(cli);
  return cli;
}

/** The part of yargs' internals that renders a command's help once its handler has started. */
interface UsageCache {
  getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } };
}

/**
 * yargs renders the running command's help as soon as its handler starts, in case the
 * handler asks to show it; none of ours does, and rendering it costs every run about as
 * much as parsing. Help asked for (`--help`) is rendered in full all the same.
 */
function skipHelpAfterHandler(cli: Argv<GlobalArgs>): void {
  (cli as unknown as UsageCache).getInternalMethods().getUsageInstance().cacheHelpMessage = () => {};
}

/** A shell asking for completions passes its whole command line, program name first. */
function isCompletion(argv: readonly string[]): boolean {
  return argv.includes(`--${COMPLETION_KEY}`);
}

/** Whether yargs may show help: `--help`, or `-h` alone or among other short options (`-qh`). */
function asksForHelp(argv: readonly string[]): boolean {
  return argv.some((arg) => /^-(-help(=|$)|[A-Za-z]*h)/.test(arg));
}

/** The first word of the command line that is not an option: the command's name. */
function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--cache') i++;
    else if (!argv[i].startsWith('-')) return argv[i];
  }
  return undefined;
}

/** What yargs' `getOptions` returns (missing from its type declarations). */
interface ParserOptions {
  readonly key: Record<string, unknown>;
  readonly boolean: readonly string[];
  readonly array: readonly string[];
  readonly alias: Record<string, readonly string[] | undefined>;
}

/** The options the parser accepts at this point: the global ones and those of the command being parsed. */
function optionsOf(cli: Argv<GlobalArgs>): ParserOptions {
  return (cli as unknown as { getOptions(): ParserOptions }).getOptions();
}

/** The names and aliases of the switches (boolean options) the parser accepts at this point. */
function switchNames(options: ParserOptions): Set<string> {
  return new Set(options.boolean.flatMap((name) => [name, ...(options.alias[name] ?? [])]));
}

/** The names and aliases of the options that take a value (all but switches) the parser accepts at this point. */
function valueOptionNames(options: ParserOptions): Set<string> {
  const switches = switchNames(options);
  return new Set(
    Object.keys(options.key)
      .flatMap((key) => [key, ...(options.alias[key] ?? [])])
      .filter((name) => !switches.has(name)),
  );
}

/**
 * The command line with each `--name -` whose option takes a value written `--name=-`. The parser reads a
 * lone `-` after a short option as its value (`-o -`) but after a long one as an argument of its own, leaving
 * the option empty: `pack --output -` would write the bundle to the default file and `-` would name a function.
 * Returns `argv` itself when there is none. Pure.
 */
function withDashValuesJoined(argv: readonly string[], options: ParserOptions): readonly string[] {
  const valueOptions = valueOptionNames(options);
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = /^--([^=]+)$/.exec(argv[i])?.[1];
    if (name !== undefined && argv[i + 1] === '-' && valueOptions.has(name)) joined.push(`--${name}=${argv[++i]}`);
    else joined.push(argv[i]);
  }
  return joined.length === argv.length ? argv : joined;
}

/** Thrown while parsing a command line that must be parsed again as {@link withDashValuesJoined} spells it. */
class Respelled extends Error {
  constructor(readonly argv: readonly string[]) {
    super('command line to parse again');
  }
}

/** What the parser was reading when it failed, for {@link usageErrorOf}. */
function parseState(argv: readonly string[], options: readonly string[], loaded: readonly AnyCommand[]): ParseState {
  const name = commandWord(argv);
  return { argv, options, command: loaded.find((c) => c.command.split(' ')[0] === name)?.command };
}

/**
 * Rejects an unknown command name with a suggestion before yargs parses: its own
 * message for that case lists every word of the command line as an unknown argument.
 */
function checkCommandName(name: string): void {
  const known = commands.map((c) => c.name);
  if (known.includes(name)) return;
  const close = known.filter((k) => editDistance(k, name) <= 2);
  throw new UsageError(
    `'${name}' is not a funes command`,
    close.length > 0
      ? `did you mean ${close.map((c) => `'funes ${c}'`).join(' or ')}?`
      : `the commands are ${known.join(', ')}; see \`funes --help\``,
  );
}

/** The commands a run needs: the one it names, or every one when help lists them or the shell completes. */
function commandsFor(argv: readonly string[], name: string | undefined): Promise<AnyCommand[]> {
  if (isCompletion(argv) || (name === undefined && asksForHelp(argv))) return loadCommands();
  const entry = commands.find((c) => c.name === name);
  return Promise.all(entry ? [entry.load()] : []);
}

/** `funes help [command]`, as git has it: the same as `funes [command] --help`. */
function helpAsCommand(argv: readonly string[]): readonly string[] {
  if (isCompletion(argv) || commandWord(argv) !== 'help') return argv;
  const at = argv.indexOf('help');
  return [...argv.slice(0, at), ...argv.slice(at + 1), '--help'];
}

/**
 * The command line with `--` taken out: the words after it are arguments, as in git. yargs
 * keeps them apart and fills no positional from them (`funes log -- train` would list every
 * function); one that begins with `-` it would read as an option, so it is refused.
 */
function argumentsAfterDoubleDash(argv: readonly string[]): readonly string[] {
  const at = argv.indexOf('--');
  if (at < 0 || isCompletion(argv)) return argv;
  const after = argv.slice(at + 1);
  const dashed = after.find((word) => word.startsWith('-'));
  if (dashed !== undefined) {
    throw new UsageError(
      `funes cannot take '${dashed}' as an argument: it begins with -`,
      'name a version of such a function by a prefix of its hash (`funes log` lists them)',
    );
  }
  return [...argv.slice(0, at), ...after];
}

/** Runs `funes` with arguments (without `node` and the script); resolves to the exit code. */
export async function main(typed: readonly string[], io: Io, cwd = process.cwd()): Promise<ExitCode> {
  const state: RunState = { exitCode: ExitCode.ok };
  let argv = helpAsCommand(typed);
  try {
    argv = argumentsAfterDoubleDash(argv);
    const name = isCompletion(argv) ? undefined : commandWord(argv);
    if (name !== undefined) checkCommandName(name);
    if (asksForHelp(argv)) await loadHelpLayout();
    const loaded = await commandsFor(argv, name);
    try {
      await (await createCli(io, state, loaded, cwd, argv)).parseAsync([...argv]);
    } catch (error) {
      if (!(error instanceof Respelled)) throw error;
      argv = error.argv;
      await (await createCli(io, state, loaded, cwd, argv)).parseAsync([...argv]);
    }
    return state.exitCode;
  } catch (error) {
    const report = errorReport(error);
    new Output(io, { ...globalsOf(argv), quiet: false }).error(report);
    return report.exitCode;
  }
}

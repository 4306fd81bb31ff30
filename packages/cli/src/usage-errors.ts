/**
 * The parser's failures in the CLI's own words: yargs' messages (`Unknown argument:
 * onelin`, `Not enough non-option arguments: got 0, need at least 1`) become a
 * {@link UsageError} naming the option or argument, with a did-you-mean or the usage
 * line as its hint. Pure.
 */
import { editDistance } from '@funes/core/internal';
import { UsageError } from './errors.js';

/** What the parser knew when it failed. */
export interface ParseState {
  /** The command line typed, without the program name. */
  readonly argv: readonly string[];
  /** The command being parsed, as declared (`show <fn> [argument]`); undefined before a command was recognised. */
  readonly command: string | undefined;
  /** The long and short names of the options that command accepts (global ones included). */
  readonly options: readonly string[];
}

const flag = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);

/** `funes show <fn> [argument]`, or `funes <command>`. */
function usageLine(state: ParseState): string {
  const help = state.command ? `funes ${state.command.split(' ')[0]} --help` : 'funes --help';
  return `usage: funes ${state.command ?? '<command>'} [options]; see \`${help}\``;
}

/** The long options closest to a mistyped one: within two edits, or the typed text extended. */
export function closeOptions(typed: string, options: readonly string[]): string[] {
  const long = options.filter((o) => o.length > 1);
  const maxEdits = Math.min(2, Math.floor(typed.length / 2));
  const close = long.filter((o) => editDistance(o, typed) <= maxEdits || (typed.length >= 2 && o.startsWith(typed)));
  return close.sort((a, b) => editDistance(a, typed) - editDistance(b, typed)).slice(0, 3);
}

/**
 * How `name` was typed as an option (`--name`, `--name=…`, `-n`, or negated, `--no-name`, which the parser
 * reports by `name` alone); undefined when it was typed as a positional.
 */
function typedFlag(name: string, argv: readonly string[]): string | undefined {
  // A lone `-` is an argument: `-n -` is no `--` typed within `-n`.
  if (name === '-') return undefined;
  const inShortFlags = (a: string) => name.length === 1 && /^-[^-]/.test(a) && a.includes(name);
  const typed = (option: string) => argv.some((a) => a === option || a.startsWith(`${option}=`));
  if (typed(flag(name)) || argv.some(inShortFlags)) return flag(name);
  return name.length > 1 && typed(`--no-${name}`) ? `--no-${name}` : undefined;
}

function unknownArguments(names: readonly string[], state: ParseState): UsageError {
  const options = names.flatMap((name) => {
    const typed = typedFlag(name, state.argv);
    return typed === undefined ? [] : [{ name, typed }];
  });
  if (options.length > 0) {
    const [first] = options;
    const negated = first.typed.startsWith('--no-');
    const close = closeOptions(first.name, state.options).map((o) => (negated ? `--no-${o}` : flag(o)));
    const what = `unknown option${options.length > 1 ? 's' : ''} ${options.map((o) => o.typed).join(', ')}`;
    const where = state.command ? ` for funes ${state.command.split(' ')[0]}` : '';
    const hint = close.length > 0 ? `did you mean ${close.join(' or ')}?` : usageLine(state);
    return new UsageError(`${what}${where}`, hint);
  }
  const many = names.length > 1;
  const quoted = names.map((n) => `'${n}'`).join(', ');
  return new UsageError(`unexpected argument${many ? 's' : ''} ${quoted}`, usageLine(state));
}

/** The `<required>` and `[optional]` positionals of a declared command line. */
function positionals(command: string | undefined): { required: string[]; all: string[] } {
  const words = (command ?? '').split(' ').slice(1);
  return { required: words.filter((w) => w.startsWith('<')), all: words };
}

/** The yargs failure `message` as a {@link UsageError}; messages it does not know keep their text. */
export function usageErrorOf(message: string, state: ParseState): UsageError {
  const name = state.command?.split(' ')[0];
  let found: RegExpExecArray | null;
  if ((found = /^Unknown arguments?: (.*)$/s.exec(message))) {
    return unknownArguments(found[1].split(', '), state);
  }
  if ((found = /^Not enough non-option arguments: got (\d+), need at least (\d+)$/.exec(message))) {
    const missing = positionals(state.command).required.slice(Number(found[1]));
    return new UsageError(`funes ${name} needs ${missing.join(' ') || 'more arguments'}`, usageLine(state));
  }
  if ((found = /^Too many non-option arguments: got (\d+), maximum of (\d+)$/.exec(message))) {
    const max = Number(found[2]);
    const takes = max === 0 ? 'takes no arguments' : `takes at most ${positionals(state.command).all.join(' ')}`;
    return new UsageError(`funes ${name} ${takes}, got ${found[1]}`, usageLine(state));
  }
  if ((found = /^Invalid values:\s+Argument: (\S+), Given: (.*), Choices: (.*)$/s.exec(message))) {
    const choices = found[3].split(', ').map((c) => c.replace(/^"|"$/g, ''));
    const given = found[2] === 'true' ? undefined : found[2].replace(/^"|"$/g, '');
    // A positional argument (`funes remote rm`) is no option: named as its command's usage names it.
    const positional = positionals(state.command).all.some((word) => word.slice(1, -1) === found![1]);
    const option = positional ? `funes ${name} ${found[1]}` : flag(found[1]);
    const what = given === undefined ? `${option} needs a value` : `${option} '${given}' is not a choice`;
    return new UsageError(what, `choose one of ${choices.join(', ')}`);
  }
  if ((found = /^Not enough arguments following: (\S+)$/.exec(message))) {
    return new UsageError(`${flag(found[1])} needs a value`, usageLine(state));
  }
  if ((found = /^Missing required argument: (\S+)$/.exec(message))) {
    return new UsageError(`${flag(found[1])} is required`, usageLine(state));
  }
  if ((found = /^Arguments (\S+) and (\S+) are mutually exclusive$/.exec(message))) {
    return new UsageError(`${flag(found[1])} and ${flag(found[2])} cannot be used together`, 'pass one of them');
  }
  // yargs writes some messages over several lines; errors are one line.
  const oneLine = message.replace(/\s*\n\s*/g, ' ');
  return new UsageError(oneLine, 'run `funes --help` (or `funes <command> --help`) for usage');
}

/**
 * The switch typed with a value (`--dry-run=yes`, `-n=1`, `-fn=on`), and the value, for an argument that gives one:
 * a long option's name as typed, or the letter of a short group the value follows.
 */
function switchWithValue(arg: string): { typed: string; name: string; value: string } | undefined {
  const long = /^--([^=]+)=(.*)$/s.exec(arg);
  if (long) return { typed: `--${long[1]}`, name: long[1], value: long[2] };
  const short = /^-([^-=]*)([^-=])=(.*)$/s.exec(arg);
  return short ? { typed: `-${short[2]}`, name: short[2], value: short[3] } : undefined;
}

/** `dryRun` as the option is declared, `dry-run` (the parser takes either). */
const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/**
 * A switch (a boolean option) given a value other than `true` or `false`: the parser reads any other value as
 * false, so `funes rm train --force --dry-run=yes` would remove what it was asked only to show. Undefined when
 * every switch typed with a value gives one of those two. Pure.
 *
 * @param argv The command line typed, without the program name.
 * @param switches The names and aliases of the switches the command accepts, as declared (`dry-run`, `n`).
 */
export function switchValueError(argv: readonly string[], switches: ReadonlySet<string>): UsageError | undefined {
  for (const arg of argv) {
    const given = switchWithValue(arg);
    if (given === undefined || !(switches.has(given.name) || switches.has(kebab(given.name)))) continue;
    if (given.value === 'true' || given.value === 'false') continue;
    return new UsageError(
      `${given.typed} is on or off: '${given.value}' is neither true nor false`,
      `write ${given.typed} alone to turn it on, or ${given.typed}=false to leave it off`,
    );
  }
  return undefined;
}

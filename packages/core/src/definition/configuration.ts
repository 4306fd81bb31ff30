/**
 * The configuration a function reads, as it is when a call is made: environment
 * variables by value, files by content. Its digest joins the call's key, so a
 * changed `SCALE` or `data.csv` computes again, and changing it back finds the
 * earlier results. A file's content hash is kept while its size, times, inode and
 * device stay the same.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, types, type ParseArgsConfig } from 'node:util';
import { settledAt } from '../cache/settled-write.js';
import { sha256Hasher, sha256Hex } from '../sha256.js';

/** One thing read from outside the code, as `describeDefinition` lists it. */
export interface ConfigurationRead {
  /**
   * `arguments`: the command line after the script (`process.argv.slice(2)`), or a word or an option of it;
   * `environment`: a variable; `file`: a file read by the code; `files`: a pattern from the `files` option, or
   * the files a path the code builds at run time can name (`data/*` for `readFileSync(join('data', name))`).
   */
  readonly kind: 'arguments' | 'environment' | 'file' | 'files';
  /**
   * The variable's name, or the path or pattern as written (a path relative to the reading module: from the
   * project root); for the command line `process.argv`, one word `process.argv[4]`, or one option `--epochs`.
   */
  readonly name: string;
  /**
   * Absolute path of a file named relative to its module; a path
   * without it is relative to the working directory at the call. For `files` made from a path the code builds
   * at run time (`join(import.meta.dirname, 'data', name)`), the directory the pattern's wildcards are under.
   */
  readonly path?: string;
  /**
   * For `arguments`, the one value read: the word `process.argv[index]`, or the option that node:util's
   * `parseArgs(config)` (`config` as JSON, its `args` the index `process.argv` is sliced at) returns;
   * without it, the whole command line.
   */
  readonly argument?: { readonly index: number } | { readonly option: string; readonly config: string };
  /**
   * For a variable or a file whose name or path holds a parameter of the function (`readFileSync(join('data', name))`
   * in `preprocess(name)`): each call reads by its own argument, and only that variable or file joins its key.
   */
  readonly parameter?: ParameterSlot;
  /**
   * For a file whose path holds an environment variable's value or a word of the command line
   * (`readFileSync(process.env.DATA)`, `readFileSync(join('data', process.argv[2]))`): each call reads the file
   * they name then.
   */
  readonly configured?: ConfiguredPath;
}

/** One value of the process's configuration a path may hold: an environment variable, or a part of the command line. */
export type ConfiguredValue =
  | { readonly kind: 'environment'; readonly name: string }
  | { readonly kind: 'arguments'; readonly argument: NonNullable<ConfigurationRead['argument']> };

/** Where a file's path takes the text of variables or words of the command line ({@link ConfigurationRead}). */
export interface ConfiguredPath {
  /** The values, in the order the path holds them. */
  readonly values: readonly ConfiguredValue[];
  /** The path split where each value's text goes: one piece more than values (`['data/', '']`). */
  readonly pieces: readonly string[];
  /** The directory a path relative to its module is relative to; without it, the working directory at the call. */
  readonly dir?: string;
  /** Whether the path is a URL relative to the module (`new URL(process.env.DATA, import.meta.url)`). */
  readonly url?: true;
}

/** Where a read's name or path takes the text of a parameter of the function (see {@link ConfigurationRead}). */
export interface ParameterSlot {
  /** The parameter, as the call's input names it. */
  readonly name: string;
  /** Where in its argument the text is: `['data']` for `cfg.data`, or for `data` of `{ data }`. */
  readonly property?: readonly string[];
  /** Set when the text is each item of a list found there (`for (const file of files)`): every item's read counts. */
  readonly each?: true;
  /** String methods the text is put through before it takes its place (`readFileSync(name.trim())`). */
  readonly transform?: readonly StringCall[];
  /** The variable's name or the path, split where the parameter's text goes (`['data/', '']`). */
  readonly pieces: readonly string[];
  /** The directory a path relative to its module is relative to; without it, the working directory at the call. */
  readonly dir?: string;
  /** Whether the path is a URL relative to the module (`new URL(name, import.meta.url)`). */
  readonly url?: true;
  /** What counts when the argument is no text the name or path can hold (`undefined`, an object): a `files` read. */
  readonly otherwise?: ConfigurationRead;
}

/** A call of a string method whose value depends on the text and the arguments alone (`.replace('-', '_')`). */
export interface StringCall {
  readonly method: string;
  readonly args: readonly (string | number)[];
}

/** The text put through string methods, in order; undefined when one does not give a string. */
export function applyStringCalls(text: string, calls: readonly StringCall[]): string | undefined {
  let made: unknown = text;
  for (const { method, args } of calls) {
    const fn = (String.prototype as unknown as Record<string, unknown>)[method];
    if (typeof made !== 'string' || typeof fn !== 'function') return undefined;
    made = (fn as (...a: unknown[]) => unknown).apply(made, args as unknown[]);
  }
  return typeof made === 'string' ? made : undefined;
}

/** A call's arguments by parameter name, defaults filled in: what a read by a parameter takes its text from. */
export type CallInput = Readonly<Record<string, unknown>>;

/** Content hashes of files already read, by path, with the stamp they were read at (see {@link fileHash}). */
const contentHashes = new Map<string, { stamp: string; hash: string }>();

/** Files at least this large are worth remembering between processes: reading the entry costs less than hashing. */
const REMEMBERED_SIZE = 1024 * 1024;

/** What a file's content hash is remembered by: it changes whenever the content may have. */
export interface FileStamp {
  /** Size, times, inode and device, as one text. */
  readonly text: string;
  /** The later of the modification and change times (ns, on the file system's clock). */
  readonly changedNs: bigint;
}

/** Content hashes kept between processes (see `cache/file-hashes.ts`). */
export interface StoredFileHashes {
  get(path: string, stamp: FileStamp): string | undefined;
  set(path: string, stamp: FileStamp, hash: string, elapsedMs: number): void;
}

/** Files larger than this are hashed in chunks of this size: a dataset need not fit in memory, nor in one Buffer. */
const CHUNK = 16 * 1024 * 1024;

/** The SHA-256 of a file's content. */
function contentHash(path: string, size: number): string {
  if (size <= CHUNK) return sha256Hex(readFileSync(path));
  const hasher = sha256Hasher();
  const chunk = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) hasher.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hasher.digest('hex');
}

/**
 * A file's content hash (a directory's: its entry names), `missing`, or for what cannot be read as a file (a FIFO, a
 * device, a path the system refuses) what it is.
 */
function fileHash(path: string, stored: StoredFileHashes | undefined): string {
  try {
    const stats = statSync(path, { throwIfNoEntry: false, bigint: true });
    if (!stats) return 'missing';
    if (stats.isDirectory()) return sha256Hex(`directory\n${readdirSync(path).sort().join('\n')}`);
    // Reading a FIFO or a device would wait or never end.
    if (!stats.isFile()) return `special ${stats.mode} ${stats.rdev}`;
    // The change time too: `cp -p`, `tar x` and `touch -r` set the modification time back, never the change time.
    const stamp = {
      text: `${stats.size} ${stats.mtimeNs} ${stats.ctimeNs} ${stats.ino} ${stats.dev}`,
      changedNs: stats.mtimeNs > stats.ctimeNs ? stats.mtimeNs : stats.ctimeNs,
    };
    const known = contentHashes.get(path);
    if (known?.stamp === stamp.text) return known.hash;
    const remembered = stats.size >= REMEMBERED_SIZE ? stored : undefined;
    const readAt = Date.now();
    let hash = remembered?.get(path, stamp);
    if (hash === undefined) {
      const started = performance.now();
      hash = contentHash(path, Number(stats.size));
      remembered?.set(path, stamp, hash, performance.now() - started);
    }
    // A file changed just before it was read may change again with the same times: such a hash is not kept.
    if (settledAt(stamp.changedNs, BigInt(readAt) * 1_000_000n)) contentHashes.set(path, { stamp: stamp.text, hash });
    return hash;
  } catch (error) {
    return `unreadable ${(error as NodeJS.ErrnoException).code ?? ''}`;
  }
}

function segmentPattern(segment: string): RegExp {
  const body = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/**
 * Files matching a pattern (`*`, `?`, `**` for any depth) under
 * `dir`, relative to it, sorted; dot files only when named.
 */
export function expandPattern(dir: string, pattern: string): string[] {
  const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
  const out: string[] = [];
  const visit = (relative: string, at: number): void => {
    const here = join(dir, relative);
    if (at === segments.length) {
      if (statSync(here, { throwIfNoEntry: false })?.isFile()) out.push(relative);
      return;
    }
    const segment = segments[at]!;
    if (!/[*?]/.test(segment)) return visit(relative ? `${relative}/${segment}` : segment, at + 1);
    let entries: { name: string; isDirectory(): boolean }[];
    try {
      entries = readdirSync(here, { withFileTypes: true });
    } catch {
      return;
    }
    if (segment === '**') {
      visit(relative, at + 1);
      for (const entry of entries) {
        if (entry.isDirectory() && !entry.name.startsWith('.')) {
          visit(relative ? `${relative}/${entry.name}` : entry.name, at);
        }
      }
      return;
    }
    const matcher = segmentPattern(segment);
    for (const entry of entries) {
      if (entry.name.startsWith('.') && !segment.startsWith('.')) continue;
      if (matcher.test(entry.name)) visit(relative ? `${relative}/${entry.name}` : entry.name, at + 1);
    }
  };
  visit('', 0);
  return [...new Set(out)].sort();
}

/**
 * A pattern's directory — its part before the first segment holding `*` or `?` — and the rest (`data` and `*.csv`
 * of `data/*.csv`).
 */
export function patternParts(pattern: string): { readonly dir: string; readonly rest: string } {
  const wild = pattern.search(/[*?]/);
  const cut = wild < 0 ? -1 : pattern.lastIndexOf('/', wild);
  return cut < 0 ? { dir: '.', rest: pattern } : { dir: pattern.slice(0, cut) || '/', rest: pattern.slice(cut + 1) };
}

/**
 * The command line as the process started (Funes loads before the program's own code runs): code that reads its
 * words at its top level and then takes them off (`process.argv.splice(2)`) computed from these.
 */
const STARTED_WITH: readonly string[] = [...process.argv];

/**
 * The value a read of the command line takes from `argv`: one word, or the option `parseArgs` gives; undefined when
 * the code's own `parseArgs` would throw.
 */
function commandLineValue(
  argv: readonly string[],
  argument: NonNullable<ConfigurationRead['argument']>,
): { value: unknown } | undefined {
  if ('index' in argument) return { value: argv[argument.index] };
  try {
    const { args, ...config } = JSON.parse(argument.config) as ParseArgsConfig & { args?: number };
    // Without `args`, parseArgs reads the words after the script, wherever Node puts them.
    const live = argv === process.argv && args === undefined;
    const { values } = parseArgs(live ? config : { ...config, args: argv.slice(args ?? 2) });
    return { value: values[argument.option] };
  } catch {
    return undefined;
  }
}

/** What a read of the command line sees in `argv`: one word, one parsed option, or all the words after the script. */
function wordsState(argv: readonly string[], argument: ConfigurationRead['argument']): string {
  // Node's and the script's paths say where it runs, not what it computes.
  const words = JSON.stringify(argv.slice(2));
  if (argument === undefined) return words;
  const read = commandLineValue(argv, argument);
  // The code's own parse fails the same way, or not at all: the whole command line tells the calls apart.
  if (!read) return `unparsed ${words}`;
  if (read.value === undefined) return 'unset';
  return 'index' in argument ? `=${read.value as string}` : `=${JSON.stringify(read.value)}`;
}

/** Whether the program has changed `process.argv` since it started. */
function commandLineChanged(): boolean {
  const { argv } = process;
  return argv.length !== STARTED_WITH.length || argv.some((word, i) => word !== STARTED_WITH[i]);
}

/**
 * What a read of the command line sees now, and what it saw as the process started when the program has
 * changed `process.argv` since: a word read at the top level may have been taken off after it was read.
 */
function commandLineState(argument: ConfigurationRead['argument']): string {
  const now = wordsState(process.argv, argument);
  if (!commandLineChanged()) return now;
  const started = wordsState(STARTED_WITH, argument);
  return started === now ? now : `${now}\0started ${started}`;
}

/**
 * The text a parameter's argument gives a name or a path: what the code's own `${value}` or property access makes of
 * it; undefined when that is not known here (`undefined`, which a default may replace; an object's own `toString`).
 * A whole path is read from a string or a `file:` URL, never a number (a file descriptor).
 */
function argumentText(value: unknown, wholePath: boolean): string | undefined {
  if (typeof value === 'string') return value;
  if (wholePath) return value instanceof URL && value.protocol === 'file:' ? fileURLToPath(value) : undefined;
  const type = typeof value;
  return value === null || type === 'number' || type === 'bigint' || type === 'boolean' ? String(value) : undefined;
}

/**
 * The value at `property` of an argument, read from own data properties only: a getter or a Proxy could give the key
 * another value than the call then reads. Undefined when there is none.
 */
function propertyValue(argument: unknown, property: readonly string[]): unknown {
  let value = argument;
  for (const key of property) {
    if (value === null || typeof value !== 'object' || types.isProxy(value)) return undefined;
    const own = Object.getOwnPropertyDescriptor(value, key);
    if (!own || !('value' in own)) return undefined;
    value = own.value;
  }
  return value;
}

/** Where reads are made: the working directory, the call's arguments, and the file hashes kept between processes. */
interface ReadContext {
  readonly cwd: string;
  readonly input: CallInput;
  readonly stored: StoredFileHashes | undefined;
}

/**
 * The items of a list an argument holds, as a loop over it sees them: an array's or a Set's, read from own data
 * properties only (see {@link propertyValue}); undefined for anything else.
 */
function listItems(value: unknown): unknown[] | undefined {
  if (value === null || typeof value !== 'object' || types.isProxy(value)) return undefined;
  if (types.isSet(value)) return [...(value as Set<unknown>)];
  if (!Array.isArray(value)) return undefined;
  const items: unknown[] = [];
  for (let i = 0; i < value.length; i++) items.push(propertyValue(value, [String(i)]));
  return items;
}

/** What a read by a parameter sees in this call: its variable or file, as the call's argument names it. */
function argumentReadState(read: ConfigurationRead, slot: ParameterSlot, at: ReadContext): string {
  const value = propertyValue(at.input[slot.name], slot.property ?? []);
  if (!slot.each) return valueReadState(read, slot, value, at);
  // Each item names a variable or a file of its own: every one counts.
  const items = listItems(value);
  if (!items) return slot.otherwise ? `otherwise ${readState(slot.otherwise, { ...at, input: {} })}` : 'unknown';
  return `[${items.map((item) => valueReadState(read, slot, item, at)).join('\n')}]`;
}

/** What a read by a parameter sees when the text comes from `value`. */
function valueReadState(read: ConfigurationRead, slot: ParameterSlot, value: unknown, at: ReadContext): string {
  const { cwd, stored } = at;
  const file = read.kind === 'file';
  const wholePath = file && slot.pieces.length === 2 && slot.pieces[0] === '' && slot.pieces[1] === '';
  // String methods are called on a string alone: anything else fails the call.
  const given = slot.transform && typeof value !== 'string' ? undefined : argumentText(value, wholePath || !!slot.url);
  const text = given !== undefined && slot.transform ? applyStringCalls(given, slot.transform) : given;
  if (text !== undefined && !file) {
    const name = slot.pieces.join(text);
    const set = process.env[name];
    return `${JSON.stringify(name)}${set === undefined ? ' unset' : `=${set}`}`;
  }
  const paths = text === undefined ? undefined : filesNamed(slot, text, cwd);
  if (!paths) return slot.otherwise ? `otherwise ${readState(slot.otherwise, { cwd, input: {}, stored })}` : 'unknown';
  return paths.map((path) => `${JSON.stringify(path)} ${fileHash(path, stored)}`).join('\0');
}

/**
 * The file, or files, a path read by a parameter may name when it holds `text`; undefined when that is not known
 * (a URL that names no file).
 */
function filesNamed(slot: ParameterSlot, text: string, cwd: string): string[] | undefined {
  const dir = slot.dir ?? cwd;
  const named = slot.pieces.join(text);
  if (slot.url) return urlFile(named, dir);
  const path = resolve(dir, named);
  // After a directory, an absolute part is joined by `join` and taken whole by `resolve`: either may be read.
  if (slot.pieces[0] === '' || !isAbsolute(text)) return [path];
  return [path, resolve(dir, text + slot.pieces.slice(1).join(text))];
}

/** The file a URL relative to a module's directory names (`new URL(name, import.meta.url)`), decoded, if any. */
function urlFile(named: string, dir: string): string[] | undefined {
  let url: URL;
  try {
    url = new URL(named, pathToFileURL(`${dir}${sep}`));
  } catch {
    return undefined;
  }
  return url.protocol === 'file:' ? [fileURLToPath(url)] : undefined;
}

/** The text a configured value has in `argv` and the environment now; undefined when it holds no path. */
function configuredText(value: ConfiguredValue, argv: readonly string[]): string | undefined {
  const text = value.kind === 'environment' ? process.env[value.name] : commandLineValue(argv, value.argument)?.value;
  return typeof text === 'string' ? text : undefined;
}

/** The files a configured path names with the command line `argv`; undefined when a value holds no path. */
function configuredFiles(path: ConfiguredPath, argv: readonly string[], cwd: string): string[] | undefined {
  const texts: string[] = [];
  for (const value of path.values) {
    const text = configuredText(value, argv);
    if (text === undefined) return undefined;
    texts.push(text);
  }
  // The path from piece `at` on, each value's text in its place.
  const from = (at: number) =>
    path.pieces.slice(at).flatMap((piece, i) => (at + i < texts.length ? [piece, texts[at + i]!] : [piece])).join('');
  const dir = path.dir ?? cwd;
  if (path.url) return urlFile(from(0), dir);
  // After a directory, an absolute part is joined by `join` and taken whole by `resolve`: either may be read.
  const taken = texts.flatMap((text, i) => (isAbsolute(text) ? [resolve(dir, text + from(i + 1))] : []));
  const paths = [resolve(dir, from(0)), ...taken];
  return [...new Set(paths)];
}

/**
 * What a read by a configured path sees in this call: the file the variables and words name now, and the one the
 * command line named as the process started when the program has changed `process.argv` since.
 */
function configuredReadState(path: ConfiguredPath, at: ReadContext): string {
  const lines = (argv: readonly string[]) =>
    configuredFiles(path, argv, at.cwd)?.map((file) => `${JSON.stringify(file)} ${fileHash(file, at.stored)}`) ??
      ['none'];
  const now = lines(process.argv);
  const words = path.values.some((value) => value.kind === 'arguments');
  const started = words && commandLineChanged() ? lines(STARTED_WITH) : [];
  return [...new Set([...now, ...started])].join('\0');
}

/** What one read sees now, as it enters the digest: a variable's value, a file's content hash. */
function readState(read: ConfigurationRead, at: ReadContext): string {
  if (read.parameter) return argumentReadState(read, read.parameter, at);
  if (read.configured) return configuredReadState(read.configured, at);
  const { cwd, stored } = at;
  switch (read.kind) {
    case 'arguments':
      return commandLineState(read.argument);
    case 'environment': {
      const value = process.env[read.name];
      return value === undefined ? 'unset' : `=${value}`;
    }
    case 'file':
      return fileHash(read.path ?? resolve(cwd, read.name), stored);
    case 'files': {
      // A pattern the code's path makes is relative to its directory; one from the `files` option, to the working one.
      const [dir, pattern] = read.path === undefined ? [cwd, read.name] : [read.path, patternParts(read.name).rest];
      return expandPattern(dir, pattern).map((file) => `${file}:${fileHash(join(dir, file), stored)}`).join('\0');
    }
  }
}

/**
 * The digest of what the reads see now; undefined when there are none. `input`: the call's arguments, which reads
 * by a parameter take their name or path from; `stored`: large files' hashes kept between processes.
 */
export function configurationDigest(
  reads: readonly ConfigurationRead[],
  input: CallInput,
  stored?: StoredFileHashes,
): string | undefined {
  if (reads.length === 0) return undefined;
  const at = { cwd: process.cwd(), input, stored };
  const lines = reads.map((read) => `${read.kind}\0${read.name}\0${readState(read, at)}`);
  return sha256Hex(`funes-configuration/1\n${lines.join('\n')}`);
}

/**
 * What each read sees now, hashed (a variable's value is never stored as such), by
 * `<kind>:<name>`: kept with each record, so that `explainMiss` can say which read changed.
 */
export function configurationState(
  reads: readonly ConfigurationRead[],
  input: CallInput,
  stored?: StoredFileHashes,
): Record<string, string> {
  const at = { cwd: process.cwd(), input, stored };
  return Object.fromEntries(reads.map((read) => [`${read.kind}:${read.name}`, sha256Hex(readState(read, at))]));
}

/** An argument key joined with what the configuration reads see now; the key itself when there are none. */
export function withConfiguration(
  argumentKey: string,
  reads: readonly ConfigurationRead[],
  input: CallInput,
  stored?: StoredFileHashes,
): string {
  const digest = configurationDigest(reads, input, stored);
  return digest === undefined ? argumentKey : sha256Hex(`${argumentKey}\n${digest}`);
}

/**
 * Configuration a piece of code reads from outside the code (pure): environment variables named statically
 * (`process.env.SCALE`, `process.env['SCALE']`, `const { SCALE } = process.env`) and
 * files read with a path known statically (a literal, `new URL('./x', import.meta.url)`,
 * `join(__dirname, 'x')`, or a module constant holding one). Their values are not code: they join each call's
 * key when the call is made. A path with parts computed at run time under a known directory stands for every
 * file it can name (`data/*`); names computed at run time are not followed (the `files` option covers them).
 */
import { walk, type AstNode } from '../function-source.js';
import { eitherOf, localValues, replaceNodes, usedNames, withValue, type LocalValues } from './binding-names.js';
import { unwrapTypes } from './code-normalization.js';
import {
  changesItems,
  parameterUsed,
  parameterValue,
  spelled,
  valueChain,
  valuesIn,
  type ParameterValue,
} from './parameter-values.js';
import { pathToRange } from './scope-resolution.js';
import { applyStringCalls, type ConfiguredValue, type StringCall } from './configuration.js';

/** A file path as the code spells it, and what a relative one is relative to. */
export interface FileRead {
  readonly path: string;
  /**
   * `cwd`: the working directory at the call (Node's rule for a plain path); `module`: the reading module's directory.
   */
  readonly base: 'cwd' | 'module';
  /**
   * Set for a word handed to a worker or a child process (`spawn('python3', ['train.py', '--fast'])`):
   * it counts only if it names a file, as a script does and a flag does not.
   */
  readonly launched?: true;
  /**
   * Set for a path with parts computed at run time (`join('data', name)`): `path` is a pattern whose `*` stands
   * for each such part, one name within a directory (`data/*`), and every file it matches counts.
   */
  readonly pattern?: true;
}

/**
 * A read whose variable name or file path a parameter of the function making it gives (`getEnv(name)` reading
 * `process.env[name]`, `load(file)` reading `readFileSync(file)`): what it reads is known at each call that
 * passes that parameter a text written in the code (`getEnv('SCALE')`, `load('data.csv')`).
 */
export interface ParameterRead {
  /** The function whose parameter it is. */
  readonly fn: AstNode;
  /** The parameter's value as the code spells it (`name`, `cfg.data`), its position, and where in the argument. */
  readonly parameter: string;
  readonly position: number;
  readonly property: readonly string[];
  readonly kind: 'environment' | 'file';
  /** Whether the parameter is the whole path, which a caller may write as one (`join(__dirname, 'x')`). */
  readonly whole: boolean;
  /**
   * Set when what is read is named by each item of a list the parameter holds (`for (const file of files)`), rather
   * than by the parameter itself.
   */
  readonly each?: true;
  /** What is read when the parameter holds `text`: a variable's name, or a file. */
  read(text: string): string | FileRead | undefined;
  /** For a file, the files it may be whatever the parameter holds (`data/*` for `join('data', file)`). */
  readonly pattern?: FileRead;
  /**
   * The name or path split where the parameter's text goes (`['data/', '']` for `join('data', file)`), when the rest
   * of it is known; for a path, what it is relative to.
   */
  readonly template?: {
    readonly pieces: readonly string[];
    readonly base?: FileRead['base'];
    /** Set for a URL relative to the module (`new URL(file, import.meta.url)`). */
    readonly url?: true;
    /** String methods the parameter's text is put through first (`name.trim()`). */
    readonly transform?: readonly StringCall[];
  };
}

/**
 * A file read by a path that holds an environment variable's value or a word of the command line
 * (`readFileSync(process.env.DATA)`, `join('data', values.name)`): which file it is, is known at each call.
 */
export interface ConfiguredFileRead {
  /** The values, in the order the path holds them. */
  readonly values: readonly ConfiguredValue[];
  /** The path split where each value's text goes: one piece more than values. */
  readonly pieces: readonly string[];
  readonly base: FileRead['base'];
  /** Set for a URL relative to the module (`new URL(process.env.DATA, import.meta.url)`). */
  readonly url?: true;
}

/** The part of the command line an expression holds when it is one word or one option (`command-line-reads.ts`). */
export type CommandLineArgument = Extract<ConfiguredValue, { kind: 'arguments' }>['argument'];

/** What a piece of code reads from outside the code. */
export interface ConfigurationReads {
  readonly environment: readonly string[];
  /** Reads named by a parameter of a function of the code (see {@link ParameterRead}). */
  readonly parameterReads: readonly ParameterRead[];
  /**
   * Whether the code reads environment variables it does not name statically: `process.env[key]`,
   * `{ ...process.env }`, `Object.keys(process.env)`, `const { A, ...rest } = process.env`.
   */
  readonly computedEnvironment: boolean;
  readonly files: readonly FileRead[];
  /** Files read by a path the environment or the command line gives (see {@link ConfiguredFileRead}). */
  readonly configuredFiles: readonly ConfiguredFileRead[];
  /**
   * Parameters a file's path is made from that the code assigns again in a way not followed (`name++`, in a loop
   * from its own value): which file is read is not known.
   */
  readonly unfollowedPaths: readonly string[];
  /** Parameters a file's path is made from in another way not followed (`name.trim()`): which file is not known. */
  readonly untracedPaths: readonly string[];
}

/** Functions of `fs` and `fs/promises` whose first argument is a path read. */
const FILE_READERS = new Set([
  'readFileSync',
  'readFile',
  'createReadStream',
  'readdirSync',
  'readdir',
  'openSync',
  'open',
  'statSync',
  'stat',
  'existsSync',
]);
/** Text without which code gives none of those another name (see {@link mayRenameFileReaders}). */
const RENAMED_READER = new RegExp(`\\b(${[...FILE_READERS].join('|')})\\s*(as\\b|:)`);
/** Of those, the ones whose second argument may open the file for writing instead. */
const FILE_OPENERS = new Set(['openSync', 'open']);
/**
 * `open` flags that only read. A file opened to be written (a log the code appends
 * to) is output, not configuration: counting it would change the key with every call.
 */
const READ_ONLY_FLAGS = new Set(['r', 'rs', 'sr']);
/**
 * Funes' own settings (cache directory, locks, logging, shards)
 * decide where and how results are kept, never what they are.
 */
const FUNES_SETTING = /^FUNES_/;

/** Whether an environment variable is one of Funes' own settings (see {@link FUNES_SETTING}). */
export function isFunesSetting(name: string): boolean {
  return FUNES_SETTING.test(name);
}
const PATH_JOINERS = new Set(['join', 'resolve']);
/**
 * Calls that run code from a file in another thread or process: the script, not the calling
 * code, computes the result. `Worker` and `fork` take it first; the others take a command
 * and its arguments.
 */
const SCRIPT_RUNNERS = new Set(['Worker', 'fork']);
const COMMAND_RUNNERS = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync']);
/** Calls that run a shell command line, whose words may name scripts. */
const SHELL_RUNNERS = new Set(['exec', 'execSync']);

/**
 * The names code gives `process`, its `argv` and its `env`: `import process from 'node:process'`,
 * `import { env } from 'node:process'`, `const { argv } = process`, `const proc = require('node:process')`;
 * and the names it gives the file functions that read (`import { readFile as readFileAsync } from 'node:fs/promises'`,
 * `const { readFileSync: read } = fs`), by the function each stands for.
 */
export interface ProcessNames {
  readonly process: ReadonlySet<string>;
  readonly argv: ReadonlySet<string>;
  readonly env: ReadonlySet<string>;
  readonly readers: ReadonlyMap<string, string>;
}

export const NO_PROCESS_NAMES: ProcessNames = {
  process: new Set(),
  argv: new Set(),
  env: new Set(),
  readers: new Map(),
};

/** Modules whose functions {@link FILE_READERS} names. */
const FILE_MODULES = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises']);

/** Whether code may give a file function another name: `readFile as …`, `readFileSync: …`. */
export function mayRenameFileReaders(text: string): boolean {
  return RENAMED_READER.test(text);
}

const PROCESS_MODULES = new Set(['node:process', 'process']);

/** Whether an expression is `process`: as named, a name given it, `globalThis.process`, `require('process')`. */
function isProcess(node: AstNode, names: ProcessNames): boolean {
  const n = unwrapTypes(node);
  if (n.type === 'Identifier') return n.name === 'process' || names.process.has(n.name as string);
  if (n.type === 'MemberExpression') return propertyName(n) === 'process';
  if (n.type !== 'CallExpression') return false;
  const [source] = n.arguments as AstNode[];
  return calleeName(n.callee as AstNode) === 'require' && PROCESS_MODULES.has(source?.value as string);
}

/** Whether a declarator names `process.env` itself (`const env = process.env`). */
function isProcessEnvAlias(declarator: AstNode, names: ProcessNames): boolean {
  const id = declarator.id as AstNode;
  return id.type === 'Identifier' && isProcessProperty(declarator.init as AstNode, 'env', names);
}

/**
 * The names `node` gives `process`, `argv`, `env` and the file functions (see {@link ProcessNames}), wherever it
 * declares them.
 */
export function processNames(node: AstNode): ProcessNames {
  const names = { process: new Set<string>(), argv: new Set<string>(), env: new Set<string>(), readers: new Map() };
  const property = (key: string | undefined, target: AstNode) => {
    const local = target.type === 'AssignmentPattern' ? (target.left as AstNode) : target;
    if ((key === 'argv' || key === 'env') && local.type === 'Identifier') names[key].add(local.name as string);
  };
  // `readFile as readFileAsync`, `{ readFileSync: read }`: what `read(path)` reads.
  const reader = (key: string | undefined, local: AstNode) => {
    if (key !== undefined && FILE_READERS.has(key) && local.type === 'Identifier' && local.name !== key) {
      names.readers.set(local.name as string, key);
    }
  };
  walk(node, (child) => {
    const source = child.type === 'ImportDeclaration' ? ((child.source as AstNode).value as string) : undefined;
    if (source !== undefined && FILE_MODULES.has(source)) {
      for (const s of child.specifiers as AstNode[]) {
        const imported = s.imported as AstNode | undefined;
        if (imported) reader((imported.name ?? imported.value) as string, s.local as AstNode);
      }
    } else if (source !== undefined && PROCESS_MODULES.has(source)) {
      for (const s of child.specifiers as AstNode[]) {
        const local = s.local as AstNode;
        if (s.type !== 'ImportSpecifier') names.process.add(local.name as string);
        else property(((s.imported as AstNode).name ?? (s.imported as AstNode).value) as string, local);
      }
    } else if (child.type === 'VariableDeclarator' && (child.id as AstNode).type === 'ObjectPattern') {
      for (const p of (child.id as AstNode).properties as AstNode[]) {
        const key = p.key as AstNode | undefined;
        if (p.type === 'Property' && key && !p.computed) reader(key.name as string, p.value as AstNode);
      }
    }
    if (child.type === 'VariableDeclarator' && child.init && isProcessEnvAlias(child, names)) {
      // `const env = process.env`: the variables are read through `env`.
      names.env.add((child.id as AstNode).name as string);
    } else if (child.type === 'VariableDeclarator' && child.init && isProcess(child.init as AstNode, names)) {
      const id = child.id as AstNode;
      if (id.type === 'Identifier') names.process.add(id.name as string);
      for (const p of id.type === 'ObjectPattern' ? (id.properties as AstNode[]) : []) {
        const key = p.key as AstNode | undefined;
        if (p.type === 'Property' && key) property((p.computed ? key.value : key.name) as string, p.value as AstNode);
      }
    }
    return true;
  });
  return names;
}

/**
 * The pattern a declarator destructuring `process` binds its `env` or `argv` with, when that is a pattern itself
 * (`const { env: { SCALE }, argv: [, , lr] } = process`).
 */
export function processPattern(declarator: AstNode, name: 'argv' | 'env', names: ProcessNames): AstNode | undefined {
  const id = declarator.id as AstNode | undefined;
  if (declarator.type !== 'VariableDeclarator' || id?.type !== 'ObjectPattern') return undefined;
  if (!declarator.init || !isProcess(declarator.init as AstNode, names)) return undefined;
  for (const property of id.properties as AstNode[]) {
    const key = property.key as AstNode | undefined;
    if (property.type !== 'Property' || !key || (property.computed ? key.value : key.name) !== name) continue;
    const value = property.value as AstNode;
    const target = value.type === 'AssignmentPattern' ? (value.left as AstNode) : value;
    if (target.type === 'ObjectPattern' || target.type === 'ArrayPattern') return target;
  }
  return undefined;
}

/** Whether an expression is `process.<name>` (however `process` is spelled), or a name given `process.<name>`. */
export function isProcessProperty(node: AstNode, name: 'argv' | 'env', names = NO_PROCESS_NAMES): boolean {
  const n = unwrapTypes(node);
  if (n.type === 'Identifier') return names[name].has(n.name as string);
  return n.type === 'MemberExpression' && propertyName(n) === name && isProcess(n.object as AstNode, names);
}

/** The name of the property a member expression reads, when written statically: `a.b`, `a['b']`. */
function propertyName(member: AstNode): string | undefined {
  const property = member.property as AstNode;
  return member.computed ? stringValue(unwrapTypes(property)) : (property.name as string);
}

function stringValue(node: AstNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && (node.expressions as AstNode[]).length === 0) {
    return (node.quasis as { value: { cooked: string | null } }[])[0]?.value.cooked ?? undefined;
  }
  return undefined;
}

/**
 * The value a member of a module constant's object literal is written with: `PATHS.data` below
 * `const PATHS = { data: './data.csv' }`, `CONFIG.paths.data`; undefined for a getter, a method or a spread.
 */
function memberValue(
  node: AstNode,
  constant: (name: string) => AstNode | undefined,
  depth = 0,
): AstNode | undefined {
  const object = unwrapTypes(node.object as AstNode);
  const value =
    object.type === 'Identifier' ? constant(object.name as string)
      : object.type === 'MemberExpression' && depth < 4 ? memberValue(object, constant, depth + 1)
      : undefined;
  const literal = value && unwrapTypes(value);
  const key = propertyName(node);
  if (literal?.type !== 'ObjectExpression' || key === undefined) return undefined;
  // The last property of that name wins, and a spread may hold any.
  let found: AstNode | undefined;
  for (const property of literal.properties as AstNode[]) {
    if (property.type !== 'Property') return undefined;
    const name = property.computed ? undefined : ((property.key as AstNode).name ?? (property.key as AstNode).value);
    if (property.computed || name === key) {
      const plain = !property.computed && property.kind === 'init' && !property.method;
      found = plain ? (property.value as AstNode) : undefined;
    }
  }
  return found;
}

/**
 * The text an expression stands for when it is made of string literals and module constants alone:
 * `'SC' + 'ALE'`, `${PREFIX}_SCALE` below `const PREFIX = 'APP'`,
 * `NAMES.scale` below `const NAMES = { scale: 'SCALE' }`.
 */
function staticText(
  node: AstNode | undefined,
  constant: (name: string) => AstNode | undefined,
  depth = 0,
): string | undefined {
  if (!node || depth > 4) return undefined;
  const n = unwrapTypes(node);
  if (n.type === 'Identifier') return staticText(constant(n.name as string), constant, depth + 1);
  if (n.type === 'MemberExpression') return staticText(memberValue(n, constant), constant, depth + 1);
  const called = stringCalls(n);
  if (called) {
    // Text standing for a value known only later (a parameter's, a variable's) is not put through them here.
    const text = staticText(called.receiver, constant, depth + 1);
    return text === undefined || /[\0\uE000]/.test(text) ? undefined : applyStringCalls(text, called.calls);
  }
  const pieces = concatenated(n);
  if (!pieces) return stringValue(n);
  let text = '';
  for (const piece of pieces) {
    const part = typeof piece === 'string' ? piece : staticText(piece, constant, depth);
    if (part === undefined) return undefined;
    text += part;
  }
  return text;
}

/** The pieces of a string concatenation (`a + '/x'`) or a template with expressions (`${a}/x`), in order. */
function concatenated(node: AstNode): (AstNode | string)[] | undefined {
  if (node.type === 'BinaryExpression' && node.operator === '+') {
    const left = unwrapTypes(node.left as AstNode);
    return [...(concatenated(left) ?? [left]), node.right as AstNode];
  }
  const expressions = node.type === 'TemplateLiteral' ? (node.expressions as AstNode[]) : [];
  if (expressions.length === 0) return undefined;
  const quasis = (node.quasis as { value: { cooked: string | null } }[]).map((q) => q.value.cooked);
  if (quasis.some((q) => q === null)) return undefined;
  return quasis.flatMap((quasi, i) => (i < expressions.length ? [quasi!, expressions[i]!] : [quasi!]));
}

export function calleeName(callee: AstNode): string | undefined {
  if (callee.type === 'Identifier') return callee.name as string;
  if (callee.type === 'MemberExpression' && !callee.computed) return (callee.property as AstNode).name as string;
  return undefined;
}

/**
 * Whether a call reads a file: `readFileSync(path)`, `open(path)` and
 * `open(path, 'r')` do; `open(path, 'a')` and flags computed at run time do not.
 */
function readsFile(name: string | undefined, args: AstNode[]): boolean {
  if (name === undefined || !FILE_READERS.has(name)) return false;
  if (!FILE_OPENERS.has(name) || args[1] === undefined) return true;
  const flags = stringValue(unwrapTypes(args[1]));
  return flags !== undefined && READ_ONLY_FLAGS.has(flags);
}

/** A call of `open` (node:fs/promises), whose value is a FileHandle rather than data. */
function opensHandle(node: AstNode | null | undefined): boolean {
  let n = node && unwrapTypes(node);
  if (n?.type === 'AwaitExpression') n = unwrapTypes(n.argument as AstNode);
  return n?.type === 'CallExpression' && calleeName(n.callee as AstNode) === 'open';
}

/**
 * Whether a callee is a method of a FileHandle: `fh.readFile('utf8')` below `const fh = await open(path)`, or
 * `(await open(path)).readFile(…)`, takes an encoding, not a path; `open` read the file already.
 */
function isHandleMethod(callee: AstNode, handles: ReadonlySet<string>): boolean {
  const n = unwrapTypes(callee);
  if (n.type !== 'MemberExpression') return false;
  const object = unwrapTypes(n.object as AstNode);
  return (object.type === 'Identifier' && handles.has(object.name as string)) || opensHandle(object);
}

/** `join(…)`, `resolve(…)`, `path.join(…)`: not an array's `join`. */
function isPathJoin(callee: AstNode): boolean {
  if (callee.type === 'Identifier') return PATH_JOINERS.has(callee.name as string);
  if (
    callee.type !== 'MemberExpression' ||
    callee.computed ||
    !PATH_JOINERS.has((callee.property as AstNode).name as string)
  ) {
    return false;
  }
  const object = callee.object as AstNode;
  return object.type === 'Identifier' && /^(path|posix|win32|nodePath)$/.test(object.name as string);
}

/** `import.meta.<property>`. */
function isImportMeta(node: AstNode, property: string): boolean {
  return (
    node.type === 'MemberExpression' &&
    (node.object as AstNode).type === 'MetaProperty' &&
    (node.property as AstNode).name === property
  );
}

/** Whether a node calls `name`, bare or from a namespace: `dirname(…)`, `path.dirname(…)`. */
function callsNamed(call: AstNode, name: string): boolean {
  if (call.type !== 'CallExpression') return false;
  const callee = call.callee as AstNode;
  if (callee.type === 'Identifier') return callee.name === name;
  return callee.type === 'MemberExpression' && !callee.computed && (callee.property as AstNode).name === name;
}

/** The module's own file: `__filename`, `import.meta.filename`, `fileURLToPath(import.meta.url)`, or a const of one. */
function isModuleFile(node: AstNode, constant: (name: string) => AstNode | undefined, depth: number): boolean {
  const n = unwrapTypes(node);
  if (n.type === 'Identifier') {
    const value = depth < 4 ? constant(n.name as string) : undefined;
    return n.name === '__filename' || (value !== undefined && isModuleFile(value, constant, depth + 1));
  }
  if (isImportMeta(n, 'filename')) return true;
  const [argument] = (n.arguments as AstNode[] | undefined) ?? [];
  return callsNamed(n, 'fileURLToPath') && argument !== undefined && isImportMeta(unwrapTypes(argument), 'url');
}

/**
 * The module's directory: `__dirname`, `import.meta.dirname`, `dirname(fileURLToPath(import.meta.url))` (how ES
 * modules spelled it before `import.meta.dirname`), or a const holding one (`const here = …`).
 */
function isModuleDir(node: AstNode, constant: (name: string) => AstNode | undefined, depth = 0): boolean {
  const n = unwrapTypes(node);
  if (n.type === 'Identifier') {
    if (n.name === '__dirname') return true;
    const value = depth < 4 ? constant(n.name as string) : undefined;
    return value !== undefined && isModuleDir(value, constant, depth + 1);
  }
  if (isImportMeta(n, 'dirname')) return true;
  const [argument] = (n.arguments as AstNode[] | undefined) ?? [];
  return callsNamed(n, 'dirname') && argument !== undefined && isModuleFile(argument, constant, depth + 1);
}

/** A path under the module's or the working directory, spelled as one written relative to it is. */
function underDir(base: FileRead['base'], path: string): string {
  return base === 'module' ? `./${path}` : path || '.';
}

/** What a directory expression stands for: the module's directory, or the working directory (`process.cwd()`). */
function baseDir(node: AstNode, constant: (name: string) => AstNode | undefined): FileRead['base'] | undefined {
  if (isModuleDir(node, constant)) return 'module';
  const n = unwrapTypes(node);
  const callee = n.type === 'CallExpression' ? unwrapTypes(n.callee as AstNode) : undefined;
  const cwd =
    callee?.type === 'MemberExpression' &&
    propertyName(callee) === 'cwd' &&
    isProcess(callee.object as AstNode, NO_PROCESS_NAMES);
  return cwd && (n.arguments as AstNode[]).length === 0 ? 'cwd' : undefined;
}

/**
 * The path an expression stands for, when it is known without running
 * the code; `constant` gives a module constant's initializer. With `wildcard`, a part
 * joined to a known directory but computed at run time is spelled `*` (`data/*` for `join('data', name)`).
 */
function staticPath(
  node: AstNode | undefined,
  constant: (name: string) => AstNode | undefined,
  depth = 0,
  wildcard = false,
): FileRead | undefined {
  if (!node || depth > 4) return undefined;
  const n = unwrapTypes(node);
  const text = staticText(n, constant);
  if (text !== undefined) return { path: text, base: 'cwd' };
  if (n.type === 'Identifier') return staticPath(constant(n.name as string), constant, depth + 1, wildcard);
  if (n.type === 'MemberExpression') return staticPath(memberValue(n, constant), constant, depth + 1, wildcard);
  if (callsNamed(n, 'fileURLToPath')) {
    // The file a URL names: `fileURLToPath(new URL('./x.json', import.meta.url))`, or of `import.meta.resolve(…)`.
    // A URL written as text is no path relative to a directory.
    const [url] = n.arguments as AstNode[];
    return url && staticText(url, constant) === undefined ? staticPath(url, constant, depth + 1, wildcard) : undefined;
  }
  const part = (piece: AstNode) => staticText(piece, constant) ?? (wildcard ? '*' : undefined);
  if (isNewUrl(n)) {
    const [relative, base] = n.arguments as AstNode[];
    // `new URL(import.meta.resolve('./x.json'))`: the file the resolved URL names.
    if (!base) return moduleResolved(relative && unwrapTypes(relative), constant);
    const path = staticText(relative, constant);
    return isImportMeta(base, 'url') && path !== undefined ? { path, base: 'module' } : undefined;
  }
  const resolved = moduleResolved(n, constant);
  if (resolved) return resolved;
  const pieces = concatenated(n);
  if (pieces) {
    // `${process.cwd()}/data.csv`, `${__dirname}/data.csv`, `${DATA_DIR}/scale.txt`, DATA_DIR + '/scale.txt'
    const [first, ...rest] = pieces[0] === '' ? pieces.slice(1) : pieces;
    const tail = rest.map((piece) => (typeof piece === 'string' ? piece : part(piece)));
    if (!first || tail.some((part) => part === undefined)) return undefined;
    const joined = tail.join('');
    // `runs/r${id}.json`: a known start, relative to the working directory.
    if (typeof first === 'string') return wildcard ? { path: first + joined, base: 'cwd' } : undefined;
    const base = baseDir(first, constant);
    if (base) return joined.startsWith('/') ? { path: underDir(base, joined.slice(1)), base } : undefined;
    const head = staticPath(first, constant, depth + 1, wildcard);
    return head && { path: head.path + joined, base: head.base };
  }
  if (n.type === 'CallExpression' && isPathJoin(n.callee as AstNode)) {
    const [first, ...rest] = n.arguments as AstNode[];
    const parts = rest.map(part);
    if (!first || parts.some((p) => p === undefined)) return undefined;
    const base = baseDir(first, constant);
    if (base) return { path: underDir(base, (parts as string[]).join('/')), base };
    const head = staticPath(first, constant, depth + 1, wildcard);
    return head && { path: [head.path, ...(parts as string[])].join('/'), base: head.base };
  }
  return undefined;
}

/**
 * A file named relative to the module by the module resolver: `require.resolve('./x.json')`, and
 * `import.meta.resolve('./x.json')`, as a URL.
 */
function moduleResolved(
  node: AstNode | undefined,
  constant: (name: string) => AstNode | undefined,
): FileRead | undefined {
  if (node?.type !== 'CallExpression') return undefined;
  const callee = unwrapTypes(node.callee as AstNode);
  const [first] = node.arguments as AstNode[];
  const resolver =
    callee.type === 'MemberExpression' &&
    propertyName(callee) === 'resolve' &&
    (isImportMeta(callee, 'resolve') || (callee.object as AstNode).type === 'Identifier' &&
      (callee.object as AstNode).name === 'require');
  const path = resolver ? staticText(first, constant) : undefined;
  // A bare name is a package's file, not the project's.
  return path !== undefined && /^\.\.?\//.test(path) ? { path, base: 'module' } : undefined;
}

/** The files a call may hand to a worker or a child process to run (see {@link SCRIPT_RUNNERS}). */
function launchedFiles(call: AstNode, constant: (name: string) => AstNode | undefined): FileRead[] {
  const name = calleeName(call.callee as AstNode);
  const [first, second] = call.arguments as AstNode[];
  let candidates: (FileRead | undefined)[] = [];
  if (name === undefined) return [];
  if (SCRIPT_RUNNERS.has(name)) candidates = [staticPath(first, constant)];
  else if (COMMAND_RUNNERS.has(name)) {
    const list = second && unwrapTypes(second);
    const words = list?.type === 'ArrayExpression' ? (list.elements as (AstNode | null)[]) : [];
    candidates = [first, ...words].map((word) => (word ? staticPath(word, constant) : undefined));
  } else if (SHELL_RUNNERS.has(name)) {
    const command = stringValue(first && unwrapTypes(first));
    candidates = (command?.split(/\s+/) ?? []).map((word) => ({ path: word, base: 'cwd' }));
  }
  return candidates.flatMap((read) => (read && read.path !== '' ? [{ ...read, launched: true as const }] : []));
}

/**
 * Text without which code cannot read configuration: `env`, a file function's name, a
 * call that runs a script (`exec` spells `execFile` too), or an escape (`\u0065nv` spells `env`).
 */
const MAY_READ = new RegExp(
  ['env', 'argv', 'parseArgs', ...FILE_READERS, ...SCRIPT_RUNNERS, 'spawn', 'exec'].join('|') + '|\\\\u',
);

/** Whether code with this text may read configuration at all: the walk can be skipped when it cannot. */
export function mayReadConfiguration(text: string): boolean {
  return MAY_READ.test(text);
}

/**
 * Calls that read one property, named by their second argument, of the object given first: `Reflect.get(env, 'K')`,
 * `Object.hasOwn(env, 'K')`; by the callee's last two names, so `Object.prototype.hasOwnProperty.call` is one too.
 */
const PROPERTY_READERS = new Set([
  'Reflect.get',
  'Reflect.has',
  'Reflect.getOwnPropertyDescriptor',
  'Object.hasOwn',
  'Object.getOwnPropertyDescriptor',
  'hasOwnProperty.call',
  'propertyIsEnumerable.call',
]);
/** Methods every object has that read one property, named by their argument: `env.hasOwnProperty('K')`. */
const OWN_PROPERTY_METHODS = new Set(['hasOwnProperty', 'propertyIsEnumerable']);

/** The last two names of a callee (`Reflect.get`, `hasOwnProperty.call` of `Object.prototype.hasOwnProperty.call`). */
function calleePath(callee: AstNode): string | undefined {
  const n = unwrapTypes(callee);
  if (n.type !== 'MemberExpression') return undefined;
  const object = unwrapTypes(n.object as AstNode);
  const owner = object.type === 'Identifier' ? (object.name as string) : object.type === 'MemberExpression'
    ? propertyName(object)
    : undefined;
  const name = propertyName(n);
  return owner === undefined || name === undefined ? undefined : `${owner}.${name}`;
}

/**
 * The variable a call or an `in` test reads of the environment by a name written in place:
 * `Reflect.get(process.env, 'K')`, `Object.hasOwn(env, 'K')`, `process.env.hasOwnProperty('K')`, `'K' in process.env`;
 * `{ name: undefined }` when the name is computed at run time, undefined when the node is no such test.
 */
function environmentTest(
  node: AstNode,
  isProcessEnv: (candidate: AstNode) => boolean,
  constant: (name: string) => AstNode | undefined,
): { name: string | undefined } | undefined {
  if (node.type === 'BinaryExpression' && node.operator === 'in' && isProcessEnv(node.right as AstNode)) {
    return { name: staticText(node.left as AstNode, constant) };
  }
  if (node.type !== 'CallExpression') return undefined;
  const callee = unwrapTypes(node.callee as AstNode);
  const args = node.arguments as AstNode[];
  if (
    callee.type === 'MemberExpression' &&
    OWN_PROPERTY_METHODS.has(propertyName(callee) ?? '') &&
    isProcessEnv(callee.object as AstNode)
  ) {
    return { name: staticText(args[0], constant) };
  }
  if (!PROPERTY_READERS.has(calleePath(callee) ?? '') || !args[0] || !isProcessEnv(args[0])) return undefined;
  return { name: staticText(args[1], constant) };
}

/** Whether a property is `env: …` (`spawn(cmd, args, { env: { ...process.env, CUDA: '0' } })`). */
function isEnvOption(property: AstNode): boolean {
  const key = property.key as AstNode;
  return property.type === 'Property' && (property.computed ? key.value : key.name ?? key.value) === 'env';
}

/** The text an expression stands for when it is made of string literals and module constants alone. */
export function constantText(node: AstNode, constant: (name: string) => AstNode | undefined): string | undefined {
  return staticText(node, constant);
}

/** The file an expression stands for when it is known without running the code (see {@link staticPath}). */
export function constantPath(node: AstNode, constant: (name: string) => AstNode | undefined): FileRead | undefined {
  return staticPath(node, constant);
}

/**
 * The files a path with parts computed at run time may name, as a pattern (`data/*` for `join('data', name)`,
 * `runs/*.json` for `` `runs/${id}.json` ``); undefined when no part of it is known.
 */
function pathPattern(node: AstNode, constant: (name: string) => AstNode | undefined): FileRead | undefined {
  const found = staticPath(node, constant, 0, true);
  return found && /[*?]/.test(found.path) ? { ...found, pattern: true } : undefined;
}

/**
 * The text a parameter is given to learn where a read's name or path puts it: no variable's name or path holds it.
 */
const PARAMETER_MARK = '\0';

/**
 * The read, for an expression that cannot be told statically, by the one parameter of an enclosing function it is
 * made of with constants (`name` of `process.env[name]`, `file` of `join(DATA_DIR, file)`, also in a closure of that
 * function: `() => readFileSync(join('data', file))`).
 */
function parameterRead(
  node: AstNode,
  expression: AstNode,
  kind: ParameterRead['kind'],
  constant: (name: string) => AstNode | undefined,
): ParameterRead | undefined {
  // `name.trim()`: the value the string methods are called on, each call's argument's text put through them.
  const calls = new Map<AstNode, { receiver: AstNode; calls: readonly StringCall[] }>();
  walk(expression, (child) => {
    const found = stringCalls(child);
    if (found && valueChain(found.receiver)) calls.set(child, found);
    return !found;
  });
  const plain = calls.size > 0 ? replaceNodes(expression, (n) => calls.get(n)?.receiver) : expression;
  let found: ParameterValue | undefined;
  let uses = 0;
  for (const value of valuesIn(plain)) {
    const at = parameterValue(pathToRange(node, value.start, value.end), value);
    if (!at) continue;
    if (found && (found.fn !== at.fn || spelled(found) !== spelled(at))) return undefined;
    found = at;
    uses++;
  }
  if (!found) return undefined;
  // Methods called on the parameter's one use, and on nothing else: a constant's own text is not put through them.
  const [only] = calls.values();
  const transform = calls.size === 1 && uses === 1 && spelledAs(only!.receiver) === spelled(found) ? only!.calls
    : undefined;
  if (calls.size > 0 && !transform) return undefined;
  const { fn, position, property, root, chain } = found;
  const n = unwrapTypes(plain);
  // The parameter's value as the text given, seen by name (`file`) or through properties (`cfg.data`).
  const given = (text: string) => (name: string) =>
    name === root ? holding(chain, { type: 'Literal', value: text, start: 0, end: 0 } as AstNode) : constant(name);
  const raw = (text: string) => (kind === 'environment' ? staticText(n, given(text)) : staticPath(n, given(text)));
  const read = (text: string) => {
    const made = transform ? applyStringCalls(text, transform) : text;
    return made === undefined ? undefined : raw(made);
  };
  const pattern = kind === 'file' ? pathPattern(n, constant) : undefined;
  const marked = raw(PARAMETER_MARK);
  const text = typeof marked === 'string' ? marked : marked?.path;
  return {
    fn,
    parameter: spelled(found),
    position,
    property,
    kind,
    whole: !transform && valueChain(n) !== undefined,
    read,
    ...(found.each !== undefined && { each: true as const }),
    ...(pattern ? { pattern } : {}),
    ...(text?.includes(PARAMETER_MARK) && {
      template: {
        pieces: text.split(PARAMETER_MARK),
        ...(typeof marked === 'object' && { base: marked.base }),
        ...(isNewUrl(n) && { url: true as const }),
        ...(transform && { transform }),
      },
    }),
  };
}

/** A value as the code spells it: `name`, `cfg.data`; undefined for anything else. */
function spelledAs(node: AstNode): string | undefined {
  const chain = valueChain(node);
  return chain && [chain.root, ...chain.chain].join('.');
}

/**
 * String methods whose value depends on the text and the arguments alone, the same on every machine
 * (`toLowerCase`, unlike `toLocaleLowerCase`): a path put through them is known once the text is.
 */
const PURE_STRING_METHODS = new Set([
  'trim',
  'trimStart',
  'trimEnd',
  'toLowerCase',
  'toUpperCase',
  'normalize',
  'replace',
  'replaceAll',
  'slice',
  'substring',
  'padStart',
  'padEnd',
  'concat',
]);

/** A literal's text or number: an argument of a string method the analysis can apply. */
function literalArgument(node: AstNode): string | number | undefined {
  const n = unwrapTypes(node);
  if (n.type === 'Literal' && typeof n.value === 'number') return n.value;
  if (n.type === 'UnaryExpression' && n.operator === '-') {
    const inner = unwrapTypes(n.argument as AstNode);
    return inner.type === 'Literal' && typeof inner.value === 'number' ? -inner.value : undefined;
  }
  return stringValue(n);
}

/**
 * `x.trim()`, `x.replace('-', '_').toLowerCase()`: the value pure string methods with literal arguments are called
 * on, and the calls, innermost first; undefined when the node is no such call.
 */
function stringCalls(node: AstNode): { receiver: AstNode; calls: StringCall[] } | undefined {
  const n = unwrapTypes(node);
  const callee = n.type === 'CallExpression' && !n.optional ? unwrapTypes(n.callee as AstNode) : undefined;
  if (callee?.type !== 'MemberExpression' || callee.computed || callee.optional) return undefined;
  const method = (callee.property as AstNode).name as string;
  const args = (n.arguments as AstNode[]).map(literalArgument);
  if (!PURE_STRING_METHODS.has(method) || args.some((arg) => arg === undefined)) return undefined;
  const call = { method, args: args as (string | number)[] };
  const inner = stringCalls(callee.object as AstNode);
  if (!inner) return { receiver: callee.object as AstNode, calls: [call] };
  return { receiver: inner.receiver, calls: [...inner.calls, call] };
}

/**
 * The read a helper makes by its parameter (`read`) when a caller gives that parameter `expression`, made of one
 * parameter of the caller's own with constants (`load(name + '.csv')` in `prep(name)`, with `load(file)` reading
 * `readFileSync(join('data', file))`): a read by the caller's parameter; undefined when `expression` is none.
 * A whole path the caller writes is the caller's own read, relative to the caller's directory.
 */
export function passedRead(
  node: AstNode,
  expression: AstNode,
  read: ParameterRead,
  constant: (name: string) => AstNode | undefined,
): ParameterRead | undefined {
  if (read.whole && read.kind === 'file') {
    const own = parameterRead(node, expression, 'file', constant);
    // Each item of a list of items is not followed.
    return own && !(own.each && read.each) ? { ...own, ...(read.each && { each: true }) } : undefined;
  }
  // The caller's text, put where the helper's name or path takes its parameter's (not through methods the helper
  // calls on it: the caller's whole text goes through them).
  const text = parameterRead(node, expression, 'environment', constant);
  if (!text || (text.each && read.each) || read.template?.transform) return undefined;
  const composed = (given: string) => {
    const passed = text.read(given);
    return typeof passed === 'string' ? read.read(passed) : undefined;
  };
  // The caller's own methods (`load(name.trim() + '.csv')`) go first.
  const marked = ((mark: string) => {
    const passed = text.template && text.template.pieces.join(mark);
    return passed === undefined ? undefined : read.read(passed);
  })(PARAMETER_MARK);
  const spelledAs = typeof marked === 'string' ? marked : marked?.path;
  return {
    fn: text.fn,
    parameter: text.parameter,
    position: text.position,
    property: text.property,
    kind: read.kind,
    whole: false,
    read: composed,
    ...((text.each || read.each) && { each: true as const }),
    ...(read.pattern && { pattern: read.pattern }),
    ...(spelledAs?.includes(PARAMETER_MARK) && {
      template: {
        pieces: spelledAs.split(PARAMETER_MARK),
        ...(typeof marked === 'object' && { base: marked.base }),
        ...(read.template?.url && { url: true as const }),
        ...(text.template?.transform && { transform: text.template.transform }),
      },
    }),
  };
}

/**
 * The expressions a value may come from: each branch of `fast ? 'small.csv' : 'full.csv'`, each side of
 * `process.env.DATA ?? 'data.csv'` (the variable counts where it is read); through the code's own names (`held`).
 */
function alternatives(node: AstNode, held: (expression: AstNode) => AstNode, depth = 0): AstNode[] {
  const n = unwrapTypes(node);
  if (!isChoice(n) || depth > 4) return [node];
  const branches = n.type === 'ConditionalExpression' ? [n.consequent, n.alternate] : [n.left, n.right];
  return (branches as AstNode[]).flatMap((branch) => alternatives(held(branch), held, depth + 1));
}

/** Whether a value is one of two others: `a ? b : c`, `a ?? b`, `a || b`. */
function isChoice(node: AstNode): boolean {
  return node.type === 'ConditionalExpression' || (node.type === 'LogicalExpression' && node.operator !== '&&');
}

/** Paths a read may take apart: as many as the values of the code's own names in it are followed. */
const MAX_PATHS = 16;

/** Whether a node makes a URL (`new URL(…)`). */
function isNewUrl(node: AstNode): boolean {
  const callee = node.type === 'NewExpression' ? unwrapTypes(node.callee as AstNode) : undefined;
  return callee?.type === 'Identifier' && callee.name === 'URL';
}

/** An object literal holding `value` under the properties `chain` (`{ data: value }` for `['data']`). */
function holding(chain: readonly string[], value: AstNode): AstNode {
  return chain.reduceRight<AstNode>(
    (inner, key) => ({
      type: 'ObjectExpression',
      start: 0,
      end: 0,
      properties: [
        { type: 'Property', kind: 'init', computed: false, key: { type: 'Identifier', name: key }, value: inner },
      ],
    } as AstNode),
    value,
  );
}

/** Text that stands for the `i`th configured value inside a path while it is worked out: no path holds it. */
const CONFIGURED_MARK = /\uE000(\d+)\uE000/;

/**
 * The file a path stands for when it is made of constants and values of the process's configuration
 * (`process.env.DATA`, `join('data', process.argv[2])`, a constant holding one); undefined when it holds none, or
 * something else computed at run time too.
 */
export function configuredPath(
  node: AstNode,
  constant: (name: string) => AstNode | undefined,
  names: ProcessNames,
  commandLine: (node: AstNode) => CommandLineArgument | undefined,
): ConfiguredFileRead | undefined {
  // A value a path may take from the process's configuration: `process.env.DATA`, `process.argv[2]`, `values.data`.
  const configured = (candidate: AstNode): ConfiguredValue | undefined => {
    if (candidate.type === 'MemberExpression' && isProcessProperty(candidate.object as AstNode, 'env', names)) {
      const name = candidate.computed ? staticText(candidate.property as AstNode, constant) : propertyName(candidate);
      return name === undefined || FUNES_SETTING.test(name) ? undefined : { kind: 'environment', name };
    }
    const argument = commandLine(candidate);
    return argument && { kind: 'arguments', argument };
  };
  const values: ConfiguredValue[] = [];
  // A copy of the code with each configured value spelled as a mark the path then holds where its text goes.
  const marked = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(marked);
    if (value === null || typeof value !== 'object') return value;
    const n = value as AstNode;
    const found = typeof n.type === 'string' ? configured(n) : undefined;
    if (!found) return Object.fromEntries(Object.entries(n).map(([key, child]) => [key, marked(child)]));
    values.push(found);
    return { type: 'Literal', value: `\uE000${values.length - 1}\uE000`, start: n.start, end: n.end };
  };
  const markedConstant = (name: string) => {
    const value = constant(name);
    return value && (marked(value) as AstNode);
  };
  const n = marked(unwrapTypes(node)) as AstNode;
  const found = staticPath(n, markedConstant);
  if (!found || !CONFIGURED_MARK.test(found.path)) return undefined;
  const parts = found.path.split(CONFIGURED_MARK);
  return {
    values: parts.filter((_, i) => i % 2 === 1).map((at) => values[Number(at)]!),
    pieces: parts.filter((_, i) => i % 2 === 0),
    base: found.base,
    ...(isNewUrl(n) && { url: true as const }),
  };
}

/** What a piece of code's own names hold, as paths read through them see it (see {@link codeValues}). */
export interface CodeValues {
  /** A name's value: the code's own, else the module's constant of that name. */
  readonly constant: (name: string) => AstNode | undefined;
  /** What an expression holds, through the code's own names. */
  readonly held: (expression: AstNode) => AstNode;
  /** Each path an expression may be, with the code's own names given each of their values. */
  readonly paths: (expression: AstNode) => AstNode[];
  /** The code's own names (see {@link localValues}), worked out at the first use. */
  readonly locals: () => LocalValues;
}

/**
 * The values the code's own names hold where it reads a path or a name: `const path = join('data', 'rows.csv')`,
 * `name = name + '.csv'` (see {@link localValues}), with the module's constants for the names it does not declare.
 */
export function codeValues(node: AstNode, moduleConstant: (name: string) => AstNode | undefined): CodeValues {
  // `const path = join('data', 'rows.csv')` in the code reads as its value does; a name of the code's own (a
  // parameter) is not the module's constant of that name.
  let locals: LocalValues | undefined;
  const items = new Map<string, AstNode | undefined>();
  // A name's values: those the code gives it, or each item of a list written in the code or a constant that a loop
  // gives it (`file` of `for (const file of FILES)` below `const FILES = ['a.csv', 'b.csv']`).
  const valueOf = (name: string): AstNode | undefined => {
    locals ??= localValues(node);
    const list = locals.items.get(name);
    if (!list) return locals.values.get(name);
    if (!items.has(name)) {
      items.set(name, undefined);
      const n = unwrapTypes(held(list));
      const named = n.type === 'Identifier' && !locals.own.has(n.name as string) ? (n.name as string) : undefined;
      // A constant list the code changes (`FILES.push(…)`) holds other items than declared; one handed to other
      // code is the program's state there, as a module's variables are.
      const changed = named !== undefined && changesItems(node, { root: named, chain: [] }, undefined, false);
      const array = named === undefined ? n : changed ? undefined : moduleConstant(named);
      const elements = array?.type === 'ArrayExpression' ? (array.elements as (AstNode | null)[]) : [];
      const plain = elements.length > 0 && elements.every((element) => element && element.type !== 'SpreadElement');
      if (plain && elements.length <= MAX_PATHS) items.set(name, eitherOf(elements as AstNode[]));
    }
    return items.get(name);
  };
  const constant = (name: string) => {
    locals ??= localValues(node);
    return valueOf(name) ?? (locals.own.has(name) ? undefined : moduleConstant(name));
  };
  // What an expression holds, through the code's own names: `join('data', name)` for `path` above.
  const held = (expression: AstNode, depth = 0): AstNode => {
    const n = unwrapTypes(expression);
    locals ??= localValues(node);
    // A parameter's declaration spells what its caller gave, not the values the code gives it after.
    const value = n.type === 'Identifier' && depth < 4 && !locals.given.has(n) ? valueOf(n.name as string)
      : undefined;
    return value ? held(value, depth + 1) : expression;
  };
  // What a path may hold, through the code's own names and the module's constants: either side of
  // `DATA ?? 'data.csv'` below `const DATA = process.env.DATA`.
  const expand = (expression: AstNode): AstNode => {
    const n = unwrapTypes(held(expression));
    const value = n.type === 'Identifier' && !locals!.given.has(n) ? constant(n.name as string) : undefined;
    return value && alternatives(value, held).length > 1 ? value : n;
  };
  // Each path an expression may be, with each of the code's own names in it given each of its values, and each
  // choice in it taken each way: `join('data', name)` below `name = name + '.csv'` is `join('data', name)` for the
  // name as the caller gave it, or `join('data', name + '.csv')`; `resolve(fast ? 'a.csv' : 'b.csv')` is either.
  const paths = (expression: AstNode): AstNode[] => {
    locals ??= localValues(node);
    const { given } = locals;
    const step = (path: AstNode): AstNode[] | undefined => {
      const name = [...usedNames(path, given)].find((used) => valueOf(used) !== undefined);
      if (name !== undefined) {
        return alternatives(valueOf(name)!, held).map((value) => withValue(path, name, value, given));
      }
      const choices: AstNode[] = [];
      replaceNodes(
        path,
        (n) => {
          if (isChoice(n)) choices.push(n);
          return undefined;
        },
        given,
      );
      const [choice] = choices;
      const taken = (branch: AstNode) => replaceNodes(path, (n) => (n === choice ? branch : undefined));
      return choice && alternatives(choice, held).map(taken);
    };
    let found = alternatives(expand(expression), expand);
    for (let depth = 0; depth < 8; depth++) {
      let more = false;
      const next = found.flatMap((path) => {
        const taken = step(path);
        if (taken) more = true;
        return taken ?? [path];
      });
      if (!more || next.length > MAX_PATHS) break;
      found = next;
    }
    return found;
  };
  return { constant, held, paths, locals: () => (locals ??= localValues(node)) };
}

/** The environment variables and files `node` reads (see the module comment). */
export function configurationReads(
  node: AstNode,
  moduleConstant: (name: string) => AstNode | undefined,
  names = NO_PROCESS_NAMES,
  commandLine: (node: AstNode) => CommandLineArgument | undefined = () => undefined,
): ConfigurationReads {
  const { constant, held, paths, locals } = codeValues(node, moduleConstant);
  const isProcessEnv = (candidate: AstNode) => isProcessProperty(candidate, 'env', names);
  const configuredFiles = new Map<string, ConfiguredFileRead>();
  // Parameters a path is made from in a way not followed, with whether the code changes them at run time.
  const unfollowedPaths = new Map<string, boolean>();
  // `read(path)` below `import { readFileSync as read } from 'node:fs'` is `readFileSync(path)`.
  const fileFunction = (callee: AstNode) => {
    const name = calleeName(callee);
    return (name !== undefined && unwrapTypes(callee).type === 'Identifier' && names.readers.get(name)) || name;
  };
  // `const { SCALE } = process.env`, `const { env: { SCALE } } = process`.
  const destructuredEnv = (declarator: AstNode) =>
    isProcessEnv(declarator.init as AstNode) ? (declarator.id as AstNode) : processPattern(declarator, 'env', names);
  const environment = new Set<string>();
  const files = new Map<string, FileRead>();
  const parameterReads: ParameterRead[] = [];
  const readByParameter = (expression: AstNode, kind: ParameterRead['kind']) => {
    const found = parameterRead(node, expression, kind, constant);
    if (found) parameterReads.push(found);
    return found;
  };
  let computedEnvironment = false;
  const read = (name: string | undefined) => {
    if (name === undefined) computedEnvironment = true;
    else if (!FUNES_SETTING.test(name)) environment.add(name);
  };
  // Nodes met before their parents are done with: what an assignment or `delete` writes, and the environment
  // handed on whole to a child process (`{ env: { ...process.env } }`), which reads its own variables.
  const written = new Set<AstNode>();
  const handedOn = new Set<AstNode>();
  // Names given a FileHandle (`const fh = await open(path)`), whose methods read what `open` already counted.
  const handles = new Set<string>();
  walk(node, (child) => {
    const tested = environmentTest(child, isProcessEnv, constant);
    if (tested !== undefined) read(tested.name);
    const declared = child.type === 'VariableDeclarator' ? (child.id as AstNode) : undefined;
    if (declared?.type === 'Identifier' && opensHandle(child.init as AstNode)) handles.add(declared.name as string);
    if (child.type === 'AssignmentExpression' && child.operator === '=') {
      written.add(unwrapTypes(child.left as AstNode));
      const target = unwrapTypes(child.left as AstNode);
      if (target.type === 'Identifier' && opensHandle(child.right as AstNode)) handles.add(target.name as string);
    } else if (child.type === 'UnaryExpression' && child.operator === 'delete') {
      written.add(unwrapTypes(child.argument as AstNode));
    } else if (isEnvOption(child) && unwrapTypes(child.value as AstNode).type === 'ObjectExpression') {
      for (const property of unwrapTypes(child.value as AstNode).properties as AstNode[]) handedOn.add(property);
    }
    if (child.type === 'MemberExpression' && isProcessEnv(child.object as AstNode)) {
      // `env.hasOwnProperty(…)` names a method, not a variable: its argument is the variable, read above.
      // `process.env[KEY]` below `const KEY = 'SCALE'` names the variable as statically as `process.env.SCALE`.
      const name = child.computed ? staticText(child.property as AstNode, constant) : propertyName(child);
      // `process.env[name]` in `getEnv(name)`: the name is known where getEnv is called.
      const byParameter =
        name === undefined && !written.has(child) && readByParameter(held(child.property as AstNode), 'environment');
      if (!OWN_PROPERTY_METHODS.has(name ?? '') && (name !== undefined || !written.has(child)) && !byParameter) {
        read(name);
      }
    } else if (child.type === 'VariableDeclarator' && child.init && destructuredEnv(child)?.type === 'ObjectPattern') {
      for (const property of destructuredEnv(child)!.properties as AstNode[]) {
        const key = property.key as AstNode | undefined;
        // `...rest` holds every variable not named.
        read(
          property.type === 'RestElement' || !key ? undefined
            : property.computed ? staticText(key, constant)
            : ((key.name ?? key.value) as string),
        );
      }
    } else if (child.type === 'SpreadElement' && isProcessEnv(child.argument as AstNode) && !handedOn.has(child)) {
      computedEnvironment = true;
    } else if (child.type === 'ForInStatement' && isProcessEnv(child.right as AstNode)) {
      computedEnvironment = true;
    } else if (
      child.type === 'CallExpression' &&
      readsFile(fileFunction(child.callee as AstNode), child.arguments as AstNode[]) &&
      !isHandleMethod(child.callee as AstNode, handles)
    ) {
      const [written] = child.arguments as AstNode[];
      for (const path of written ? paths(written) : []) {
        const known = staticPath(path, constant);
        if (known) files.set(`${known.base}\0${known.path}`, known);
        if (known || readByParameter(path, 'file')) continue;
        // `readFileSync(process.env.DATA)`: the file the variable names at each call.
        const byConfiguration = configuredPath(path, constant, names, commandLine);
        if (byConfiguration) {
          configuredFiles.set(JSON.stringify(byConfiguration), byConfiguration);
          continue;
        }
        // `readFileSync(join('data', name))`: every file the path can stand for, unless a caller shows which.
        const pattern = pathPattern(path, constant);
        if (pattern) {
          files.set(`${pattern.base}\0${pattern.path}`, pattern);
          continue;
        }
        const unfollowed = [...usedNames(path)].filter((name) => locals().unfollowed.has(name));
        for (const name of unfollowed) unfollowedPaths.set(name, true);
        // A path made from an argument in a way not followed (`readFileSync(name.trim())`): its file is not seen.
        const parameter = unfollowed.length === 0 ? parameterUsed(node, path) : undefined;
        if (parameter !== undefined && !unfollowedPaths.has(parameter)) unfollowedPaths.set(parameter, false);
      }
    } else if (child.type === 'CallExpression' || child.type === 'NewExpression') {
      // The environment handed to other code (`Object.keys(process.env)`, `settings(process.env)`) may be read by
      // any name; `Object.assign(process.env, …)` writes it.
      const args = child.arguments as AstNode[];
      const assigns = tested === undefined && calleePath(child.callee as AstNode) === 'Object.assign';
      const target = assigns ? args[0] : undefined;
      if (tested === undefined && args.some((arg) => arg !== target && isProcessEnv(arg))) computedEnvironment = true;
      for (const read of launchedFiles(child, constant)) {
        const key = `${read.base}\0${read.path}`;
        if (!files.has(key)) files.set(key, read);
      }
    }
    return true;
  });
  return {
    environment: [...environment].sort(),
    computedEnvironment,
    files: [...files.values()],
    configuredFiles: [...configuredFiles.values()],
    parameterReads,
    unfollowedPaths: [...unfollowedPaths].filter(([, changed]) => changed).map(([name]) => name),
    untracedPaths: [...unfollowedPaths].filter(([, changed]) => !changed).map(([name]) => name),
  };
}

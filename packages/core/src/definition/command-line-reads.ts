/**
 * Which parts of the command line a piece of code reads (pure). Where the code shows
 * which words it takes — `process.argv[4]`, `const [from, to, n] = process.argv.slice(2)`,
 * `.map(Number)` of those, or `values.epochs` of node:util's `parseArgs()` with options
 * written as literals — only those count; anywhere else the whole command line does.
 *
 * A module constant holding a list of words or parsed options (`const args =
 * process.argv.slice(2)`, `const { values } = parseArgs(…)`) is followed use by use:
 * its declaration reads nothing itself, each use reads the words it selects. That holds
 * only while every use can be seen, so a constant another module may import is not followed.
 */
import { walk, type AstNode } from '../function-source.js';
import { unwrapTypes } from './code-normalization.js';
import {
  calleeName,
  isProcessProperty,
  mayRenameFileReaders,
  NO_PROCESS_NAMES,
  processNames,
  processPattern,
  type CommandLineArgument,
  type ProcessNames,
} from './configuration-reads.js';
import type { Declaration, ModuleSummary } from './module-summary.js';
import { childNodes, freeReferences } from './scope-resolution.js';

/** A part of the command line code reads. */
export type CommandLinePart =
  | { readonly kind: 'all' }
  /** `process.argv[index]`. */
  | { readonly kind: 'position'; readonly index: number }
  /** `values[name]` of `parseArgs(config)`; `config` is JSON, its `args` the index `process.argv` is sliced at. */
  | { readonly kind: 'option'; readonly name: string; readonly config: string };

/**
 * What an expression holds, in terms of the command line: the words from `from` on
 * (`process.argv.slice(from)`), what `parseArgs(config)` returns, or its `values`.
 */
export type CommandLineValue =
  | CommandLinePart
  | { readonly kind: 'words'; readonly from: number }
  | { readonly kind: 'parsed'; readonly config: string }
  | { readonly kind: 'values'; readonly config: string };

/** What the analysis knows of the module the code is in. */
export interface CommandLineContext {
  /** A module constant's initializer. */
  constant(name: string): AstNode | undefined;
  /** Whether a callee is node:util's `parseArgs` (imported, or `util.parseArgs` of an imported `util`). */
  isParseArgs(callee: AstNode): boolean;
  /** Whether a name is the global it spells, not a binding of the module (`Number`, `parseFloat`). */
  isGlobal(name: string): boolean;
  /** The module constants followed use by use, with what each holds. */
  readonly bindings: ReadonlyMap<string, CommandLineValue>;
  /** Whether a declarator is the module's declaration of one of `bindings`. */
  declares(declarator: AstNode, name: string): boolean;
  /** The names the code gives `process`, its `argv` and its `env`. */
  readonly names: ProcessNames;
  /** Matches text that may use one of `bindings` or `names`; absent when there are none. */
  readonly uses?: RegExp;
}

/** Functions that map a word to a value by the word alone (`.map(Number)` keeps each word's position). */
const ELEMENTWISE = new Set(['Number', 'parseFloat', 'parseInt', 'String', 'BigInt', 'Boolean']);
/** `parseArgs` settings whose literal values decide what it returns. */
const PARSE_SETTINGS = new Set(['options', 'strict', 'allowPositionals', 'allowNegative', 'args']);

const ALL: CommandLinePart = { kind: 'all' };

function isCompound(value: CommandLineValue): value is Exclude<CommandLineValue, CommandLinePart> {
  return value.kind === 'words' || value.kind === 'parsed' || value.kind === 'values';
}

function unwrap(node: AstNode): AstNode {
  const n = unwrapTypes(node);
  return n.type === 'ParenthesizedExpression' || n.type === 'ChainExpression'
    ? unwrap(n.expression as AstNode)
    : n;
}

/** A property's name when written statically: `a.b`, `a['b']`, `{ b: … }`. */
function staticKey(key: AstNode, computed: boolean): string | undefined {
  if (!computed && key.type === 'Identifier') return key.name as string;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) {
    return String(key.value);
  }
  return undefined;
}

function index(text: string | undefined): number | undefined {
  return text !== undefined && /^(0|[1-9]\d{0,8})$/.test(text) ? Number(text) : undefined;
}

/** A value written as literals only (strings, numbers, booleans, arrays and objects of them), or undefined. */
function literal(node: AstNode | undefined, context: CommandLineContext, depth = 0): unknown {
  if (!node || depth > 8) return undefined;
  const n = unwrap(node);
  if (n.type === 'Literal' && ['string', 'number', 'boolean'].includes(typeof n.value)) return n.value;
  if (n.type === 'Identifier') return literal(context.constant(n.name as string), context, depth + 1);
  if (n.type === 'ArrayExpression') {
    const items = (n.elements as (AstNode | null)[]).map((e) => (e ? literal(e, context, depth + 1) : undefined));
    return items.includes(undefined) ? undefined : items;
  }
  if (n.type !== 'ObjectExpression') return undefined;
  const out: Record<string, unknown> = {};
  for (const property of n.properties as AstNode[]) {
    const key = property.type === 'Property' ? staticKey(property.key as AstNode, !!property.computed) : undefined;
    const value = key === undefined ? undefined : literal(property.value as AstNode, context, depth + 1);
    if (key === undefined || value === undefined || key === '__proto__') return undefined;
    out[key] = value;
  }
  return out;
}

/**
 * The settings of a `parseArgs(…)` call of node:util, as JSON, when all of them are literals and its
 * `args` are absent or `process.argv.slice(k)` (then `args` is `k`); otherwise undefined.
 */
function parseConfig(call: AstNode, context: CommandLineContext): string | undefined {
  const [first, ...more] = call.arguments as AstNode[];
  if (more.length > 0 || !context.isParseArgs(unwrap(call.callee as AstNode))) return undefined;
  if (!first) return '{}';
  let settings = unwrap(first);
  if (settings.type === 'Identifier') settings = context.constant(settings.name as string) ?? settings;
  if (settings.type !== 'ObjectExpression') return undefined;
  const config: Record<string, unknown> = {};
  for (const property of settings.properties as AstNode[]) {
    const key = property.type === 'Property' ? staticKey(property.key as AstNode, !!property.computed) : undefined;
    if (key === undefined || !PARSE_SETTINGS.has(key)) return undefined;
    if (key === 'args') {
      const words = evaluate(property.value as AstNode, context);
      if (words?.kind !== 'words') return undefined;
      config.args = words.from;
      continue;
    }
    const value = literal(property.value as AstNode, context);
    if (value === undefined) return undefined;
    config[key] = value;
  }
  return JSON.stringify(config);
}

/** What one step of access (`.slice(k)`, `.map(Number)`, `[i]`, `.values`, `.name`) makes of a value. */
function accessed(value: CommandLineValue, member: AstNode, call: AstNode | undefined, context: CommandLineContext) {
  const key = staticKey(member.property as AstNode, !!member.computed);
  if (value.kind === 'words') {
    if (!call) {
      const at = index(key);
      return at === undefined ? undefined : { kind: 'position' as const, index: value.from + at };
    }
    const args = call.arguments as AstNode[];
    if (key === 'slice') {
      const start = args[0] && unwrap(args[0]);
      const from = start === undefined ? 0 : index(start.type === 'Literal' ? String(start.value) : undefined);
      return from === undefined || args.length > 2 ? undefined : { kind: 'words' as const, from: value.from + from };
    }
    if (key === 'map' && args.length === 1 && elementwise(unwrap(args[0]!), context)) return value;
    return undefined;
  }
  if (call || key === undefined) return undefined;
  if (value.kind === 'parsed' && key === 'values') return { kind: 'values' as const, config: value.config };
  // An option given many times is a list, which the code may change in place.
  if (value.kind === 'values' && !repeatable(value.config, key)) {
    return { kind: 'option' as const, name: key, config: value.config };
  }
  return undefined;
}

function repeatable(config: string, option: string): boolean {
  const { options } = JSON.parse(config) as { options?: Record<string, { multiple?: unknown }> };
  return Boolean(options?.[option]?.multiple);
}

/** Whether a `.map()` callback makes each item from that item alone (and its index). */
function elementwise(callback: AstNode, context: CommandLineContext): boolean {
  if (callback.type === 'Identifier') {
    return ELEMENTWISE.has(callback.name as string) && context.isGlobal(callback.name as string);
  }
  if (callback.type !== 'ArrowFunctionExpression' && callback.type !== 'FunctionExpression') return false;
  // The third parameter would be the whole list; what the body reads besides is walked on its own.
  const params = callback.params as AstNode[];
  return params.length <= 2 && params.every((p) => p.type === 'Identifier');
}

/** What an expression holds, when it is a value of the command line (see {@link CommandLineValue}). */
export function evaluate(node: AstNode, context: CommandLineContext, depth = 0): CommandLineValue | undefined {
  const n = unwrap(node);
  if (depth > 16) return undefined;
  if (isProcessProperty(n, 'argv', context.names)) return { kind: 'words', from: 0 };
  if (n.type === 'Identifier') return context.bindings.get(n.name as string);
  if (n.type === 'CallExpression') {
    const callee = unwrap(n.callee as AstNode);
    const config = parseConfig(n, context);
    if (config !== undefined) return { kind: 'parsed', config };
    if (callee.type !== 'MemberExpression') return undefined;
    const inner = evaluate(callee.object as AstNode, context, depth + 1);
    return inner && accessed(inner, callee, n, context);
  }
  if (n.type === 'MemberExpression') {
    const inner = evaluate(n.object as AstNode, context, depth + 1);
    return inner && isCompound(inner) ? accessed(inner, n, undefined, context) : undefined;
  }
  return undefined;
}

/**
 * The one word or option of the command line an expression holds (`process.argv[2]`, `values.data` of `parseArgs`),
 * which a path may be made of; undefined for anything else, and for Node's and the script's paths.
 */
export function commandLineArgument(node: AstNode, context: CommandLineContext): CommandLineArgument | undefined {
  const value = evaluate(node, context);
  if (value?.kind === 'position') return value.index >= 2 ? { index: value.index } : undefined;
  return value?.kind === 'option' ? { option: value.name, config: value.config } : undefined;
}

/**
 * The parts read by destructuring `value` with `pattern`; `only` keeps the part a name
 * is bound to. A name bound to a list or parsed options followed use by use reads nothing here.
 */
function destructured(
  value: CommandLineValue,
  pattern: AstNode,
  declarator: AstNode,
  context: CommandLineContext,
  only: string | undefined,
): CommandLinePart[] | undefined {
  const bound = (target: AstNode, part: CommandLineValue): CommandLinePart[] | undefined => {
    const t = target.type === 'AssignmentPattern' ? (target.left as AstNode) : target;
    if (!isCompound(part)) {
      if (only === undefined || patternHas(t, only)) return [part];
      return [];
    }
    if (t.type === 'Identifier' && context.declares(declarator, t.name as string)) return [];
    if (t.type === 'Identifier' || t.type === 'ArrayPattern' || t.type === 'ObjectPattern') {
      return destructured(part, t, declarator, context, only);
    }
    return undefined;
  };
  const parts: CommandLinePart[] = [];
  if (value.kind === 'words' && pattern.type === 'ArrayPattern') {
    for (const [at, element] of (pattern.elements as (AstNode | null)[]).entries()) {
      if (!element) continue;
      const target = element.type === 'RestElement' ? (element.argument as AstNode) : element;
      const part = element.type === 'RestElement'
        ? { kind: 'words' as const, from: value.from + at }
        : { kind: 'position' as const, index: value.from + at };
      const found = bound(target, part);
      if (!found) return undefined;
      parts.push(...found);
    }
    return parts;
  }
  if ((value.kind === 'parsed' || value.kind === 'values') && pattern.type === 'ObjectPattern') {
    for (const property of pattern.properties as AstNode[]) {
      const key = property.type === 'Property' ? staticKey(property.key as AstNode, !!property.computed) : undefined;
      if (key === undefined) return undefined;
      const part =
        value.kind === 'values'
          ? { kind: 'option' as const, name: key, config: value.config }
          : key === 'values'
            ? { kind: 'values' as const, config: value.config }
            : undefined;
      const found = part && bound(property.value as AstNode, part);
      if (!found) return undefined;
      parts.push(...found);
    }
    return parts;
  }
  return undefined;
}

function patternHas(pattern: AstNode, name: string): boolean {
  let found = false;
  walk(pattern, (node) => {
    if (node.type === 'Identifier' && node.name === name) found = true;
  });
  return found;
}

/** Where a value read at a node ends up: what it holds there, the node, and what uses it. */
interface Climbed {
  readonly value: CommandLineValue;
  readonly at: AstNode;
  readonly parent: AstNode | undefined;
  /** Whether a copy was made on the way (`.slice(k)`, `.map(Number)`): changing it changes no constant. */
  readonly copied: boolean;
}

/** Follows a value read at `node` up through the accesses that select from it (`[i]`, `.slice(k)`, `.values`, …). */
function climb(
  node: AstNode,
  start: CommandLineValue,
  parents: Map<AstNode, AstNode>,
  context: CommandLineContext,
): Climbed {
  let value = start;
  let at = node;
  let copied = false;
  for (;;) {
    let parent = parents.get(at);
    while (parent && unwrap(parent) === unwrap(at)) {
      at = parent;
      parent = parents.get(at);
    }
    if (!isCompound(value) || parent?.type !== 'MemberExpression' || parent.object !== at) {
      return { value, at, parent, copied };
    }
    const call = parents.get(parent);
    const called = call?.type === 'CallExpression' && call.callee === parent ? call : undefined;
    const next = accessed(value, parent, called, context);
    if (!next) return { value, at, parent, copied };
    copied ||= called !== undefined;
    value = next;
    at = called ?? parent;
  }
}

/** Whether `parent` is a `parseArgs(…)` call's settings property of `args`, which it reads without changing. */
function isParsedArgs(parent: AstNode, parents: Map<AstNode, AstNode>, context: CommandLineContext): boolean {
  const settings = parents.get(parent);
  const call = settings && parents.get(settings);
  return (
    parent.type === 'Property' &&
    call?.type === 'CallExpression' &&
    (call.arguments as AstNode[])[0] === settings &&
    parseConfig(call, context) !== undefined
  );
}

/**
 * The parts a value read at `node` reads, from how the code around it uses it: a word
 * or an option reads itself; a list read further (`[i]`, `.slice(k)`, `.map(Number)`,
 * destructuring) reads what it selects; used any other way, the whole command line.
 */
function partsAt(
  node: AstNode,
  start: CommandLineValue,
  parents: Map<AstNode, AstNode>,
  root: AstNode,
  context: CommandLineContext,
  binding: string | undefined,
): CommandLinePart[] {
  const { value, at, parent } = climb(node, start, parents, context);
  if (!isCompound(value)) return [value];
  if (parent?.type === 'VariableDeclarator' && parent.init === at) {
    const id = parent.id as AstNode;
    if (id.type === 'Identifier') return context.declares(parent, id.name as string) ? [] : [ALL];
    return destructured(value, id, parent, context, parent === root ? binding : undefined) ?? [ALL];
  }
  // `parseArgs({ args: process.argv.slice(2) })`: the call reads what it parses.
  if (value.kind === 'words' && parent?.value === at && isParsedArgs(parent, parents, context)) return [];
  return [ALL];
}

/** Reads of a list of words that change nothing and take no callback (which would be handed the list). */
const LIST_READS = new Set(['length', 'includes', 'indexOf', 'lastIndexOf', 'join', 'at', 'concat', 'toString']);
/** Where an expression is written to rather than read. */
const WRITTEN = new Set(['UpdateExpression', 'ArrayPattern', 'RestElement', 'ForInStatement', 'ForOfStatement']);

/**
 * Whether a use of a constant that holds a list or parsed options leaves it as it is, so what it holds at a
 * call is what it held when declared: `args.shift()`, `values.lr = …`, `f(args)` or an alias may change it.
 */
function leavesUnchanged(
  reference: AstNode,
  parents: Map<AstNode, AstNode>,
  context: CommandLineContext,
): boolean {
  const held = context.bindings.get(reference.name as string)!;
  const { value, at, parent, copied } = climb(reference, held, parents, context);
  if (!parent) return true;
  if (!isCompound(value)) {
    if (WRITTEN.has(parent.type)) return false;
    if (parent.type === 'AssignmentExpression' || parent.type === 'AssignmentPattern') return parent.left !== at;
    if (parent.type === 'UnaryExpression') return parent.operator !== 'delete';
    return !(parent.type === 'Property' && parents.get(parent)?.type === 'ObjectPattern' && parent.value === at);
  }
  if (copied) return true;
  if (parent.type === 'VariableDeclarator' && parent.init === at) {
    const id = parent.id as AstNode;
    if (id.type === 'Identifier') return context.declares(parent, id.name as string);
    // Destructuring binds words (strings), copies (`...rest`) and the parsed `values`, which must stay followed.
    let followed = true;
    walk(id, (node) => {
      if (node.type === 'Identifier' && !context.declares(parent, node.name as string)) {
        const held = boundTo(value, id, node.name as string);
        if (held && held.kind === 'values') followed = false;
      }
    });
    return followed;
  }
  if (parent.value === at && isParsedArgs(parent, parents, context)) return true;
  if (value.kind !== 'words' || parent.type !== 'MemberExpression' || parent.object !== at) return false;
  return LIST_READS.has(staticKey(parent.property as AstNode, !!parent.computed) ?? '');
}

/**
 * The parts of the command line `node` reads; `binding`, when `node` is the module's
 * declarator of that name, keeps only what the name is bound to.
 */
export function commandLineParts(node: AstNode, context: CommandLineContext, binding?: string): CommandLinePart[] {
  const starts: [AstNode, CommandLineValue][] = [];
  const { found, parents } = withAncestors(
    node,
    (child) =>
      isProcessProperty(child, 'argv', context.names) ||
      processPattern(child, 'argv', context.names) !== undefined ||
      (child.type === 'CallExpression' && calleeName(unwrap(child.callee as AstNode)) === 'parseArgs') ||
      (child.type === 'Identifier' && context.bindings.has(child.name as string)),
  );
  const references = found.some((child) => child.type === 'Identifier' && context.bindings.has(child.name as string))
    ? new Set(freeReferences(node, context.bindings))
    : undefined;
  const parts: CommandLinePart[] = [];
  for (const child of found) {
    if (child.type === 'VariableDeclarator') {
      // `const { argv: [, , lr] } = process` takes the words its pattern selects.
      const pattern = processPattern(child, 'argv', context.names)!;
      const words = { kind: 'words' as const, from: 0 };
      parts.push(...(destructured(words, pattern, child, context, child === node ? binding : undefined) ?? [ALL]));
    } else if (child.type === 'Identifier' && context.bindings.has(child.name as string)) {
      if (references?.has(child)) starts.push([child, context.bindings.get(child.name as string)!]);
    } else if (child.type === 'Identifier') {
      // A name given `process.argv`, where it is used rather than declared.
      if (isReference(child, parents)) starts.push([child, { kind: 'words', from: 0 }]);
    } else if (child.type !== 'CallExpression') starts.push([child, { kind: 'words', from: 0 }]);
    else {
      const config = parseConfig(child, context);
      if (config !== undefined) starts.push([child, { kind: 'parsed', config }]);
      else if (readsOwnCommandLine(child, context)) starts.push([child, ALL]);
    }
  }
  return [...parts, ...starts.flatMap(([at, value]) => partsAt(at, value, parents, node, context, binding))];
}

/**
 * Whether a `parseArgs(…)` call (of any origin) may parse `process.argv`: unless its settings are seen to
 * give `args` of their own (a spread or a constant that cannot be read may hold any).
 */
function readsOwnCommandLine(call: AstNode, context: CommandLineContext): boolean {
  const options = (call.arguments as AstNode[])[0];
  if (options === undefined) return true;
  let config = unwrap(options);
  if (config.type === 'Identifier') config = context.constant(config.name as string) ?? config;
  if (config.type !== 'ObjectExpression') return true;
  return !(config.properties as AstNode[]).some(
    (property) => property.type === 'Property' && staticKey(property.key as AstNode, !!property.computed) === 'args',
  );
}

/** Sources node:util is imported by. */
const UTIL = new Set(['node:util', 'util']);

/** Whether a module constant is `require('node:util')`, or destructures `name` from it. */
function requiresUtil(declaration: Declaration | undefined, name?: string): boolean {
  const node = declaration?.node;
  if (declaration?.keyword !== 'const' || node?.type !== 'VariableDeclarator' || !node.init) return false;
  const init = unwrap(node.init as AstNode);
  // Any other value (`const num = (s) => Number(s)`) has no callee.
  if (init.type !== 'CallExpression') return false;
  const [source] = init.arguments as AstNode[];
  if (calleeName(init.callee as AstNode) !== 'require' || !source || !UTIL.has(source.value as string)) return false;
  const id = node.id as AstNode;
  if (name === undefined) return id.type === 'Identifier';
  return (
    id.type === 'ObjectPattern' &&
    (id.properties as AstNode[]).some(
      (p) => p.type === 'Property' && staticKey(p.key as AstNode, !!p.computed) === 'parseArgs' &&
        unwrap(p.value as AstNode).name === name,
    )
  );
}

/** The top-level statements of a program whose text matches `words`, found in one pass over the text. */
function spelledIn(program: AstNode, text: string, words: RegExp): AstNode[] {
  const statements = program.body as AstNode[];
  const found = new Set<AstNode>();
  const all = new RegExp(words.source, 'g');
  for (let match = all.exec(text); match !== null; match = all.exec(text)) {
    let low = 0;
    let high = statements.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (statements[middle]!.start <= match.index) low = middle;
      else high = middle - 1;
    }
    const statement = statements[low];
    if (statement && statement.start <= match.index && match.index < statement.end) found.add(statement);
  }
  return [...found];
}

/** Text that may use one of `names`: one of them as a whole word, or an escape (`\u0061rgs` spells `args`). */
function spelling(names: Iterable<string>): RegExp {
  const words = [...names].map((name) => `(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
  return new RegExp(['\\\\u', ...words].join('|'));
}

/**
 * The nodes below `root` (itself included) that `match`, and the parent of each node on the way to them:
 * all that following a value up from where it is read needs.
 */
function withAncestors(
  root: AstNode,
  match: (node: AstNode) => boolean,
): { found: AstNode[]; parents: Map<AstNode, AstNode> } {
  const found: AstNode[] = [];
  const parents = new Map<AstNode, AstNode>();
  const path: AstNode[] = [];
  const visit = (node: AstNode): void => {
    if (match(node)) {
      found.push(node);
      for (let i = path.length - 1; i >= 0 && !parents.has(path[i + 1] ?? node); i--) {
        parents.set(path[i + 1] ?? node, path[i]!);
      }
    }
    path.push(node);
    for (const child of childNodes(node)) visit(child);
    path.pop();
  };
  visit(root);
  return { found, parents };
}

/** Kinds of pattern that an identifier declaring a name may sit in. */
const PATTERNS = new Set(['ObjectPattern', 'ArrayPattern', 'RestElement', 'AssignmentPattern', 'Property']);

/**
 * Whether an identifier may use a binding: not a property name, label or declared name. A local that
 * shadows the constant counts as a use of it, which can only keep the constant from being followed.
 */
function isReference(identifier: AstNode, parents: Map<AstNode, AstNode>): boolean {
  const parent = parents.get(identifier);
  if (!parent) return true;
  if (parent.label === identifier) return false;
  const named = (parent.key === identifier || parent.property === identifier) && !parent.computed;
  if (named && !(parent.type === 'Property' && parent.shorthand)) return false;
  // A name a declaration binds: below patterns, a declarator's or a function's own name, or a parameter.
  let at = identifier;
  let above: AstNode | undefined = parent;
  while (above && PATTERNS.has(above.type) && !(above.type === 'AssignmentPattern' && above.right === at)) {
    if (above.type === 'Property' && parents.get(above)?.type !== 'ObjectPattern') break;
    at = above;
    above = parents.get(above);
  }
  if (!above) return true;
  if (above.id === at || (above.type === 'CatchClause' && above.param === at)) return false;
  return !(Array.isArray(above.params) && (above.params as AstNode[]).includes(at));
}

/**
 * The module constants followed use by use (see the module comment), with what each holds: those
 * whose every use in the module leaves what they hold unchanged.
 */
function followedBindings(program: AstNode, text: string, summary: ModuleSummary, context: CommandLineContext): void {
  const bindings = context.bindings as Map<string, CommandLineValue>;
  const exported = new Set(
    [...summary.exports.values()].flatMap((target) => ('local' in target ? [target.local] : [])),
  );
  const refused = new Set<string>();
  for (;;) {
    bindings.clear();
    for (let grown = true; grown; ) {
      grown = false;
      for (const [name, { node, keyword }] of summary.declarations) {
        if (bindings.has(name) || exported.has(name) || refused.has(name)) continue;
        if (keyword !== 'const' || node.type !== 'VariableDeclarator') continue;
        const value = node.init ? evaluate(node.init as AstNode, context) : undefined;
        const held = value && isCompound(value) ? boundTo(value, node.id as AstNode, name) : undefined;
        if (held && isCompound(held)) {
          bindings.set(name, held);
          grown = true;
        }
      }
    }
    if (bindings.size === 0) return;
    // Only statements that spell a name can use it (an escape such as `\u0061rgs` may spell any).
    const changed: AstNode[] = [];
    for (const statement of spelledIn(program, text, spelling(bindings.keys()))) {
      const { found, parents } = withAncestors(
        statement,
        (child) => child.type === 'Identifier' && bindings.has(child.name as string),
      );
      for (const child of found) {
        if (isReference(child, parents) && !leavesUnchanged(child, parents, context)) changed.push(child);
      }
    }
    if (changed.length === 0) return;
    for (const reference of changed) refused.add(reference.name as string);
  }
}

/** What `name`, declared by `pattern`, holds when `pattern` destructures `value`. */
function boundTo(value: CommandLineValue, pattern: AstNode, name: string): CommandLineValue | undefined {
  const target = pattern.type === 'AssignmentPattern' ? (pattern.left as AstNode) : pattern;
  if (target.type === 'Identifier') return target.name === name ? value : undefined;
  if (value.kind === 'words' && target.type === 'ArrayPattern') {
    for (const [at, element] of (target.elements as (AstNode | null)[]).entries()) {
      if (element?.type === 'RestElement') {
        return boundTo({ kind: 'words', from: value.from + at }, element.argument as AstNode, name);
      }
    }
  }
  if (value.kind === 'parsed' && target.type === 'ObjectPattern') {
    for (const property of target.properties as AstNode[]) {
      if (property.type === 'Property' && staticKey(property.key as AstNode, !!property.computed) === 'values') {
        return boundTo({ kind: 'values', config: value.config }, property.value as AstNode, name);
      }
    }
  }
  return undefined;
}

/** A module's context for {@link commandLineParts}; without `follow`, no constant is followed use by use. */
export function moduleCommandLine(
  program: AstNode,
  text: string,
  summary: ModuleSummary,
  follow: boolean,
): CommandLineContext {
  const imported = (name: string) => summary.imports.get(name);
  // Without these words no name is given `process` (`\u` may spell them) or a file function.
  const given = /['"](node:)?process['"]|=\s*(globalThis\s*\.\s*)?process\b|\\u/.test(text) ||
    mayRenameFileReaders(text);
  const context: CommandLineContext = {
    names: given ? processNames(program) : NO_PROCESS_NAMES,
    constant(name) {
      const declaration = summary.declarations.get(name);
      // A constant the top level changes (`options.epochs.default = '5'`) holds other settings than declared.
      if (declaration?.keyword !== 'const' || summary.mutations.has(name)) return undefined;
      return (declaration.node.init as AstNode | null) ?? undefined;
    },
    isParseArgs(callee) {
      if (callee.type === 'Identifier') {
        const binding = imported(callee.name as string);
        if (binding) return UTIL.has(binding.source) && binding.imported === 'parseArgs';
        return requiresUtil(summary.declarations.get(callee.name as string), callee.name as string);
      }
      const object = callee.type === 'MemberExpression' ? unwrap(callee.object as AstNode) : undefined;
      if (object?.type !== 'Identifier' || staticKey(callee.property as AstNode, !!callee.computed) !== 'parseArgs') {
        return false;
      }
      const binding = imported(object.name as string);
      if (binding) return UTIL.has(binding.source) && (binding.imported === '*' || binding.imported === 'default');
      return requiresUtil(summary.declarations.get(object.name as string));
    },
    isGlobal: (name) => !summary.declarations.has(name) && !summary.imports.has(name),
    bindings: new Map(),
    declares: (declarator, name) =>
      context.bindings.has(name) && summary.declarations.get(name)?.node === declarator,
  };
  if (follow && !summary.dynamicScope) followedBindings(program, text, summary, context);
  const { names } = context;
  const used = [...context.bindings.keys(), ...names.process, ...names.argv, ...names.env, ...names.readers.keys()];
  return used.length > 0 ? { ...context, uses: spelling(used) } : context;
}

/** The context of code with no module: nothing is known of its names but those it gives `process` itself. */
export function codeCommandLine(node: AstNode): CommandLineContext {
  return {
    constant: () => undefined,
    isParseArgs: () => false,
    isGlobal: () => false,
    bindings: new Map(),
    declares: () => false,
    names: processNames(node),
  };
}

/**
 * Which names a piece of code uses but does not declare, and where the enclosing
 * code declares them (pure). Only value positions count: a name used as a type, a
 * property key or a label is not a dependency.
 */
import { walk, type AstNode } from '../function-source.js';
import { isTypeOnly, unwrapTypes } from './code-normalization.js';
import { changedNames } from './mutation.js';

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** Keys under which TypeScript keeps types; never followed. */
const TYPE_KEYS = new Set([
  'typeAnnotation',
  'returnType',
  'typeParameters',
  'typeArguments',
  'superTypeArguments',
  'superTypeParameters',
  'implements',
]);

/** Whether a node is a function (declaration, expression or arrow). */
export function isFunctionNode(node: AstNode | null | undefined): boolean {
  return !!node && FUNCTION_TYPES.has(node.type);
}

function isNode(value: unknown): value is AstNode {
  return !!value && typeof value === 'object' && typeof (value as AstNode).type === 'string';
}

/** The child nodes of a node, in source order, types excluded. */
export function childNodes(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const key in node) {
    if (TYPE_KEYS.has(key)) continue;
    const child = node[key];
    if (Array.isArray(child)) {
      for (const item of child) if (isNode(item)) out.push(item);
    } else if (isNode(child)) out.push(child);
  }
  return out;
}

/** The names a binding pattern (`a`, `{ a, b: [c] }`, `...d`, `e = 1`) declares. */
export function patternNames(pattern: AstNode | null | undefined, out: string[] = []): string[] {
  if (!pattern) return out;
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name as string);
      break;
    case 'ObjectPattern':
      for (const property of pattern.properties as AstNode[]) {
        patternNames(property.type === 'RestElement' ? property : (property.value as AstNode), out);
      }
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements as (AstNode | null)[]) patternNames(element, out);
      break;
    case 'RestElement':
      patternNames(pattern.argument as AstNode, out);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left as AstNode, out);
      break;
    case 'TSParameterProperty':
      patternNames(pattern.parameter as AstNode, out);
      break;
  }
  return out;
}

/** Names a statement declares in the block that contains it (let, const, class, function, import, enum). */
function lexicalNames(statement: AstNode, out: string[]): void {
  const node =
    (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') &&
    isNode(statement.declaration)
      ? statement.declaration
      : statement;
  if (isTypeOnly(node)) return;
  switch (node.type) {
    case 'VariableDeclaration':
      if (node.kind !== 'var') for (const d of node.declarations as AstNode[]) patternNames(d.id as AstNode, out);
      break;
    case 'FunctionDeclaration':
    case 'ClassDeclaration':
    case 'TSEnumDeclaration':
    case 'TSModuleDeclaration':
      if (isNode(node.id) && node.id.type === 'Identifier') out.push(node.id.name as string);
      break;
    case 'ImportDeclaration':
      for (const s of node.specifiers as AstNode[]) {
        if (s.importKind !== 'type') out.push((s.local as AstNode).name as string);
      }
      break;
    case 'TSImportEqualsDeclaration':
      out.push((node.id as AstNode).name as string);
      break;
  }
}

/** `var` declarations hoisted to the enclosing function or module, not crossing nested functions. */
function varNames(node: AstNode, out: string[]): void {
  if (isFunctionNode(node) || node.type === 'ClassDeclaration' || node.type === 'ClassExpression') return;
  if (node.type === 'VariableDeclaration' && node.kind === 'var' && !node.declare) {
    for (const d of node.declarations as AstNode[]) patternNames(d.id as AstNode, out);
  }
  for (const child of childNodes(node)) if (!child.type.endsWith('Expression')) varNames(child, out);
}

/** The names a scope-creating node declares for the code inside it; undefined when it creates no scope. */
export function scopeNames(node: AstNode): string[] | undefined {
  const out: string[] = [];
  switch (node.type) {
    case 'Program':
      for (const s of node.body as AstNode[]) {
        lexicalNames(s, out);
        varNames(s, out);
      }
      return out;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      for (const p of node.params as AstNode[]) patternNames(p, out);
      if (node.type === 'FunctionExpression' && isNode(node.id)) out.push(node.id.name as string);
      if (node.type !== 'ArrowFunctionExpression') out.push('arguments');
      if (isNode(node.body) && node.body.type === 'BlockStatement') {
        for (const s of node.body.body as AstNode[]) varNames(s, out);
      }
      return out;
    case 'BlockStatement':
    case 'StaticBlock':
      for (const s of node.body as AstNode[]) lexicalNames(s, out);
      return out;
    case 'SwitchStatement':
      for (const c of node.cases as AstNode[]) for (const s of c.consequent as AstNode[]) lexicalNames(s, out);
      return out;
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement': {
      const head = (node.type === 'ForStatement' ? node.init : node.left) as AstNode | null;
      if (head?.type === 'VariableDeclaration') lexicalNames(head, out);
      return out;
    }
    case 'CatchClause':
      patternNames(node.param as AstNode | null, out);
      return out;
    case 'TSModuleDeclaration':
      if (isNode(node.body) && Array.isArray(node.body.body)) {
        for (const s of node.body.body as AstNode[]) lexicalNames(s, out);
      }
      return out;
  }
  return undefined;
}

/** Visits the value-position identifiers below `node`, with the scopes declared between `node` and each of them. */
function visitReferences(
  node: AstNode,
  scopes: Set<string>[],
  use: (name: string, scopes: Set<string>[], node: AstNode) => void,
): void {
  if (isTypeOnly(node)) return;
  const unwrapped = unwrapTypes(node);
  if (unwrapped !== node) return visitReferences(unwrapped, scopes, use);
  const each = (child: unknown, inner = scopes) => {
    if (isNode(child)) visitReferences(child, inner, use);
  };
  switch (node.type) {
    case 'Identifier':
      return use(node.name as string, scopes, node);
    case 'JSXIdentifier':
      // Lower-case JSX names are intrinsic elements (`<div>`), not bindings.
      if (/^[A-Z_$]/.test(node.name as string)) use(node.name as string, scopes, node);
      return;
    case 'VariableDeclarator':
      visitPatternValues(node.id as AstNode, each);
      return each(node.init);
    case 'MemberExpression':
      each(node.object);
      if (node.computed) each(node.property);
      return;
    case 'Property':
    case 'MethodDefinition':
    case 'PropertyDefinition':
    case 'AccessorProperty':
      if (node.computed) each(node.key);
      for (const d of (node.decorators as AstNode[] | undefined) ?? []) each(d);
      return each(node.value);
    case 'LabeledStatement':
      return each(node.body);
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'MetaProperty':
    case 'ImportDeclaration':
    case 'ExportAllDeclaration':
    case 'TSImportEqualsDeclaration':
      return;
    case 'ExportSpecifier':
      return each(node.local);
    case 'ExportNamedDeclaration':
      if (node.source) return;
      break;
    case 'TSEnumDeclaration':
      for (const member of (node.members ?? (node.body as AstNode | undefined)?.members ?? []) as AstNode[]) {
        each(member.initializer);
      }
      return;
    case 'TSEnumMember':
      return each(node.initializer);
    case 'TSParameterProperty':
      return each(node.parameter);
    case 'TSExportAssignment':
      return each(node.expression);
  }
  if (node.type.startsWith('TS') && node.type !== 'TSModuleDeclaration' && node.type !== 'TSModuleBlock') return;
  const declared = scopeNames(node);
  const inner = declared ? [...scopes, new Set(declared)] : scopes;
  // A declaration's own name is a binding, not a use.
  const ownName = DECLARES_ID.has(node.type) ? node.id : undefined;
  for (const child of childNodes(node)) if (child !== ownName) each(child, inner);
}

const DECLARES_ID = new Set(['FunctionDeclaration', 'FunctionExpression', 'ClassDeclaration', 'ClassExpression']);

/** The expressions inside a binding pattern: default values and computed keys. */
function visitPatternValues(pattern: AstNode | null, each: (child: unknown) => void): void {
  if (!pattern) return;
  switch (pattern.type) {
    case 'ObjectPattern':
      for (const property of pattern.properties as AstNode[]) {
        if (property.type === 'RestElement') visitPatternValues(property.argument as AstNode, each);
        else {
          if (property.computed) each(property.key);
          visitPatternValues(property.value as AstNode, each);
        }
      }
      return;
    case 'ArrayPattern':
      for (const element of pattern.elements as (AstNode | null)[]) visitPatternValues(element, each);
      return;
    case 'RestElement':
      return visitPatternValues(pattern.argument as AstNode, each);
    case 'AssignmentPattern':
      visitPatternValues(pattern.left as AstNode, each);
      return each(pattern.right);
  }
}

const freeNames = new WeakMap<AstNode, readonly string[]>();

/**
 * The names `node` uses without declaring them itself: its free variables, sorted;
 * worked out once per node (a shared helper is reached from many functions).
 */
export function freeVariables(node: AstNode): readonly string[] {
  let names = freeNames.get(node);
  if (!names) {
    const free = new Set<string>();
    visitReferences(node, [], (name, scopes) => {
      if (!scopes.some((scope) => scope.has(name))) free.add(name);
    });
    names = [...free].sort();
    freeNames.set(node, names);
  }
  return names;
}

/** The identifiers below `node` that use one of `names` without `node` declaring it. */
export function freeReferences(node: AstNode, names: ReadonlyMap<string, unknown>): AstNode[] {
  const found: AstNode[] = [];
  visitReferences(node, [], (name, scopes, reference) => {
    if (names.has(name) && !scopes.some((scope) => scope.has(name))) found.push(reference);
  });
  return found;
}

/** The names under which code reaches the global object. */
const GLOBAL_OBJECTS: ReadonlyMap<string, true> = new Map([
  ['globalThis', true],
  ['global', true],
]);

/**
 * The globals `node` reads as properties of the global object, written statically:
 * `globalThis.SCALE`, `global.SCALE`, `globalThis['SCALE']` (unless `node` declares that name itself).
 */
export function globalObjectProperties(node: AstNode): string[] {
  const objects = new Set(freeReferences(node, GLOBAL_OBJECTS));
  if (objects.size === 0) return [];
  const names = new Set<string>();
  walk(node, (child) => {
    if (child.type !== 'MemberExpression' || !objects.has(unwrapTypes(child.object as AstNode))) return;
    const property = unwrapTypes(child.property as AstNode);
    if (!child.computed) names.add(property.name as string);
    else if (property.type === 'Literal' && typeof property.value === 'string') names.add(property.value);
  });
  return [...names].sort();
}

/** Of `names`, those `node` reads as members of any object: `xs.total`, `xs?.total`, `xs['total']`. */
export function memberNames(node: AstNode, names: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  walk(node, (child) => {
    if (child.type !== 'MemberExpression') return true;
    const property = unwrapTypes(child.property as AstNode);
    const name = child.computed ? (property.type === 'Literal' ? property.value : undefined) : property.name;
    if (typeof name === 'string' && names.has(name)) found.add(name);
    return true;
  });
  return [...found].sort();
}

/**
 * The child of `node` whose span contains [start, end]; arrays of children, sorted by position, are binary-searched.
 */
function childContaining(node: AstNode, start: number, end: number): AstNode | undefined {
  for (const key in node) {
    if (TYPE_KEYS.has(key)) continue;
    const child = node[key];
    if (Array.isArray(child)) {
      let low = 0;
      let high = child.length - 1;
      while (low <= high) {
        const mid = (low + high) >> 1;
        const item = child[mid] as AstNode | null;
        if (!isNode(item)) break;
        if (item.end < end) low = mid + 1;
        else if (item.start > start) high = mid - 1;
        else {
          return item;
        }
      }
    } else if (isNode(child) && child.start <= start && child.end >= end) return child;
  }
  return undefined;
}

/** The nodes from `root` down to the innermost one whose span contains [start, end]. */
export function pathToRange(root: AstNode, start: number, end: number): AstNode[] {
  const path = [root];
  for (let next = childContaining(root, start, end); next; next = childContaining(next, start, end)) path.push(next);
  return path;
}

/** The nodes from `root` down to `target` (both included), or undefined when `target` is not below `root`. */
export function pathTo(root: AstNode, target: AstNode): AstNode[] | undefined {
  const path = pathToRange(root, target.start, target.end);
  const at = path.indexOf(target);
  return at === -1 ? undefined : path.slice(0, at + 1);
}

/** The bindings of a module's top level (a module summary has them). */
export interface TopLevelNames {
  readonly declarations: ReadonlyMap<string, unknown>;
  readonly imports: ReadonlyMap<string, unknown>;
}

/** Where a free name of a node is declared, seen from the node. */
export type NameOrigin = 'module' | 'enclosing' | 'global';

/**
 * Sorts the free names of the last node of `path` (a path from the Program) by where
 * they are declared: at the module's top level, in an enclosing function or block
 * (a closure value, known only at run time), or nowhere (a global).
 */
export function classifyFreeNames(path: readonly AstNode[], module: TopLevelNames): Map<string, NameOrigin> {
  const target = path[path.length - 1]!;
  const enclosing = path
    .slice(1, -1)
    .map(scopeNames)
    .filter((names): names is string[] => names !== undefined)
    .map((names) => new Set(names));
  const origins = new Map<string, NameOrigin>();
  for (const name of freeVariables(target)) {
    const atTop = module.declarations.has(name) || module.imports.has(name);
    origins.set(name, enclosing.some((scope) => scope.has(name)) ? 'enclosing' : atTop ? 'module' : 'global');
  }
  return origins;
}

/**
 * Of the enclosing variables a node at the end of `path` captures, those that some
 * function changes — assigns, updates, or mutates through a member or a method such
 * as `push` or `set`. Such a variable is state the functions keep (a counter, a
 * cache), not configuration fixed when the function was made, and its value at the
 * first call says nothing about what the function computes.
 */
export function capturedState(path: readonly AstNode[], names: readonly string[]): Set<string> {
  const state = new Set<string>();
  for (const name of names) {
    const declaring = path.slice(1, -1).findLast((node) => scopeNames(node)?.includes(name));
    if (!declaring) continue;
    let changed = false;
    const visit = (node: AstNode, insideFunction: boolean): void => {
      if (changed) return;
      const inner = insideFunction || (node !== declaring && isFunctionNode(node));
      if (inner && changedNames(node, false).includes(name)) changed = true;
      for (const child of childNodes(node)) visit(child, inner);
    };
    visit(declaring, false);
    if (changed) state.add(name);
  }
  return state;
}

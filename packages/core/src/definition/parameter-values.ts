/**
 * Where a value in the code is what an enclosing function's caller gave it (pure): a parameter (`name`), a name a
 * parameter's pattern binds (`dataset` of `{ dataset }`), or a property read from either (`cfg.data`), as long as
 * the function cannot have changed it since the call began.
 */
import { walk, type AstNode } from '../function-source.js';
import { unwrapTypes } from './code-normalization.js';
import { MUTATING_METHODS } from './mutation.js';
import { childNodes, isFunctionNode, pathToRange, patternNames, scopeNames } from './scope-resolution.js';

/** A value an enclosing function's caller gave (see the module comment). */
export interface ParameterValue {
  /** The function whose parameter holds it. */
  readonly fn: AstNode;
  /** The parameter's position. */
  readonly position: number;
  /** Where in the argument the value is: `['data']` for `cfg.data`, or for `data` of `{ data }`; empty for all. */
  readonly property: readonly string[];
  /** The name the code reads it by, and the properties it reads from that name (`cfg` and `['data']`). */
  readonly root: string;
  readonly chain: readonly string[];
  /**
   * Set when the value is each item of a list the caller gave (`file` of `for (const file of files)`, of
   * `files.map((file) => …)`): the list as the code spells it (`files`); `property` leads to the list.
   */
  readonly each?: string;
}

/** A parameter value as the code spells it: `name`, `cfg.data`; each item of a list, `files[]`. */
export function spelled(value: Pick<ParameterValue, 'root' | 'chain' | 'each'>): string {
  return value.each === undefined ? [value.root, ...value.chain].join('.') : `${value.each}[]`;
}

/** Array methods that call a function with each item first (`files.map((file) => …)`). */
const ITEM_METHODS = new Set([
  'map',
  'forEach',
  'flatMap',
  'filter',
  'some',
  'every',
  'find',
  'findLast',
  'findIndex',
  'findLastIndex',
]);

/**
 * For a call that runs a function on each item of a list (`files.map((file) => …)`), the name the function's first
 * parameter gives each item and the list; else undefined.
 */
export function itemCallback(call: AstNode): { item: string; list: AstNode; fn: AstNode } | undefined {
  const callee = unwrapTypes(call.callee as AstNode);
  if (callee.type !== 'MemberExpression' || callee.computed) return undefined;
  if (!ITEM_METHODS.has((callee.property as AstNode).name as string)) return undefined;
  const fn = (call.arguments as AstNode[])[0];
  const first = fn && isFunctionNode(fn) ? (fn.params as AstNode[])[0] : undefined;
  if (first?.type !== 'Identifier') return undefined;
  return { item: first.name as string, list: callee.object as AstNode, fn: fn! };
}

/**
 * The list whose items `scope` gives `name` one by one, with the path down to it: `files` of
 * `for (const file of files)` or of `files.map((file) => …)` (the callback's first parameter); else undefined.
 */
function itemList(
  path: readonly AstNode[],
  scope: AstNode,
  name: string,
): { path: AstNode[]; list: AstNode } | undefined {
  const at = path.indexOf(scope);
  let list: AstNode | undefined;
  if (scope.type === 'ForOfStatement' && !scope.await) {
    const left = scope.left as AstNode;
    const [declarator, more] = left.type === 'VariableDeclaration' ? (left.declarations as AstNode[]) : [];
    const id = declarator?.id as AstNode | undefined;
    if (left.kind !== 'var' && !more && id?.type === 'Identifier' && id.name === name) list = scope.right as AstNode;
  } else if (isFunctionNode(scope) && at > 0 && path[at - 1]!.type === 'CallExpression') {
    const callback = itemCallback(path[at - 1]!);
    if (callback?.fn === scope && callback.item === name) list = callback.list;
  }
  if (!list) return undefined;
  // `files.filter(…)`, `files.slice(1)`: some of the items of `files`, which stands for them all.
  for (let n = unwrapTypes(list); n.type === 'CallExpression';) {
    const callee = unwrapTypes(n.callee as AstNode);
    const method = callee.type === 'MemberExpression' && !callee.computed ? (callee.property as AstNode).name : '';
    if (!SOME_ITEMS.has(method as string)) break;
    n = unwrapTypes((list = callee.object as AstNode));
  }
  const down = pathToRange(scope, list.start, list.end);
  return { path: [...path.slice(0, at), ...down], list: unwrapTypes(list) };
}

/** Array methods whose value holds some of the items of the array they are called on, in some order. */
const SOME_ITEMS = new Set(['filter', 'slice', 'toSorted', 'toReversed', 'sort', 'reverse']);

/**
 * Whether code may change which items the list `value` spells holds (`files.push(…)`, `files[0] = …`,
 * `cfg.files = …`), or, with `handedOn`, hands the list or what holds it to other code (`validate(files)`) but at
 * `except`, which may.
 */
export function changesItems(
  code: AstNode,
  value: Pick<ParameterValue, 'root' | 'chain'>,
  except?: AstNode,
  handedOn = true,
): boolean {
  const spelledAs = [value.root, ...value.chain];
  // Whether a node is the list, an item of it or what holds it.
  const touches = (node: AstNode) => {
    let n = unwrapTypes(node);
    while (n.type === 'MemberExpression' && (n.computed || !valueChain(n))) n = unwrapTypes(n.object as AstNode);
    const chain = valueChain(n);
    const at = chain && [chain.root, ...chain.chain];
    return !!at && (startsOf(at, spelledAs) || startsOf(spelledAs, at));
  };
  let changes = false;
  walk(code, (child) => {
    if (changes) return false;
    const written =
      child.type === 'AssignmentExpression' ? (child.left as AstNode)
        : child.type === 'UpdateExpression' || (child.type === 'UnaryExpression' && child.operator === 'delete')
          ? (child.argument as AstNode)
        : undefined;
    if (written && unwrapTypes(written).type === 'MemberExpression' && touches(written)) changes = true;
    if (child.type === 'CallExpression' || child.type === 'NewExpression') {
      const callee = unwrapTypes(child.callee as AstNode);
      const method = callee.type === 'MemberExpression' && !callee.computed ? (callee.property as AstNode).name : '';
      if (MUTATING_METHODS.has(method as string) && touches(callee.object as AstNode)) changes = true;
      const handed = (arg: AstNode) => handedOn && arg !== except && valueChain(arg) !== undefined && touches(arg);
      if ((child.arguments as AstNode[]).some(handed)) changes = true;
    }
    return !changes;
  });
  return changes;
}

/** Whether code assigns a name (`name = …`, `name++`, `[name] = …`); a declaration of it again shadows it. */
function assigned(node: AstNode, name: string): boolean {
  let found = false;
  walk(node, (child) => {
    const target =
      child.type === 'AssignmentExpression' ? (child.left as AstNode)
        : child.type === 'UpdateExpression' ? (child.argument as AstNode)
        : undefined;
    if (target && unwrapTypes(target).type !== 'MemberExpression' && namesIn(target).has(name)) found = true;
    return !found;
  });
  return found;
}

/** A name, or properties read from one (`cfg.paths.data`): the name and the properties in order; else undefined. */
export function valueChain(node: AstNode): { readonly root: string; readonly chain: readonly string[] } | undefined {
  const n = unwrapTypes(node);
  if (n.type === 'Identifier') return { root: n.name as string, chain: [] };
  if (n.type !== 'MemberExpression' || n.computed || n.optional) return undefined;
  const inner = valueChain(n.object as AstNode);
  return inner && { root: inner.root, chain: [...inner.chain, (n.property as AstNode).name as string] };
}

/**
 * The values an expression is made of: each name, or the longest chain of properties read from one (`cfg.data` in
 * `join(DATA, cfg.data)`); a property's own name is none.
 */
export function valuesIn(expression: AstNode): AstNode[] {
  const values: AstNode[] = [];
  walk(expression, (child) => {
    if (valueChain(child)) {
      values.push(child);
      return false;
    }
    if (child.type === 'MemberExpression') {
      values.push(...valuesIn(child.object as AstNode));
      if (child.computed) values.push(...valuesIn(child.property as AstNode));
      return false;
    }
    if (child.type === 'Property' && !child.computed) {
      values.push(...valuesIn(child.value as AstNode));
      return false;
    }
    return true;
  });
  return values;
}

/**
 * The properties leading to `name` in a parameter's pattern (`['data', 'path']` for `{ data: { path } }`), and the
 * identifier declaring it there.
 */
function patternPath(pattern: AstNode, name: string): { path: string[]; declaration: AstNode } | undefined {
  const n = pattern.type === 'AssignmentPattern' ? (pattern.left as AstNode) : pattern;
  if (n.type === 'Identifier') return n.name === name ? { path: [], declaration: n } : undefined;
  if (n.type !== 'ObjectPattern') return undefined;
  for (const property of n.properties as AstNode[]) {
    if (property.type !== 'Property' || property.computed) continue;
    const key = property.key as AstNode;
    const inner = patternPath(property.value as AstNode, name);
    if (inner) return { path: [String(key.name ?? key.value), ...inner.path], declaration: inner.declaration };
  }
  return undefined;
}

/** The identifiers a parameter declares where {@link parameterValue} can follow them: `name`, `{ data: { path } }`. */
export function parameterDeclarations(pattern: AstNode): AstNode[] {
  const n = pattern.type === 'AssignmentPattern' ? (pattern.left as AstNode) : pattern;
  if (n.type === 'Identifier') return [n];
  if (n.type !== 'ObjectPattern') return [];
  return (n.properties as AstNode[]).flatMap((property) =>
    property.type === 'Property' && !property.computed ? parameterDeclarations(property.value as AstNode) : []);
}

/**
 * Where a function's parameters bind `name`: the position, the properties within the argument and the identifier
 * declaring it; else undefined.
 */
function parameterPlace(
  fn: AstNode,
  name: string,
): { readonly position: number; readonly property: readonly string[]; readonly declaration: AstNode } | undefined {
  const params = fn.params as AstNode[];
  for (let position = 0; position < params.length; position++) {
    const found = patternPath(params[position]!, name);
    if (found) return { position, property: found.path, declaration: found.declaration };
  }
  return undefined;
}

/** Whether a function's body assigns a name (`name = …`, `name += …`, `name++`, `[name] = …`) or declares it again. */
function reassigns(fn: AstNode, name: string): boolean {
  let found = false;
  walk(fn.body, (child) => {
    if (found) return false;
    if (child.type === 'VariableDeclarator' && patternNames(child.id as AstNode).includes(name)) found = true;
    const target =
      child.type === 'AssignmentExpression' ? (child.left as AstNode)
        : child.type === 'UpdateExpression' ? (child.argument as AstNode)
        : undefined;
    if (target && unwrapTypes(target).type !== 'MemberExpression' && namesIn(target).has(name)) found = true;
    return true;
  });
  return found;
}

/** The names a pattern or expression holds, not counting properties' names. */
function namesIn(node: AstNode): Set<string> {
  const names = new Set<string>();
  for (const value of valuesIn(node)) names.add(valueChain(value)!.root);
  return names;
}

/** Whether `a` is `b` or its start (`['paths']` of `['paths', 'data']`). */
function startsOf(a: readonly string[], b: readonly string[]): boolean {
  return a.length <= b.length && a.every((key, i) => b[i] === key);
}

/**
 * Whether a function may change what `name`, read at `read` (`['data']` for `cfg.data`), holds: by assigning it or
 * an object holding it (`cfg.data = …`, `delete cfg.data`), calling a method of such an object (`cfg.reset()`), or
 * handing such an object to other code (`normalize(cfg)`), which may. `except`: a use that is the read itself;
 * `rebound`: the value is what the caller gave, which giving the name another value (`name = …`) leaves as it was.
 */
function changesValue(
  fn: AstNode,
  name: string,
  read: readonly string[],
  except: AstNode | undefined,
  rebound: boolean,
): boolean {
  let changes = false;
  const visit = (node: AstNode, use: 'read' | 'written' | 'called'): void => {
    if (changes || node === except) return;
    const chain = valueChain(node);
    if (chain) {
      if (chain.root !== name) return;
      const at = chain.chain;
      if (rebound && use === 'written' && at.length === 0) return;
      const holder = use === 'called' ? at.slice(0, -1) : at;
      // Writing it or what holds it changes it; so may code given what holds it (a method, as its `this`).
      const holds = holder.length < read.length && startsOf(holder, read);
      changes = use === 'written' ? startsOf(at, read) || startsOf(read, at) : holds;
      return;
    }
    const written =
      node.type === 'AssignmentExpression' ? node.left
        : node.type === 'UpdateExpression' || (node.type === 'UnaryExpression' && node.operator === 'delete')
          ? node.argument
        : undefined;
    const called = node.type === 'CallExpression' || node.type === 'NewExpression' ? node.callee : undefined;
    for (const child of childNodes(node)) {
      visit(child, child === written ? 'written' : child === called ? 'called' : 'read');
    }
  };
  visit(fn.body as AstNode, 'read');
  for (const param of fn.params as AstNode[]) {
    if (param.type === 'AssignmentPattern') visit(param.right as AstNode, 'read');
  }
  return changes;
}

/** The identifier a name, or properties read from one, starts with (`cfg` of `cfg.data`). */
function rootOf(node: AstNode): AstNode {
  const n = unwrapTypes(node);
  return n.type === 'MemberExpression' ? rootOf(n.object as AstNode) : n;
}

/**
 * The parameter value `node` (a name, or properties read from one) is, where `path` (from the analyzed code down to
 * `node`) uses it: undefined when the innermost scope declaring the name is not a function binding it as a
 * parameter, or the function may have changed it since the call began. A name spelled by the parameter's own
 * declaration stands for what the caller gave, though the function assigns the name again (`localValues`' `given`).
 * `deeper`: properties read further from it by the code it is handed to, at `node`.
 */
export function parameterValue(
  path: readonly AstNode[],
  node: AstNode,
  deeper: readonly string[] = [],
): ParameterValue | undefined {
  const chain = valueChain(node);
  if (!chain) return undefined;
  const { root } = chain;
  const fn = path.findLast((scope) => scopeNames(scope)?.includes(root));
  // Each item of a list the caller gave, read whole and never assigned: the list is the value followed.
  const items = fn && itemList(path, fn, root);
  if (items && chain.chain.length === 0 && deeper.length === 0 && !assigned(fn!, root)) {
    const list = parameterValue(items.path, items.list);
    const followed = list && list.each === undefined && !changesItems(list.fn.body as AstNode, list);
    if (followed) return { ...list, root, chain: [], each: spelled(list) };
  }
  const place = fn && isFunctionNode(fn) ? parameterPlace(fn, root) : undefined;
  if (fn && !place) return destructuredValue(path, fn, chain, deeper);
  if (!fn || !place) return undefined;
  const given = rootOf(node) === place.declaration;
  if (!given && reassigns(fn, root)) return undefined;
  if (changesValue(fn, root, [...chain.chain, ...deeper], deeper.length > 0 ? node : undefined, given)) {
    return undefined;
  }
  return { fn, position: place.position, property: [...place.property, ...chain.chain], root, chain: chain.chain };
}

/** The value a declaration in `scope` (not in its functions) gives `name` from, when one does. */
function declaredFrom(scope: AstNode, name: string): AstNode | undefined {
  let found: AstNode | undefined;
  walk(scope, (child) => {
    if (found || (child !== scope && isFunctionNode(child))) return false;
    const declares = child.type === 'VariableDeclarator' && patternNames(child.id as AstNode).includes(name);
    if (declares && child.init) found = child.init as AstNode;
    return !found;
  });
  return found;
}

/**
 * The parameter value a name a `const` destructures from one holds (`file` of `const { file } = opts`), read as
 * `chain` with `deeper` properties read further from it; undefined when it is none, has a default, or may change.
 */
function destructuredValue(
  path: readonly AstNode[],
  scope: AstNode,
  chain: { readonly root: string; readonly chain: readonly string[] },
  deeper: readonly string[],
): ParameterValue | undefined {
  const { root } = chain;
  let found: { init: AstNode; at: string[] } | undefined;
  let other = false;
  walk(scope, (child) => {
    if (child !== scope && isFunctionNode(child)) return false;
    if (child.type !== 'VariableDeclaration') return true;
    for (const declarator of child.declarations as AstNode[]) {
      const id = declarator.id as AstNode;
      if (!patternNames(id).includes(root)) continue;
      const place = id.type === 'ObjectPattern' ? patternPath(id, root) : undefined;
      const init = declarator.init ? unwrapTypes(declarator.init as AstNode) : undefined;
      // A default stands for what the value does not hold: not the caller's text.
      let defaulted = false;
      walk(id, (n) => {
        if (n.type === 'AssignmentPattern' && patternNames(n.left as AstNode).includes(root)) defaulted = true;
        return !defaulted;
      });
      if (child.kind === 'const' && place && init && valueChain(init) && !defaulted && !found) {
        found = { init, at: place.path };
      } else other = true;
    }
    return true;
  });
  if (!found || other) return undefined;
  const { init, at } = found;
  const read = [...at, ...chain.chain, ...deeper];
  const value = parameterValue(pathToRange(path[0]!, init.start, init.end), init, read);
  // What the name holds may be changed through it, as through the parameter (`file.name = …`).
  const local = isFunctionNode(scope) ? scope : ({ type: 'Function', body: scope, params: [] } as unknown as AstNode);
  if (!value || value.each !== undefined || changesValue(local, root, [...chain.chain, ...deeper], undefined, false)) {
    return undefined;
  }
  return { ...value, property: [...value.property, ...at, ...chain.chain], root, chain: chain.chain };
}

/**
 * A parameter an expression in `code` is made from: the first name in it that the innermost scope declaring it
 * binds as a parameter of a function; else undefined.
 */
export function parameterUsed(code: AstNode, expression: AstNode, depth = 0): string | undefined {
  for (const value of valuesIn(expression)) {
    const { root } = valueChain(value)!;
    const path = pathToRange(code, value.start, value.end);
    const fn = path.findLast((scope) => scopeNames(scope)?.includes(root));
    // An item of a list made from a parameter (`for (const file of files)`) is made from it too.
    const items = fn && depth < 4 ? itemList(path, fn, root) : undefined;
    const listed = items && parameterUsed(code, items.list, depth + 1);
    if (listed) return listed;
    if (fn && isFunctionNode(fn) && parameterPlace(fn, root)) return root;
    // A name declared from a parameter (`const { file = 'a.csv' } = opts`) is made from it too.
    const declared = fn && depth < 4 ? declaredFrom(fn, root) : undefined;
    const from = declared && parameterUsed(code, declared, depth + 1);
    if (from) return from;
  }
  return undefined;
}

/**
 * The bindings a piece of code declares for itself (pure), so its normal form can
 * spell them by position rather than by name: renaming a local variable or a
 * parameter is not a change of meaning. Names the code also uses from outside
 * (a shadowed helper) keep their spelling, and so do the names a module declares
 * at its top level (other modules import them by name).
 */
import { walk, type AstNode } from '../function-source.js';
import { unwrapTypes } from './code-normalization.js';
import { itemCallback, parameterDeclarations } from './parameter-values.js';
import { childNodes, freeVariables, isFunctionNode, patternNames, scopeNames } from './scope-resolution.js';

/** What the normal form needs to know of a node's own bindings. */
export interface LocalBindings {
  /** Names declared inside the node and only ever meaning those declarations: spelled by position. */
  readonly renamable: ReadonlySet<string>;
  /** `let` and `const` declarations none of whose names is ever assigned: for them the two mean the same. */
  readonly alike: ReadonlySet<AstNode>;
}

/** Binds names assigned by an assignment target (`x = …`, `[a, b] = …`, `x++`), member targets excluded. */
function assignedNames(target: AstNode | null | undefined, out: Set<string>): void {
  if (!target || target.type === 'MemberExpression') return;
  for (const name of patternNames(target)) out.add(name);
}

/** The names assigned to anywhere in a node (`x = …`, `[a, b] = …`, `x++`, `for (x of …)`). */
export function reassignedNames(node: AstNode): Set<string> {
  const out = new Set<string>();
  walk(node, (child) => {
    switch (child.type) {
      case 'AssignmentExpression':
        assignedNames(child.left as AstNode, out);
        break;
      case 'UpdateExpression':
        assignedNames(child.argument as AstNode, out);
        break;
      case 'ForInStatement':
      case 'ForOfStatement':
        if ((child.left as AstNode).type !== 'VariableDeclaration') assignedNames(child.left as AstNode, out);
        break;
    }
    return true;
  });
  return out;
}

/** The local bindings of a node (see {@link LocalBindings}). */
export function localBindings(node: AstNode): LocalBindings {
  const declared = new Set<string>();
  const declarations: AstNode[] = [];
  walk(node, (child) => {
    if (child.type !== 'Program') for (const name of scopeNames(child) ?? []) declared.add(name);
    if (child.type === 'VariableDeclaration' && (child.kind === 'let' || child.kind === 'const')) {
      declarations.push(child);
    }
    return true;
  });
  declared.delete('arguments');
  for (const name of freeVariables(node)) declared.delete(name);
  const reassigned = declarations.length > 0 ? reassignedNames(node) : new Set<string>();
  const alike = new Set(
    declarations.filter((d) =>
      (d.declarations as AstNode[]).every((declarator) =>
        patternNames(declarator.id as AstNode).every((name) => !reassigned.has(name)),
      ),
    ),
  );
  return { renamable: declared, alike };
}

const moduleAssignments = new WeakMap<AstNode, Set<string>>();

/** {@link reassignedNames} of a whole module, worked out once per parsed module. */
export function moduleReassignedNames(program: AstNode): ReadonlySet<string> {
  let names = moduleAssignments.get(program);
  if (!names) {
    names = reassignedNames(program);
    moduleAssignments.set(program, names);
  }
  return names;
}

/** What a node's own names hold, as {@link localValues} finds it. */
export interface LocalValues {
  /**
   * Names holding values the code shows, by the expression giving it; a name assigned more than once
   * (`let path = 'a.csv'; if (full) path = 'b.csv'`), by a conditional expression whose branches are those values.
   * A value made from the name's own earlier value (`path = join('data', path)`, `path += '.csv'`) holds that value
   * in its place; a parameter's value as its caller gave it is spelled by the parameter's own declaration (see
   * `given`).
   */
  readonly values: ReadonlyMap<string, AstNode>;
  /** Every name the node declares for itself and never uses for anything outside: none stands for a module's. */
  readonly own: ReadonlySet<string>;
  /**
   * The declarations of parameters the code assigns again, standing in `values` for what the caller gave
   * (`name` of `function f(name) { name = name + '.csv' }`).
   */
  readonly given: ReadonlySet<AstNode>;
  /** Parameters the code assigns again in a way no expression shows (`name++`, `[name] = …`, in a loop from itself). */
  readonly unfollowed: ReadonlySet<string>;
  /**
   * Names a loop gives each item of a list and the code never assigns, by the list: `file` of
   * `for (const file of FILES)`.
   */
  readonly items: ReadonlyMap<string, AstNode>;
}

/** Values an expression may take apart: as deep as the branches of `a ? b : c` are followed where values are read. */
const MAX_VALUES = 16;

/** One of `values`, as a conditional expression whose branches are they (balanced, so each is reached in few steps). */
export function eitherOf(values: readonly AstNode[]): AstNode {
  if (values.length === 1) return values[0]!;
  const half = Math.ceil(values.length / 2);
  const [first, last] = [values[0]!, values[values.length - 1]!];
  return {
    type: 'ConditionalExpression',
    start: first.start,
    end: last.end,
    test: { type: 'Identifier', name: 'undefined', start: first.start, end: first.start },
    consequent: eitherOf(values.slice(0, half)),
    alternate: eitherOf(values.slice(half)),
  };
}

function isNode(value: unknown): value is AstNode {
  return !!value && typeof value === 'object' && typeof (value as AstNode).type === 'string';
}

/** Whether a child of a node is a name's own spelling rather than a use of it: `x` of `o.x`, a key of `{ x: 1 }`. */
function isPropertyName(parent: AstNode, key: string): boolean {
  return (
    ((parent.type === 'MemberExpression' || parent.type === 'PropertyDefinition') && key === 'property' &&
      !parent.computed) ||
    (parent.type === 'Property' && key === 'key' && !parent.computed)
  );
}

/**
 * A copy of an expression with each node `replace` gives another for replaced by it (pure). Not looked into: the
 * expression's own functions, whose scope may declare names again, a property's name, and `skip` (a parameter's
 * declaration standing for its value).
 */
export function replaceNodes(
  expression: AstNode,
  replace: (node: AstNode) => AstNode | undefined,
  skip: ReadonlySet<AstNode> = new Set(),
): AstNode {
  const copy = (n: AstNode): AstNode => {
    if (skip.has(n)) return n;
    const replaced = replace(n);
    if (replaced) return replaced;
    if (isFunctionNode(n)) return n;
    const out: AstNode = { ...n };
    for (const key of Object.keys(n)) {
      const child = n[key];
      if (isPropertyName(n, key)) continue;
      if (Array.isArray(child)) out[key] = child.map((item) => (isNode(item) ? copy(item) : item));
      else if (isNode(child)) out[key] = copy(child);
    }
    return out;
  };
  return copy(expression);
}

/** A copy of an expression in which each use of `name` is `value` (see {@link replaceNodes}). */
export function withValue(
  expression: AstNode,
  name: string,
  value: AstNode,
  skip: ReadonlySet<AstNode> = new Set(),
): AstNode {
  return replaceNodes(expression, (n) => (n.type === 'Identifier' && n.name === name ? value : undefined), skip);
}

/** The names an expression uses (see {@link replaceNodes}). */
export function usedNames(expression: AstNode, skip: ReadonlySet<AstNode> = new Set()): Set<string> {
  const names = new Set<string>();
  replaceNodes(
    expression,
    (n) => {
      if (n.type === 'Identifier') names.add(n.name as string);
      return undefined;
    },
    skip,
  );
  return names;
}

/** Statements whose body runs again: an assignment there may see its own earlier value. */
const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

/** An assignment of a name: the value it gives, and whether it may run again or later than its place says. */
interface Assignment {
  readonly value: AstNode;
  /** In a loop, or in a function other than the one declaring the name. */
  readonly repeated: boolean;
  /**
   * A statement of its own in the body of the function declaring the name, with no use of the name above it
   * (`name = join('data', name)` first thing): no read sees the value the name held before.
   */
  readonly replaces: boolean;
}

/** The values a name may hold, in order: where it starts, then each assignment's; undefined when they are too many. */
function followedValues(
  name: string,
  start: AstNode | undefined,
  assignments: readonly Assignment[],
): AstNode[] | undefined {
  const values = start ? [start] : [];
  // An assignment in another function may run before any other: its value may be the one an assignment builds on.
  const anytime = assignments.filter((a) => a.repeated).map((a) => a.value);
  for (const [i, { value, repeated, replaces }] of assignments.entries()) {
    // No read sees the values before one that replaces them.
    const replaced = i === 0 && replaces;
    if (!usedNames(value).has(name)) {
      if (replaced) values.length = 0;
      values.push(value);
      continue;
    }
    // `path = join('data', path)` in a loop builds on itself without end.
    if (repeated) return undefined;
    const before = [...new Set([...values, ...anytime])];
    if (before.length === 0) return undefined;
    if (replaced) values.length = 0;
    values.push(...before.map((earlier) => withValue(value, name, earlier)));
    if (values.length > MAX_VALUES) return undefined;
  }
  return values.length <= MAX_VALUES ? values : undefined;
}

/**
 * The values of a node's own bindings (pure): a name the node declares once, never meaning anything outside the node
 * (`const path = join('data', name)` in a function), given values that are not objects or arrays (which code may
 * change in place) by its declaration and by assignments (`path = 'b.csv'`, `path += '.csv'`) alone; a parameter
 * assigned so, by what its caller gave and those values. A module's top-level names are its constants, not the
 * node's own.
 */
export function localValues(node: AstNode): LocalValues {
  const own = new Set(localBindings(node).renamable);
  if (node.type === 'Program') for (const name of scopeNames(node) ?? []) own.delete(name);
  const declarations = new Map<string, number>();
  // Where each name starts, and the function declaring it: a variable's value, or a parameter's declaration.
  const starts = new Map<string, { value: AstNode | undefined; home: AstNode }>();
  const parameters = new Set<string>();
  const assignments = new Map<string, (Omit<Assignment, 'replaces'> & { readonly at: number | undefined })[]>();
  // Names given a value no expression shows: an object or an array, `*=`, `++`, destructuring, `for (x of …)`.
  const unknown = new Set<string>();
  // Names a `for (const x of list)` gives each item, by the list.
  const lists = new Map<string, AstNode>();
  // The functions enclosing the visited node, each with whether a loop of its own encloses the node.
  const enclosing: { fn: AstNode; inLoop: boolean }[] = [{ fn: node, inLoop: false }];
  // Assignments that are statements of their own in a function's body, by that function.
  const bodyStatements = new Map<AstNode, AstNode>();
  // Where each name is first used, declarations aside; in a function declaration, which may run before its place,
  // anywhere.
  const firstUse = new Map<string, number>();
  const declaring = new Set<AstNode>();
  const give = (name: string, value: AstNode, assignment: AstNode) => {
    const n = unwrapTypes(value);
    if (n.type === 'ObjectExpression' || n.type === 'ArrayExpression') return unknown.add(name);
    const home = starts.get(name)?.home;
    const inner = enclosing[enclosing.length - 1]!;
    const repeated = home !== inner.fn || inner.inLoop;
    const at = !repeated && home && bodyStatements.get(assignment) === home ? assignment.start : undefined;
    assignments.set(name, [...(assignments.get(name) ?? []), { value: n, repeated, at }]);
  };
  const visit = (child: AstNode): void => {
    if (child.type !== 'Program') {
      for (const name of scopeNames(child) ?? []) declarations.set(name, (declarations.get(name) ?? 0) + 1);
    }
    if (child.type === 'Identifier' && !declaring.has(child)) {
      const hoisted = enclosing.some(({ fn }) => fn !== node && fn.type === 'FunctionDeclaration');
      const at = hoisted ? -1 : child.start;
      firstUse.set(child.name as string, Math.min(at, firstUse.get(child.name as string) ?? Infinity));
    }
    if (isFunctionNode(child)) {
      for (const id of (child.params as AstNode[]).flatMap(parameterDeclarations)) {
        parameters.add(id.name as string);
        starts.set(id.name as string, { value: id, home: child });
        declaring.add(id);
      }
      const body = child.body as AstNode;
      for (const statement of body.type === 'BlockStatement' ? (body.body as AstNode[]) : []) {
        if (statement.type === 'ExpressionStatement') bodyStatements.set(statement.expression as AstNode, child);
      }
    }
    const id = child.type === 'VariableDeclarator' ? (child.id as AstNode) : undefined;
    if (id?.type === 'Identifier') declaring.add(id);
    if (id?.type === 'Identifier') {
      const value = child.init ? unwrapTypes(child.init as AstNode) : undefined;
      if (value?.type === 'ObjectExpression' || value?.type === 'ArrayExpression') unknown.add(id.name as string);
      starts.set(id.name as string, { value, home: enclosing[enclosing.length - 1]!.fn });
    }
    if (child.type === 'AssignmentExpression') {
      const target = unwrapTypes(child.left as AstNode);
      if (target.type === 'Identifier' && child.operator === '=') {
        give(target.name as string, child.right as AstNode, child);
      } else if (target.type === 'Identifier' && child.operator === '+=') {
        const left = { type: 'Identifier', name: target.name, start: target.start, end: target.end };
        give(target.name as string, { ...child, type: 'BinaryExpression', operator: '+', left } as AstNode, child);
      } else assignedNames(target, unknown);
    } else if (child.type === 'UpdateExpression') {
      assignedNames(child.argument as AstNode, unknown);
    } else if (child.type === 'CallExpression') {
      // `FILES.map((file) => …)`: the callback's first parameter is each item.
      const list = itemCallback(child);
      if (list) lists.set(list.item, list.list);
    } else if (child.type === 'ForInStatement' || child.type === 'ForOfStatement') {
      // `for (x of …)`, `for (let x of …)`: each item.
      const left = child.left as AstNode;
      const targets = left.type === 'VariableDeclaration' ? (left.declarations as AstNode[]).map((d) => d.id) : [left];
      const [item] = targets as AstNode[];
      const declared = left.type === 'VariableDeclaration' && left.kind !== 'var' && targets.length === 1;
      if (child.type === 'ForOfStatement' && declared && item!.type === 'Identifier' && !child.await) {
        lists.set(item!.name as string, child.right as AstNode);
      } else for (const target of targets) assignedNames(target as AstNode, unknown);
    }
    const fn = isFunctionNode(child) && child !== node;
    if (fn) enclosing.push({ fn: child, inLoop: false });
    const loop = !fn && LOOPS.has(child.type) && !enclosing[enclosing.length - 1]!.inLoop;
    if (loop) enclosing[enclosing.length - 1]!.inLoop = true;
    for (const inner of childNodes(child)) visit(inner);
    if (loop) enclosing[enclosing.length - 1]!.inLoop = false;
    if (fn) enclosing.pop();
  };
  visit(node);
  // An item a loop gives a name that the code assigns too is no one item.
  for (const name of lists.keys()) if (assignments.has(name)) unknown.add(name);
  const values = new Map<string, AstNode>();
  const given = new Set<AstNode>();
  const unfollowed = new Set<string>();
  for (const [name, start] of starts) {
    const list = assignments.get(name);
    const parameter = parameters.has(name) && start.value?.type === 'Identifier' && start.value.name === name;
    // A parameter never assigned is what its caller gave, which the analysis reads by parameter.
    if (!own.has(name) || declarations.get(name) !== 1 || (parameter && !list && !unknown.has(name))) continue;
    // An assignment with no use of the name above it replaces the value the name started with.
    const used = firstUse.get(name) ?? Infinity;
    const followed = (list ?? []).map(({ at, ...rest }) => ({ ...rest, replaces: at !== undefined && used >= at }));
    const found = unknown.has(name) ? undefined : followedValues(name, start.value, followed);
    if (found?.length) values.set(name, eitherOf(found));
    if (parameter && found) given.add(start.value!);
    else if (parameter) unfollowed.add(name);
  }
  const items = new Map<string, AstNode>();
  for (const [name, list] of lists) {
    if (own.has(name) && declarations.get(name) === 1 && !assignments.has(name) && !unknown.has(name)) {
      items.set(name, list);
    }
  }
  return { values, own, given, unfollowed, items };
}


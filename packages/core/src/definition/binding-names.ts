/**
 * The bindings a piece of code declares for itself (pure), so its normal form can
 * spell them by position rather than by name: renaming a local variable or a
 * parameter is not a change of meaning. Names the code also uses from outside
 * (a shadowed helper) keep their spelling, and so do the names a module declares
 * at its top level (other modules import them by name).
 */
import { walk, type AstNode } from '../function-source.js';
import { unwrapTypes } from './code-normalization.js';
import { freeVariables, patternNames, scopeNames } from './scope-resolution.js';

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
   */
  readonly values: ReadonlyMap<string, AstNode>;
  /** Every name the node declares for itself and never uses for anything outside: none stands for a module's. */
  readonly own: ReadonlySet<string>;
}

/** Values an expression may take apart: as deep as the branches of `a ? b : c` are followed where values are read. */
const MAX_VALUES = 16;

/** One of `values`, as a conditional expression whose branches are they (balanced, so each is reached in few steps). */
function eitherOf(values: readonly AstNode[]): AstNode {
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

/**
 * The values of a node's own bindings (pure): a name the node declares once, never meaning anything outside the node
 * (`const path = join('data', name)` in a function), given values that are not objects or arrays (which code may
 * change in place) by its declaration and by plain assignments (`path = 'b.csv'`) alone. A module's top-level names
 * are its constants, not the node's own.
 */
export function localValues(node: AstNode): LocalValues {
  const own = new Set(localBindings(node).renamable);
  if (node.type === 'Program') for (const name of scopeNames(node) ?? []) own.delete(name);
  const declarations = new Map<string, number>();
  // Names a variable declaration declares: a parameter's or a loop variable's first value is not in the code.
  const variables = new Set<string>();
  const given = new Map<string, AstNode[]>();
  // Names given a value no expression shows: an object or an array, `+=`, `++`, destructuring, `for (x of …)`.
  const unknown = new Set<string>();
  const give = (name: string, value: AstNode) => {
    const n = unwrapTypes(value);
    if (n.type === 'ObjectExpression' || n.type === 'ArrayExpression') unknown.add(name);
    else given.set(name, [...(given.get(name) ?? []), n]);
  };
  walk(node, (child) => {
    if (child.type !== 'Program') {
      for (const name of scopeNames(child) ?? []) declarations.set(name, (declarations.get(name) ?? 0) + 1);
    }
    const id = child.type === 'VariableDeclarator' ? (child.id as AstNode) : undefined;
    if (id?.type === 'Identifier') variables.add(id.name as string);
    if (id?.type === 'Identifier' && child.init) give(id.name as string, child.init as AstNode);
    if (child.type === 'AssignmentExpression') {
      const target = unwrapTypes(child.left as AstNode);
      if (child.operator === '=' && target.type === 'Identifier') give(target.name as string, child.right as AstNode);
      else assignedNames(target, unknown);
    } else if (child.type === 'UpdateExpression') {
      assignedNames(child.argument as AstNode, unknown);
    } else if (child.type === 'ForInStatement' || child.type === 'ForOfStatement') {
      // `for (x of …)`, `for (let x of …)`: each item.
      const left = child.left as AstNode;
      const targets = left.type === 'VariableDeclaration' ? (left.declarations as AstNode[]).map((d) => d.id) : [left];
      for (const target of targets) assignedNames(target as AstNode, unknown);
    }
    return true;
  });
  const values = new Map<string, AstNode>();
  for (const [name, list] of given) {
    const known = own.has(name) && variables.has(name) && declarations.get(name) === 1 && !unknown.has(name);
    if (known && list.length <= MAX_VALUES) values.set(name, eitherOf(list));
  }
  return { values, own };
}


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
  /** Names holding one value throughout, by the expression giving it. */
  readonly values: ReadonlyMap<string, AstNode>;
  /** Every name the node declares for itself and never uses for anything outside: none stands for a module's. */
  readonly own: ReadonlySet<string>;
}

/**
 * The values of a node's own bindings that hold one value throughout (pure): a name the node declares once, with a
 * value that is not an object or an array (which code may change in place), never assigned again, and never meaning
 * anything outside the node (`const path = join('data', name)` in a function). A module's top-level names are its
 * constants, not the node's own.
 */
export function localValues(node: AstNode): LocalValues {
  const own = new Set(localBindings(node).renamable);
  if (node.type === 'Program') for (const name of scopeNames(node) ?? []) own.delete(name);
  const declarations = new Map<string, number>();
  const values = new Map<string, AstNode>();
  walk(node, (child) => {
    if (child.type !== 'Program') {
      for (const name of scopeNames(child) ?? []) declarations.set(name, (declarations.get(name) ?? 0) + 1);
    }
    const id = child.type === 'VariableDeclarator' ? (child.id as AstNode) : undefined;
    const init = child.init ? unwrapTypes(child.init as AstNode) : undefined;
    if (id?.type === 'Identifier' && init && init.type !== 'ObjectExpression' && init.type !== 'ArrayExpression') {
      values.set(id.name as string, init);
    }
    return true;
  });
  const reassigned = values.size > 0 ? reassignedNames(node) : new Set<string>();
  for (const name of values.keys()) {
    if (!own.has(name) || declarations.get(name) !== 1 || reassigned.has(name)) values.delete(name);
  }
  return { values, own };
}

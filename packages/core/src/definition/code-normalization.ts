/**
 * The part of a syntax tree that decides what code does (pure): positions, raw
 * literal spellings and TypeScript's type-only syntax are dropped, so whitespace,
 * comment and type edits leave the normalized form, and hence the hash, unchanged.
 */
import type { AstNode } from '../function-source.js';
import type { LocalBindings } from './binding-names.js';

/** Keys that hold positions, spellings or types: never runtime behaviour. */
const DROPPED_KEYS = new Set([
  'start', 'end', 'range', 'loc', 'raw',
  'typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'superTypeArguments', 'superTypeParameters',
  'implements', 'definite', 'accessibility', 'override', 'readonly', 'declare',
]);

/** Expressions whose TypeScript wrapper only informs the type checker. */
const TYPE_WRAPPERS = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TSInstantiationExpression',
]);

/** Statements and members that exist only for the type checker. */
const TYPE_ONLY_NODES = new Set([
  'TSTypeAliasDeclaration',
  'TSInterfaceDeclaration',
  'TSDeclareFunction',
  'TSIndexSignature',
  'TSAbstractMethodDefinition',
  'TSAbstractPropertyDefinition',
  'TSAbstractAccessorProperty',
  'TSEmptyBodyFunctionExpression',
]);

/** Nodes on which `optional` is a type annotation (`x?: T`), not optional chaining. */
const OPTIONAL_IS_TYPE = new Set([
  'Identifier',
  'PropertyDefinition',
  'MethodDefinition',
  'AccessorProperty',
  'ObjectPattern',
  'ArrayPattern',
  'AssignmentPattern',
  'RestElement',
]);

/** Whether a node has no runtime effect at all (type declarations, `declare`, `import type`, overload signatures). */
export function isTypeOnly(node: AstNode): boolean {
  if (TYPE_ONLY_NODES.has(node.type) || node.declare === true) return true;
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  if (node.type === 'MethodDefinition' && (node.value as AstNode | null)?.type === 'TSEmptyBodyFunctionExpression') {
    return true;
  }
  if (node.type === 'ExportNamedDeclaration' && node.declaration && isTypeOnly(node.declaration as AstNode)) {
    return true;
  }
  if (node.type === 'TSModuleDeclaration' && node.kind === 'global') return true;
  // `function f(this: Foo)`: the `this` parameter is a type annotation.
  return node.type === 'Identifier' && node.name === 'this' && node.typeAnnotation != null;
}

/** The expression inside type-only wrappers such as `x as T` and `x!`. */
export function unwrapTypes(node: AstNode): AstNode {
  let current = node;
  while (TYPE_WRAPPERS.has(current.type)) current = current.expression as AstNode;
  return current;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Keys under which an Identifier is a property or label name, never a binding or a reference. */
function isNameOnly(parent: AstNode, key: string): boolean {
  if (key === 'label' || key === 'meta') return true;
  if (key === 'property' && parent.type === 'MemberExpression') return !parent.computed;
  if (key === 'property' && parent.type === 'MetaProperty') return true;
  if (key === 'key') return !parent.computed;
  return key === 'imported' || key === 'exported' || (key === 'local' && parent.type === 'ExportSpecifier');
}

/** A key or member name written as a string literal (`o['k']`, `{ 'k': 1 }`) as the identifier it means. */
function asIdentifier(node: AstNode | undefined): AstNode | undefined {
  return node?.type === 'Literal' && typeof node.value === 'string' && IDENTIFIER.test(node.value)
    ? { type: 'Identifier', name: node.value, start: node.start, end: node.end }
    : undefined;
}

/** A node spelled one way where the language has several for the same meaning. */
function canonicalSpelling(node: AstNode): AstNode {
  if (node.type === 'MemberExpression' && node.computed) {
    const property = asIdentifier(node.property as AstNode);
    return property ? { ...node, property, computed: false } : node;
  }
  if (
    (node.type === 'Property' || node.type === 'MethodDefinition' || node.type === 'PropertyDefinition') &&
    !node.computed
  ) {
    const key = asIdentifier(node.key as AstNode);
    return key ? { ...node, key } : node;
  }
  return node;
}

/** Spells local bindings by position, in order of first appearance. */
class Renamer {
  private readonly names = new Map<string, string>();

  constructor(private readonly bindings: LocalBindings | undefined) {}

  name(name: string): string {
    if (!this.bindings?.renamable.has(name)) return name;
    let spelled = this.names.get(name);
    if (spelled === undefined) {
      spelled = `$${this.names.size}`;
      this.names.set(name, spelled);
    }
    return spelled;
  }

  /** `let` and `const` mean the same for bindings never assigned. */
  kind(declaration: AstNode): unknown {
    return this.bindings?.alike.has(declaration) ? 'lexical' : declaration.kind;
  }
}

function strip(value: unknown, renamer: Renamer, nameOnly = false): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      if (
        item &&
        typeof item === 'object' &&
        typeof (item as AstNode).type === 'string' &&
        isTypeOnly(item as AstNode)
      ) {
        continue;
      }
      out.push(strip(item, renamer));
    }
    return out;
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (!value || typeof value !== 'object') return value;
  const isNode = typeof (value as AstNode).type === 'string';
  const node = isNode ? canonicalSpelling(unwrapTypes(value as AstNode)) : (value as AstNode);
  const out: Record<string, unknown> = {};
  for (const key in node) {
    if (DROPPED_KEYS.has(key)) continue;
    if (key === 'optional' && OPTIONAL_IS_TYPE.has(node.type)) continue;
    // `{ x }` and `{ x: x }` are one thing.
    if (key === 'shorthand') continue;
    const child = node[key];
    if (key === 'decorators' && Array.isArray(child) && child.length === 0) continue;
    if (key === 'name' && node.type === 'Identifier' && !nameOnly) out[key] = renamer.name(child as string);
    else if (key === 'kind' && node.type === 'VariableDeclaration') out[key] = renamer.kind(node);
    else {
      out[key] = strip(child, renamer, isNode && isNameOnly(node, key));
    }
  }
  return out;
}

/**
 * A node's code as JSON without positions, raw literal spellings, comments,
 * whitespace or types; with `bindings`, its local bindings spelled by position and
 * `let`/`const` alike where never reassigned. Property access and keys are spelled
 * as identifiers where a string literal means the same (`o['k']` is `o.k`), and
 * shorthand properties as written out.
 */
export function normalizedCode(node: AstNode, bindings?: LocalBindings): string {
  return JSON.stringify(strip(node, new Renamer(bindings)));
}

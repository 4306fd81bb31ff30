/**
 * The part of a syntax tree that decides what code does (pure): positions, raw
 * literal spellings and TypeScript's type-only syntax are dropped, so whitespace,
 * comment and type edits leave the normalized form, and hence the hash, unchanged.
 */
import type { AstNode } from '../function-source.js';

/** Keys that hold positions, spellings or types: never runtime behaviour. */
const DROPPED_KEYS = new Set([
  'start', 'end', 'range', 'loc', 'raw',
  'typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'superTypeArguments', 'superTypeParameters',
  'implements', 'definite', 'accessibility', 'override', 'readonly', 'declare',
]);

/** Expressions whose TypeScript wrapper only informs the type checker. */
const TYPE_WRAPPERS = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'TSInstantiationExpression']);

/** Statements and members that exist only for the type checker. */
const TYPE_ONLY_NODES = new Set([
  'TSTypeAliasDeclaration', 'TSInterfaceDeclaration', 'TSDeclareFunction', 'TSIndexSignature',
  'TSAbstractMethodDefinition', 'TSAbstractPropertyDefinition', 'TSAbstractAccessorProperty', 'TSEmptyBodyFunctionExpression',
]);

/** Nodes on which `optional` is a type annotation (`x?: T`), not optional chaining. */
const OPTIONAL_IS_TYPE = new Set(['Identifier', 'PropertyDefinition', 'MethodDefinition', 'AccessorProperty', 'ObjectPattern', 'ArrayPattern', 'AssignmentPattern', 'RestElement']);

/** Whether a node has no runtime effect at all (type declarations, `declare`, `import type`, overload signatures). */
export function isTypeOnly(node: AstNode): boolean {
  if (TYPE_ONLY_NODES.has(node.type) || node.declare === true) return true;
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  if (node.type === 'MethodDefinition' && (node.value as AstNode | null)?.type === 'TSEmptyBodyFunctionExpression') return true;
  if (node.type === 'ExportNamedDeclaration' && node.declaration && isTypeOnly(node.declaration as AstNode)) return true;
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

function strip(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      if (item && typeof item === 'object' && typeof (item as AstNode).type === 'string' && isTypeOnly(item as AstNode)) continue;
      out.push(strip(item));
    }
    return out;
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (!value || typeof value !== 'object') return value;
  const node = typeof (value as AstNode).type === 'string' ? unwrapTypes(value as AstNode) : (value as AstNode);
  const out: Record<string, unknown> = {};
  for (const key in node) {
    if (DROPPED_KEYS.has(key)) continue;
    if (key === 'optional' && OPTIONAL_IS_TYPE.has(node.type)) continue;
    const child = node[key];
    if (key === 'decorators' && Array.isArray(child) && child.length === 0) continue;
    out[key] = strip(child);
  }
  return out;
}

/** A node's code as JSON without positions, raw literal spellings, comments, whitespace or types. */
export function normalizedCode(node: AstNode): string {
  return JSON.stringify(strip(node));
}

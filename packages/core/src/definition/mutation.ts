/**
 * Which variable an expression changes (pure): the basis for telling state from
 * configuration in closures, and for finding top-level code that fills a binding
 * after its declaration.
 */
import type { AstNode } from '../function-source.js';
import { unwrapTypes } from './code-normalization.js';

/** Methods that change the object they are called on. */
const MUTATING_METHODS = new Set([
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'sort',
  'reverse',
  'fill',
  'copyWithin',
  'set',
  'add',
  'delete',
  'clear',
]);

/** The variable at the root of an assignment target or member chain (`a` of `a.b[c]`). */
export function rootName(node: AstNode): string | undefined {
  let current = unwrapTypes(node);
  while (current.type === 'MemberExpression') current = unwrapTypes(current.object as AstNode);
  return current.type === 'Identifier' ? (current.name as string) : undefined;
}

/** Calls that fill the object passed first: `Object.assign(target, …)`, and esbuild's `__export(target, …)`. */
const FILLING_CALLS = new Set([
  'Object.assign',
  'Object.defineProperty',
  'Object.defineProperties',
  '__export',
  '__reExport',
]);

function calleeName(callee: AstNode): string | undefined {
  if (callee.type === 'Identifier') return callee.name as string;
  if (callee.type !== 'MemberExpression' || callee.computed) return undefined;
  const object = calleeName(callee.object as AstNode);
  return object && `${object}.${(callee.property as AstNode).name as string}`;
}

/**
 * The variable an expression changes: assigns, updates, mutates through a method
 * such as `push`, or (with `filledByCalls`) passes first to a call that fills it.
 */
export function changedName(expression: AstNode, filledByCalls: boolean): string | undefined {
  switch (expression.type) {
    case 'AssignmentExpression':
      return rootName(expression.left as AstNode);
    case 'UpdateExpression':
      return rootName(expression.argument as AstNode);
    case 'CallExpression': {
      const callee = expression.callee as AstNode;
      if (callee.type === 'MemberExpression' && MUTATING_METHODS.has((callee.property as AstNode).name as string)) {
        return rootName(callee.object as AstNode);
      }
      const first = (expression.arguments as AstNode[])[0];
      const fills = filledByCalls && FILLING_CALLS.has(calleeName(callee) ?? '');
      return fills && first?.type === 'Identifier' ? (first.name as string) : undefined;
    }
  }
  return undefined;
}

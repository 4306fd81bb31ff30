/**
 * Which variable an expression changes (pure): the basis for telling state from
 * configuration in closures, and for finding top-level code that fills a binding
 * after its declaration.
 */
import type { AstNode } from '../function-source.js';
import { unwrapTypes } from './code-normalization.js';

/** Methods that change the object they are called on. */
export const MUTATING_METHODS = new Set([
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

/**
 * Calls that change the object passed first: `Object.assign(target, …)`, esbuild's `__export(target, …)`, and the
 * reflective forms of an assignment or `delete` (`Reflect.set(cfg, 'scale', 3)`).
 */
const FILLING_CALLS = new Set([
  'Object.assign',
  'Object.defineProperty',
  'Object.defineProperties',
  'Object.setPrototypeOf',
  'Reflect.set',
  'Reflect.defineProperty',
  'Reflect.deleteProperty',
  'Reflect.setPrototypeOf',
  '__export',
  '__reExport',
]);

function calleeName(callee: AstNode): string | undefined {
  if (callee.type === 'Identifier') return callee.name as string;
  if (callee.type !== 'MemberExpression' || callee.computed) return undefined;
  const object = calleeName(callee.object as AstNode);
  return object && `${object}.${(callee.property as AstNode).name as string}`;
}

const NONE: readonly string[] = [];

/** The variables at the roots of an assignment's targets: one, or each of a destructuring's (`[a.x, b.y] = …`). */
function assignedNames(target: AstNode, out: string[]): string[] {
  switch (target.type) {
    case 'ArrayPattern':
      for (const element of target.elements as (AstNode | null)[]) if (element) assignedNames(element, out);
      break;
    case 'ObjectPattern':
      for (const property of target.properties as AstNode[]) {
        assignedNames(property.type === 'RestElement' ? property : (property.value as AstNode), out);
      }
      break;
    case 'RestElement':
      assignedNames(target.argument as AstNode, out);
      break;
    case 'AssignmentPattern':
      assignedNames(target.left as AstNode, out);
      break;
    default: {
      const name = rootName(target);
      if (name !== undefined) out.push(name);
    }
  }
  return out;
}

/**
 * The variables an expression changes: assigns (destructuring too), updates, deletes a
 * member of, mutates through a method such as `push`, or (with `filledByCalls`) passes
 * first to a call that changes it (`Object.assign(cfg.inner, …)`, `Reflect.set(cfg, …)`).
 */
export function changedNames(expression: AstNode, filledByCalls: boolean): readonly string[] {
  switch (expression.type) {
    case 'AssignmentExpression':
      return assignedNames(expression.left as AstNode, []);
    case 'UpdateExpression':
      return assignedNames(expression.argument as AstNode, []);
    case 'UnaryExpression':
      return expression.operator === 'delete' ? assignedNames(expression.argument as AstNode, []) : NONE;
    case 'CallExpression': {
      const callee = expression.callee as AstNode;
      // `Reflect.set(cfg, …)` changes `cfg`, not `Reflect`.
      if (FILLING_CALLS.has(calleeName(callee) ?? '')) {
        const first = (expression.arguments as AstNode[])[0];
        return filledByCalls && first ? assignedNames(first, []) : NONE;
      }
      if (callee.type === 'MemberExpression' && MUTATING_METHODS.has((callee.property as AstNode).name as string)) {
        return assignedNames(callee.object as AstNode, []);
      }
      return NONE;
    }
  }
  return NONE;
}

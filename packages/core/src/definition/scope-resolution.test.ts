import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSync } from 'oxc-parser';
import { walk, type AstNode } from '../function-source.js';
import { summarizeModule } from './module-summary.js';
import { capturedState, classifyFreeNames, freeVariables, globalObjectProperties, pathTo } from './scope-resolution.js';

function program(source: string): AstNode {
  const result = parseSync('x.ts', source, { sourceType: 'module', preserveParens: false });
  assert.deepEqual(result.errors, []);
  return result.program as unknown as AstNode;
}

function firstFunctionNamed(root: AstNode, name: string): AstNode {
  let found: AstNode | undefined;
  walk(root, (node) => {
    if (
      !found &&
      (node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration') &&
      (node.id as AstNode | null)?.name === name
    ) {
      found = node;
    }
  });
  assert.ok(found, `no function ${name}`);
  return found;
}

test('free variables: used names that the code does not declare itself', () => {
  const root = program(`function f(a, { b = dflt } = {}, ...rest) {
    const local = helper(a) + b + rest.length + arguments.length;
    for (let i = 0; i < n; i++) total += i;
    try { risky(); } catch (error) { report(error); }
    label: for (const x of xs) { if (x) break label; }
    { const inner = 1; }
    return inner + local + obj.prop + obj[key] + { k: v, [computed]: 1 }.k + (() => outer)() + f(1);
  }`);
  // A function declaration's own name belongs to the enclosing scope, so a recursive call is free.
  assert.deepEqual(freeVariables(firstFunctionNamed(root, 'f')), [
    'computed', 'dflt', 'f', 'helper', 'inner', 'key', 'n', 'obj', 'outer', 'report', 'risky', 'total', 'v', 'xs',
  ]);
});

test('free variables skip type positions, hoist var and function declarations, and see class members', () => {
  const root = program(`function g(x: Shape): Result<T> {
    const y = x as Other;
    later();
    function later() { return hoisted; }
    var hoisted = 1;
    return class extends Base { [k] = 1; m() { return this.v + Used; } };
  }`);
  assert.deepEqual(freeVariables(firstFunctionNamed(root, 'g')), ['Base', 'Used', 'k']);
});

test('free names are classified by where the enclosing code declares them', () => {
  const root = program(`import { imported } from './x.js';
const TOP = 1;
function make(k) {
  const local = 2;
  return function inner(x) { return x + k + local + TOP + imported + Math.max(1, 2) + below(); };
}
function below() {}`);
  const inner = firstFunctionNamed(root, 'inner');
  const origins = classifyFreeNames(pathTo(root, inner)!, summarizeModule(root));
  assert.deepEqual(Object.fromEntries(origins), {
    Math: 'global',
    TOP: 'module',
    below: 'module',
    imported: 'module',
    k: 'enclosing',
    local: 'enclosing',
  });
});

test('captured variables that functions change are state, not configuration', () => {
  const root = program(`function make(k) {
  let runs = 0;
  const cache = new Map();
  const seen = [];
  let scale = 1;
  scale = k > 1 ? 2 : 1;
  const bump = () => { seen.length; };
  return function inner(x) { runs++; cache.set(x, 1); bump(); return x * k * scale + seen.length; };
}`);
  const path = pathTo(root, firstFunctionNamed(root, 'inner'))!;
  assert.deepEqual([...capturedState(path, ['bump', 'cache', 'k', 'runs', 'scale', 'seen'])].sort(), ['cache', 'runs']);
});

test('global object properties: globals read through globalThis or global, unless the code declares that name', () => {
  const root = program(
    `function f(x) { return x * globalThis.SCALE + global['OFFSET'] + (globalThis as any).RATE + globalThis[key]; }\n` +
      `function g(globalThis) { return globalThis.SHADOWED; }`,
  );
  assert.deepEqual(globalObjectProperties(firstFunctionNamed(root, 'f')), ['OFFSET', 'RATE', 'SCALE']);
  assert.deepEqual(globalObjectProperties(firstFunctionNamed(root, 'g')), []);
});

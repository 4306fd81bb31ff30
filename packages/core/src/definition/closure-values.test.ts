import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  RuntimeHasher,
  lookupVariable,
  programBuiltinMembers,
  programGlobal,
  type RuntimeContext,
} from './closure-values.js';
import type { ScopeLayer } from './runtime-scopes.js';

/** A context whose scope chains are given by hand, recording warnings. */
function context(scopes: Map<Function, ScopeLayer[]>, warnings: string[] = []): RuntimeContext {
  return { scopes: (fn) => scopes.get(fn) ?? [], origin: () => undefined, warn: (message) => warnings.push(message) };
}

test('lookupVariable takes the innermost scope that has the name', () => {
  const layers = [{ type: 'block', variables: { a: 1 } }, { type: 'closure', variables: { a: 2, b: 3 } }];
  assert.deepEqual(lookupVariable(layers, 'a'), { value: 1 });
  assert.deepEqual(lookupVariable(layers, 'b'), { value: 3 });
  assert.equal(lookupVariable(layers, 'c'), undefined);
});

test('a function value is hashed by its code and the values it uses', () => {
  const k = 5;
  const scale = function scale(x: number) { return x * k; };
  const scopes = new Map<Function, ScopeLayer[]>([[scale, [{ type: 'closure', variables: { k: 5 } }]]]);
  const five = new RuntimeHasher(context(scopes)).function(scale, 'scale');
  scopes.set(scale, [{ type: 'closure', variables: { k: 6 } }]);
  const six = new RuntimeHasher(context(scopes)).function(scale, 'scale');
  scopes.set(scale, [{ type: 'closure', variables: { k: 5 } }]);
  assert.notEqual(five, six);
  assert.equal(new RuntimeHasher(context(scopes)).function(scale, 'scale'), five);
});

test('mutually recursive function values terminate', () => {
  function even(n: number): boolean { return n === 0 || odd(n - 1); }
  function odd(n: number): boolean { return n !== 0 && even(n - 1); }
  const scopes = new Map<Function, ScopeLayer[]>([
    [even, [{ type: 'closure', variables: { odd } }]],
    [odd, [{ type: 'closure', variables: { even } }]],
  ]);
  assert.match(new RuntimeHasher(context(scopes)).function(even, 'even'), /^[0-9a-f]{64}$/);
});

test('a Proxy of a function is reported: it prints as native code whatever it runs', () => {
  const warnings: string[] = [];
  const hasher = new RuntimeHasher(context(new Map(), warnings));
  hasher.value(new Proxy((x: number) => x * 2, {}), 'loss');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^loss is a Proxy of a function, whose code cannot be seen/);
});

test('a value that cannot be hashed is reported, not thrown', () => {
  const warnings: string[] = [];
  new RuntimeHasher(context(new Map(), warnings)).value(new WeakMap(), 'cache');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^cache cannot be hashed/);
});

test('globals: the program\'s own, not the runtime\'s', () => {
  const slots = globalThis as unknown as Record<string, unknown>;
  slots.funesTestGlobal = 42;
  try {
    assert.deepEqual(programGlobal('funesTestGlobal'), { value: 42 });
    assert.equal(programGlobal('setTimeout'), undefined);
    assert.equal(programGlobal('Array'), undefined);
  } finally {
    delete slots.funesTestGlobal;
  }
});

test('functions the program added to built-in prototypes and objects, not the engine\'s or data', () => {
  const total = function total(this: number[]) { return this.length; };
  Object.defineProperty(Array.prototype, 'funesTestTotal', { value: total, configurable: true });
  Object.defineProperty(Math, 'funesTestClamp', { get: Math.max, configurable: true });
  Object.defineProperty(String.prototype, 'funesTestLabel', { value: 'label', configurable: true });
  try {
    const members = programBuiltinMembers();
    assert.deepEqual(members.get('funesTestTotal'), [{ path: 'Array.prototype.funesTestTotal', value: total }]);
    // A native getter is the engine's code; a string is no code.
    assert.equal(members.has('funesTestClamp'), false);
    assert.equal(members.has('funesTestLabel'), false);
    assert.equal(members.has('map'), false);
  } finally {
    Reflect.deleteProperty(Array.prototype, 'funesTestTotal');
    Reflect.deleteProperty(Math, 'funesTestClamp');
    Reflect.deleteProperty(String.prototype, 'funesTestLabel');
  }
});

test('a sparse array holding functions (a compiler\'s decorator initializers) is hashed by the items it has', () => {
  const hasher = new RuntimeHasher(context(new Map()));
  const step = function step() { return 1; };
  const holes = (length: number) => {
    const items: unknown[] = new Array(length);
    items[1] = step;
    return items;
  };
  assert.equal(hasher.value(holes(3), 'initializers'), hasher.value(holes(3), 'initializers'));
  assert.notEqual(hasher.value(holes(3), 'initializers'), hasher.value([undefined, step, undefined], 'initializers'));
  assert.notEqual(hasher.value(holes(3), 'initializers'), hasher.value(holes(2), 'initializers'));
});

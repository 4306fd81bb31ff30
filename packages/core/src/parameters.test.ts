import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFunctionSource, readsThis } from './function-source.js';
import { bindArguments, readParameters, withWrittenNames } from './parameters.js';

function paramsOf(fn: Function) {
  const parsed = parseFunctionSource(Function.prototype.toString.call(fn));
  assert.ok(parsed, `parses ${fn}`);
  return readParameters(parsed.node);
}

class Model {
  fit(data: number[], epochs = 2) {
    return [data, epochs];
  }
  static make(count: number, size = 2) {
    return count * size;
  }
  async score(x: number, scale = 2) {
    return x * scale;
  }
}

test('defaults are filled in for every function form', () => {
  const forms: [string, Function][] = [
    ['declaration', function f(x: number, y = 2) { return x + y; }],
    ['arrow', (x: number, y = 2) => x + y],
    ['async function', async function g(x: number, y = 2) { return x + y; }],
    ['async arrow', async (x: number, y = 2) => x + y],
    ['method', { m(x: number, y = 2) { return x + y; } }.m],
    ['class method', Model.prototype.fit],
    ['static method', Model.make],
    ['async class method', Model.prototype.score],
    ['new Function', new Function('x', 'y = 2', 'return x + y')],
  ];
  for (const [form, fn] of forms) {
    const params = paramsOf(fn);
    assert.equal(params.length, 2, form);
    assert.deepEqual(bindArguments(params, [1]), bindArguments(params, [1, 2]), form);
    assert.notDeepEqual(bindArguments(params, [1]), bindArguments(params, [1, 3]), form);
  }
  assert.deepEqual(bindArguments(paramsOf((x: number, y = 2) => x + y), [1]), { x: 1, y: 2 });
  assert.deepEqual(bindArguments(paramsOf(Model.prototype.fit), [[1]]), { data: [1], epochs: 2 });
  assert.deepEqual(bindArguments(paramsOf(Model.make), [4]), { count: 4, size: 2 });
});

test('literal defaults of every kind; non-literal defaults are left to the function', () => {
  const fn = function f(
    a = -1,
    b = 'text',
    c = `plain`,
    d = [1, { e: null }],
    f = { g: true, 'h-i': 2 },
    j = undefined,
    k = NaN,
    l = -Infinity,
    m = Date.now(),
    n = a * 2,
    o = `t${a}`,
  ) {
    return [a, b, c, d, f, j, k, l, m, n, o];
  };
  const input = bindArguments(paramsOf(fn), []);
  assert.deepEqual(input, {
    a: -1, b: 'text', c: 'plain', d: [1, { e: null }], f: { g: true, 'h-i': 2 }, j: undefined, k: NaN, l: -Infinity,
    m: undefined, n: undefined, o: undefined,
  });
});

test('an explicit undefined takes the default, as in JavaScript', () => {
  const params = paramsOf((x: number, y = 2) => x + y);
  assert.deepEqual(bindArguments(params, [1, undefined]), { x: 1, y: 2 });
  assert.deepEqual(bindArguments(params, [1, 3]), { x: 1, y: 3 });
});

test('rest, destructured and extra arguments keep their values', () => {
  assert.deepEqual(bindArguments(paramsOf((a: number, ...rest: number[]) => rest), [1, 2, 3]), { a: 1, rest: [2, 3] });
  assert.deepEqual(bindArguments(paramsOf(({ a }: { a: number }, [b]: number[]) => a + b), [{ a: 1 }, [2]]), {
    'arguments[0]': { a: 1 },
    'arguments[1]': [2],
  });
  assert.deepEqual(
    bindArguments(
      paramsOf(function f(a: number) {
        return arguments.length + a;
      }),
      [1, 2],
    ),
    { a: 1, 'arguments[1]': 2 },
  );
});

test('a function that reads arguments is keyed by the arguments as passed: how many, and no defaults', () => {
  const params = paramsOf(function f(a: number, b = 10) {
    return arguments.length + a + b;
  });
  assert.deepEqual(bindArguments(params, [1]), { a: 1 });
  assert.deepEqual(bindArguments(params, [1, undefined]), { a: 1, b: undefined });
  assert.deepEqual(bindArguments(params, [1, 10]), { a: 1, b: 10 });
  assert.deepEqual(bindArguments(params, []), {});
  // An arrow function inside shares the arguments; a function inside has its own.
  const arrow = paramsOf(function f(a = 1) {
    return () => arguments.length + a;
  });
  assert.deepEqual(bindArguments(arrow, []), {});
  const nested = paramsOf(function f(a = 1) {
    return function g() { return arguments.length + a; };
  });
  assert.deepEqual(bindArguments(nested, []), { a: 1 });
  const rest = paramsOf(function f(a: number, ...more: number[]) {
    return arguments.length + a + more.length;
  });
  assert.deepEqual(bindArguments(rest, [1]), { a: 1 });
  assert.deepEqual(bindArguments(rest, [1, 2]), { a: 1, more: [2] });
});

test('default objects are copied per call', () => {
  const params = paramsOf((opts = { k: 1 }) => opts);
  const first = bindArguments(params, []);
  (first.opts as { k: number }).k = 5;
  assert.deepEqual(bindArguments(params, []), { opts: { k: 1 } });
});

test('readsThis sees this in the function but not in nested functions', () => {
  const parse = (fn: Function) => parseFunctionSource(Function.prototype.toString.call(fn))!.node;
  assert.equal(readsThis(parse(function (this: { x: number }) { return this.x; })), true);
  assert.equal(readsThis(parse(function (this: { x: number }) { return () => this.x; })), true);
  assert.equal(readsThis(parse(function () { return function (this: { x: number }) { return this.x; }; })), false);
  assert.equal(readsThis(parse(() => 1)), false);
  assert.equal(readsThis(parse(function (this: { x: number }, y = this.x) { return y; })), true);
  // A direct eval may read this, and arguments.
  const evaluating = parseFunctionSource("function (a) { return eval('this.k + a'); }")!.node;
  assert.equal(readsThis(evaluating), true);
  assert.deepEqual(
    readParameters(evaluating).map((parameter) => parameter.asGiven),
    [true],
    'keyed as passed, as a function reading arguments is',
  );
  assert.equal(parseFunctionSource(Math.max.toString()), undefined);
});

test('defaults inside a destructured parameter are filled in like top-level ones', () => {
  const params = paramsOf(function f(
    x: number,
    { y, z = 3, deep: { w = 'w' } = {} }: { y?: number; z?: number; deep?: { w?: string } } = {},
    [a, b = 2]: number[] = [],
  ) {
    return [x, y, z, w, a, b];
  });
  const given = { y: 2 };
  const bound = bindArguments(params, [1, given]);
  assert.deepEqual(bound, bindArguments(params, [1, { y: 2, z: 3, deep: { w: 'w' } }]));
  assert.deepEqual(bound['arguments[1]'], { y: 2, z: 3, deep: { w: 'w' } });
  assert.deepEqual(given, { y: 2 }, "the caller's object is not changed");
  assert.deepEqual(bindArguments(params, [1])['arguments[1]'], { z: 3, deep: { w: 'w' } });
  assert.deepEqual(bindArguments(params, [1, { z: 4 }])['arguments[1]'], { z: 4, deep: { w: 'w' } });
  assert.deepEqual(bindArguments(params, [1, {}, [5]])['arguments[2]'], [5, 2]);
  assert.deepEqual(bindArguments(params, [1, {}, [5, 6]])['arguments[2]'], [5, 6]);
  // A value that is not a plain object is passed as it is.
  const date = new Date(0);
  assert.equal(bindArguments(params, [1, date])['arguments[1]'], date);
  // So is an instance of an Array subclass: the pattern reads it through its iterator, which may be its own.
  class Reversed<T> extends Array<T> {
    *[Symbol.iterator](): ArrayIterator<T> {
      for (let i = this.length - 1; i >= 0; i--) yield this[i];
    }
  }
  const reversed = Reversed.from([6, undefined]);
  assert.equal(bindArguments(params, [1, {}, reversed])['arguments[2]'], reversed);
  // Nothing to fill: the argument itself, not a copy.
  const full = { y: 1, z: 1, deep: { w: 'x' } };
  assert.equal(bindArguments(params, [1, full])['arguments[1]'], full);
});

test('a property a pattern reads twice, or next to a computed key, is keyed as passed', () => {
  const twice = paramsOf(function f({ a: x = 1, a: y }: { a?: number }) { return [x, y]; });
  // f({}) gives y undefined, f({ a: 1 }) y 1.
  assert.notDeepEqual(bindArguments(twice, [{}]), bindArguments(twice, [{ a: 1 }]));
  const key = 'a';
  const computed = paramsOf(function f({ [key]: x, a = 1 }: { a?: number }) { return [x, a]; });
  assert.notDeepEqual(bindArguments(computed, [{}]), bindArguments(computed, [{ a: 1 }]));
  // A rest element reads only what the others do not: the defaults are filled in.
  const rest = paramsOf(function f({ a = 1, ...others }: { a?: number }) { return [a, others]; });
  assert.deepEqual(bindArguments(rest, [{}]), bindArguments(rest, [{ a: 1 }]));
});

test('a parameter named __proto__ is an input like any other, not the prototype of the inputs', () => {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- only its parameters are read
  const parameters = paramsOf(function f(__proto__: unknown, ...rest: unknown[]) {});
  for (const value of [1, 2, { a: 1 }]) {
    const input = bindArguments(parameters, [value, 3]);
    assert.equal(Object.getPrototypeOf(input), Object.prototype);
    assert.deepEqual(Object.keys(input), ['__proto__', 'rest']);
    assert.equal(Object.getOwnPropertyDescriptor(input, '__proto__')!.value, value);
  }
});

test('parameters take the names written in the file, where they agree with the running code in place and kind', () => {
  const running = readParameters(parseFunctionSource('function f(a2, { b = 1 }, ...c2) {}')!.node);
  const written = (source: string) => parseFunctionSource(source, 'ts')!.node;
  const renamed = withWrittenNames(running, written('function f(this: T, a: number, { b = 1 }: B, ...c: C[]) {}'));
  assert.deepEqual(renamed.map((parameter) => parameter.name), ['a', 'arguments[1]', 'c']);
  assert.deepEqual(renamed[1], running[1], 'the pattern and its defaults are the running code\'s');
  for (const other of ['function f(a, b, c) {}', 'function f(a, { b }, c) {}', 'function f(a, { b }) {}']) {
    assert.equal(withWrittenNames(running, written(other)), running, other);
  }
});

test('a name given to two parameters (sloppy code) keys all but the last by position', () => {
  // Sloppy code, where `function f(a, a)` is legal.
  const twice = new Function('a', 'a', 'return arguments[0] + a') as (a: number, b: number) => number;
  const parameters = paramsOf(twice);
  assert.deepEqual(parameters.map((parameter) => parameter.name), ['arguments[0]', 'a']);
  assert.deepEqual(bindArguments(parameters, [1, 10]), { 'arguments[0]': 1, a: 10 });
  assert.notDeepEqual(bindArguments(parameters, [1, 10]), bindArguments(parameters, [2, 10]));
});

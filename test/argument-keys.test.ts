/**
 * Argument keys never lie: thousands of generated pairs of values, and for every pair
 * whose keys are equal, no ordinary observation may tell the two apart
 * (bench/argument-keys.fuzz.ts runs a million pairs).
 */
import assert from 'node:assert/strict';
import { exec } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { after, before, describe, it, test } from 'node:test';
import fc from 'fast-check';
import { hashValue, UnhashableArgumentError } from '@funes/core';
import { cliProject } from './helpers/cli-cache.js';
import { REPO_ROOT, tempProject, type TempProject } from './helpers/temp-project.js';
import { toldApart, valuePairs } from './helpers/told-apart.js';

/** A value's key; a value refused with EUNHASHABLE shares no key, so it cannot lie. */
function keyOf(value: unknown): string {
  try {
    return hashValue(value);
  } catch (error) {
    if (error instanceof UnhashableArgumentError) return `refused: ${Math.random()}`;
    throw error;
  }
}

test('values with equal keys look the same to every observer', () => {
  let equalKeys = 0;
  fc.assert(
    fc.property(valuePairs, ([a, b]) => {
      if (keyOf(a) !== keyOf(b)) return;
      equalKeys++;
      assert.equal(toldApart(a, b), undefined);
    }),
    { numRuns: 5000 },
  );
  // The domain is small on purpose: many pairs share a key, so the check has work to do.
  assert.ok(equalKeys > 100, `only ${equalKeys} pairs shared a key`);
});

test("Node's own functions key by where they come from, their properties Node's", () => {
  // Buffer and EventEmitter hold properties keyed by symbols only their process has; they are Node's.
  const keys = [Buffer, EventEmitter, setTimeout, inspect, exec].map((fn) => hashValue(fn));
  assert.equal(new Set(keys).size, keys.length);
  assert.equal(hashValue(Buffer), hashValue(Buffer));
  const mine = (x: number) => x;
  assert.notEqual(hashValue(Object.assign(mine, { weight: 1 })), hashValue((x: number) => x));
});

describe('keys and records across processes', () => {
  let project: TempProject;
  before(() => {
    project = tempProject('funes-argument-keys-');
    project.write(
      'point.mjs',
      'export class Point {\n  constructor(x, y) { this.x = x; this.y = y; ' +
          '}\n  norm() { return Math.hypot(this.x, this.y); }\n}\n',
    );
    project.write(
      'main.mjs',
      `import { memorious, loadCachedResults } from '@funes/core';
import { Point } from './point.mjs';
const square = (x) => x * x;
const absolute = (x) => Math.abs(x);
let computed = 0;
const measure = memorious(function measure(p, loss) { computed++; return loss(p.norm()); }, { cacheDir: 'cache' });
const scale = memorious(function scale(o) { computed++; o.v = 999; return o.k * 2; }, { cacheDir: 'cache' });
const results = [measure(new Point(3, 4), square), measure(new Point(3, 4), absolute), scale({ k: 2, v: 1 })];
const inputs = [...loadCachedResults(scale)].map((record) => record.input.o);
console.log(JSON.stringify({ results, computed, inputs }));
`,
    );
  });
  after(() => project.remove());

  const run = () => {
    const result = project.node(['main.mjs']);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as { results: number[]; computed: number; inputs: unknown[] };
  };

  it('a class instance and a function key by their code: the same code hits in a new ' +
      'process, an edited method misses', () => {
    const first = run();
    assert.deepEqual(first.results, [25, 5, 4]);
    assert.equal(first.computed, 3);
    assert.equal(run().computed, 0, 'every call is a hit in the next process');
    project.write(
      'point.mjs',
      'export class Point {\n  constructor(x, y) { this.x = x; this.y = y; ' +
          '}\n  // The length of the vector.\n  norm() { return Math.hypot(this.x, this.y); }\n}\n',
    );
    assert.equal(run().computed, 0, 'a comment in the class changes nothing');
    project.write(
      'point.mjs',
      'export class Point {\n  constructor(x, y) { this.x = x; this.y = y; ' +
          '}\n  norm() { return Math.abs(this.x) + Math.abs(this.y); }\n}\n',
    );
    const edited = run();
    assert.deepEqual(edited.results, [49, 7, 4]);
    assert.equal(edited.computed, 2, 'both calls given a Point compute again; the other one hits');
  });

  it('arguments that used to share a key each get their own result, in this process and the next', () => {
    project.write(
      'rule.mjs',
      `import { memorious } from '@funes/core';
let computed = 0;
const hidden = (value) => Object.defineProperty({ a: 1 }, 'h', { value, enumerable: false });
const look = memorious(function look(value) {
  computed++;
  if (typeof value === 'string') return [...Array(value.length).keys()].map((i) => value.charCodeAt(i));
  const own = Reflect.ownKeys(value).filter((k) => k !== 'length').map((k) => String(k) + '=' + String(value[k]));
  return [own.join(';'), Object.getPrototypeOf(value)?.constructor?.name ?? 'null'];
}, { cacheDir: 'cache' });
const pairs = [
  ['ab\\uD800', 'ab\\uDBFF'],
  [{ [Symbol.for('k')]: 1 }, { [Symbol.for('k')]: 2 }],
  [hidden(1), hidden(2)],
  ['xa'.match(/a/), 'xxxa'.match(/a/)],
  [Buffer.from('hi'), new Uint8Array([104, 105])],
  [Object.create(null), {}],
];
const results = pairs.flat().map((value) => JSON.stringify(look(value)));
console.log(JSON.stringify({ results, computed }));
`,
    );
    const runRule = () => {
      const result = project.node(['rule.mjs']);
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout) as { results: string[]; computed: number };
    };
    const first = runRule();
    assert.equal(first.computed, 12, 'every argument is its own call');
    assert.equal(new Set(first.results).size, 12, 'and the function tells each pair apart');
    const second = runRule();
    assert.equal(second.computed, 0);
    assert.deepEqual(second.results, first.results, 'each hit returns its own call\'s result');
  });

  it("a function given as an argument keys by its code and the values it reads, a package's too, " +
      'and by those values as they are at each call', () => {
    // A package's anonymous functions, and the closures one factory makes, once shared one key.
    project.write('node_modules/scalers/package.json', JSON.stringify({ name: 'scalers', version: '1.0.0' }));
    project.write(
      'node_modules/scalers/index.js',
      `exports.makeScaler = function (m) { return (x) => x * m; };
exports.double = function (x) { return x * 2; };
exports.triple = function (x) { return x * 3; };
exports.makeScale = function () { let k = 1; const s = (x) => x * k; s.set = (v) => { k = v; return s; }; return s; };
`,
    );
    project.write(
      'node_modules/esm-scales/package.json',
      JSON.stringify({ name: 'esm-scales', version: '2.0.0', type: 'module', exports: './index.js' }),
    );
    project.write(
      'node_modules/esm-scales/index.js',
      'export function linear() { let d = 1; const s = (x) => x * d; s.domain = (v) => { d = v; return s; }; ' +
          'return s; }\nexport const offset = (b) => (x) => x + b;\n',
    );
    project.write(
      'given.mjs',
      `import { memorious } from '@funes/core';
import scalers from 'scalers';
import { linear, offset } from 'esm-scales';
let computed = 0;
const apply = memorious(function apply(f, x) { computed++; return f(x); }, { cacheDir: 'cache' });
let k = 1;
const times = (x) => x * k;
const config = { k: 1 };
const byConfig = (x) => x * config.k;
let helper = (x) => x;
const viaHelper = (x) => helper(x);
const scale = scalers.makeScale();
const esm = linear();
let m = 1;
const shared = (x) => x * m;
const viaShared = (x) => shared(x) + 1;
const alsoViaShared = (x) => shared(x) - 1;
const both = memorious(function both(f, g) { computed++; return [f(10), g(10)]; }, { cacheDir: 'cache' });
class Model {
  constructor() { this.loss = byConfig; }
  score(x) { computed++; return this.loss(x); }
}
Model.prototype.score = memorious(Model.prototype.score, { cacheDir: 'cache' });
const model = new Model();
let calls = 0;
const counting = (x) => { calls++; return x + 1; };
const memo = new Map();
const remembering = (x) => { if (!memo.has(x)) memo.set(x, x * 2); return memo.get(x); };
let made = 0;
class Counted { constructor(v) { made++; this.v = v; } }
const value = memorious(function value(p) { computed++; return p.v; }, { cacheDir: 'cache' });
const results = [
  apply(scalers.makeScaler(2), 10), apply(scalers.makeScaler(3), 10),
  apply(scalers.double, 10), apply(scalers.triple, 10),
  apply(scale, 10), apply(scale.set(5), 10),
  apply(esm, 10), apply(esm.domain(4), 10), apply(offset(1), 10), apply(offset(2), 10),
  apply(times, 10), (k = 5, apply(times, 10)),
  apply(byConfig, 10), ((config.k = 6), apply(byConfig, 10)), model.score(10), ((config.k = 7), model.score(10)),
  apply(viaHelper, 10), ((helper = (x) => -x), apply(viaHelper, 10)),
  both(viaShared, alsoViaShared), apply(alsoViaShared, 10), ((m = 2), apply(alsoViaShared, 10)),
  both(viaShared, alsoViaShared),
  // Its own state (a count of its calls, a memo it fills) says what it did before, not what it computes.
  apply(counting, 10), apply(counting, 10), apply(remembering, 10), apply(remembering, 10),
  value(new Counted(4)), value(new Counted(4)),
];
console.log(JSON.stringify({ results, computed }));
`,
    );
    const expected = [
      20, 30, 20, 30, 10, 50, 10, 40, 11, 12, 10, 50, 10, 60, 60, 70, 10, -10, [11, 9], 9, 19, [21, 19],
      11, 11, 20, 20, 4, 4,
    ];
    const first = project.node(['given.mjs']);
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), { results: expected, computed: expected.length - 3 });
    const second = project.node(['given.mjs']);
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(JSON.parse(second.stdout), { results: expected, computed: 0 }, 'each keys alike in a new process');
  });

  it('a formatter or an iterator, whose state no property shows, is refused rather than ' +
      "given another call's result", () => {
    project.write(
      'hidden.mjs',
      `import { memorious } from '@funes/core';
const show = memorious(function show(value) {
  return value instanceof Intl.NumberFormat ? value.format(1234.5) : [...value].join(',');
}, { cacheDir: 'cache' });
const values = [new Intl.NumberFormat('en'), new Intl.NumberFormat('de'), [1, 2].values(), [3].values(),
  new Map([[1, 'a']]).keys(), new Map([[2, 'b']]).keys()];
console.log(JSON.stringify(values.map((value) => {
  try {
    return show(value);
  } catch (error) {
    return error.code + ': ' + error.message + '; ' + error.hint;
  }
})));
`,
    );
    for (let run = 0; run < 2; run++) {
      const result = project.node(['hidden.mjs']);
      assert.equal(result.status, 0, result.stderr);
      const shown = JSON.parse(result.stdout) as string[];
      assert.match(shown[0], /^EUNHASHABLE: args\.value is an instance of NumberFormat.*locale and options/);
      assert.match(shown[1], /^EUNHASHABLE: args\.value is an instance of NumberFormat/);
      for (const iterator of shown.slice(2)) assert.match(iterator, /^EUNHASHABLE: args\.value is an iterator/);
    }
  });

  it('a sloppy function reading this, called without one, reads the global object: refused, not keyed without it',
    () => {
      // Keyed without its this, run(2) returned the result stored when scale was another.
      project.write(
        'sloppy.cjs',
        `const { memorious } = require('@funes/core');
if (process.argv[2]) globalThis.scale = Number(process.argv[2]);
const run = memorious(function run(x) { return this && this.scale ? x * this.scale : x; }, { cacheDir: 'cache' });
const strict = memorious(function strict(x) { 'use strict'; return this ? x * this.scale : x; }, { cacheDir: 'cache' });
const ignoring = memorious(function ignoring(x) { return this ? x : -x; }, { cacheDir: 'cache', thisKey: 'ignore' });
const outcome = (call) => { try { return call(); } catch (error) { return [error.code, error.message, error.hint]; } };
console.log(JSON.stringify([
  outcome(() => run(2)), outcome(() => run.call(globalThis, 2)), outcome(() => run.call({ scale: 4 }, 2)),
  outcome(() => strict(2)), outcome(() => ignoring(2)),
]));
`,
      );
      const results = (scale: string) => {
        const result = project.node(['sloppy.cjs', scale]);
        assert.equal(result.status, 0, result.stderr);
        assert.equal(result.stderr, '');
        return JSON.parse(result.stdout) as unknown[];
      };
      const [plain, onGlobal, onObject, strict, ignoring] = results('5');
      for (const refused of [plain, onGlobal]) {
        const [code, message, hint] = refused as string[];
        assert.equal(code, 'EUNHASHABLE');
        assert.match(message, /^this is the global object \(run reads this, and was called without one in sloppy/);
        assert.match(hint, /call run on the object it reads from.*thisKey: 'ignore'/);
      }
      assert.equal(onObject, 8, 'called on an object, its this is keyed');
      assert.equal(strict, 2, "a strict function's this is undefined: nothing to key");
      assert.equal(ignoring, 2, "with thisKey: 'ignore', its this is left out as asked");
      assert.deepEqual(results('7').slice(2), [8, 2, 2]);
    });

  it("two built-in functions of one name (Array.from, Uint8Array.from) each get their own call's result", () => {
    project.write(
      'builtins.mjs',
      `import { memorious } from '@funes/core';
let computed = 0;
const convert = memorious(function convert(make, values) {
  computed++;
  return Object.prototype.toString.call(make.call(make === Array.from ? Array : Int8Array, values));
}, { cacheDir: 'cache' });
const take = memorious(function take(method, text) {
  computed++;
  return JSON.stringify(method.call(text, 1));
}, { cacheDir: 'cache' });
const results = [convert(Array.from, [200]), convert(Int8Array.from, [200]),
  take(Array.prototype.slice, 'abc'), take(String.prototype.slice, 'abc')];
console.log(JSON.stringify({ results, computed }));
`,
    );
    for (const computed of [4, 0]) {
      const result = project.node(['builtins.mjs']);
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), {
        results: ['[object Array]', '[object Int8Array]', '["b","c"]', '"bc"'],
        computed,
      });
    }
  });

  it("a method inherited by a subclass keys the subclass's code: editing an override computes again; " +
      'an instance of a class with decorated methods is an argument like any other', () => {
    project.write(
      'models.ts',
      `import { memorious } from '@funes/core';
export class Base {
  constructor(readonly k: number) {}
  step(x: number) { return x; }
  @memorious({ cacheDir: 'cache' })
  run(x: number) { return this.step(x) * this.k; }
}
`,
    );
    project.write('sub.ts', `import { Base } from './models.ts';\n` +
        `export class Sub extends Base { step(x: number) { return x * 2; } }\n`);
    project.write(
      'inherit.ts',
      `import { memorious } from '@funes/core';
import { Base } from './models.ts';
import { Sub } from './sub.ts';
const scale = memorious(function scale(model: Base, x: number) { return model.run(x) + 1; }, { cacheDir: 'cache' });
console.log(JSON.stringify([new Base(1).run(5), new Sub(1).run(5), scale(new Sub(2), 1)]));
`,
    );
    const loader = pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const outputs = () => {
      const result = project.node(['--import', loader, 'inherit.ts']);
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout) as number[];
    };
    assert.deepEqual(outputs(), [5, 10, 5]);
    project.write('sub.ts', `import { Base } from './models.ts';\n` +
        `export class Sub extends Base { step(x: number) { return x * 3; } }\n`);
    assert.deepEqual(outputs(), [5, 15, 7], 'the edited override computes again, in the method and in the argument');
  });

  it("a method set on a class from outside it, or chosen by thisKey, keys that class's code: editing a " +
      'method it calls through this computes again', () => {
    const config = (scale: string) =>
      `export class Config { constructor() { this.k = 2; } scale(x) { return x * ${scale}; } }\n`;
    project.write('config.mjs', config('this.k'));
    project.write(
      'outside.mjs',
      `import { memorious } from '@funes/core';
import { Config } from './config.mjs';
Config.prototype.run = memorious(function run(x) { return this.scale(x); }, { cacheDir: 'cache' });
const own = new Config();
own.apply = memorious(function apply(x) { return this.scale(x); }, { cacheDir: 'cache' });
class Model { constructor() { this.config = new Config(); } }
Model.prototype.fit = memorious(function fit(x) { return this.config.scale(x); }, ` +
    `{ cacheDir: 'cache', thisKey: (self) => self.config });
console.log(JSON.stringify([new Config().run(1), own.apply(1), new Model().fit(1)]));
`,
    );
    const outputs = () => {
      const result = project.node(['outside.mjs']);
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout) as number[];
    };
    assert.deepEqual(outputs(), [2, 2, 2]);
    project.write('config.mjs', config('100'));
    assert.deepEqual(outputs(), [100, 100, 100], "the edited class's calls compute again");
    project.write('config.mjs', config('this.k'));
    assert.deepEqual(outputs(), [2, 2, 2]);
  });

  it("a method's this holding a function written outside its class keys that function's helpers: " +
      'editing one computes again', () => {
    const loss = (square: string) =>
      `export function sq(x) { return ${square}; }\nexport function mse(a, b) { return sq(a - b); }\n`;
    project.write('loss.mjs', loss('x * x'));
    project.write(
      'held.mjs',
      `import { memorious } from '@funes/core';
import { mse } from './loss.mjs';
class Model {
  log = () => undefined;
  constructor(loss) { this.loss = loss; }
  evaluate(x) { this.log(); return this.loss(x, 0); }
}
Model.prototype.evaluate = memorious(Model.prototype.evaluate, { name: 'evaluate', cacheDir: 'cache' });
console.log(JSON.stringify(new Model(mse).evaluate(3)));
`,
    );
    const output = () => {
      const result = project.node(['held.mjs']);
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout) as number;
    };
    assert.equal(output(), 9);
    project.write('loss.mjs', loss('x * x * x'));
    assert.equal(output(), 27, 'the edited helper computes again');
    project.write('loss.mjs', loss('x * x'));
    assert.equal(output(), 9);
  });

  it("a function's own properties count: each setting gets its own result; a memorious function " +
      'passed along keys by what it wraps', () => {
    project.write(
      'weights.mjs',
      `import { memorious } from '@funes/core';
let computed = 0;
const apply = memorious(function apply(loss, x) {
  computed++;
  return loss(x) * (loss.weight ?? 1);
}, { cacheDir: 'cache' });
const weighted = (weight) => Object.assign(function loss(x) { return x + 1; }, { weight });
const inner = memorious(function inner(x) { return x + 1; }, { cacheDir: 'cache' });
const plain = function inner(x) { return x + 1; };
const results = [apply(weighted(2), 1), apply(weighted(3), 1), apply(inner, 1), apply(plain, 1)];
console.log(JSON.stringify({ results, computed }));
`,
    );
    for (const computed of [3, 0]) {
      const result = project.node(['weights.mjs']);
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), { results: [4, 6, 2, 2], computed });
    }
  });

  it("built-ins of another realm (a vm context, as under Jest) each get their own call's result, " +
      'in this process and the next', () => {
    project.write(
      'realm.mjs',
      `import { inspect } from 'node:util';
import { runInNewContext } from 'node:vm';
import { memorious } from '@funes/core';
let computed = 0;
const show = memorious(function show(value) {
  computed++;
  return inspect(value) + (value instanceof Object ? ' of this realm' : ' of another realm');
}, { cacheDir: 'cache' });
const sources = ['new Map([[1, 2]])', 'new Map([[1, 3]])', 'new Set([1])', 'new Set([2])', 'new Date(0)',
  'new Date(1)', '/a/g', '/b/g', 'Object(1)', 'Object(2)'];
const made = sources.map((source) => runInNewContext(source));
const results = [...made.map((value) => show(value)), show(new Map([[1, 2]]))];
console.log(JSON.stringify({ results, computed }));
`,
    );
    const outputs = [];
    for (const computed of [11, 0]) {
      const result = project.node(['realm.mjs']);
      assert.equal(result.status, 0, result.stderr);
      const output = JSON.parse(result.stdout) as { results: string[]; computed: number };
      assert.equal(output.computed, computed);
      outputs.push(output.results);
    }
    assert.equal(new Set(outputs[0]).size, 11, 'each value is its own call');
    assert.deepEqual(outputs[1], outputs[0]);
  });

  it('process.env passed as an argument keys by the variables it holds', () => {
    project.write(
      'environment.mjs',
      `import { memorious } from '@funes/core';
let computed = 0;
const build = memorious(function build(target, env) {
  computed++;
  return target + ':' + env.STAGE;
}, { cacheDir: 'cache' });
console.log(JSON.stringify({ result: build('app', process.env), computed }));
`,
    );
    const run = (stage: string) => {
      const result = project.node(['environment.mjs'], { STAGE: stage });
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout) as { result: string; computed: number };
    };
    assert.deepEqual(run('test'), { result: 'app:test', computed: 1 });
    assert.deepEqual(run('prod'), { result: 'app:prod', computed: 1 });
    assert.deepEqual(run('test'), { result: 'app:test', computed: 0 });
  });

  it("a method's this holding a function made in its constructor keys the values that function closed over", () => {
    project.write(
      'strategy.mjs',
      `import { memorious } from '@funes/core';
let computed = 0;
class Model {
  log = () => 'ok';
  constructor(k) { this.activate = (x) => x * k; }
}
Model.prototype.run = memorious(function run(x) { computed++; return this.activate(x); }, { cacheDir: 'cache' });
console.log(JSON.stringify({ results: [new Model(2).run(1), new Model(3).run(1), new Model(2).run(1)], computed }));
`,
    );
    for (const computed of [2, 0]) {
      const result = project.node(['strategy.mjs']);
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), { results: [2, 3, 2], computed });
    }
  });

  it('a record stores the input as the call started, not as the function left it', () => {
    assert.deepEqual(run().inputs, [{ k: 2, v: 1 }]);
  });

  it('ignore, key and defaults inside destructured parameters hold across processes; ' +
      'ignored arguments are not stored', () => {
    project.write(
      'options.mjs',
      `import { memorious, loadCachedResults } from '@funes/core';
let computed = 0;
const train = memorious(function train(lr, logger) { computed++; logger.write(''); return lr * 2; ` +
    `}, { cacheDir: 'cache', ignore: ['logger'] });
const fit = memorious(function fit(data, lr) { computed++; return data.rows.length * lr; ` +
    `}, { cacheDir: 'cache', key: (data, lr) => ({ data: data.id, lr }) });
const plot = memorious(function plot(x, { y, z = 3 } = {}) { computed++; return x + y + z; }, { cacheDir: 'cache' });
const results = [train(0.5, process.stdout), fit({ id: 'a', rows: [1, 2, 3], loadedAt: Date.now() }, 2), ` +
    `plot(1, { y: 2 }), plot(1, { y: 2, z: 3 })];
console.log(JSON.stringify({ results, computed, inputs: [...loadCachedResults(train), ` +
    `...loadCachedResults(plot)].map((record) => record.input) }));
`,
    );
    const runOptions = () => {
      const result = project.node(['options.mjs']);
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout) as { results: number[]; computed: number; inputs: unknown[] };
    };
    // plot(1, { y: 2 }) and plot(1, { y: 2, z: 3 }) are one call: the default is filled in.
    const inputs = [{ lr: 0.5 }, { x: 1, 'arguments[1]': { y: 2, z: 3 } }];
    assert.deepEqual(runOptions(), { results: [1, 6, 6, 6], computed: 3, inputs });
    assert.deepEqual(runOptions(), { results: [1, 6, 6, 6], computed: 0, inputs });
  });
});

describe("a method's this in its records", () => {
  const project = cliProject();
  after(() => project.remove());

  it('is stored as keyed, and shown by loadCachedResults, funes show and funes export', () => {
    project.write(
      'model.mjs',
      `import { memorious, loadCachedResults } from '@funes/core';
class Model {
  constructor(width) { this.width = width; }
}
Model.prototype.evaluate = memorious(function evaluate(steps = 1) { return ` +
    `this.width * steps; }, { cacheDir: 'cache' });
const outputs = [new Model(64).evaluate(), new Model(128).evaluate()];
const records = [...loadCachedResults(Model.prototype.evaluate)].map(({ input, this: self, ` +
    `output }) => ({ input, this: self, output }));
console.log(JSON.stringify({ outputs, records: records.sort((a, b) => a.output - b.output) }));
`,
    );
    const result = project.node(['model.mjs']);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).records, [
      { input: { steps: 1 }, this: { width: 64 }, output: 64 },
      { input: { steps: 1 }, this: { width: 128 }, output: 128 },
    ]);
    const exported = project.funes(['export', 'evaluate', '--format', 'csv']);
    assert.equal(exported.status, 0, exported.stderr);
    const [header, ...rows] = exported.stdout.trim().split('\r\n');
    assert.match(header, /^steps,this\.width,output,/);
    assert.deepEqual(rows.map((row) => row.split(',').slice(0, 3).join(',')).sort(), ['1,128,128', '1,64,64']);
    const shown = project.funes(['show', 'evaluate', '--json']);
    assert.equal(shown.status, 0, shown.stderr);
    const entries = JSON.parse(shown.stdout).entries as { this: unknown; argumentHash: string }[];
    assert.deepEqual(
      entries.map((entry) => entry.this).sort((a: any, b: any) => a.width - b.width),
      [{ width: 64 }, { width: 128 }],
    );
    const one = project.funes(['show', 'evaluate', entries[0].argumentHash.slice(0, 12)]);
    assert.match(one.stdout, /\nThis:\n\s+\{ width: (64|128) \}/);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSync } from 'oxc-parser';
import type { AstNode } from '../function-source.js';
import { mayRequestModules, moduleRequests, summarizeModule } from './module-summary.js';

function parse(source: string, file = 'x.ts'): AstNode {
  const result = parseSync(file, source, { sourceType: 'unambiguous' });
  assert.deepEqual(result.errors, []);
  return result.program as unknown as AstNode;
}

test('a module summary maps names to declarations, imports and exports', () => {
  const summary = summarizeModule(parse(`import def, { a as b, type T } from './a.js';
import * as ns from 'pkg';
export const X = 1, { y, z: [w] } = obj;
export function f() {}
export default class C {}
export { b as reexported };
export { q } from './q.js';
export * from './star.js';
export * as all from './all.js';
interface Ignored {}
enum E { A }`));
  assert.deepEqual([...summary.declarations.keys()].sort(), ['C', 'E', 'X', 'f', 'w', 'y']);
  assert.equal(summary.declarations.get('X')!.keyword, 'const');
  assert.deepEqual(Object.fromEntries(summary.imports), {
    def: { source: './a.js', imported: 'default' },
    b: { source: './a.js', imported: 'a' },
    ns: { source: 'pkg', imported: '*' },
  });
  assert.deepEqual(summary.exports.get('default'), { local: 'C' });
  assert.deepEqual(summary.exports.get('reexported'), { local: 'b' });
  assert.deepEqual(summary.exports.get('q'), { source: './q.js', imported: 'q' });
  assert.deepEqual(summary.exports.get('all'), { source: './all.js', imported: '*' });
  assert.deepEqual(summary.starExports, ['./star.js']);
  assert.equal(summary.dynamicScope, undefined);
});

test('CommonJS export statements, eval and with are noticed', () => {
  const cjs = summarizeModule(parse(`exports.a = 1; module.exports.b = 2; other.c = 3; const x = eval('1');`, 'x.cjs'));
  assert.equal(cjs.commonJsExports.length, 2);
  assert.equal(cjs.dynamicScope, 'eval');
  assert.equal(summarizeModule(parse(`with (o) { x; }`, 'x.cjs')).dynamicScope, 'with');
  assert.equal(
    summarizeModule(parse(`const e = (0, eval)('1');`)).dynamicScope,
    undefined,
    'indirect eval sees only globals',
  );
});

test('module requests: literal require and import(), and computed ones', () => {
  assert.deepEqual(moduleRequests(parse('require("./a.js"); import(`./b.js`); require(name);')), {
    specifiers: ['./a.js', './b.js'],
    patterns: [],
    computed: true,
  });
  assert.deepEqual(
    moduleRequests(
      parse("import(`./models/${name}.mjs`); require('../lib/' + kind + '/' + name + '.js'); import(`${base}/x.js`);"),
    ),
    {
      specifiers: [],
      patterns: [
        { prefix: './models/', suffix: '.mjs' },
        { prefix: '../lib/', suffix: '.js' },
      ],
      computed: true,
    },
  );
});

test('top-level statements that change a binding after its declaration are found by its name', () => {
  const summary = summarizeModule(parse(`let rate = 1;
rate = 2;
const registry = new Map();
registry.set('a', 1);
Object.assign(config, { b: 2 });
__export(lazy_exports, { lazy: () => lazy });
console.log(rate);
run(registry);`));
  const lines = Object.fromEntries([...summary.mutations].map(([name, statements]) => [name, statements.length]));
  assert.deepEqual(lines, { rate: 1, registry: 1, config: 1, lazy_exports: 1 });
});

test('a top-level loop, branch, try or function run in place that changes a binding counts for it', () => {
  const summary = summarizeModule(parse(`const table = [], config = {}, names = [];
let rate = 1;
for (let i = 0; i < 3; i++) table.push(i * 2);
if (process.env.FAST) rate = 2;
try { Object.assign(config, JSON.parse('{}')); } catch { rate = 0; }
(() => { config.mode = 'a'; })();
[['b', 1]].forEach(([key, value]) => { config[key] = value; });
for (const names of [[1]]) names.push(2);
function later() { rate = 5; }`));
  const lines = Object.fromEntries([...summary.mutations].map(([name, statements]) => [name, statements.length]));
  // The last loop changes its own `names`, not the module's; a function declared is not run in place.
  assert.deepEqual(lines, { table: 1, rate: 2, config: 3 });
});

test("a top-level call of the module's own function counts for what that function changes or fills", () => {
  const summary = summarizeModule(parse(`const cfg = { a: 1 }, table = [], registry = [], results = [];
if (process.env.X) tweak();
fill(table, 3);
new Registered(1);
main();
log(results);
function tweak() { cfg.a = 2; }
function fill(t, n) { for (let i = 0; i < n; i++) t.push(i); }
class Registered { constructor(n) { registry.push(n); } }
function main() { const cfg = {}; cfg.local = true; record(results); }
function record(list) { return list.length; }
function log(value) { console.log(value); }`));
  const lines = Object.fromEntries([...summary.mutations].map(([name, statements]) => [name, statements.length]));
  // main's cfg is its own; record and log read what they are given without changing it.
  assert.deepEqual(lines, { cfg: 1, table: 1, registry: 1 });
});

test('a method call counts for its receiver by its text; a change through an alias, for what it stands for', () => {
  const summary = summarizeModule(parse(`import { shared } from './shared.js';
const model = new Model(), cfg = { items: [] };
const items = cfg.items;
const { list } = cfg;
const again = items;
model.configure({ lr: 2 });
again.push(3);
list.length = 0;
const view = shared;
view.mode = 'fast';
console.log(model);
Math.max(1, 2);`));
  const lines = Object.fromEntries([...summary.mutations].map(([name, statements]) => [name, statements.length]));
  assert.deepEqual(lines, { again: 1, items: 1, list: 1, cfg: 2, view: 1, shared: 1 });
  // Model is not the module's class: what its method does is not seen, so the call counts by its text alone.
  assert.deepEqual(
    [...summary.methodCalls].map(([name, statements]) => [name, statements.length]),
    [['model', 1]],
  );
});

test("a method of the module's own class changes its instance only when its code changes this", () => {
  const summary = summarizeModule(parse(`class Model {
  configure(o) { this.lr = o.lr; }
  reset() { this.layers.length = 0; }
  describe() { return 'model ' + this.lr; }
}
const model = new Model(), other = new Model(), third = new Model();
model.configure({ lr: 2 });
other.describe();
function setup() { third.reset(); }
setup();`));
  const lines = Object.fromEntries([...summary.mutations].map(([name, statements]) => [name, statements.length]));
  assert.deepEqual(lines, { model: 1, third: 1 });
  assert.deepEqual([...summary.methodCalls.keys()], []);
});

test('a declaration, an export or a class static block that changes a binding counts for it', () => {
  const summary = summarizeModule(parse(`import { fill } from './fill.js';
const table = [], registry = new Map(), seeds = [], cfg = { a: 1 }, rows = [];
const filled = fill(table), last = seeds.push(3);
export const ready = register('a', 1);
export default setup(cfg);
class Seeded { static { seeds.push(1); } static count = rows.push(2); static later() { rows.push(3); } }
const names = cfg.names, copied = [...rows], sizes = rows.map((row) => row.length);
const cache = new Map(), cached = wrap((x) => cache.set(x, 1));
class Wrapped { static run = wrap(() => cache.clear()); }
function register(name, value) { return registry.set(name, value); }
function setup(c) { c.a = 2; return c; }`));
  const lines = Object.fromEntries([...summary.mutations].map(([name, statements]) => [name, statements.length]));
  // A static method runs later, if at all; reading a binding changes nothing; a function a declaration's value is
  // given (as memorious is) is kept, not run.
  assert.deepEqual(lines, { seeds: 2, registry: 1, cfg: 1, rows: 1 });
  assert.deepEqual([...summary.methodCalls.keys()], []);
  assert.deepEqual(
    summary.importedCalls.map(({ callee, args }) => [callee.local, args]),
    [['fill', ['table']]],
  );
});

test('delete, a destructuring assignment and the reflective changes of Object and Reflect count', () => {
  const summary = summarizeModule(parse(`const a = { x: 1 }, b = {}, c = { inner: {} }, d = {}, e = {}, f = {};
delete a.x;
[b.x, { y: c.inner.y }] = [1, { y: 2 }];
Object.assign(c.inner, { z: 3 });
Reflect.set(d, 'x', 1);
Object.setPrototypeOf(e, null);
Reflect.deleteProperty(f, 'x');
Reflect.get(a, 'x');`));
  const lines = Object.fromEntries([...summary.mutations].map(([name, statements]) => [name, statements.length]));
  assert.deepEqual(lines, { a: 1, b: 1, c: 2, d: 1, e: 1, f: 1 });
});

test('a require made by createRequire loads modules as require does', () => {
  const program = parse(`const load = createRequire(import.meta.url);
const a = load('./a.json');
const b = module.createRequire(import.meta.url)('./b.cjs');
function later() { const req = createRequire(__filename); return req('./c.cjs'); }`);
  const summary = summarizeModule(program);
  assert.deepEqual([...summary.requireNames], ['load']);
  assert.deepEqual(moduleRequests(program, summary.requireNames).specifiers, ['./a.json', './b.cjs', './c.cjs']);
  assert.ok(mayRequestModules(`load('./a.json')`, summary.requireNames));
});

test('code whose text names neither require nor import loads no module, and is told apart by its text', () => {
  for (const code of [`require('x')`, `await import('./y.js')`, String.raw`r\u0065quire('z')`]) {
    assert.ok(mayRequestModules(code), code);
  }
  assert.deepEqual(moduleRequests(parse(String.raw`r\u0065quire('z')`, 'x.cjs')).specifiers, ['z']);
  const plain = 'function f(x) { return x.load(1); }';
  assert.equal(mayRequestModules(plain), false);
  assert.deepEqual(moduleRequests(parse(plain)), { specifiers: [], patterns: [], computed: false });
});

test('a var or a block function declared inside a top-level statement, and a name declared twice, count', () => {
  const summary = summarizeModule(parse(`var ready = false;
try { var fast = require('fast'); } catch { var fast = null; }
if (ready) { function helper() {} }
for (var i = 0; i < 1; i++) { ready = true; }
function pick() { return 1; }
var pick = () => 2;
(function () { var inner = 1; })();`));
  const kinds = (name: string) => summary.declarations.get(name)?.node.type;
  assert.equal(kinds('fast'), 'TryStatement');
  assert.equal(kinds('helper'), 'IfStatement');
  assert.equal(kinds('i'), 'ForStatement');
  assert.equal(kinds('pick'), 'FunctionDeclaration');
  assert.equal(kinds('inner'), undefined, 'a var of a function is its own');
  assert.deepEqual(summary.mutations.get('pick')?.map((node) => node.type), ['VariableDeclarator']);
  assert.deepEqual(summary.mutations.get('ready')?.map((node) => node.type), ['ForStatement']);
});

test('a top-level call of an imported function is kept with what its arguments are rooted at', () => {
  const summary = summarizeModule(parse(`import { fill } from './fill.js';
import * as h from './h.js';
import log from './log.js';
const { put } = require('./put.cjs');
const tsc_1 = require('./tsc.js');
const table = [], rows = [];
fill(table.rows, 3);
h.sort(rows);
log.info('sweep', rows);
(0, tsc_1.fill)(table);
function setup(into) { const mine = []; put(into, mine, rows); }
setup(table);
for (const row of [[1]]) fill(row);`, 'x.cjs'));
  const calls = summary.importedCalls.map(({ callee, args }) => [callee.local, callee.imported, callee.member, args]);
  assert.deepEqual(calls, [
    ['fill', 'fill', undefined, ['table', undefined]],
    ['h', 'sort', undefined, ['rows']],
    ['log', 'default', 'info', [undefined, 'rows']],
    ['tsc_1', 'fill', undefined, ['table']],
    // setup passes table where put takes `into`; its own `mine` is no binding of the module.
    ['put', 'put', undefined, ['table', undefined, 'rows']],
    // The loop's `row` is its own.
    ['fill', 'fill', undefined, [undefined]],
  ]);
  assert.deepEqual(summary.effects('setup')?.imported[0]?.args, [{ parameter: 0 }, undefined, 'rows']);
  assert.equal(summary.effects('table'), undefined);
});

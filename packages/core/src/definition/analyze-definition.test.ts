import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { analyzeDefinition, type DefinitionDescription } from './analyze-definition.js';

const root = mkdtempSync(join(tmpdir(), 'funes-analyze-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Writes a project (files by relative path) under a fresh directory; returns that directory. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'p-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Imports `main.mjs` of a project and analyzes one of its exports as a function wrapped there. */
async function analyze(
  dir: string,
  exported: string,
  pick: (value: any) => Function = (v) => v,
): Promise<DefinitionDescription> {
  const file = join(dir, 'main.mjs');
  const module = await import(pathToFileURL(file).href);
  return analyzeDefinition(pick(module[exported]), { name: exported, site: { file } });
}

const FILES = {
  'package.json': '{"name":"fixture","type":"module"}',
  'node_modules/pkg/package.json': '{"name":"pkg","version":"1.2.3","exports":"./index.js"}',
  'node_modules/pkg/index.js': 'export const p = 1;\n',
  'lib/index.mjs': [
    `import { deeper } from './deep.mjs';`,
    `export function imported(x) { return deeper(x); }`,
    `export function notUsed() {}`,
    ``,
  ].join('\n'),
  'lib/deep.mjs': `export const deeper = (x) => x - 1;\n`,
  'main.mjs': `import { join } from 'node:path';
import { p } from 'pkg';
import { imported } from './lib/index.mjs';
const RATE = 2;
function above(x) { return x * RATE; }
export function train(x) {
  return above(x) + below(x) + imported(x) + p + join('a', 'b').length;
}
function below(x) { return x + 1; }
export function unrelated() { return 0; }
export function isEven(n) { return n === 0 || isOdd(n - 1); }
function isOdd(n) { return n !== 0 && isEven(n - 1); }
export function makeScaler(k) { return function scale(x) { return x * k; }; }
`,
};

test('static analysis follows helpers wherever declared, local imports, packages and builtins', async () => {
  const description = await analyze(project(FILES), 'train');
  const listed = description.dependencies
    .map((d) => `${d.kind} ${d.name} ${d.file ?? ''}${d.line ? `:${d.line}` : ''}`)
    .sort();
  assert.deepEqual(listed, [
    'function train main.mjs:6',
    'import node:path ',
    'local RATE main.mjs:4',
    'local above main.mjs:5',
    'local below main.mjs:9',
    'local deeper lib/deep.mjs:1',
    'local imported lib/index.mjs:2',
    'package pkg@1.2.3 ',
  ]);
  assert.equal(description.modulePath, 'main.mjs');
  assert.deepEqual(description.warnings, []);
  assert.match(description.hash, /^[0-9a-f]{64}$/);
});

test('the hash ignores where the project is and how it is formatted, but not what it computes', async () => {
  const hash = (await analyze(project(FILES), 'train')).hash;
  assert.equal((await analyze(project(FILES), 'train')).hash, hash, 'another directory');
  const reformatted = FILES['main.mjs'].replace(
    'function below(x) { return x + 1; }',
    '// below, after use\nfunction below( x ) {\n  return x+1;\n}',
  );
  assert.equal(
    (await analyze(project({ ...FILES, 'main.mjs': reformatted }), 'train')).hash,
    hash,
    'comments and whitespace',
  );
  const unrelated = FILES['main.mjs'].replace('return 0;', 'return 1;');
  assert.equal((await analyze(project({ ...FILES, 'main.mjs': unrelated }), 'train')).hash, hash, 'unrelated code');
  const deep = { ...FILES, 'lib/deep.mjs': 'export const deeper = (x) => x - 2;\n' };
  assert.notEqual((await analyze(project(deep), 'train')).hash, hash, 'helper of an imported helper');
  const bumped = {
    ...FILES,
    'node_modules/pkg/package.json': FILES['node_modules/pkg/package.json'].replace('1.2.3', '1.2.4'),
  };
  assert.notEqual((await analyze(project(bumped), 'train')).hash, hash, 'package version');
});

test('mutual recursion terminates and covers both functions', async () => {
  const names = (await analyze(project(FILES), 'isEven')).dependencies.map((d) => d.name).sort();
  assert.deepEqual(names, ['isEven', 'isOdd']);
});

test('values captured in closures are hashed canonically', async () => {
  const dir = project(FILES);
  const five = await analyze(dir, 'makeScaler', (make) => make(5));
  assert.deepEqual(five.dependencies.find((d) => d.kind === 'closure')?.name, 'k');
  assert.notEqual((await analyze(dir, 'makeScaler', (make) => make(6))).hash, five.hash);
  assert.equal((await analyze(dir, 'makeScaler', (make) => make(5))).hash, five.hash);
});

test('a module using eval is hashed whole, with a warning', async () => {
  const dir = project({
    'main.mjs': `const x = eval('1');\nexport function f() { return 1; }\nexport function g() { return 2; }\n`,
  });
  const description = await analyze(dir, 'f');
  assert.ok(description.dependencies.some((d) => d.kind === 'local' && d.name === '*' && d.file === 'main.mjs'));
  assert.match(description.warnings.join('\n'), /main\.mjs uses eval/);
});

test('a function with no file is hashed from its runtime code and the values it uses', () => {
  const build = (body: string) => new Function('x', body);
  const site = {};
  const twice = analyzeDefinition(build('return x * 2;'), { name: 'twice', site });
  assert.equal(twice.modulePath, undefined);
  assert.deepEqual(twice.warnings, []);
  assert.equal(analyzeDefinition(build('return x*2 ; // same'), { name: 'twice', site }).hash, twice.hash);
  assert.notEqual(analyzeDefinition(build('return x * 3;'), { name: 'twice', site }).hash, twice.hash);
});

test('a function not found in the file it was wrapped in is hashed at run time, with a warning', async () => {
  const file = join(project(FILES), 'main.mjs');
  const description = analyzeDefinition(new Function('return 1'), { name: 'built', site: { file } });
  assert.match(description.warnings.join('\n'), /cannot find the code of built in main\.mjs/);
});

test('explicit deps add to the hash; a pinned version replaces it', async () => {
  const dir = project(FILES);
  const file = join(dir, 'main.mjs');
  const { train } = await import(pathToFileURL(file).href);
  const plain = analyzeDefinition(train, { name: 'train', site: { file } });
  const withDeps = analyzeDefinition(train, { name: 'train', site: { file }, deps: [{ data: 'v1' }] });
  assert.notEqual(withDeps.hash, plain.hash);
  assert.notEqual(
    analyzeDefinition(train, { name: 'train', site: { file }, deps: [{ data: 'v2' }] }).hash,
    withDeps.hash,
  );
  const pinned = analyzeDefinition(train, { name: 'train', site: { file }, version: 'v2' });
  assert.equal(pinned.pinnedVersion, 'v2');
  assert.equal(analyzeDefinition(() => 0, { name: 'other', site: {}, version: 'v2' }).hash, pinned.hash);
});

test('imported JSON counts by its value, not its formatting', async () => {
  const files = {
    'package.json': '{"name":"fixture","type":"module"}',
    'config.json': '{ "rate": 0.5 }',
    'main.mjs': [
      `import config from './config.json' with { type: 'json' };`,
      `export function f(x) { return x * config.rate; }`,
      ``,
    ].join('\n'),
  };
  const description = await analyze(project(files), 'f');
  const listed = description.dependencies.map((d) => `${d.kind} ${d.name} ${d.file}`).sort();
  assert.deepEqual(listed, ['function f main.mjs', 'local * config.json']);
  const reformatted = await analyze(project({ ...files, 'config.json': '{\n  "rate": 0.5\n}\n' }), 'f');
  assert.equal(reformatted.hash, description.hash);
  const changed = await analyze(project({ ...files, 'config.json': '{ "rate": 0.25 }' }), 'f');
  assert.notEqual(changed.hash, description.hash);
});

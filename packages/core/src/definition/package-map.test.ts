import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conditionsFor, resolvePackageMap } from './package-map.js';

const esm = conditionsFor(true);
const cjs = conditionsFor(false);

test('a string or condition object stands for the package root alone', () => {
  assert.equal(resolvePackageMap('./index.js', '.', esm), './index.js');
  assert.equal(resolvePackageMap('./index.js', './sub', esm), undefined);
  const dual = { types: './index.d.ts', import: './index.mjs', require: './index.cjs' };
  assert.equal(resolvePackageMap(dual, '.', esm), './index.mjs');
  assert.equal(resolvePackageMap(dual, '.', cjs), './index.cjs');
});

test('conditions are taken in the map\'s own order, nested, with arrays as fallbacks', () => {
  assert.equal(resolvePackageMap({ '.': { default: './d.js', import: './i.js' } }, '.', esm), './d.js');
  assert.equal(
    resolvePackageMap({ '.': { node: { import: './n.mjs', require: './n.cjs' }, default: './d.js' } }, '.', cjs),
    './n.cjs',
  );
  assert.equal(resolvePackageMap({ '.': [{ worker: './w.js' }, './fallback.js'] }, '.', esm), './fallback.js');
  assert.equal(resolvePackageMap({ '.': { browser: './b.js' } }, '.', esm), undefined);
});

test('subpaths and patterns: exact first, then the longest prefix; null excludes', () => {
  const map = {
    '.': './index.js',
    './extra': './extra.js',
    './*': './lib/*.js',
    './internal/*': null,
    './feature/*.js': './features/*.mjs',
  };
  assert.equal(resolvePackageMap(map, './extra', esm), './extra.js');
  assert.equal(resolvePackageMap(map, './util', esm), './lib/util.js');
  assert.equal(resolvePackageMap(map, './internal/x', esm), undefined);
  assert.equal(resolvePackageMap(map, './feature/a/b.js', esm), './features/a/b.mjs');
  assert.equal(
    resolvePackageMap({ '#lib/*': { import: './lib/*.mjs', require: './lib/*.cjs' } }, '#lib/math', cjs),
    './lib/math.cjs',
  );
  assert.equal(resolvePackageMap({ '#dep': 'some-package' }, '#dep', esm), 'some-package');
  assert.equal(resolvePackageMap(undefined, '#dep', esm), undefined);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { functionDirName, functionNameOfDir, isFunctionDirName, isHash, parseCachePath } from './layout.js';

test('function names never make a path outside the cache directory', () => {
  for (const name of ['../x', '..', '.', '/etc/passwd', 'a/b', 'a\\b', 'nul\0byte', 'C:', '.hidden', '~home']) {
    const dir = functionDirName(name);
    assert.equal(resolve('/cache', dir), join('/cache', dir), name);
    assert.ok(
      !dir.includes('/') && !dir.includes('\\') && !dir.includes('\0') && !dir.startsWith('.'),
      `${name} → ${dir}`,
    );
  }
  fc.assert(
    fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }), (name) => {
      const dir = functionDirName(name);
      assert.match(dir, /^[A-Za-z0-9_$%~-][A-Za-z0-9_$.%~-]*$/);
      assert.ok(Buffer.byteLength(dir) <= 120);
    }),
  );
});

test('ordinary names stay readable and map back', () => {
  for (const name of ['double', 'Model.fit', 'train_v2', '$x', 'très']) {
    assert.equal(functionNameOfDir(functionDirName(name)), name);
  }
  assert.equal(functionDirName('Model.fit'), 'Model.fit');
});

test('very long names are cut and stay distinct', () => {
  const a = functionDirName('f'.repeat(500) + 'a');
  const b = functionDirName('f'.repeat(500) + 'b');
  assert.notEqual(a, b);
  assert.ok(a.length <= 120);
});

test('empty names are refused with a hint', () => {
  assert.throws(() => functionDirName(''), /needs a name/);
});

test('only 64 lowercase hex digits look like a hash', () => {
  assert.ok(isHash('a'.repeat(64)));
  assert.ok(!isHash('A'.repeat(64)));
  assert.ok(!isHash('definition.json'));
  assert.ok(!isHash('a'.repeat(63)));
});

test('only names functionDirName can produce count as function directories', () => {
  for (const name of ['train', 'Model.fit', 'ünïcode', '.dot', 'a/b', 'x'.repeat(300)]) {
    assert.equal(isFunctionDirName(functionDirName(name)), true, name);
  }
  for (const dir of ['', '.', '..', '.tmp-1-abc', '.funes', 'a/b', 'a%2', '%2e%2e', 'a b', 'tr\\ain']) {
    assert.equal(isFunctionDirName(dir), false, dir);
  }
});

test('cache paths from bundles and remotes are accepted only in the layout', () => {
  const hash = 'a'.repeat(64);
  assert.deepEqual(parseCachePath(`train/${hash}/${hash}`), { functionDir: 'train', definitionHash: hash, file: hash });
  assert.equal(parseCachePath(`train/${hash}/definition.json`)?.file, 'definition.json');
  for (const bad of [
    `../${hash}/${hash}`,
    `.funes/${hash}/${hash}`,
    `train/${hash}/.tmp-1-ab`,
    `train/x/${hash}`,
    `a/train/${hash}/${hash}`,
    `train/${hash}`,
    `tr\\ain/${hash}/${hash}`,
    `/${hash}/${hash}`,
  ]) {
    assert.equal(parseCachePath(bad), undefined, bad);
  }
});

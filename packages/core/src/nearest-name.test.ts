import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editDistance, nearest } from './nearest-name.js';

test('edit distance', () => {
  assert.equal(editDistance('train', 'train'), 0);
  assert.equal(editDistance('trian', 'train'), 2);
  assert.equal(editDistance('', 'abc'), 3);
});

test('the nearest name, when close enough to be a slip', () => {
  assert.equal(nearest('cacheDirr', ['cacheDir', 'name', 'deps']), 'cacheDir');
  assert.equal(nearest('CacheDir', ['cacheDir', 'name']), 'cacheDir');
  assert.equal(nearest('maxage', ['maxAge', 'name']), 'maxAge');
  assert.equal(nearest('colour', ['cacheDir', 'name', 'deps']), undefined);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intrinsicPath } from './intrinsics.js';

test('a built-in whose text another built-in shares is named by where it lives', () => {
  assert.equal(intrinsicPath(Array.from), 'Array.from');
  assert.equal(intrinsicPath(Uint8Array.from), '%TypedArray%.from');
  assert.equal(intrinsicPath(Array.prototype.slice), 'Array.prototype.slice');
  assert.equal(intrinsicPath(String.prototype.slice), 'String.prototype.slice');
  assert.equal(intrinsicPath(Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!), 'get Map.prototype.size');
});

test('a built-in its text tells apart, and any other function, keep their text', () => {
  assert.equal(intrinsicPath(Math.hypot), undefined);
  assert.equal(intrinsicPath(function slice() {}), undefined);
  assert.equal(intrinsicPath(Array.prototype.slice.bind([])), undefined);
});

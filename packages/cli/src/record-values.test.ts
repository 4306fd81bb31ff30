import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preview } from './record-values.js';

test('previews are one line and cut to width', () => {
  assert.equal(preview({ lr: 0.1, epochs: 3 }, 40), '{ lr: 0.1, epochs: 3 }');
  const long = preview({ values: Array.from({ length: 100 }, (_, i) => i) }, 30);
  assert.equal(long.length, 30);
  assert.ok(long.endsWith('…') && !long.includes('\n'));
});

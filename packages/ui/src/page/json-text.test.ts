import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonText } from './json-text.js';

test('a value reads as JSON.stringify indents it, its NaN, ±Infinity and -0 as themselves', () => {
  const plain = { a: [1, 'two', null, true, { b: [] }], c: {}, 'd "e"': 1e21 };
  assert.equal(jsonText(plain), JSON.stringify(plain, null, 2));
  assert.equal(
    jsonText({ loss: Number.NaN, range: [Infinity, -Infinity], x: -0 }),
    '{\n  "loss": NaN,\n  "range": [\n    Infinity,\n    -Infinity\n  ],\n  "x": -0\n}',
  );
});

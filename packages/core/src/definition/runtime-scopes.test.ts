import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { closesOverFunctionScope, ScopeReader } from './runtime-scopes.js';

function local(x: number): number {
  return x + 1;
}

test('the script a function comes from: a module file, a Node builtin, or no URL for code without a file', () => {
  const reader = new ScopeReader();
  try {
    assert.equal(reader.scriptUrl(local), pathToFileURL(import.meta.filename).href);
    assert.equal(reader.scriptUrl(join), 'node:path');
    assert.equal(reader.scriptUrl(new Function('x', 'return x * 3')), undefined);
    // A script made after the scripts were first listed is found too.
    const later = (0, eval)('(function later(y) { return y; })') as Function;
    assert.equal(reader.scriptUrl(later), undefined);
    assert.equal(reader.scriptUrl(local), pathToFileURL(import.meta.filename).href);
  } finally {
    reader.close();
  }
});

test('where a function starts, and what a bound function was made of', () => {
  const reader = new ScopeReader();
  try {
    const position = reader.position(local);
    assert.ok(position);
    assert.equal(reader.urlOf(position.scriptId), pathToFileURL(import.meta.filename).href);
    const self = { k: 2 };
    const bound = reader.boundParts(local.bind(self, 5));
    assert.equal(bound?.target, local);
    assert.equal(bound?.self, self);
    assert.deepEqual(bound?.args, [5]);
    assert.equal(reader.boundParts(local), undefined);
  } finally {
    reader.close();
  }
});

test('a function made inside another one closes over its variables; a top-level one does not', () => {
  const make = (k: number) => (x: number) => x * k;
  const plain = (x: number) => x * 2;
  assert.equal(closesOverFunctionScope(make(2)), true);
  assert.equal(closesOverFunctionScope(plain), false);
});

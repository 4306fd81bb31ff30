import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { captureSite } from './site.js';

function wrap(): ReturnType<typeof captureSite> {
  return captureSite(wrap);
}

test('the call site is this file, at the position of the call in its source text', () => {
  const site = wrap(); // the call is on this line, at column 16
  assert.equal(site.file, fileURLToPath(import.meta.url));
  // Run by tsx, this file is transpiled on load: the position is mapped back through tsx's source map.
  assert.equal(site.transpiled, true);
  assert.equal(site.line, 11);
  assert.equal(site.column, 16);
});

test('code evaluated from a string has no site', () => {
  const capture = (): ReturnType<typeof captureSite> => captureSite(capture);
  const viaEval = new Function('capture', 'return capture();');
  assert.deepEqual(viaEval(capture), {});
  assert.equal(capture().file, fileURLToPath(import.meta.url), 'the same capture called from this file has one');
});

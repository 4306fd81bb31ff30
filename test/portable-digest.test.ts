/**
 * Where the native BLAKE3 addon cannot load, large results are sealed with the portable
 * BLAKE3: the same bytes, read back by a process that has the addon, and one warning
 * that says why large reads and writes are slow.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { tempProject } from './helpers/temp-project.js';

const project = tempProject('funes-digest-');
after(() => project.remove());

// As on a platform without a prebuilt binary: requiring the addon throws.
project.write(
  'no-addon.cjs',
  `
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === '@napi-rs/blake-hash') throw new Error('no prebuilt binary for this platform');
  return load.call(this, request, ...rest);
};
`,
);

project.write(
  'sweep.mjs',
  `
import { memorious } from '@funes/core';
let computed = 0;
const curve = memorious(function curve(seed) {
  computed++;
  const values = new Float64Array(50_000);
  let x = seed + 1;
  for (let i = 0; i < values.length; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; values[i] = x; }
  return values;
}, { cacheDir: process.env.CACHE });
let sum = 0;
for (const seed of [1, 2, 3]) sum += curve(seed)[49_999];
console.log(JSON.stringify({ computed, sum }));
`,
);

test('without the native addon, large results are stored with the same seal and one warning says why', () => {
  const cache = `${project.dir}/cache`;
  const portable = project.node(['--require', './no-addon.cjs', 'sweep.mjs'], { CACHE: cache });
  assert.equal(portable.status, 0, portable.stderr);
  const written = JSON.parse(portable.stdout);
  assert.equal(written.computed, 3);
  const warnings = portable.stderr.split('\n').filter((line) => line.includes('ESLOWDIGEST'));
  assert.equal(warnings.length, 1, portable.stderr);
  assert.match(portable.stderr, /native BLAKE3 addon .* did not load \(no prebuilt binary for this platform\)/);
  assert.match(portable.stderr, /npm install --include=optional/);

  const native = project.node(['sweep.mjs'], { CACHE: cache });
  assert.equal(native.status, 0, native.stderr);
  assert.deepEqual(JSON.parse(native.stdout), { computed: 0, sum: written.sum });
  assert.doesNotMatch(native.stderr, /ESLOWDIGEST|EINTEGRITY/);

  const portableAgain = project.node(['--require', './no-addon.cjs', 'sweep.mjs'], { CACHE: cache });
  assert.equal(portableAgain.status, 0, portableAgain.stderr);
  assert.deepEqual(JSON.parse(portableAgain.stdout), { computed: 0, sum: written.sum });
  assert.equal(portableAgain.stderr.split('\n').filter((line) => line.includes('ESLOWDIGEST')).length, 1);
});

/**
 * Damaged objects with real files: 1,000 stored objects are each truncated, emptied,
 * bit-flipped, zeroed in part, extended or replaced by a foreign file; a new process then
 * makes every call. Each damaged object is detected (an EINTEGRITY event and warning),
 * recomputed and replaced, and no call ever returns a wrong result or throws.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodeObject, HEADER_SIZE, isHash, readHeader } from '@funes/core/internal';
import { listVersions } from '@funes/core/cache';
import { tempProject } from './helpers/temp-project.js';

const project = tempProject('funes-damage-');
after(() => project.remove());

const OBJECTS = 1000;
/** The header's compression id for raw deflate (docs/format.md). */
const DEFLATE_RAW = 1;

/** argv: none. Makes every call; prints how many were computed and the events seen. */
const CALLS = `
import { memorious } from '@funes/core';
import { isDeepStrictEqual } from 'node:util';
function make(i) {
  if (i % 10 === 0) return Float64Array.from({ length: 8192 }, (_, k) => (k * i) % 50);
  if (i % 10 === 1) {
    const data = new Float64Array(4096);
    let x = i + 1;
    for (let k = 0; k < data.length; k++) { x = (x ^ (x << 13)) >>> 0; x = (x ^ (x >>> 17)) >>> 0; ` +
        `x = (x ^ (x << 5)) >>> 0; data[k] = x; }
    return data;
  }
  return { i, label: 'point ' + i, list: [i, i / 3, -i] };
}
let computed = 0;
const events = [];
const value = memorious(function value(i) { computed++; return make(i); ` +
    `}, { version: 'damage-test', onEvent: (event) => 'code' in event && events.push(event.code) });
for (let i = 0; i < ${OBJECTS}; i++) if (!isDeepStrictEqual(value(i), ` +
    `make(i))) throw new Error('wrong result for ' + i);
console.log(JSON.stringify({ computed, events }));
`;

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    return x % n;
  };
}

const MUTATIONS = [
  'empty',
  'truncate',
  'cut-header',
  'flip-bit',
  'flip-header-bit',
  'zero-range',
  'append',
  'foreign',
  'foreign-same-size',
] as const;

function damage(bytes: Buffer, kind: (typeof MUTATIONS)[number], pick: (n: number) => number): Buffer {
  switch (kind) {
    case 'empty':
      return Buffer.alloc(0);
    case 'truncate':
      return bytes.subarray(0, pick(bytes.length));
    case 'cut-header':
      return bytes.subarray(0, pick(HEADER_SIZE));
    case 'flip-bit':
    case 'flip-header-bit': {
      const copy = Buffer.from(bytes);
      copy[pick(kind === 'flip-bit' ? copy.length : HEADER_SIZE)] ^= 1 << pick(8);
      return copy;
    }
    case 'zero-range': {
      const copy = Buffer.from(bytes);
      const start = pick(copy.length);
      copy.fill(0, start, Math.min(copy.length, start + 1 + pick(4096)));
      // Zeros over zeros change nothing: then flip one bit of the range instead.
      if (copy.equals(bytes)) copy[start] ^= 0x40;
      return copy;
    }
    case 'append':
      return Buffer.concat([bytes, Buffer.from('trailing bytes from an interrupted copy')]);
    case 'foreign':
      return Buffer.from('{"note": "a file another tool wrote here"}\n');
    case 'foreign-same-size':
      return Buffer.alloc(bytes.length, 0x20);
  }
}

test(`${OBJECTS} damaged objects are each detected, recomputed and replaced`, (t) => {
  project.write('calls.mjs', CALLS);
  const fill = project.node(['calls.mjs'], { FUNES_CACHE_DIR: 'cache' });
  assert.equal(fill.status, 0, fill.stderr);
  assert.equal(JSON.parse(fill.stdout).computed, OBJECTS);

  const [{ dir }] = listVersions(join(project.dir, 'cache'));
  // Sorted, so that a seed replays the same damage on any filesystem (FUNES_DAMAGE_SEED=… to replay).
  const files = readdirSync(dir).filter(isHash).sort();
  assert.equal(files.length, OBJECTS);
  const seed = Number(process.env.FUNES_DAMAGE_SEED ?? Date.now());
  t.diagnostic(`damage seed ${seed}`);
  const pick = random(seed);
  // A change inside a deflate stream can inflate to the very bytes written: over uniform data
  // a match distance of 1 or 8 copies the same zeros. The checksum covers the payload, so such
  // a change is no damage at all; anywhere else (header, raw payload, length) it must be caught.
  let harmless = 0;
  files.forEach((name, n) => {
    const file = join(dir, name);
    const before = readFileSync(file);
    const after = damage(before, MUTATIONS[n % MUTATIONS.length], pick);
    assert.ok(!after.equals(before));
    writeFileSync(file, after);
    const decoded = decodeObject(after);
    if (decoded.ok) {
      const original = decodeObject(before);
      assert.ok(
        original.ok && Buffer.from(decoded.payload).equals(original.payload),
        `${name} decodes to something else`,
      );
      const insideDeflateStream =
        readHeader(before)?.compression === DEFLATE_RAW &&
        after.length === before.length &&
        after.subarray(0, HEADER_SIZE).equals(before.subarray(0, HEADER_SIZE));
      assert.ok(insideDeflateStream, `${name}: a change outside a deflate stream went unnoticed`);
      harmless++;
    }
  });
  t.diagnostic(`changes inside deflate streams that inflate to the same payload: ${harmless}`);

  const repair = project.node(['calls.mjs'], { FUNES_CACHE_DIR: 'cache' });
  assert.equal(repair.status, 0, repair.stderr);
  const { computed, events } = JSON.parse(repair.stdout) as { computed: number; events: string[] };
  assert.equal(computed, OBJECTS - harmless, 'every damaged object recomputed');
  assert.deepEqual(events, Array(OBJECTS - harmless).fill('EINTEGRITY'));
  const warnings = repair.stderr.match(/\[EINTEGRITY\] FunesWarning: .* is damaged \(.+\); recomputing it/g) ?? [];
  assert.equal(warnings.length, OBJECTS - harmless, 'one warning per damaged object');

  const again = project.node(['calls.mjs'], { FUNES_CACHE_DIR: 'cache' });
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(JSON.parse(again.stdout), { computed: 0, events: [] }, 'replaced objects are whole');
  assert.equal(again.stderr, '');
});

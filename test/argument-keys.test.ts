/**
 * Argument keys never lie: thousands of generated pairs of values, and for every pair
 * whose keys are equal, no ordinary observation may tell the two apart
 * (bench/argument-keys.fuzz.ts runs a million pairs).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, test } from 'node:test';
import fc from 'fast-check';
import { hashValue, UnhashableArgumentError } from '@funes/core';
import { tempProject, type TempProject } from './helpers/temp-project.js';
import { toldApart, valuePairs } from './helpers/told-apart.js';

/** A value's key; a value refused with EUNHASHABLE shares no key, so it cannot lie. */
function keyOf(value: unknown): string {
  try {
    return hashValue(value);
  } catch (error) {
    if (error instanceof UnhashableArgumentError) return `refused: ${Math.random()}`;
    throw error;
  }
}

test('values with equal keys look the same to every observer', () => {
  let equalKeys = 0;
  fc.assert(
    fc.property(valuePairs, ([a, b]) => {
      if (keyOf(a) !== keyOf(b)) return;
      equalKeys++;
      assert.equal(toldApart(a, b), undefined);
    }),
    { numRuns: 5000 },
  );
  // The domain is small on purpose: many pairs share a key, so the check has work to do.
  assert.ok(equalKeys > 100, `only ${equalKeys} pairs shared a key`);
});

describe('keys and records across processes', () => {
  let project: TempProject;
  before(() => {
    project = tempProject('funes-argument-keys-');
    project.write('point.mjs', 'export class Point {\n  constructor(x, y) { this.x = x; this.y = y; }\n  norm() { return Math.hypot(this.x, this.y); }\n}\n');
    project.write(
      'main.mjs',
      `import { memorious, loadCachedResults } from '@funes/core';
import { Point } from './point.mjs';
const square = (x) => x * x;
const absolute = (x) => Math.abs(x);
let computed = 0;
const measure = memorious(function measure(p, loss) { computed++; return loss(p.norm()); }, { cacheDir: 'cache' });
const scale = memorious(function scale(o) { computed++; o.v = 999; return o.k * 2; }, { cacheDir: 'cache' });
const results = [measure(new Point(3, 4), square), measure(new Point(3, 4), absolute), scale({ k: 2, v: 1 })];
const inputs = [...loadCachedResults(scale)].map((record) => record.input.o);
console.log(JSON.stringify({ results, computed, inputs }));
`,
    );
  });
  after(() => project.remove());

  const run = () => {
    const result = project.node(['main.mjs']);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as { results: number[]; computed: number; inputs: unknown[] };
  };

  it('a class instance and a function key by their code: the same code hits in a new process, an edited method misses', () => {
    const first = run();
    assert.deepEqual(first.results, [25, 5, 4]);
    assert.equal(first.computed, 3);
    assert.equal(run().computed, 0, 'every call is a hit in the next process');
    project.write('point.mjs', 'export class Point {\n  constructor(x, y) { this.x = x; this.y = y; }\n  // The length of the vector.\n  norm() { return Math.hypot(this.x, this.y); }\n}\n');
    assert.equal(run().computed, 0, 'a comment in the class changes nothing');
    project.write('point.mjs', 'export class Point {\n  constructor(x, y) { this.x = x; this.y = y; }\n  norm() { return Math.abs(this.x) + Math.abs(this.y); }\n}\n');
    const edited = run();
    assert.deepEqual(edited.results, [49, 7, 4]);
    assert.equal(edited.computed, 2, 'both calls given a Point compute again; the other one hits');
  });

  it('a record stores the input as the call started, not as the function left it', () => {
    assert.deepEqual(run().inputs, [{ k: 2, v: 1 }]);
  });
});

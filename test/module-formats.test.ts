import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { join } from 'node:path';
import { REPO_ROOT, tempProject } from './helpers/temp-project.js';

const project = tempProject('funes-formats-');
after(() => project.remove());

const body = `
const square = memorious(function square(x) { console.log('computing'); return x * x; });
console.log(square(4), square(4), [...loadCachedResults(square)].length);
`;

test('ESM import works', () => {
  project.write('esm.mjs', `import { memorious, loadCachedResults } from '@funes/core';${body}`);
  const run = project.node(['esm.mjs'], { FUNES_CACHE_DIR: 'cache-esm' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'computing\n16 16 1\n');
});

test('CommonJS require works through require(esm), without warnings', () => {
  project.write('cjs.cjs', `const { memorious, loadCachedResults } = require('@funes/core');${body}`);
  const run = project.node(['cjs.cjs'], { FUNES_CACHE_DIR: 'cache-cjs' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'computing\n16 16 1\n');
  assert.equal(run.stderr, '');
});

test('TypeScript run by tsx works, with the @memorious decorator', () => {
  project.write(
    'model.ts',
    `import { memorious, loadCachedResults } from '@funes/core';
class Model {
  constructor(private readonly scale: number) {}
  @memorious
  predict(x: number): number {
    console.log('predicting');
    return x * this.scale;
  }
}
const square = memorious(function square(x: number): number { console.log('computing'); return x * x; });
console.log(square(4), square(4), new Model(2).predict(3), new Model(2).predict(3), new Model(3).predict(3));
`,
  );
  const tsx = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  for (const expected of ['computing\npredicting\npredicting\n16 16 6 6 9\n', '16 16 6 6 9\n']) {
    const run = project.node([tsx, 'model.ts'], { FUNES_CACHE_DIR: 'cache-ts' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, expected);
  }
});

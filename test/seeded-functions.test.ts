/**
 * A seeded memorious function (`train.withSeed(3)`) used as a value — an argument, a
 * function held by `this`, a value captured in a closure — counts by the function it runs
 * and its seed, with Funes installed in node_modules as a user installs it (where Funes'
 * own functions count by its package version, not by their code).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT, tempProject } from './helpers/temp-project.js';

const project = tempProject('funes-seeded-');
after(() => project.remove());

// @funes/core as npm installs it: a directory of its own under node_modules, beside its dependencies.
const modules = join(project.dir, 'installed', 'node_modules');
const core = join(modules, '@funes', 'core');
mkdirSync(core, { recursive: true });
for (const part of ['package.json', 'dist']) {
  cpSync(join(REPO_ROOT, 'packages', 'core', part), join(core, part), { recursive: true });
}
for (const name of readdirSync(join(REPO_ROOT, 'node_modules'))) {
  if (name === '@funes' || name.startsWith('.')) continue;
  symlinkSync(join(REPO_ROOT, 'node_modules', name), join(modules, name), 'dir');
}
project.write('installed/package.json', JSON.stringify({ name: 'installed', private: true, type: 'module' }));

test('a seeded function as an argument, held by this or captured keys with its seed and its code', () => {
  const script = (offset: number) => `
import { memorious } from '@funes/core';
const train = memorious(function train(x) { return x + ${offset} + Math.random(); });
const apply = memorious(function apply(fn, x) { return fn(x); });
class Runner {
  constructor(seed) { this.train = train.withSeed(seed); }
  run(x) { return this.train(x); }
}
Runner.prototype.run = memorious(Runner.prototype.run, { name: 'Runner.run' });
function bind(seed) {
  const seeded = train.withSeed(seed);
  return memorious(function captured(x) { return seeded(x); }, { name: 'captured' });
}
const rows = [3, 4].map((seed) => ({
  alone: train.withSeed(seed)(1),
  argument: apply(train.withSeed(seed), 1),
  self: new Runner(seed).run(1),
  captured: bind(seed)(1),
}));
console.log(JSON.stringify(rows));
`;
  const run = (offset: number) => {
    project.write('installed/main.mjs', script(offset));
    const result = project.node(['installed/main.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'installed', 'cache') });
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /EDEFINITION/);
    return JSON.parse(result.stdout) as Record<string, number>[];
  };
  for (const offset of [0, 10]) {
    const rows = run(offset);
    for (const row of rows) {
      for (const use of ['argument', 'self', 'captured']) assert.equal(row[use], row.alone, `${use}, offset ${offset}`);
    }
    assert.notEqual(rows[0].alone, rows[1].alone, 'seeds 3 and 4 draw apart');
    assert.ok(rows[0].alone >= 1 + offset && rows[0].alone < 2 + offset, 'the edited code computed again');
  }
});

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT, tempProject } from './helpers/temp-project.js';

const project = tempProject('funes-demo-');
after(() => project.remove());

test('the demo computes on the first run and nothing on the second', () => {
  const demo = join(REPO_ROOT, 'examples', 'double', 'double.mjs');
  project.write('double.mjs', readFileSync(demo, 'utf8'));

  const first = project.node(['double.mjs']);
  assert.equal(first.status, 0, first.stderr);
  const doubling = first.stdout.split('\n').filter((line) => line.startsWith('doubling'));
  assert.deepEqual(doubling, [
    'doubling 0',
    'doubling 1',
    'doubling 2',
    'doubling 3',
    'doubling 4',
    'doubling 0',
    'doubling 0',
    'doubling 0',
    'doubling 0',
    'doubling 0',
  ]);
  assert.equal(first.stderr, '', 'no warnings');

  const second = project.node(['double.mjs']);
  assert.equal(second.status, 0, second.stderr);
  assert.doesNotMatch(second.stdout, /doubling/);
  const sections = [
    'uncached (will be slow)',
    'cached (will be fast)',
    'uncached (will be slow, unique global seed)',
    'cached (will be fast, reuse global seed)',
    'all cached values',
  ];
  for (const header of sections) assert.ok(second.stdout.includes(`${header}\n`), header);
  const recordLines = second.stdout.split('all cached values\n')[1].trim().split('\n');
  assert.equal(recordLines.length, 10);
  assert.match(recordLines[0], /input: \{ x: 0 \}, output: 0, time: 0\.5/);
  assert.match(recordLines[9], /input: \{ x: 0, global_seed: 4 \}, output: 0/);

  const functionDir = join(project.dir, 'cache', 'double');
  const versions = readdirSync(functionDir);
  assert.equal(versions.length, 1);
  assert.match(versions[0], /^[0-9a-f]{64}$/);
  const objects = readdirSync(join(functionDir, versions[0])).filter(
    (name) => name !== 'definition.json' && !name.startsWith('.used'),
  );
  assert.equal(objects.length, 10);
  for (const name of objects) {
    assert.match(name, /^[0-9a-f]{64}$/);
    assert.ok(statSync(join(functionDir, versions[0], name)).size > 56);
  }
});

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { configurationDigest, expandPattern, withConfiguration } from './configuration.js';

const dir = mkdtempSync(join(tmpdir(), 'funes-configuration-'));
after(() => rmSync(dir, { recursive: true, force: true }));
for (const path of ['a.csv', 'b.csv', 'c.txt', 'sub/d.csv', 'sub/deep/e.csv', '.hidden/f.csv', 'sub/.g.csv']) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), path);
}

test('patterns: *, ? and ** match as in a shell, dot files only when named', () => {
  assert.deepEqual(expandPattern(dir, '*.csv'), ['a.csv', 'b.csv']);
  assert.deepEqual(expandPattern(dir, '?.txt'), ['c.txt']);
  assert.deepEqual(expandPattern(dir, '**/*.csv'), ['a.csv', 'b.csv', 'sub/d.csv', 'sub/deep/e.csv']);
  assert.deepEqual(expandPattern(dir, 'sub/.g.csv'), ['sub/.g.csv']);
  assert.deepEqual(expandPattern(dir, 'absent/*.csv'), []);
});

test('no reads leave the key alone; a changed variable or file changes the digest', () => {
  assert.equal(withConfiguration('k', []), 'k');
  const reads = [
    { kind: 'environment', name: 'FUNES_TEST_SCALE' },
    { kind: 'file', name: 'a.csv', path: join(dir, 'a.csv') },
  ] as const;
  delete process.env.FUNES_TEST_SCALE;
  const unset = configurationDigest(reads);
  process.env.FUNES_TEST_SCALE = '';
  const empty = configurationDigest(reads);
  assert.notEqual(unset, empty, 'an empty variable is not an unset one');
  delete process.env.FUNES_TEST_SCALE;
  assert.equal(configurationDigest(reads), unset);
  writeFileSync(join(dir, 'a.csv'), 'changed');
  assert.notEqual(configurationDigest(reads), unset);
});

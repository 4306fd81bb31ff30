import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { memorious } from '@funes/core';
import { CacheView } from './cache-view.js';

const dir = mkdtempSync(join(tmpdir(), 'funes-ui-view-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('keeps the tables of the versions looked at last, and reads again one it let go', async () => {
  const square = memorious((x: number) => x * x, { name: 'square', cacheDir: dir });
  const cube = memorious((x: number) => x ** 3, { name: 'cube', cacheDir: dir });
  const half = memorious((x: number) => x / 2, { name: 'half', cacheDir: dir });
  for (let x = 0; x < 6; x++) await Promise.all([square(x), cube(x), half(x)]);
  const view = new CacheView(dir, 10);
  const key = (name: string) => view.functions().find((fn) => fn.name === name)!.versions[0].key;
  const [a, b, c] = [key('square'), key('cube'), key('half')];
  for (const version of [a, b, c]) await view.loaded(version);
  assert.deepEqual(view.openVersions(), [b, c], 'square, looked at first, let go: 18 rows are more than 10');
  const { rows } = (await view.select(a, { sort: 'x', descending: true }, true))!;
  assert.deepEqual(
    rows.map((row) => row.cells[1]),
    [25, 16, 9, 4, 1, 0],
    'read again, whole',
  );
  assert.deepEqual(view.openVersions(), [c, a]);
});

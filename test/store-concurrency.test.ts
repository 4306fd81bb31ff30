/**
 * Concurrency with real processes: 8 processes run the same 200-point sweep in one cache
 * directory at the same time. Without locks every entry ends up stored and valid (some
 * computed more than once); with `lock: true` each point is computed exactly once, counted
 * through a side channel (a line appended per computation, O_APPEND).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isHash, METADATA_FILE, readObjectFile } from '@funes/core/internal';
import { isProjectUsedFile, listVersions, USED_FILE } from '@funes/core/cache';
import { startNode } from './helpers/processes.js';
import { tempProject } from './helpers/temp-project.js';

const project = tempProject('funes-concurrency-');
after(() => project.remove());

const PROCESSES = 8;
const POINTS = 200;

/**
 * argv: sync|async, the time to start at (so the processes overlap),
 * whether to shuffle the sweep, whether to pass `lock: true`.
 */
const SWEEP = `
import { memorious } from '@funes/core';
import { openSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
const [kind, startAt, shuffle, lock] = process.argv.slice(2);
const computed = openSync('computed.log', 'a');
const busy = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
const options = { version: 'sweep', ...(lock === 'lock-option' ? { lock: true } : {}) };
const point = kind === 'async'
  ? memorious(async function point(i) { writeSync(computed, i + '\\n'); await sleep(2); ` +
      `return { i, root: Math.sqrt(i), list: [i, i, i] }; }, options)
  : memorious(function point(i) { writeSync(computed, i + '\\n'); busy(2); ` +
      `return { i, root: Math.sqrt(i), list: [i, i, i] }; }, options);
const order = Array.from({ length: ${POINTS} }, (_, i) => i);
if (shuffle === 'shuffle') order.sort(() => Math.random() - 0.5);
while (Date.now() < Number(startAt));
for (const i of order) {
  const result = await point(i);
  if (result.i !== i || result.root !== Math.sqrt(i)) throw new Error('wrong result for ' + i);
}
`;

async function sweep(kind: 'sync' | 'async', lock: 'none' | 'FUNES_LOCK=1' | 'lock: true') {
  rmSync(join(project.dir, 'cache'), { recursive: true, force: true });
  rmSync(join(project.dir, 'computed.log'), { force: true });
  project.write('sweep.mjs', SWEEP);
  const startAt = Date.now() + 2500;
  const runs = await Promise.all(
    Array.from(
      { length: PROCESSES },
      (_, n) =>
        startNode(
          project.dir,
          [
            'sweep.mjs',
            kind,
            String(startAt),
            n % 2 ? 'shuffle' : 'in-order',
            lock === 'lock: true' ? 'lock-option' : '',
          ],
          {
            FUNES_CACHE_DIR: 'cache',
            ...(lock === 'FUNES_LOCK=1' ? { FUNES_LOCK: '1' } : {}),
          },
        ).finished,
    ),
  );
  for (const run of runs) {
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'no warnings');
  }
  const versions = listVersions(join(project.dir, 'cache'));
  assert.equal(versions.length, 1);
  const names = readdirSync(versions[0].dir);
  assert.deepEqual(
    names.filter((name) => !isHash(name) && name !== METADATA_FILE && name !== USED_FILE && !isProjectUsedFile(name)),
    [],
    'no temp or lock files left',
  );
  const objects = names.filter(isHash);
  assert.equal(objects.length, POINTS, 'every point stored');
  const stored = new Set<number>();
  for (const name of objects) {
    const read = readObjectFile(join(versions[0].dir, name));
    assert.equal(read.status, 'hit');
    if (read.status === 'hit') {
      const i = read.record.input.i as number;
      assert.deepEqual(read.record.output, { i, root: Math.sqrt(i), list: [i, i, i] });
      stored.add(i);
    }
  }
  assert.equal(stored.size, POINTS);
  return readFileSync(join(project.dir, 'computed.log'), 'utf8').trim().split('\n').map(Number);
}

function countsOf(computations: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const i of computations) counts.set(i, (counts.get(i) ?? 0) + 1);
  return counts;
}

test(`${PROCESSES} processes × the same ${POINTS}-point sweep: every entry stored and valid`, async (t) => {
  const computations = await sweep('sync', 'none');
  assert.equal(countsOf(computations).size, POINTS);
  t.diagnostic(`${computations.length} computations for ${POINTS} points without locks`);
});

for (const [kind, lock] of [['sync', 'FUNES_LOCK=1'], ['async', 'lock: true']] as const) {
  test(`with ${lock} (${kind} function): each of the ${POINTS} points computed exactly once ` +
      `across ${PROCESSES} processes`, async () => {
    const computations = await sweep(kind, lock);
    const counts = countsOf(computations);
    assert.equal(counts.size, POINTS);
    assert.deepEqual(
      [...counts].filter(([, n]) => n !== 1),
      [],
      'points computed more than once',
    );
    assert.equal(computations.length, POINTS);
  });
}

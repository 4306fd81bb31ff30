/**
 * Seeing and steering calls from real processes: hit, miss, store and lock-wait events
 * with their function, version and argument hash; FUNES_LOG lines on stderr; stats();
 * isCached, peek, refresh and clear; FUNES_DISABLE and FUNES_REFRESH.
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { printed, startNode } from './helpers/processes.js';
import { tempProject } from './helpers/temp-project.js';

const project = tempProject('funes-observe-');
after(() => project.remove());

/** A sweep over argv's points, printing each call's events (without timings) and the stats as JSON lines. */
project.write(
  'sweep.mjs',
  `
import { memorious } from '@funes/core';
const points = process.argv.slice(2).map(Number);
const events = [];
let computed = 0;
const train = memorious(function train(lr, epochs = 3) { computed++; return { loss: lr * epochs }; }, {
  onEvent: (e) => events.push({ type: e.type, function: e.function, version: e.version, ` +
      `argumentHash: e.argumentHash, input: e.input, reason: e.reason, ms: typeof e.ms }),
});
for (const lr of points) train(lr);
console.log(JSON.stringify({ computed, events, stats: train.stats() }));
`,
);

function sweep(points: number[], env: NodeJS.ProcessEnv = {}) {
  const run = project.node(['sweep.mjs', ...points.map(String)], env);
  assert.equal(run.status, 0, run.stderr);
  return { ...JSON.parse(run.stdout.trim().split('\n').pop()!), stderr: run.stderr };
}

test('events name the call: a miss then a store, then a hit in the next process; stats count them', () => {
  const first = sweep([0.1, 0.2]);
  assert.equal(first.computed, 2);
  assert.deepEqual(
    first.events.map((e: { type: string }) => e.type),
    ['miss', 'store', 'miss', 'store'],
  );
  const [miss, store] = first.events;
  assert.equal(miss.function, 'train');
  assert.match(miss.version, /^[0-9a-f]{64}$/);
  assert.match(miss.argumentHash, /^[0-9a-f]{64}$/);
  assert.deepEqual(miss.input, { lr: 0.1, epochs: 3 });
  assert.equal(miss.reason, 'absent');
  assert.equal(miss.ms, 'number');
  assert.equal(store.argumentHash, miss.argumentHash);
  assert.deepEqual(first.stats, { hits: 0, misses: 2, timeSaved: 0 });

  const second = sweep([0.1, 0.2, 0.3]);
  assert.equal(second.computed, 1);
  assert.deepEqual(
    second.events.map((e: { type: string }) => e.type),
    ['hit', 'hit', 'miss', 'store'],
  );
  assert.equal(second.events[0].argumentHash, miss.argumentHash);
  assert.equal(second.events[0].version, miss.version);
  assert.equal(second.stats.hits, 2);
  assert.equal(second.stats.misses, 1);
  assert.ok(second.stats.timeSaved > 0, 'the hits spared the time their calls took when stored');
});

test('FUNES_LOG=hits,misses prints one line per hit and miss on stderr; FUNES_VERBOSE=1 adds stores', () => {
  const logged = sweep([0.1, 0.4], { FUNES_LOG: 'hits,misses' });
  const lines = logged.stderr.split('\n').filter((line: string) => line.startsWith('funes:'));
  assert.equal(lines.length, 2, logged.stderr);
  assert.match(lines[0], /^funes: hit   train\(lr=0\.1, epochs=3\) [\d.]+ ms \[[0-9a-f]{8}\/[0-9a-f]{8}\]$/);
  assert.match(lines[1], /^funes: miss  train\(lr=0\.4, epochs=3\) \[[0-9a-f]{8}\/[0-9a-f]{8}\]$/);
  const verbose = sweep([0.5], { FUNES_VERBOSE: '1' });
  assert.match(verbose.stderr, /^funes: miss  train\(lr=0\.5, epochs=3\) /m);
  assert.match(verbose.stderr, /^funes: store train\(lr=0\.5, epochs=3\) computed in [\d.]+ (ms|s) /m);
  const wrong = project.node(['sweep.mjs', '1'], { FUNES_LOG: 'hitz' });
  assert.notEqual(wrong.status, 0);
  assert.match(wrong.stderr, /FUNES_LOG has 'hitz': list some of hits, misses, stores, lock-waits \(or all\)/);
});

test('FUNES_DISABLE runs the function and touches nothing; FUNES_REFRESH recomputes and replaces', () => {
  sweep([0.7]);
  const disabled = sweep([0.7, 0.8], { FUNES_DISABLE: '1' });
  assert.equal(disabled.computed, 2, 'a stored call is computed too');
  assert.deepEqual(disabled.events, []);
  assert.equal(sweep([0.8]).computed, 1, 'nothing was stored while disabled');
  const refreshed = sweep([0.7, 0.8], { FUNES_REFRESH: '1' });
  assert.equal(refreshed.computed, 2);
  assert.deepEqual(
    refreshed.events.map((e: { type: string; reason?: string }) => `${e.type}${e.reason ? `:${e.reason}` : ''}`),
    ['miss:refresh', 'store', 'miss:refresh', 'store'],
  );
  assert.equal(sweep([0.7, 0.8]).computed, 0, 'the refreshed results are stored');
  project.write(
    'peek.mjs',
    `
import { memorious } from '@funes/core';
const scale = memorious(function scale(x) { return x * 2; }, { cacheDir: 'peek-cache' });
if (process.argv[2] === 'store') scale(0.7);
console.log(JSON.stringify([scale.isCached(0.7), scale.peek(0.7) ?? 'none']));
`,
  );
  const stored = project.node(['peek.mjs', 'store']);
  assert.deepEqual(JSON.parse(stored.stdout), [true, 1.4], stored.stderr);
  const versions = join(project.dir, 'peek-cache', 'scale');
  const used = () => readdirSync(versions).map((version) => statSync(join(versions, version, '.used')).mtimeMs);
  const usedBefore = used();
  const peeked = project.node(['peek.mjs'], { FUNES_DISABLE: '1' });
  assert.equal(peeked.status, 0, peeked.stderr);
  assert.deepEqual(JSON.parse(peeked.stdout), [false, 'none'], 'isCached and peek answer as a disabled call would');
  assert.deepEqual(used(), usedBefore, 'and mark no version used');
  const typo = project.node(['sweep.mjs', '1'], { FUNES_REFRESH: 'yes please' });
  assert.match(typo.stderr, /FUNES_REFRESH is 'yes please': set it to 1/);
  assert.match(typo.stderr, /code: 'EINVALID'/);
  assert.doesNotMatch(typo.stderr, /hint: undefined/, 'an error without a hint prints none');
});

test('FUNES_LOCK with a value it does not take stops the sweep and names the values it takes', () => {
  const typo = project.node(['sweep.mjs', '1'], { FUNES_LOCK: 'maybe' });
  assert.notEqual(typo.status, 0);
  assert.match(
    typo.stderr,
    new RegExp(
      /FUNES_LOCK is 'maybe': set it to 1 \(or true\) to turn it on, /.source +
        /skip to fail at once on a call another process is computing, 0 or nothing to leave it off/.source,
    ),
  );
  assert.equal(sweep([0.9], { FUNES_LOCK: 'skip' }).computed, 1);
  assert.equal(sweep([0.9], { FUNES_LOCK: 'TRUE' }).computed, 0);
});

test('isCached, peek, refresh and clear, from code', () => {
  project.write(
    'control.mjs',
    `
import { memorious } from '@funes/core';
let computed = 0;
const stamp = memorious(function stamp(x) { computed++; return { x, ` +
    `at: process.hrtime.bigint() }; }, { cacheDir: 'control-cache' });
const asyncStamp = memorious(async function asyncStamp(x) { computed++; return { x }; }, { cacheDir: 'control-cache' });
const out = {};
out.before = [stamp.isCached(1), stamp.peek(1), computed];
const first = stamp(1);
out.after = [stamp.isCached(1), stamp.peek(1).at === first.at, stamp.isCached(2), computed];
const refreshed = stamp.refresh(1);
out.refresh = [refreshed.at !== first.at, stamp(1).at === refreshed.at, computed];
await asyncStamp(5);
out.asyncPeek = [asyncStamp.peek(5), asyncStamp.isCached(5)];
stamp(2);
out.clear = stamp.clear();
out.afterClear = [stamp.isCached(1), stamp.isCached(2), asyncStamp.isCached(5)];
stamp(3);
out.stored = stamp.isCached(3);
out.clearAll = stamp.clear({ allVersions: true });
console.log(JSON.stringify(out));
`,
  );
  const run = project.node(['control.mjs']);
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.deepEqual(
    out.before,
    [false, null, 0],
    'peek of a call never made: undefined (null in JSON), and nothing computed',
  );
  assert.deepEqual(out.after, [true, true, false, 1]);
  assert.deepEqual(out.refresh, [true, true, 2]);
  assert.deepEqual(out.asyncPeek, [{ x: 5 }, true], 'peek resolves what an async function stored');
  assert.equal(out.clear, 2, 'both of stamp’s results');
  assert.deepEqual(out.afterClear, [false, false, true], 'another function is left alone');
  assert.equal(out.stored, true, 'a cleared version stores again');
  assert.equal(out.clearAll, 1);
});

test('a call waiting for another process’s lock reports lock-wait, then reads that process’s result', async () => {
  project.write(
    'locked.mjs',
    `
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { memorious } from '@funes/core';
const events = [];
const slow = memorious(async function slow(x) {
  console.log('computing');
  while (!existsSync('go')) await sleep(10);
  return x * 2;
}, { lock: true, cacheDir: 'lock-cache', onEvent: (e) => events.push(e.type === 'lock-wait' ? 'lock-wait:' + ` +
    `e.computedElsewhere + ':' + (e.ms > 0) : e.type) });
console.log(JSON.stringify({ value: await slow(21), events }));
`,
  );
  const holder = startNode(project.dir, ['locked.mjs']);
  assert.ok(await printed(holder.child, 'computing'), 'the holder computes under the lock');
  // The waiter logs its miss just before it asks for the lock, which the holder keeps until 'go' exists.
  const waiter = startNode(project.dir, ['locked.mjs'], { FUNES_LOG: 'misses' });
  await new Promise<void>((resolve) =>
    waiter.child.stderr!.on('data', (text) => String(text).includes('funes: miss') && resolve()),
  );
  // Nothing outside the waiter shows that it is polling the lock; on a loaded machine it may
  // not have reached the lock yet when the holder finishes, so the holder is let go only later.
  await sleep(2000);
  project.write('go', '');
  const [held, waited] = await Promise.all([holder.finished, waiter.finished]);
  assert.equal(held.code, 0, held.stderr);
  assert.equal(waited.code, 0, waited.stderr);
  assert.deepEqual(JSON.parse(held.stdout.split('\n')[1]), { value: 42, events: ['miss', 'store'] });
  assert.deepEqual(JSON.parse(waited.stdout.trim()), { value: 42, events: ['miss', 'lock-wait:true:true'] });
});

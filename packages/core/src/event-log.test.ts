import assert from 'node:assert/strict';
import { test } from 'node:test';
import { briefInput, loggedTypes, logLine } from './event-log.js';

test('FUNES_LOG takes words singular or plural, and all; FUNES_VERBOSE=1 is all', () => {
  assert.deepEqual([...loggedTypes({ FUNES_LOG: 'hits, Misses' })], ['hit', 'miss']);
  assert.deepEqual([...loggedTypes({ FUNES_LOG: 'store,lock-waits' })], ['store', 'lock-wait']);
  assert.deepEqual([...loggedTypes({ FUNES_VERBOSE: '1' })], ['hit', 'miss', 'store', 'lock-wait']);
  assert.deepEqual([...loggedTypes({ FUNES_LOG: 'all' })], ['hit', 'miss', 'store', 'lock-wait']);
  assert.equal(loggedTypes({}).size, 0);
  assert.throws(() => loggedTypes({ FUNES_LOG: 'hit,mises' }), { code: 'EINVALID', message: /FUNES_LOG has 'mises'/ });
});

test('a log line names the call briefly, however large its input', () => {
  const call = { function: 'fit', version: 'a'.repeat(64), argumentHash: 'b'.repeat(64) };
  assert.equal(
    logLine({ ...call, type: 'hit', ms: 0.04, input: { lr: 0.1, name: 'x' } }),
    `funes: hit   fit(lr=0.1, name="x") 0.04 ms [aaaaaaaa/bbbbbbbb]`,
  );
  assert.equal(
    logLine({ ...call, type: 'store', ms: 12_410, input: {} }),
    `funes: store fit() computed in 12.41 s [aaaaaaaa/bbbbbbbb]`,
  );
  assert.equal(
    logLine({ ...call, type: 'miss', ms: 0.1, reason: 'refresh', input: {} }),
    `funes: miss  fit() (refresh) [aaaaaaaa/bbbbbbbb]`,
  );
  assert.equal(
    briefInput({ data: new Float64Array(1000), n: 10n, f: undefined }),
    'data=Float64Array(1000), n=10n, f=undefined',
  );
  const long = briefInput({ grid: Array.from({ length: 100 }, (_, i) => i), other: 'y'.repeat(200) });
  assert.ok(long.length <= 120 && long.endsWith('…'), long);
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  assert.equal(briefInput({ circular }), 'circular=[object Object]');
});

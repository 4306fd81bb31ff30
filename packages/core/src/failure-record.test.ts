import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CallFailedError, failureOf, listFailures, parseFailure } from './failure-record.js';
import { describeDefinition, memorious } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'funes-failures-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a failure record keeps the error, the attempt and the host, and reads back', () => {
  const record = failureOf(Object.assign(new RangeError('diverged'), { code: 'EDIVERGED' }), 2);
  assert.deepEqual(
    { ...record, at: '' },
    {
      attempts: 3,
      error: { name: 'RangeError', message: 'diverged', code: 'EDIVERGED' },
      host: hostname(),
      pid: process.pid,
      at: '',
    },
  );
  assert.deepEqual(parseFailure(JSON.stringify(record)), record);
  assert.equal(failureOf('a thrown string', 0).error.message, 'a thrown string');
  // A thrown value that has no text, or whose reading throws, is recorded as far as it can be read.
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const unreadable: [unknown, RegExp][] = [
    [Object.assign(Object.create(null), { reason: 'diverged' }), /null prototype.*reason: 'diverged'/],
    [{ toString: () => assert.fail('read') }, /toString/],
    [{ get name() { return assert.fail('read'); }, message: 'm' }, /.+/],
    [revocable.proxy, /.+/],
  ];
  for (const [thrown, message] of unreadable) assert.match(failureOf(thrown, 0).error.message, message);
  for (const text of ['', '{', '{"attempts":"1"}', 'null']) assert.equal(parseFailure(text), undefined, text);
});

test('a call throwing a value that cannot be read as text throws that value, not an error reading it', async () => {
  const cacheDir = join(root, 'unreadable');
  const thrown = Object.create(null);
  const sync = memorious(function bare() { throw thrown; }, { cacheDir });
  const later = memorious(async function bareLater() { throw thrown; }, { cacheDir, retries: 2 });
  assert.throws(() => sync(), (error) => error === thrown);
  await assert.rejects(later(), (error) => error === thrown);
  assert.equal(listFailures(cacheDir, 'bareLater', describeDefinition(later).hash)[0].error.name, 'object');
});

test('with retries: 1 a crashing call runs twice, then fails at once with EFAILED; ' +
    'without retries it always runs', () => {
  const cacheDir = join(root, 'retries');
  let runs = 0;
  const crash = memorious(
    function crash(x: number) {
      runs++;
      throw new RangeError(`diverged at ${x}`);
    },
    { cacheDir, retries: 1 },
  );
  assert.throws(() => crash(1), RangeError);
  assert.throws(() => crash(1), RangeError);
  assert.throws(
    () => crash(1),
    (error: unknown) => {
      assert.ok(error instanceof CallFailedError);
      assert.equal(error.code, 'EFAILED');
      assert.equal(error.record.attempts, 2);
      assert.match(error.message, /failed 2 times \(last on .*: RangeError: diverged at 1\)/);
      return true;
    },
  );
  assert.equal(runs, 2);
  assert.throws(() => crash(2), RangeError, 'another point has its own count');
  assert.deepEqual(
    listFailures(cacheDir, 'crash', describeDefinition(crash).hash)
      .map((point) => point.attempts)
      .sort(),
    [1, 2],
  );
  const always = memorious(
    function always() {
      runs++;
      throw new Error('again');
    },
    { cacheDir: join(root, 'always') },
  );
  runs = 0;
  for (let i = 0; i < 3; i++) assert.throws(() => always(), /again/);
  assert.equal(runs, 3);
});

test('a call that succeeds after failing is no longer listed as failed, and clear() forgets failures', async () => {
  const cacheDir = join(root, 'recovered');
  let down = true;
  const options = { cacheDir, retries: 1 };
  const source = function fetchDay(day: number) {
    if (down) throw new Error('network down');
    return day * 10;
  };
  const fetchDay = memorious(source, options);
  const failedDays = () =>
    listFailures(cacheDir, 'fetchDay', describeDefinition(fetchDay).hash).map((point) => point.argumentHash);
  for (const day of [1, 2, 3]) assert.throws(() => fetchDay(day), /network down/);
  assert.throws(() => fetchDay(1), /network down/);
  assert.throws(() => fetchDay(1), (error: unknown) => error instanceof CallFailedError);
  assert.equal(failedDays().length, 3);
  down = false;
  assert.equal(fetchDay(2), 20, 'a point under its retries runs, and succeeds');
  assert.equal(fetchDay.refresh(1), 10, 'refresh runs a point past its retries');
  assert.equal(failedDays().length, 1, 'only the point not run since is still failed');
  process.env.FUNES_REFRESH = '1';
  try {
    const refreshing = memorious(source, options);
    // Hashed with the value of `down` that fetchDay's definition captured, so both are one version.
    down = true;
    assert.equal(describeDefinition(refreshing).hash, describeDefinition(fetchDay).hash);
    down = false;
    assert.equal(refreshing(3), 30, 'FUNES_REFRESH runs it');
  } finally {
    delete process.env.FUNES_REFRESH;
  }
  assert.equal(failedDays().length, 0, 'a point FUNES_REFRESH ran is no longer failed');
  const fetchAsync = memorious(async function fetchAsync(day: number) {
    if (down) throw new Error('network down');
    return day;
  }, { cacheDir });
  down = true;
  await assert.rejects(fetchAsync(1), /network down/);
  down = false;
  assert.equal(await fetchAsync(1), 1);
  assert.deepEqual(listFailures(cacheDir, 'fetchAsync', describeDefinition(fetchAsync).hash), []);
  fetchDay.clear();
  down = true;
  assert.throws(() => fetchDay(3), /network down/);
  assert.deepEqual(
    listFailures(cacheDir, 'fetchDay', describeDefinition(fetchDay).hash).map((point) => point.attempts),
    [1],
    'cleared, the version starts afresh: its first failure since counts one',
  );
});

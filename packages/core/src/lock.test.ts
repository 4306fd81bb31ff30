import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { InvalidUsageError, LeaseHeldError, LockTimeoutError } from './errors.js';
import { memorious } from './index.js';
import { isLockFile, isTempFile, lockPath } from './layout.js';
import { acquireLock, acquireLockSync, inspectLock } from './lock.js';
import { formatLockOwner, isStale, parseLockOwner, type LockOwner } from './lock-owner.js';

const root = mkdtempSync(join(tmpdir(), 'funes-lock-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const fresh = () => join(root, `v${dirs++}`);
const settings = { timeoutMs: 200, leaseMs: 1000, skip: false };
const nothing = () => undefined;
const owner = (fields: Partial<LockOwner>): LockOwner => ({
  pid: process.pid,
  host: hostname(),
  started: null,
  token: 't',
  acquiredAt: '',
  ...fields,
});
/** A pid no process has: above Linux's pid_max limit. */
const DEAD_PID = 4_194_304 + 7;

test('the lock owner text round-trips; damaged text reads as no owner', () => {
  const o = owner({ started: '123' });
  assert.deepEqual(parseLockOwner(formatLockOwner(o)), o);
  for (const text of [
    '',
    '{',
    'null',
    '{"pid":"1","host":"h","token":"t"}',
    '{"pid":0,"host":"h","token":"t"}',
    '{"pid":-1,"host":"h","token":"t"}',
    '[]',
  ]) {
    assert.equal(parseLockOwner(text), undefined, text);
  }
});

test('staleness: gone or reused pids here, an expired lease elsewhere, damaged text', () => {
  const here = {
    host: 'a',
    leaseMs: 1000,
    probe: (pid: number) => (pid === 1 ? { alive: true as const, started: '50' } : { alive: false as const }),
  };
  assert.equal(isStale(owner({ host: 'a', pid: 1, started: '50' }), 1e9, here), false, 'alive holder, however old');
  assert.equal(isStale(owner({ host: 'a', pid: 1, started: null }), 0, here), false);
  assert.equal(isStale(owner({ host: 'a', pid: 1, started: '49' }), 0, here), true, 'pid reused by a later process');
  assert.equal(isStale(owner({ host: 'a', pid: 2 }), 0, here), true, 'holder gone');
  assert.equal(isStale(owner({ host: 'b', pid: 2 }), 999, here), false, 'other host within its lease');
  assert.equal(isStale(owner({ host: 'b', pid: 1 }), 1001, here), true, 'other host, lease expired');
  assert.equal(isStale(undefined, 0, here), true);
});

test('a free lock is taken; a second taker waits and times out with ELOCKTIMEOUT naming the holder', async () => {
  const dir = fresh();
  const file = lockPath(dir, 'a'.repeat(64));
  const first = acquireLockSync(file, dir, nothing, settings);
  assert.ok(first.lock);
  assert.ok(isLockFile('.lock-' + 'a'.repeat(64)));
  assert.throws(() => acquireLockSync(file, dir, nothing, settings), (error: unknown) => {
    assert.ok(error instanceof LockTimeoutError);
    assert.equal(error.code, 'ELOCKTIMEOUT');
    assert.ok(error.waitedMs >= settings.timeoutMs, `gave up after ${error.waitedMs} ms, before its timeout`);
    assert.deepEqual(error.holder, { pid: process.pid, host: hostname() });
    assert.match(error.hint ?? '', /raise the wait with \{ lock: \{ timeout \} \}/);
    return true;
  });
  await assert.rejects(acquireLock(file, dir, nothing, settings), LockTimeoutError);
  assert.throws(() => acquireLockSync(file, dir, nothing, { ...settings, skip: true }), (error: unknown) => {
    assert.ok(error instanceof LeaseHeldError, "lock: 'skip' does not wait");
    assert.deepEqual(error.holder, { pid: process.pid, host: hostname() });
    return true;
  });
  first.lock.release();
  assert.equal(existsSync(file), false);
  assert.deepEqual(readdirSync(dir), [], 'no temp or break files left');
});

test('a waiter returns what the holder stored, without taking the lock', async () => {
  const dir = fresh();
  const file = lockPath(dir, 'b'.repeat(64));
  const held = acquireLockSync(file, dir, nothing, settings);
  let stored: string | undefined;
  let checks = 0;
  // The holder finishes once the waiter has found the lock held and come back to look again.
  const finished = () => {
    if (++checks === 3) {
      stored = 'result';
      held.lock?.release();
    }
    return stored;
  };
  const outcome = await acquireLock(file, dir, finished, { ...settings, timeoutMs: 60_000 });
  assert.equal(outcome.done, 'result');
  assert.ok(outcome.waitedMs !== undefined, 'it waited');
  assert.equal(existsSync(file), false);
});

test('stale locks are taken over: dead pid, reused pid, expired foreign lease, damaged text', () => {
  const cases: [string, string, number][] = [
    ['dead pid', formatLockOwner(owner({ pid: DEAD_PID })), 0],
    // Process start times come from /proc (Linux); elsewhere a reused pid counts as alive.
    ...(existsSync('/proc/self/stat')
      ? [['reused pid', formatLockOwner(owner({ started: 'not-my-start-time' })), 0] as [string, string, number]]
      : []),
    ['foreign host, expired lease', formatLockOwner(owner({ host: 'elsewhere' })), 2000],
    ['damaged', 'garbage', 0],
  ];
  for (const [label, text, ageMs] of cases) {
    const dir = fresh();
    const file = lockPath(dir, 'c'.repeat(64));
    acquireLockSync(file, dir, nothing, settings).lock?.release();
    writeFileSync(file, text);
    const old = new Date(Date.now() - ageMs);
    utimesSync(file, old, old);
    const outcome = acquireLockSync(file, dir, nothing, settings);
    assert.ok(outcome.lock, label);
    assert.equal(parseLockOwner(readFileText(file))?.pid, process.pid, label);
    outcome.lock.release();
    assert.deepEqual(readdirSync(dir).filter((n) => isLockFile(n) || isTempFile(n)), [], `${label}: nothing left`);
  }
});

test('a holder whose thread is blocked keeps its lease: a worker thread renews it', () => {
  const dir = fresh();
  const file = lockPath(dir, 'e'.repeat(64));
  const held = acquireLockSync(file, dir, nothing, settings).lock!;
  const leaseMs = 1200;
  held.keepAlive(leaseMs, { blocking: true });
  // Block this thread, as a sync computation does, until the lock file has been renewed four
  // times: while it is blocked only another thread can renew it.
  const blocked = new Int32Array(new SharedArrayBuffer(4));
  const renewals = [statSync(file).mtimeMs];
  const guard = Date.now() + 120_000;
  while (renewals.length < 5) {
    assert.ok(Date.now() < guard, `renewed ${renewals.length - 1} times in two minutes`);
    Atomics.wait(blocked, 0, 0, 50);
    const mtimeMs = statSync(file).mtimeMs;
    if (mtimeMs !== renewals.at(-1)) renewals.push(mtimeMs);
  }
  held.release();
  assert.equal(existsSync(file), false);
  // Once the worker has started (its first renewal), each renewal comes within a lease of the
  // one before, by the times the renewer stamped: this thread's own delays do not count.
  const gaps = renewals.slice(2).map((mtimeMs, i) => mtimeMs - renewals[i + 1]);
  assert.ok(gaps.every((gap) => gap < leaseMs), `renewals ${gaps.join(', ')} ms apart`);
});

test('a foreign lock within its lease is waited for', () => {
  const dir = fresh();
  const file = lockPath(dir, 'd'.repeat(64));
  acquireLockSync(file, dir, nothing, settings).lock?.release();
  writeFileSync(file, formatLockOwner(owner({ host: 'elsewhere', pid: DEAD_PID })));
  assert.throws(() => acquireLockSync(file, dir, nothing, settings), LockTimeoutError);
});

test('release leaves a lock that another process has taken over', () => {
  const dir = fresh();
  const file = lockPath(dir, 'e'.repeat(64));
  const outcome = acquireLockSync(file, dir, nothing, settings);
  const theirs = formatLockOwner(owner({ token: 'theirs' }));
  writeFileSync(file, theirs);
  outcome.lock?.release();
  assert.equal(readFileText(file), theirs);
});

function readFileText(file: string): string {
  return readFileSync(file, 'utf8');
}

test(
  'a lock whose holder exited but is not reaped yet (a zombie) is stale',
  { skip: !existsSync('/proc/self/stat') && 'process states come from /proc (Linux)' },
  async () => {
    // The background sleep exits after its parent became `sleep 30`,
    // which never waits for it: a zombie until the parent goes.
    const parent = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(String(await once(parent.stdout!, 'data')).trim());
      let state = '';
      for (let tries = 0; state !== 'Z' && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0];
      }
      assert.equal(state, 'Z', 'the child is a zombie');
      const dir = fresh();
      const file = lockPath(dir, 'e'.repeat(64));
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, formatLockOwner(owner({ pid, started: null })));
      assert.equal(inspectLock(file)?.stale, true);
      assert.ok(acquireLockSync(file, dir, nothing, settings).lock, 'taken over');
    } finally {
      parent.kill('SIGKILL');
    }
  },
);

test('inspectLock tells held locks from stale ones and abandoned break files', () => {
  const dir = fresh();
  const file = lockPath(dir, 'f'.repeat(64));
  const held = acquireLockSync(file, dir, nothing, settings);
  assert.deepEqual(inspectLock(file), { owner: parseLockOwner(readFileText(file)), stale: false });
  held.lock?.release();
  assert.equal(inspectLock(file), undefined);
  writeFileSync(file, formatLockOwner(owner({ pid: DEAD_PID })));
  assert.equal(inspectLock(file)?.stale, true);
  const breaker = `${file}.break-t`;
  writeFileSync(breaker, '');
  assert.equal(inspectLock(breaker)?.stale, false, 'a fresh break file is a takeover in progress');
  const old = new Date(Date.now() - 60_000);
  utimesSync(breaker, old, old);
  assert.equal(inspectLock(breaker)?.stale, true);
  assert.ok(isLockFile('.lock-' + 'f'.repeat(64) + '.break-t'));
});

test('memorious with lock: concurrent wrappers of one async function compute a key once', async () => {
  const cacheDir = fresh();
  let runs = 0;
  const make = () =>
    memorious(
      async function slowSquare(x: number) {
        runs++;
        await new Promise((r) => setTimeout(r, 30));
        return x * x;
      },
      { cacheDir, lock: true, version: 'v1' },
    );
  const [a, b] = [make(), make()];
  assert.deepEqual(await Promise.all([a(3), b(3), a(4), b(4)]), [9, 9, 16, 16]);
  assert.equal(runs, 2);
  assert.throws(() => memorious(function f() {}, { lock: { timeout: -1 } }), InvalidUsageError);
  // A misspelt setting would leave the wait at an hour; a lease past what a timer holds, renewed every millisecond.
  assert.throws(() => memorious(function f() {}, { lock: { timout: 5 } as never }), {
    code: 'EINVALID',
    message: /the lock option has no setting 'timout'; did you mean 'timeout'\?/,
  });
  for (const lease of [Infinity, 2 ** 31]) {
    assert.throws(() => memorious(function f() {}, { lock: { lease } }), {
      code: 'EINVALID',
      message: /lease must be at most 2147483647 ms/,
    });
  }
  memorious(function f() {}, { lock: { timeout: Infinity, lease: 2 ** 31 - 1, skip: false } });
  // A lease its renewals (one request every third of it) cannot keep would lapse under its holder again and again.
  assert.throws(() => memorious(function f() {}, { lock: { lease: 999 } }), {
    code: 'EINVALID',
    message: /lease must be at least 1000 ms; got 999: its holder renews it every third of it/,
  });
  memorious(function f() {}, { lock: { lease: 1000 } });
});

test(
  'memorious with lock: a cache where no lock can be created still returns results',
  {
    skip:
      process.getuid?.() === 0 &&
      'chmod does not stop root; test/store-unwritable.test.ts covers this with a read-only mount',
  },
  () => {
    const cacheDir = fresh();
    mkdirSync(cacheDir, { recursive: true });
    chmodSync(cacheDir, 0o555);
    const events: string[] = [];
    const triple = memorious(
      function triple(x: number) {
        return 3 * x;
      },
      { cacheDir, lock: true, onEvent: (e) => 'code' in e && events.push(e.code) },
    );
    assert.equal(triple(2), 6);
    assert.ok(events.includes('ECACHEWRITE'));
  },
);

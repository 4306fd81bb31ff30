import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { FunesEvent } from './events.js';
import { flushRemoteWrites, InvalidUsageError, memorious, type RemoteStore } from './index.js';
import { isProjectUsedFile, projectUsedFile } from './layout.js';
import { parseRemoteUseKey, remoteProjectMarker, remoteUseKey } from './remote-store.js';

const root = mkdtempSync(join(tmpdir(), 'funes-remote-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshCache = () => join(root, `cache-${dirs++}`);

/** A remote in memory, as a bucket would hold it. */
function memoryRemote(): RemoteStore & { readonly objects: Map<string, Uint8Array> } {
  const objects = new Map<string, Uint8Array>();
  return {
    name: 'memory',
    objects,
    get: async (key) => objects.get(key),
    // As the RemoteStore contract says: the first writer wins, nothing is replaced.
    put: async (key, bytes) => void (objects.has(key) || objects.set(key, Uint8Array.from(bytes))),
  };
}

function objectsIn(cacheDir: string): string[] {
  const [version] = readdirSync(join(cacheDir, 'train'));
  // Use markers of the project directory aside: they are this machine's, not the object's.
  return readdirSync(join(cacheDir, 'train', version))
    .filter((name) => !isProjectUsedFile(name))
    .sort();
}

test('an async call computed on one machine is read through on another, then kept locally', async () => {
  const remote = memoryRemote();
  // Each computation is stamped, so a result read from the remote is told from a recomputed one.
  const define = (cacheDir: string) =>
    memorious(
      async function train(lr: number) {
        return { lr, stamp: process.hrtime.bigint() };
      },
      { cacheDir, remote },
    );
  const a = define(freshCache());
  const computed = await a(2);
  await flushRemoteWrites();
  const keys = [...remote.objects.keys()].sort((x, y) => x.length - y.length);
  assert.equal(keys.length, 2, 'the object and definition.json');
  assert.match(keys[0], /^train\/[0-9a-f]{64}\/definition\.json$/);
  assert.match(keys[1], /^train\/[0-9a-f]{64}\/[0-9a-f]{64}$/);

  const bDir = freshCache();
  const b = define(bDir);
  assert.deepEqual(await b(2), computed, 'read through, not computed again');
  assert.deepEqual(objectsIn(bDir), [keys[1].split('/')[2], 'definition.json', '.used'].sort());
  remote.objects.clear();
  assert.deepEqual(await b(2), computed, 'now a local hit');
});

test("a process reaching the remote for a version marks its project's use there, once per hour", async () => {
  const marked: [string, string][] = [];
  const remote: RemoteStore = {
    ...memoryRemote(),
    markUsed: async (key, bytes) => void marked.push([key, Buffer.from(bytes).toString()]),
  };
  const train = memorious(async (lr: number) => lr * 2, { name: 'train', cacheDir: freshCache(), remote });
  for (const lr of [1, 2, 1, 3]) await train(lr);
  await flushRemoteWrites();
  assert.equal(marked.length, 1, marked.join('\n'));
  const [[key, projectDir]] = marked;
  const use = parseRemoteUseKey(key)!;
  assert.equal(use.marker, remoteProjectMarker(projectDir), 'named by the project directory and this host, holding it');
  assert.notEqual(use.marker, projectUsedFile(projectDir), "not the local marker's name: machines share paths");
  assert.equal(remoteUseKey(use), key);
  assert.match(key, /^\.funes\/used\/train\/[0-9a-f]{64}\/\.used-[0-9a-f]{16}$/);
  for (const other of [`${key}/x`, key.replace('/train/', '/../'), key.replace(/[0-9a-f]{64}/, 'f'), `${key}0`]) {
    assert.equal(parseRemoteUseKey(other), undefined, other);
  }
});

test('sync functions write through but never wait for the remote', async () => {
  const remote = memoryRemote();
  const define = (cacheDir: string) =>
    memorious(
      function train(x: number) {
        return { x, stamp: process.hrtime.bigint() };
      },
      { cacheDir, remote },
    );
  const first = define(freshCache())(1);
  await flushRemoteWrites();
  assert.equal(remote.objects.size, 2);
  const second = define(freshCache())(1);
  assert.ok(!(second instanceof Promise), 'still a plain value');
  assert.notEqual(second.stamp, first.stamp, 'computed: a sync call cannot read through');
});

test('a failing remote never fails a call: one warning, and the local result stands', async (t) => {
  // The warning goes to the process too; it is asserted here rather than printed amid the test report.
  const printed: string[] = [];
  t.mock.method(process, 'emitWarning', (message: string) => void printed.push(message));
  const events: FunesEvent[] = [];
  const broken: RemoteStore = {
    name: 'broken',
    get: async () =>
      Promise.reject(
        Object.assign(new Error('connect ECONNREFUSED'), { code: 'EREMOTEUNREACHABLE', hint: 'check the endpoint' }),
      ),
    put: async () => Promise.reject(Object.assign(new Error('refused'), { code: 'EREMOTEAUTH' })),
  };
  const cacheDir = freshCache();
  const train = memorious(
    async function train(x: number) {
      return x + 1;
    },
    { cacheDir, remote: broken, onEvent: (e) => 'code' in e && events.push(e) },
  );
  assert.equal(await train(1), 2);
  assert.equal(await train(2), 3);
  await flushRemoteWrites();
  assert.equal(objectsIn(cacheDir).length, 4, 'both results, definition.json and the use marker stored locally');
  const causes = events.map((e) => (e.type === 'remote-failed' ? `${e.code}:${e.cause}` : e.type));
  // After a failed read the remote is not read again for a while: the second call does not wait for it.
  assert.deepEqual(causes, ['EREMOTESHARE:EREMOTEUNREACHABLE', 'EREMOTESHARE:EREMOTEAUTH', 'EREMOTESHARE:EREMOTEAUTH']);
  assert.match(
    (events[0] as { message: string }).message,
    new RegExp(
      /^remote broken: reading failed \(EREMOTEUNREACHABLE: connect ECONNREFUSED\); /.source +
        /results are computed and kept locally — check the endpoint$/.source,
    ),
  );
  assert.deepEqual(printed, events.map((e) => (e as { message: string }).message).slice(0, 2), 'one warning per cause');
});

test("a version's definition.json that failed to reach the remote goes with its next write", async (t) => {
  const printed: string[] = [];
  t.mock.method(process, 'emitWarning', (message: string) => void printed.push(message));
  const remote = memoryRemote();
  let refusals = 1;
  // The server restarts during the first write: that request fails, the next ones succeed.
  const restarting: RemoteStore = {
    ...remote,
    put: (key, bytes) =>
      refusals-- > 0
        ? Promise.reject(Object.assign(new Error('socket hang up'), { code: 'EREMOTEUNREACHABLE' }))
        : remote.put(key, bytes),
  };
  const train = memorious(async (x: number) => x + 1, { name: 'train', cacheDir: freshCache(), remote: restarting });
  assert.equal(await train(1), 2);
  await flushRemoteWrites();
  assert.equal(await train(2), 3);
  await flushRemoteWrites();
  const files = [...remote.objects.keys()].map((key) => key.split('/')[2]);
  assert.equal(files.length, 2, files.join());
  assert.ok(files.includes('definition.json'), 'the version describes itself on the remote');
  assert.equal(printed.length, 1, 'the failed write was reported');
  assert.match(printed[0], /writing failed \(EREMOTEUNREACHABLE: socket hang up\)/);
});

/**
 * Two machines sharing one remote and its leases, each running `train`: a's results reach the remote only once
 * `finish()` is called, and b's first read fails (the server restarting) while the lease requests that follow are
 * answered. Each test names its machines apart: a failed read is reported once per remote name and process.
 */
function twoMachines(lock: true | 'skip', [nameA, nameB]: [string, string]) {
  const remote = memoryRemote();
  const leases = new Set<string>();
  const lease: RemoteStore['lease'] = async (key) => {
    if (leases.has(key)) return { heldBy: { host: 'a', pid: 1 } };
    leases.add(key);
    return { lease: { release: async () => leases.delete(key) } };
  };
  const counts = { runs: 0, refusals: 1 };
  async function train(x: number) {
    counts.runs++;
    return x + 1;
  }
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const a = memorious(train, {
    cacheDir: freshCache(),
    lock,
    remote: { ...remote, name: nameA, lease, put: (key, bytes) => finished.then(() => remote.put(key, bytes)) },
  });
  const b = memorious(train, {
    cacheDir: freshCache(),
    lock,
    remote: {
      ...remote,
      name: nameB,
      lease,
      get: (key) =>
        counts.refusals-- > 0
          ? Promise.reject(Object.assign(new Error('socket hang up'), { code: 'EREMOTE' }))
          : remote.get(key),
    },
  });
  const leaseTaken = async () => {
    while (leases.size === 0) await new Promise((resolve) => setImmediate(resolve));
  };
  return { a, b, counts, finish, leaseTaken };
}

test('a call that waited for another machine reads its result, even after a failed read paused reading', async (t) => {
  const printed: string[] = [];
  t.mock.method(process, 'emitWarning', (message: string) => void printed.push(message));
  const { a, b, counts, finish, leaseTaken } = twoMachines(true, ['memory a', 'memory b']);
  const first = a(1);
  await leaseTaken();
  const second = b(1);
  while (counts.refusals > 0) await new Promise((resolve) => setImmediate(resolve));
  finish();
  assert.deepEqual(await Promise.all([first, second]), [2, 2]);
  assert.equal(counts.runs, 1, "b read a's result rather than computing it again");
  assert.equal(printed.length, 1, 'the failed read was reported');
  assert.match(printed[0], /^remote memory b: reading failed \(EREMOTE: socket hang up\)/);
});

test("with lock: 'skip', a call skipped and come back to reads what another machine stored meanwhile, " +
    'even after a failed read paused reading', async (t) => {
  const printed: string[] = [];
  t.mock.method(process, 'emitWarning', (message: string) => void printed.push(message));
  const { a, b, counts, finish, leaseTaken } = twoMachines('skip', ['memory c', 'memory d']);
  const first = a(1);
  await leaseTaken();
  await assert.rejects(b(1), { code: 'ELEASEHELD' });
  finish();
  assert.equal(await first, 2);
  assert.equal(await b(1), 2, 'come back to once the sweep is done');
  assert.equal(counts.runs, 1, "b read a's result rather than computing it again");
  assert.equal(printed.length, 1, 'the failed read was reported');
});

test('a damaged remote object is recomputed, stays, and its warning says how to clear it', async (t) => {
  // The warning goes to the process too; it is asserted here rather than printed amid the test report.
  const printed: string[] = [];
  t.mock.method(process, 'emitWarning', (message: string) => void printed.push(message));
  const remote = memoryRemote();
  const events: FunesEvent[] = [];
  const define = (cacheDir: string) =>
    memorious(
      async function train(x: number) {
        return { x, stamp: process.hrtime.bigint() };
      },
      { cacheDir, remote, onEvent: (e) => 'code' in e && events.push(e) },
    );
  const first = await define(freshCache())(5);
  await flushRemoteWrites();
  const objectKey = [...remote.objects.keys()].find((key) => !key.endsWith('.json'))!;
  remote.objects.set(objectKey, Buffer.from('garbage'));
  assert.notEqual((await define(freshCache())(5)).stamp, first.stamp, 'recomputed');
  assert.match(
    (events[0] as { message: string }).message,
    new RegExp(
      /^remote memory: reading failed \(EINTEGRITY: train\/[0-9a-f]{64}\/[0-9a-f]{64} is damaged /.source +
        /\(shorter than a header\)\); results are computed and kept locally — writes never replace it: /.source +
        /delete it with `funes verify --remote --sample 0 --fix`, then `funes push` from a machine that holds /.source +
        /the result$/.source,
    ),
  );
  assert.deepEqual(printed, [(events[0] as { message: string }).message]);
  await flushRemoteWrites();
  const kept = Buffer.from(remote.objects.get(objectKey)!).toString();
  assert.equal(kept, 'garbage', 'a result on a remote is never replaced');
});

test('the remote option is checked', () => {
  assert.throws(() => memorious(function f() {}, { remote: '' }), InvalidUsageError);
  assert.throws(() => memorious(function f() {}, { remote: {} as RemoteStore }), InvalidUsageError);
  memorious(function f() {}, { remote: false });
});

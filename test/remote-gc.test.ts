/**
 * `funes gc --remote` against real S3 servers on 127.0.0.1: Ceph RGW (conditional writes,
 * so leases live on the remote too) and Swift's s3api (none). Versions are written through
 * by child processes, as a sweep would; gc plans with local gc's policies, by when
 * versions were last written.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { S3Remote, resolveRemote, type RemoteGcResult } from '@funes/sync';
import { startCephOrExplain, type CephServer } from './helpers/ceph-server.js';
import { inParallel, printed, startNode } from './helpers/processes.js';
import { createBucket, startSwiftOrExplain, type SwiftServer } from './helpers/swift-server.js';
import { tempProject } from './helpers/temp-project.js';

let ceph: CephServer | undefined;
let swift: SwiftServer | undefined;
const project = tempProject('funes-remote-gc-');
const machines = mkdtempSync(join(tmpdir(), 'funes-remote-gc-machines-'));
let buckets = 0;
let runs = 0;

before(async () => {
  // Each server is kept as soon as it runs, so that `after` stops it even when the other failed to start.
  const started = await Promise.allSettled([
    startCephOrExplain().then((c) => (ceph = c)),
    startSwiftOrExplain().then((s) => (swift = s)),
  ]);
  for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
}, { timeout: 400_000 });

after(() => {
  ceph?.stop();
  swift?.stop();
  project.remove();
  rmSync(machines, { recursive: true, force: true });
});

type Server = Pick<CephServer, 'endpoint' | 'env'>;
const SERVERS: readonly { readonly name: string; readonly server: () => Server | undefined }[] = [
  { name: 'Ceph RGW', server: () => ceph },
  { name: 'Swift', server: () => swift },
];

/** A fresh remote on the server, with the server's credentials; undefined (a loud skip) when it could not be had. */
async function freshRemote(t: TestContext, server: Server | undefined): Promise<Remote | undefined> {
  if (!server) {
    t.skip('REMOTE GC TESTS NOT RUN: the server could not be installed (see the message above)');
    return undefined;
  }
  const bucket = `funes-gc-${process.pid}-${++buckets}`;
  await createBucket(server, bucket);
  return { remote: `s3://${bucket}/team?endpoint=${encodeURIComponent(server.endpoint)}`, env: server.env };
}

// `V` pins the version. Point 0 computes while the file hold-0 exists, under a lease with
// `SLOW`; its path is built at run time, so that (unlike a literal path) it is not part of the key.
project.write(
  'sweep.mjs',
  `
import { existsSync } from 'node:fs';
import { memorious } from '@funes/core';
const square = memorious(async function square(x) {
  console.log('computing', x);
  while (x === 0 && existsSync(['hold', x].join('-'))) await new Promise((resolve) => setTimeout(resolve, 20));
  return { x, y: x * x, v: process.env.V };
}, { version: process.env.V, lock: process.env.SLOW ? { lease: 3000 } : false });
for (const x of process.argv.slice(2).map(Number)) console.log('result', x, (await square(x)).y);
`,
);

/** A remote under test: its URL and the credentials of its server. */
interface Remote {
  readonly remote: string;
  readonly env: Record<string, string>;
}

function sweep(
  r: Remote,
  version: string,
  points: readonly number[],
  env: Record<string, string> = {},
  where = project.dir,
) {
  return startNode(where, ['sweep.mjs', ...points.map(String)], {
    ...r.env,
    FUNES_CACHE_DIR: join(machines, `m${++runs}`),
    FUNES_REMOTE: r.remote,
    V: version,
    ...env,
  });
}

async function sweepDone(r: Remote, version: string, points: readonly number[], where?: string): Promise<string> {
  const run = await sweep(r, version, points, {}, where).finished;
  assert.equal(run.code, 0, run.stderr);
  return run.stdout;
}

const computed = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('computing ')).length;

function funes(r: Remote, args: readonly string[]) {
  return project.node(['node_modules/@funes/cli/dist/bin.js', '--cache', join(machines, 'gc'), ...args], r.env);
}

function gc(r: Remote, ...args: string[]): RemoteGcResult {
  const run = funes(r, ['gc', '--remote', r.remote, '--json', ...args]);
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as RemoteGcResult;
}

/** Runs `use` with a connection to the remote, as its server's user. */
async function withConnection<T>(r: Remote, use: (connection: S3Remote) => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, r.env);
  const connection = await S3Remote.connect(resolveRemote(machines, r.remote));
  try {
    return await use(connection);
  } finally {
    connection.close();
    for (const key of Object.keys(r.env)) {
      if (saved[key] === undefined) delete process.env[key];
      else {
        process.env[key] = saved[key];
      }
    }
  }
}

/** Every key under the remote's prefix, cache-relative. */
function keysOn(r: Remote): Promise<string[]> {
  return withConnection(r, async (connection) => {
    const keys: string[] = [];
    for await (const entry of connection.list()) keys.push(entry.key);
    return keys.sort();
  });
}

/** Writes version `1` then, a second later (S3 times have whole seconds), version `2`, each of two points. */
async function twoVersions(r: Remote): Promise<void> {
  await sweepDone(r, '1', [1, 2]);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await sweepDone(r, '2', [1, 2]);
}

const versionsOf = (keys: readonly string[]) =>
  new Set(keys.filter((key) => !key.startsWith('.funes/')).map((key) => key.split('/')[1]));

for (const { name, server } of SERVERS) {
  test(`gc --remote removes superseded versions by when they were last written, ` +
      `never one written within the grace period (${name})`, async (t) => {
    const r = await freshRemote(t, server());
    if (!r) return;
    await twoVersions(r);
    const written = await keysOn(r);
    assert.equal(versionsOf(written).size, 2);

    const graced = gc(r);
    assert.deepEqual(graced.removedVersions, [], 'both versions were written within the default hour');

    const dry = gc(r, '--now', '--dry-run');
    assert.equal(dry.removedVersions.length, 1);
    assert.equal(dry.removedVersions[0].reason, 'superseded');
    assert.equal(dry.removedVersions[0].entries, 2);
    assert.equal(dry.before.bytes - dry.after.bytes, dry.removedVersions[0].bytes);
    assert.deepEqual(await keysOn(r), written, 'a dry run removes nothing');

    const done = gc(r, '--now');
    assert.deepEqual(
      done.removedVersions.map((v) => v.hash),
      dry.removedVersions.map((v) => v.hash),
    );
    const left = await keysOn(r);
    assert.deepEqual(
      [...versionsOf(left)],
      [...versionsOf(written)].filter((hash) => hash !== done.removedVersions[0].hash),
    );
    assert.equal(
      left.filter((key) => !key.startsWith('.funes/')).length,
      3,
      "the kept version's two objects and definition.json",
    );
    assert.equal(computed(await sweepDone(r, '2', [1, 2])), 0, 'the current version is all there');
    assert.equal(computed(await sweepDone(r, '1', [1])), 1, 'the removed one is gone');
  });

  test(`gc --remote --keep and --max-size, with text output (${name})`, async (t) => {
    const r = await freshRemote(t, server());
    if (!r) return;
    await twoVersions(r);
    assert.deepEqual(gc(r, '--now', '--keep', '2').removedVersions, []);
    const fit = gc(r, '--now', '--keep', '2', '--max-size', '1B', '--dry-run');
    assert.deepEqual(fit.removedVersions.map((v) => v.reason), ['max-size', 'max-size'], 'both go to fit one byte');
    const text = funes(r, ['gc', '--remote', r.remote, '--now', '--dry-run']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(
      text.stdout,
      /^would remove +square@[0-9a-f]{12} .* 2 entries .* not the current version$/m,
    );
    assert.match(text.stdout, /^would free [\d.]+ \w+; s3:\/\/\S+ would hold [\d.]+ \w+$/m);
  });
}

// On Ceph RGW alone: Swift takes its 1,100 uploads several times as long.
test(`gc --remote --dry-run lists exactly what gc --remote then deletes, past a listing's page and a ` +
    `delete's batch of 1,000 keys (Ceph RGW)`, async (t) => {
  const r = await freshRemote(t, ceph);
  if (!r) return;
  await sweepDone(r, '1', [1, 2]);
  const [object] = (await keysOn(r)).filter((key) => /^square[^/]*\/[0-9a-f]{64}\/[0-9a-f]{64}$/.test(key));
  const dir = object.slice(0, object.lastIndexOf('/') + 1);
  // Objects beside the two written, as a large sweep leaves: more than a page of a listing holds.
  await withConnection(r, async (connection) => {
    const bytes = (await connection.get(object))!;
    await inParallel(1100, 16, (i) =>
      connection.replace(`${dir}${createHash('sha256').update(String(i)).digest('hex')}`, bytes),
    );
  });
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await sweepDone(r, '2', [1, 2]);
  const written = await keysOn(r);
  const hash = dir.split('/')[1];
  const ofVersion1 = written.filter((key) => key.split('/').includes(hash));
  assert.ok(ofVersion1.length >= 1103, 'its objects, definition.json and use marker');

  const dry = gc(r, '--now', '--dry-run');
  assert.deepEqual(dry.removedVersions.map((v) => [v.hash, v.entries]), [[hash, 1102]]);
  assert.deepEqual(await keysOn(r), written, 'a dry run removes nothing');
  const done = gc(r, '--now');
  assert.deepEqual(done.removedVersions, dry.removedVersions, 'the dry run listed what goes');
  assert.deepEqual(done.after, dry.after);
  assert.deepEqual(await keysOn(r), written.filter((key) => !ofVersion1.includes(key)), 'all of it, nothing else');
  assert.equal(computed(await sweepDone(r, '2', [1, 2])), 0, 'the current version is all there');
});

/** A second project (a checkout of another branch) with the same sweep, beside the first: its directory. */
function anotherCheckout(name: string): string {
  project.write(`${name}/package.json`, JSON.stringify({ name, private: true, type: 'module' }));
  project.write(`${name}/sweep.mjs`, readFileSync(join(project.dir, 'sweep.mjs'), 'utf8'));
  return join(project.dir, name);
}

test('gc --remote keeps the version each project sharing the remote used last, till it moves on (Swift)', async (t) => {
  const r = await freshRemote(t, swift);
  if (!r) return;
  const other = anotherCheckout('other-checkout');
  await sweepDone(r, '1', [1, 2]);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await sweepDone(r, '2', [1, 2], other);
  const markers = (keys: readonly string[]) => keys.filter((key) => key.startsWith('.funes/used/'));
  const marked = markers(await keysOn(r));
  assert.equal(marked.length, 2, 'one use marker per version and project');
  assert.deepEqual(gc(r, '--now').removedVersions, [], "version 1 is the first project's current version");
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await sweepDone(r, '2', [1]);
  const moved = gc(r, '--now');
  assert.deepEqual(moved.removedVersions.map((v) => v.reason), ['superseded'], 'both projects use version 2 now');
  const left = await keysOn(r);
  assert.equal(versionsOf(left).size, 1);
  assert.equal(markers(left).length, 2, "the removed version's marker went with it");
  assert.ok(markers(left).every((key) => key.includes([...versionsOf(left)][0])));
});

/** Whether this process may give a child a host name of its own (a UTS namespace: root on Linux). */
const canNameMachines = spawnSync('unshare', ['--uts', 'true']).status === 0;

/** The sweep of version `version` run as on a machine named `host`, in the project directory every machine shares. */
function sweepOnMachine(r: Remote, host: string, version: string, points: readonly number[]): void {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...r.env,
    FUNES_CACHE_DIR: join(machines, `m${++runs}`),
    FUNES_REMOTE: r.remote,
  };
  delete env.NODE_OPTIONS;
  const run = spawnSync(
    'unshare',
    ['--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', host, process.execPath, 'sweep.mjs', ...points.map(String)],
    { cwd: project.dir, env: { ...env, V: version }, encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stderr);
}

test('gc --remote keeps the version each machine used last of a project at the same path (Swift)', async (t) => {
  // Dev containers put every checkout at one path (`/workspaces/app`): two teammates on two branches.
  if (!canNameMachines) {
    t.skip('needs a UTS namespace (unshare --uts, as root) to run a child under another host name');
    return;
  }
  const r = await freshRemote(t, swift);
  if (!r) return;
  sweepOnMachine(r, 'container-a', '1', [1, 2]);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  sweepOnMachine(r, 'container-b', '2', [1, 2]);
  const marked = (await keysOn(r)).filter((key) => key.startsWith('.funes/used/'));
  assert.equal(new Set(marked.map((key) => key.split('/').pop())).size, 2, 'one marker name per machine');
  assert.deepEqual(gc(r, '--now').removedVersions, [], "version 1 is the first machine's current version");
  assert.equal(versionsOf(await keysOn(r)).size, 2);
});

test("funes push sends each project's use of the version it used last, which gc --remote keeps (Swift)", async (t) => {
  const r = await freshRemote(t, swift);
  if (!r) return;
  const other = anotherCheckout('pushing-checkout');
  const caches = { first: join(machines, 'push-first'), other: join(machines, 'push-other') };
  // Computed without a remote, then pushed, as a researcher working offline does.
  const computeAndPush = async (where: string, cache: string, version: string) => {
    const env = { ...r.env, FUNES_CACHE_DIR: cache, FUNES_REMOTE: '', V: version };
    const run = await startNode(where, ['sweep.mjs', '1'], env).finished;
    assert.equal(run.code, 0, run.stderr);
    const pushed = project.node(['node_modules/@funes/cli/dist/bin.js', '--cache', cache, 'push', r.remote], r.env);
    assert.equal(pushed.status, 0, pushed.stderr);
  };
  await computeAndPush(project.dir, caches.first, '1');
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await computeAndPush(other, caches.other, '2');
  assert.equal((await keysOn(r)).filter((key) => key.startsWith('.funes/used/')).length, 2);
  assert.deepEqual(gc(r, '--now').removedVersions, [], "version 1 is the first project's current version");
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await computeAndPush(project.dir, caches.first, '2');
  assert.deepEqual(gc(r, '--now').removedVersions.map((v) => v.reason), ['superseded']);
  assert.equal(versionsOf(await keysOn(r)).size, 1);
});

test('gc --remote never removes a version whose call holds a live lease, nor the lease (Ceph RGW)', async (t) => {
  const r = await freshRemote(t, ceph);
  if (!r) return;
  await twoVersions(r);
  // A call of version 1 computing under its lease; the project then uses version 2 again, so version 1 is no
  // project's current version, and only its live lease keeps it.
  const hold = project.write('hold-0', '');
  const holder = sweep(r, '1', [0], { SLOW: '1' });
  t.after(() => holder.child.kill('SIGKILL'));
  assert.ok(await printed(holder.child, 'computing 0'));
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await sweepDone(r, '2', [1]);
  const leases = (await keysOn(r)).filter((key) => key.startsWith('.funes/leases/'));
  assert.equal(leases.length, 1);
  const held = gc(r, '--now');
  assert.deepEqual(held.removedVersions, [], 'the version being computed in stays');
  assert.ok((await keysOn(r)).includes(leases[0]), 'the live lease stays');
  rmSync(hold);
  await holder.finished;
  await new Promise((resolve) => setTimeout(resolve, 1100));
  // Version 1, written last now, and version 2, the project's current one, both stay; version 1 keeps its
  // released lease.
  assert.deepEqual(gc(r, '--now').removedVersions, []);
  const reread = await sweepDone(r, '1', [0, 1, 2]);
  assert.equal(computed(reread), 0, reread);
});

test('gc --remote on a read-only remote is refused plainly (EREMOTEREADONLY)', async (t) => {
  const r = await freshRemote(t, ceph);
  if (!r) return;
  await twoVersions(r);
  const run = funes(r, ['gc', '--remote', `${r.remote}&read-only=1`, '--now', '--json']);
  assert.equal(run.status, 1, run.stdout);
  const { error } = JSON.parse(run.stderr);
  assert.equal(error.code, 'EREMOTEREADONLY');
  assert.match(error.message, /is read-only: gc --remote refused/);
  assert.equal(versionsOf(await keysOn(r)).size, 2);
});

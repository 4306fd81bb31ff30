/**
 * Compute-once across machines: `lock` with a remote takes a lease per call. Processes
 * with separate cache directories stand for machines; they share a real S3-compatible
 * server on 127.0.0.1: Ceph RGW, whose conditional writes hold the leases, and Swift,
 * which has none, with a real Redis holding them instead. What each process computed is
 * counted from its output (the side channel).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { probeRemote } from '@funes/sync';
import { joinedPattern } from './helpers/patterns.js';
import { printed, startNode } from './helpers/processes.js';
import { startCephOrExplain, type CephServer } from './helpers/ceph-server.js';
import { startRedisOrExplain, type RedisServer } from './helpers/redis-server.js';
import { createBucket, startSwiftOrExplain, type SwiftServer } from './helpers/swift-server.js';
import { REPO_ROOT, tempProject } from './helpers/temp-project.js';

let swift: SwiftServer | undefined;
let redis: RedisServer | undefined;
let ceph: CephServer | undefined;
const project = tempProject('funes-leases-');
const machines = mkdtempSync(join(tmpdir(), 'funes-leases-machines-'));
let buckets = 0;

before(async () => {
  // Each server is kept as soon as it runs, so that `after` stops it even when another
  // failed to start: a server left running would keep this file's process alive.
  const started = await Promise.allSettled([
    startSwiftOrExplain().then((s) => (swift = s)),
    startRedisOrExplain().then((r) => (redis = r)),
    startCephOrExplain().then((c) => (ceph = c)),
  ]);
  for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
}, { timeout: 400_000 });

after(() => {
  swift?.stop();
  redis?.stop();
  ceph?.stop();
  project.remove();
  rmSync(machines, { recursive: true, force: true });
});

function servers(t: TestContext): { swift: SwiftServer; redis: RedisServer } | undefined {
  if (!swift || !redis) t.skip('LEASE TESTS NOT RUN: Swift or Redis could not be installed (see the message above)');
  return swift && redis ? { swift, redis } : undefined;
}

async function freshRemote(s: Pick<SwiftServer, 'endpoint' | 'env'>): Promise<string> {
  const bucket = `funes-leases-${process.pid}-${++buckets}`;
  await createBucket(s, bucket);
  return `s3://${bucket}/sweep?endpoint=${encodeURIComponent(s.endpoint)}`;
}

/**
 * Where leases are held: the environment of a machine for a fresh
 * remote, or undefined (skip) when the servers could not be had.
 */
interface Setup {
  readonly name: string;
  machine(t: TestContext): Promise<Record<string, string> | undefined>;
}

const SETUPS: readonly Setup[] = [
  {
    name: 'S3 leases on Ceph RGW',
    async machine(t) {
      if (!ceph) t.skip('CEPH RGW LEASE TESTS NOT RUN: Ceph could not be installed (see the message above)');
      return ceph && { ...ceph.env, FUNES_REMOTE: await freshRemote(ceph) };
    },
  },
  {
    name: 'Redis leases, Swift remote',
    async machine(t) {
      const s = servers(t);
      return s && { ...s.swift.env, FUNES_REMOTE: await freshRemote(s.swift), FUNES_LOCK_URL: s.redis.url };
    },
  },
];

// Every machine runs the whole grid: a point another machine is computing is skipped
// (lock: 'skip') and come back to once the rest is done, when its result is there to read.
project.write(
  'sweep.mjs',
  `
import { memorious } from '@funes/core';
import { setTimeout as sleep } from 'node:timers/promises';
const lease = Number(process.env.LEASE_MS ?? 60000);
const mode = process.env.LOCK_MODE ?? 'skip';
const retries = process.env.RETRIES === undefined ? undefined : Number(process.env.RETRIES);
const simulate = memorious(async function simulate(p) {
  console.log('computing', p);
  // A computation that blocks its thread: only the worker thread can renew the lease meanwhile.
  const until = Date.now() + (p === 'slow' ? 8000 : 20);
  while (Date.now() < until) {}
  if (p === 'bad') throw new RangeError('diverged');
  return p === 'slow' ? 'slow result' : p * p;
}, { lock: { lease, skip: mode === 'skip' }, retries });
const points = process.argv.slice(2).map((p) => (/^\\d+$/.test(p) ? Number(p) : p));
let todo = points;
while (todo.length > 0) {
  const later = [];
  for (const p of todo) {
    try {
      console.log('result', p, await simulate(p));
    } catch (error) {
      if (error.code === 'ELEASEHELD') later.push(p);
      else console.log('failed', p, error.code ?? error.name, error.message);
    }
  }
  if (later.length === todo.length) await sleep(100);
  todo = later;
}
`,
);

let runs = 0;
function sweep(machine: string, points: readonly (number | string)[], env: Record<string, string>) {
  return startNode(project.dir, ['sweep.mjs', ...points.map(String)], {
    FUNES_CACHE_DIR: join(machines, `${++runs}-${machine}`),
    ...env,
  });
}

const computedIn = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('computing '))
    .map((line) => line.slice('computing '.length));

test('lock: true with a remote that cannot hold leases fails plainly (ENOLEASE), never duplicating work', async (t) => {
  const s = servers(t);
  if (!s) return;
  const run = await sweep('noleases', [1], {
    ...s.swift.env,
    FUNES_REMOTE: await freshRemote(s.swift),
    LOCK_MODE: 'wait',
  }).finished;
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    joinedPattern(
      /^failed 1 ENOLEASE lock: true cannot take compute-once leases on s3:\/\/\S+: its server does not honour/m,
      / conditional writes/,
    ),
  );
  assert.deepEqual(computedIn(run.stdout), []);
});

project.write(
  'blocking.mjs',
  `
import { memorious } from '@funes/core';
const square = memorious(function square(p) {
  console.log('computing', p);
  return p * p;
}, { lock: true });
try {
  console.log('result', square(3));
} catch (error) {
  console.log('failed', error.code, error.message, '|', error.hint);
}
`,
);

test('lock: true with a remote on a function that is not async fails plainly (ESYNCLOCK), ' +
    'never computing under the local lock alone', async (t) => {
  const s = servers(t);
  if (!s) return;
  const env = {
    ...s.swift.env,
    FUNES_REMOTE: await freshRemote(s.swift),
    FUNES_LOCK_URL: s.redis.url,
    FUNES_CACHE_DIR: join(machines, 'blocking'),
  };
  const run = await startNode(project.dir, ['blocking.mjs'], env).finished;
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    /^failed ESYNCLOCK lock: true with remote s3:\/\/\S+ needs square to be async: .* \| declare the function async/m,
  );
  assert.deepEqual(computedIn(run.stdout), []);
  // FUNES_DISABLE runs the function itself, with no cache, lock or lease to refuse.
  const disabled = await startNode(project.dir, ['blocking.mjs'], { ...env, FUNES_DISABLE: '1' }).finished;
  assert.equal(disabled.code, 0, disabled.stderr);
  assert.match(disabled.stdout, /^result 9$/m);
});

test('the capability probe: Ceph RGW honours conditional writes', async (t) => {
  if (!ceph) return t.skip('CEPH RGW LEASE TESTS NOT RUN: Ceph could not be installed (see the message above)');
  const saved = { ...process.env };
  Object.assign(process.env, ceph.env);
  try {
    const verdict = await probeRemote(join(machines, 'probe'), await freshRemote(ceph));
    assert.deepEqual(verdict, {
      conditionalWrites: true,
      detail: 'the server honours conditional writes: of two creates of one key, the second got 412',
    });
  } finally {
    for (const key of Object.keys(ceph.env)) {
      if (saved[key] === undefined) delete process.env[key];
      else {
        process.env[key] = saved[key];
      }
    }
  }
});

for (const setup of SETUPS) {
  test(`4 machines run the same 100-point sweep: each point is computed exactly once (${setup.name})`, async (t) => {
    const env = await setup.machine(t);
    if (!env) return;
    const grid = Array.from({ length: 100 }, (_, i) => i);
    const runs = await Promise.all([0, 1, 2, 3].map((k) => sweep(`m${k}`, grid, env).finished));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const computed = runs.flatMap((run) => computedIn(run.stdout));
    assert.equal(
      computed.length,
      100,
      `each point once: ${runs.map((run) => computedIn(run.stdout).length).join(' + ')}`,
    );
    assert.equal(new Set(computed).size, 100);
    for (const run of runs) {
      const results = run.stdout.split('\n').filter((line) => line.startsWith('result '));
      assert.equal(results.length, 100, 'every machine has every result');
      assert.ok(results.includes('result 7 49'));
    }
  });

  test(`a lease holder killed with SIGKILL: its lease lapses and another machine computes the point ` +
      `once more (${setup.name})`, async (t) => {
    const machine = await setup.machine(t);
    if (!machine) return;
    const env = { ...machine, LEASE_MS: '3000', LOCK_MODE: 'wait' };
    const holder = sweep('holder', ['slow'], env);
    assert.ok(await printed(holder.child, 'computing slow'), 'the holder started computing');
    const waiter = sweep('waiter', ['slow', 1], env);
    let killed = false;
    const takenOver = printed(waiter.child, 'computing slow').then((seen) => seen && killed);
    // Longer than the lease: the holder's worker thread renews it although the computation blocks the holder's thread.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    killed = true;
    holder.child.kill('SIGKILL');
    await holder.finished;
    assert.equal(await takenOver, true, 'the waiter computed only after the holder was killed');
    const run = await waiter.finished;
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(computedIn(run.stdout), ['slow', '1']);
    assert.match(run.stdout, /^result slow slow result$/m);
  });
}

// Returns which process computed it, so that the result the remote keeps tells whose it is.
project.write(
  'lost.mjs',
  `
import { memorious } from '@funes/core';
const slow = memorious(async function slow(p) {
  console.log('computing', p);
  const until = Date.now() + 6000;
  while (Date.now() < until) {}
  return 'computed by ' + process.pid;
}, { lock: { lease: Number(process.env.LEASE_MS) }, onEvent: (event) => event.type === 'lease-lost' && ` +
    `console.log('lease-lost', event.cause) });
console.log('result', await slow(process.argv[2]));
`,
);

for (const setup of SETUPS) {
  test(`a holder whose lease lapsed is told so, returns its own result, ` +
      `and the remote keeps the first one stored (${setup.name})`, async (t) => {
    const machine = await setup.machine(t);
    if (!machine) return;
    const env = { ...machine, LEASE_MS: '2000' };
    const lost = (name: string) =>
      startNode(project.dir, ['lost.mjs', 'p'], { FUNES_CACHE_DIR: join(machines, `${++runs}-${name}`), ...env });
    const holder = lost('lost-holder');
    t.after(() => holder.child.kill('SIGKILL'));
    assert.ok(await printed(holder.child, 'computing p'));
    // Stopped, the holder renews nothing: its lease lapses, and a waiter takes it over and stores its result first.
    holder.child.kill('SIGSTOP');
    const waiter = lost('lost-waiter');
    const waited = await waiter.finished;
    assert.equal(waited.code, 0, waited.stderr);
    assert.deepEqual(computedIn(waited.stdout), ['p']);
    assert.match(waited.stdout, new RegExp(`^result computed by ${waiter.child.pid}$`, 'm'));
    holder.child.kill('SIGCONT');
    const held = await holder.finished;
    assert.equal(held.code, 0, held.stderr);
    assert.match(held.stdout, /^lease-lost lapsed$/m);
    assert.match(
      held.stdout,
      new RegExp(`^result computed by ${holder.child.pid}$`, 'm'),
      'the holder returns what it computed',
    );
    assert.match(
      held.stderr,
      joinedPattern(
        /FunesWarning: remote \S+: the lease of \S+ lapsed while it was computed here, .* the remote keeps whichever/,
        / result was stored first/,
      ),
    );
    const reader = await lost('lost-reader').finished;
    assert.equal(reader.code, 0, reader.stderr);
    assert.deepEqual(computedIn(reader.stdout), []);
    assert.match(
      reader.stdout,
      new RegExp(`^result computed by ${waiter.child.pid}$`, 'm'),
      "the remote kept the waiter's result, stored first",
    );
  });
}

test('a holder whose lease lapses before its renewer has started computes nothing: the machine that took ' +
    'the lease over computes the call, once (Redis leases, Swift remote)', async (t) => {
  const s = servers(t);
  if (!s) return;
  // The holder reaches Redis through a proxy that holds each new connection a while before passing it on: its
  // worker thread, which connects only once the lease is taken, cannot renew the lease before it lapses.
  const redisPort = Number(new URL(s.redis.url).port);
  const proxy = createServer((client) => {
    client.on('error', () => undefined);
    const passOn = setTimeout(() => {
      const upstream = connect(redisPort, '127.0.0.1');
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    }, 4000);
    client.on('close', () => clearTimeout(passOn));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  t.after(() => proxy.close());
  const env = { ...s.swift.env, FUNES_REMOTE: await freshRemote(s.swift), LEASE_MS: '1000' };
  const holder = startNode(project.dir, ['lost.mjs', 'late'], {
    ...env,
    FUNES_CACHE_DIR: join(machines, `${++runs}-late-holder`),
    FUNES_LOCK_URL: `redis://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
  });
  t.after(() => holder.child.kill('SIGKILL'));
  const leases = () =>
    spawnSync('redis-cli', ['-u', s.redis.url, '--no-auth-warning', 'KEYS', 'funes:lease:*'], { encoding: 'utf8' })
      .stdout.trim();
  while (leases() === '') await new Promise((resolve) => setTimeout(resolve, 20));
  const waiter = startNode(project.dir, ['lost.mjs', 'late'], {
    ...env,
    FUNES_CACHE_DIR: join(machines, `${++runs}-late-waiter`),
    FUNES_LOCK_URL: s.redis.url,
  });
  const [held, waited] = await Promise.all([holder.finished, waiter.finished]);
  assert.equal(waited.code, 0, waited.stderr);
  assert.deepEqual(computedIn(waited.stdout), ['late']);
  assert.equal(held.code, 0, held.stderr);
  assert.deepEqual(computedIn(held.stdout), [], 'the holder computed nothing under a lease it no longer held');
  assert.match(held.stdout, new RegExp(`^result computed by ${waiter.child.pid}$`, 'm'));
  assert.doesNotMatch(held.stderr + waited.stderr, /ELEASELOST/);
});

test('a holder whose lease renewals the server refuses is told so, ' +
    'and still returns and shares its result (Redis leases, Swift remote)', async (t) => {
  const s = servers(t);
  if (!s) return;
  const env = {
    ...s.swift.env,
    FUNES_REMOTE: await freshRemote(s.swift),
    FUNES_LOCK_URL: s.redis.url,
    LEASE_MS: '1500',
  };
  const holder = startNode(project.dir, ['lost.mjs', 'q'], {
    FUNES_CACHE_DIR: join(machines, `${++runs}-refused`),
    ...env,
  });
  t.after(() => holder.child.kill('SIGKILL'));
  assert.ok(await printed(holder.child, 'computing q'));
  // Redis starts asking for a password, and drops every connection: renewals are refused (NOAUTH).
  const redisCli = (...args: string[]) =>
    spawnSync('redis-cli', ['-u', s.redis.url, '--no-auth-warning', ...args], { encoding: 'utf8' });
  assert.equal(redisCli('CONFIG', 'SET', 'requirepass', 'rotated').stdout.trim(), 'OK');
  let held;
  try {
    redisCli('-a', 'rotated', 'CLIENT', 'KILL', 'TYPE', 'normal');
    held = await holder.finished;
  } finally {
    redisCli('-a', 'rotated', 'CONFIG', 'SET', 'requirepass', '');
  }
  assert.equal(held.code, 0, held.stderr);
  assert.match(held.stdout, /^lease-lost (?!lapsed)\S+$/m);
  assert.match(
    held.stderr,
    joinedPattern(
      /FunesWarning: remote \S+: renewing the lease of \S+ failed \(.*NOAUTH.*\); if it lapses, another process may/,
      / compute the call too/,
    ),
  );
  assert.match(held.stdout, new RegExp(`^result computed by ${holder.child.pid}$`, 'm'));
  const reader = await startNode(project.dir, ['lost.mjs', 'q'], {
    FUNES_CACHE_DIR: join(machines, `${++runs}-refused-reader`),
    ...env,
  }).finished;
  assert.equal(reader.code, 0, reader.stderr);
  assert.deepEqual(computedIn(reader.stdout), [], 'the result reached the remote');
});

test('examples/cluster-sweep: three machines run the same script, each point is computed once, ' +
    'a fresh machine reads it all', async (t) => {
  const s = servers(t);
  if (!s) return;
  for (const file of ['sweep.mjs', 'run-cluster.mjs']) {
    project.write(`cluster/${file}`, readFileSync(join(REPO_ROOT, 'examples', 'cluster-sweep', file), 'utf8'));
  }
  const run = project.node(['cluster/run-cluster.mjs', '3'], {
    ...s.swift.env,
    FUNES_REMOTE: await freshRemote(s.swift),
    FUNES_LOCK_URL: s.redis.url,
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '', 'no warnings');
  assert.match(run.stdout, /^machine-0 computed \d+, machine-1 computed \d+, machine-2 computed \d+$/m);
  assert.match(run.stdout, /^3 machines computed 12 points, 12 distinct$/m);
  assert.match(run.stdout, /^the collector read 12 results from the remote and computed 0$/m);
});

test('failures are remembered across machines: with retries: 1, a crashing point is tried twice, ' +
    'then fails at once (EFAILED); funes log lists it', async (t) => {
  const s = servers(t);
  if (!s) return;
  const env = { ...s.swift.env, FUNES_REMOTE: await freshRemote(s.swift), FUNES_LOCK_URL: s.redis.url, RETRIES: '1' };
  const outputs = [];
  for (const machine of ['fail-a', 'fail-b', 'fail-c']) {
    const run = await startNode(project.dir, ['sweep.mjs', 'bad', '2'], {
      ...env,
      FUNES_CACHE_DIR: join(machines, machine),
    }).finished;
    assert.equal(run.code, 0, run.stderr);
    outputs.push(run.stdout);
  }
  assert.deepEqual(outputs.map(computedIn), [['bad', '2'], ['bad'], []], 'two attempts in all, then none');
  assert.match(outputs[1], /^failed bad RangeError diverged$/m);
  assert.match(outputs[2], /^failed bad EFAILED simulate \(\w+\) failed 2 times/m);
  const log = project.node(['node_modules/@funes/cli/dist/bin.js', '--cache', join(machines, 'fail-b'), 'log']);
  assert.equal(log.status, 0, log.stderr);
  assert.match(log.stdout, /^Failed: {3}1 point\n {2}[0-9a-f]{12} 2 attempts, last on \S+ .*: RangeError: diverged$/m);
});

/**
 * S3 remotes end to end, against a real S3-compatible server (Swift with s3api) on
 * 127.0.0.1: two cache directories stand for two machines; memorious runs in child
 * processes as it would in a user's project.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import {
  addRemote,
  listRemotes,
  parseRemoteUrl,
  probeRemote,
  pull,
  push,
  S3Remote,
  resolveRemote,
  type RemoteError,
} from '@funes/sync';
import { deflatedObject, format1Object } from './helpers/bundle-attacks.js';
import { joinedPattern } from './helpers/patterns.js';
import { PEAK_RSS_BYTES, startNode } from './helpers/processes.js';
import { createBucket, startSwiftOrExplain, withTestClient, type SwiftServer } from './helpers/swift-server.js';
import { tempProject } from './helpers/temp-project.js';

let server: SwiftServer | undefined;
const project = tempProject('funes-remote-');
const scratch = mkdtempSync(join(tmpdir(), 'funes-remote-caches-'));
let buckets = 0;

before(async () => {
  server = await startSwiftOrExplain();
  if (server) Object.assign(process.env, server.env);
}, { timeout: 400_000 });

after(() => {
  server?.stop();
  project.remove();
  rmSync(scratch, { recursive: true, force: true });
});

/** The running server, or a loud skip when it could not be installed (outside CI). */
function swift(t: TestContext): SwiftServer | undefined {
  if (!server) t.skip('S3 REMOTE TESTS NOT RUN: Swift could not be installed (see the message above)');
  return server;
}

/** A fresh bucket and the remote URL of a prefix in it. */
async function freshRemote(s: SwiftServer, prefix = 'team/cache'): Promise<string> {
  const bucket = `funes-test-${process.pid}-${++buckets}`;
  await createBucket(s, bucket);
  return `s3://${bucket}/${prefix}?endpoint=${encodeURIComponent(s.endpoint)}`;
}

/**
 * Writes an object straight to the bucket, as a writer that bypasses Funes could:
 * what readers must refuse or survive.
 */
async function plant(
  s: SwiftServer,
  remote: string,
  key: string,
  bytes: Uint8Array,
  metadata?: Record<string, string>,
): Promise<void> {
  const { bucket, prefix } = parseRemoteUrl(remote);
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  await withTestClient(s, (client) =>
    client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/${key}`, Body: bytes, Metadata: metadata })),
  );
}

/** The user metadata of an object on the remote (its signature, when signed). */
async function metadataOf(s: SwiftServer, remote: string, key: string): Promise<Record<string, string>> {
  const { bucket, prefix } = parseRemoteUrl(remote);
  const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
  const head = await withTestClient(s, (client) =>
    client.send(new HeadObjectCommand({ Bucket: bucket, Key: `${prefix}/${key}` })),
  );
  return head.Metadata ?? {};
}

function cacheDir(name: string): string {
  return join(scratch, name);
}

/** The stored objects (argument-hash files) of a cache, as `<fn-dir>/<def-hash>/<arg-hash>`. */
function objectsIn(dir: string): string[] {
  const found: string[] = [];
  for (const fn of readdirSync(dir).filter((name) => !name.startsWith('.'))) {
    for (const version of readdirSync(join(dir, fn))) {
      for (const file of readdirSync(join(dir, fn, version))) {
        if (/^[0-9a-f]{64}$/.test(file)) found.push(`${fn}/${version}/${file}`);
      }
    }
  }
  return found.sort();
}

/** Files a write in progress leaves (`.tmp-*`) anywhere in a cache: none once a pull has ended. */
function tempFilesIn(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((path) =>
    path.split('/').pop()!.startsWith('.tmp-'),
  );
}

const SWEEP = `
import { memorious } from '@funes/core';
const square = memorious(async function square(x) {
  console.log('computing', x);
  return { x, y: x * x, blob: new Float64Array(64).fill(x) };
});
const points = process.argv.slice(2).map(Number);
for (const x of points) console.log('result', x, (await square(x)).y);
`;
project.write('sweep.mjs', SWEEP);

function runSweep(cache: string, points: number[], env: Record<string, string> = {}) {
  const run = project.node(['sweep.mjs', ...points.map(String)], { FUNES_CACHE_DIR: cache, ...server!.env, ...env });
  assert.equal(run.status, 0, run.stderr);
  return {
    computed: run.stdout.split('\n').filter((line) => line.startsWith('computing')).length,
    stdout: run.stdout,
    stderr: run.stderr,
  };
}

test("machine A pushes, machine B pulls, and B's calls hit", async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s);
  const a = cacheDir('a');
  const b = cacheDir('b');
  assert.equal(runSweep(a, [1, 2, 3, 4, 5]).computed, 5);

  const dry = await push({ cacheDir: a, remote, dryRun: true });
  assert.equal(dry.missing, 6, '5 objects and definition.json');
  assert.equal(dry.transferred, 0);
  assert.equal(dry.keys?.[0].endsWith('/definition.json'), true, 'metadata goes first');

  const pushed = await push({ cacheDir: a, remote });
  assert.deepEqual([pushed.transferred, pushed.present, pushed.damaged.length], [6, 0, 0]);
  const again = await push({ cacheDir: a, remote });
  assert.deepEqual([again.transferred, again.present], [0, 6], 'a second push sends nothing');

  const pulled = await pull({ cacheDir: b, remote });
  assert.deepEqual([pulled.transferred, pulled.damaged.length], [6, 0]);
  assert.deepEqual(objectsIn(b), objectsIn(a));
  const onB = runSweep(b, [1, 2, 3, 4, 5, 6]);
  assert.equal(onB.computed, 1, 'only the new point is computed on B');
  assert.match(onB.stdout, /result 5 25/);
});

test('pushes and pulls can be limited to some functions', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s, 'only');
  const a = cacheDir('select-a');
  runSweep(a, [1, 2]);
  await assert.rejects(push({ cacheDir: a, remote, functions: ['nope'] }), {
    code: 'ENOFUNCTION',
    hint: /^run `funes log --oneline` to list the 1 function in the cache /,
  });
  await assert.rejects(push({ cacheDir: a, remote, functions: ['squar'] }), {
    code: 'ENOFUNCTION',
    hint: "did you mean 'square'?",
  });
  const pushed = await push({ cacheDir: a, remote, functions: ['square'] });
  assert.equal(pushed.transferred, 3);
  // The remote holds square: a name it lacks is not a remote that "holds no function".
  await assert.rejects(pull({ cacheDir: cacheDir('select-b'), remote, functions: ['squar'] }), {
    code: 'ENOFUNCTION',
    message: /^no function 'squar' in s3:\/\//,
    hint: "did you mean 'square'?",
  });
  const pulled = await pull({ cacheDir: cacheDir('select-b'), remote, functions: ['square'] });
  assert.equal(pulled.transferred, 3);
});

test('pushes and pulls can be limited to one version: name@hash-prefix', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s, 'versions');
  const a = cacheDir('versions-a');
  const versionsOf = (dir: string) => readdirSync(join(dir, 'square')).sort();
  runSweep(a, [1, 2]);
  const [first] = versionsOf(a);
  // An edited square is a second version, with results of its own.
  project.write('sweep-v2.mjs', SWEEP.replace('x * x', 'x ** 2'));
  const run = project.node(['sweep-v2.mjs', '3'], { FUNES_CACHE_DIR: a, ...server!.env });
  assert.equal(run.status, 0, run.stderr);
  const second = versionsOf(a).find((hash) => hash !== first)!;
  assert.ok(second);

  const pushed = await push({ cacheDir: a, remote, functions: [`square@${first.slice(0, 6)}`] });
  assert.equal(pushed.transferred, 3, "the first version's 2 objects and definition.json");
  await assert.rejects(push({ cacheDir: a, remote, functions: ['square@000000000000'] }), {
    code: 'ENOVERSION',
    message: /no version 000000000000 of 'square' in the cache /,
  });
  await assert.rejects(push({ cacheDir: a, remote, functions: ['square@zz'] }), {
    code: 'EBADSPEC',
    message: /'zz' in 'square@zz' is not a hash prefix/,
  });
  await push({ cacheDir: a, remote });

  const b = cacheDir('versions-b');
  const pulled = await pull({ cacheDir: b, remote, functions: [`square@${second.slice(0, 6)}`] });
  assert.equal(pulled.transferred, 2, "the second version's object and definition.json");
  assert.deepEqual(versionsOf(b), [second]);
});

test('concurrent pushes from two machines merge on the remote', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s);
  const a = cacheDir('conc-a');
  const b = cacheDir('conc-b');
  runSweep(a, [1, 2, 3, 4, 5, 6, 7, 8]);
  runSweep(b, [5, 6, 7, 8, 9, 10, 11, 12]);
  const [fromA, fromB] = await Promise.all([
    push({ cacheDir: a, remote, concurrency: 4 }),
    push({ cacheDir: b, remote, concurrency: 4 }),
  ]);
  assert.ok(fromA.damaged.length === 0 && fromB.damaged.length === 0);
  const c = cacheDir('conc-c');
  const pulled = await pull({ cacheDir: c, remote });
  assert.equal(pulled.damaged.length, 0);
  assert.equal(objectsIn(c).length, 12);
  assert.equal(runSweep(c, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]).computed, 0);
});

test('a push that another push overtakes counts what the other sent as already there', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s, 'overtaken');
  const a = cacheDir('overtaken-a');
  runSweep(a, [1, 2, 3]);
  let other: ReturnType<typeof funes> | undefined;
  const pushed = await push({
    cacheDir: a,
    remote,
    // Between this push's listing and its first upload, another machine pushes the same results.
    onPlan: () => (other = funes(['--cache', a, 'push', remote, '--json'])),
  });
  assert.equal(other?.status, 0, other?.stderr);
  assert.equal(JSON.parse(other!.stdout).transferred, 4);
  assert.deepEqual([pushed.missing, pushed.transferred, pushed.present], [4, 0, 4]);
  const text = funes(['--cache', cacheDir('overtaken-b'), 'pull', remote, '--json']);
  assert.equal(JSON.parse(text.stdout).transferred, 4);
});

test('an interrupted push resumes where it stopped', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s);
  const a = cacheDir('resume-a');
  const points = Array.from({ length: 120 }, (_, i) => i);
  runSweep(a, points);
  project.write(
    'push.mjs',
    `import { push } from '@funes/sync';
await push({ cacheDir: process.argv[2], remote: process.argv[3], concurrency: 1, ` +
    `onProgress: ({ files }) => console.log('sent', files) });`,
  );
  // Kill the push after its tenth upload: some objects are on the remote, most are not.
  const child = spawn(process.execPath, ['push.mjs', a, remote], {
    cwd: project.dir,
    env: { ...process.env, ...s.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (/sent 10\n/.test(output)) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`push was not interrupted (exit ${code}): ${output}`)),
    );
  });
  const resumed = await push({ cacheDir: a, remote });
  assert.ok(resumed.present >= 10, `${resumed.present} files were already there`);
  assert.equal(resumed.present + resumed.transferred, 121);
  const b = cacheDir('resume-b');
  const pulled = await pull({ cacheDir: b, remote });
  assert.equal(pulled.damaged.length, 0);
  assert.deepEqual(objectsIn(b), objectsIn(a));
});

test('wrong credentials and an unreachable endpoint fail with stable codes and hints', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s);
  const a = cacheDir('errors-a');
  runSweep(a, [1]);
  const secret = process.env.AWS_SECRET_ACCESS_KEY;
  process.env.AWS_SECRET_ACCESS_KEY = 'not-the-secret';
  try {
    await assert.rejects(push({ cacheDir: a, remote }), (error: RemoteError) => {
      assert.equal(error.code, 'EREMOTEAUTH');
      assert.match(error.message, /refused the credentials \(SignatureDoesNotMatch\)/);
      assert.match(error.hint, /AWS_ACCESS_KEY_ID/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  } finally {
    process.env.AWS_SECRET_ACCESS_KEY = secret;
  }
  const started = Date.now();
  await assert.rejects(
    pull({ cacheDir: a, remote: 's3://funes-nowhere/x?endpoint=http://127.0.0.1:9' }),
    (error: RemoteError) => {
      assert.equal(error.code, 'EREMOTEUNREACHABLE');
      assert.match(error.message, /cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/);
      assert.match(error.hint, /endpoint/);
      return true;
    },
  );
  assert.ok(Date.now() - started < 15_000, 'fails in seconds');
  await assert.rejects(push({ cacheDir: a, remote: `s3://no-such-bucket-here?endpoint=${s.endpoint}` }), {
    code: 'ENOBUCKET',
  });
});

test('an endpoint that is no S3 server (a web page answering every request) is refused plainly (ENOTS3), ' +
    'never taken for an empty remote that already holds every file', async (t) => {
  const s = swift(t);
  if (!s) return;
  const a = cacheDir('not-s3-a');
  runSweep(a, [1, 2]);
  const web = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>Welcome</html>'));
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  const remote = `s3://funes-web/team?endpoint=${encodeURIComponent(endpoint)}`;
  try {
    const notS3 = (error: RemoteError) => {
      assert.equal(error.code, 'ENOTS3');
      assert.equal(error.message, `${endpoint} is not an S3 server: it answered a listing without the bucket it ` +
          `lists (while listing s3://funes-web/team)`);
      assert.match(error.hint, /endpoint URL/);
      return true;
    };
    await assert.rejects(push({ cacheDir: a, remote }), notS3);
    await assert.rejects(pull({ cacheDir: cacheDir('not-s3-b'), remote }), notS3);
    await assert.rejects(probeRemote(a, remote), notS3);
    // Live sharing says the same, for reads too: the page it is served is no damaged object to delete.
    // Run without blocking: the page is served by this process.
    const live = await startNode(project.dir, ['sweep.mjs', '1', '2'], {
      FUNES_CACHE_DIR: cacheDir('not-s3-live'),
      FUNES_REMOTE: remote,
      ...s.env,
    }).finished;
    assert.equal(live.code, 0, live.stderr);
    assert.equal(live.stdout.split('\n').filter((line) => line.startsWith('computing')).length, 2);
    const warnings = live.stderr.split('\n').filter((line) => line.includes('FunesWarning'));
    assert.deepEqual(
      warnings.map((line) => /remote \S+: (\w+) failed \((\w+)/.exec(line)?.slice(1).join(' ')).sort(),
      ['reading ENOTS3', 'writing ENOTS3'],
      live.stderr,
    );
  } finally {
    web.close();
  }
});

test('a damaged object on the remote is refused on arrival, not stored', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s);
  const a = cacheDir('damaged-a');
  runSweep(a, [1, 2]);
  await push({ cacheDir: a, remote });
  const [victim] = objectsIn(a);
  await plant(s, remote, victim, Buffer.from('not a funes object'));
  const b = cacheDir('damaged-b');
  const pulled = await pull({ cacheDir: b, remote });
  assert.deepEqual(pulled.damaged, [victim]);
  assert.equal(objectsIn(b).length, 1);
  const verified = funes(['--cache', b, 'verify', '--remote', remote, '--sample', '0']);
  assert.equal(verified.status, 1, verified.stderr);
  assert.match(
    verified.stdout.trim(),
    new RegExp(
      `^damaged object ${victim}\nchecked 3 objects of 3 on s3://.*: 1 problem\n` +
        'run `funes verify --remote --fix` to delete the damaged objects, then `funes push` ' +
        'from a machine whose copies are intact$',
    ),
  );
  const sampled = funes(['--cache', b, 'verify', '--remote', remote, '--sample', '1', '--json']);
  assert.equal(JSON.parse(sampled.stdout).checked, 1);
});

test('pull streams each object into a temp file and checks it before it becomes ' +
    'visible; none is left behind', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s, 'large');
  // Noise is stored raw, above the size up to which an object is checked whole.
  project.write(
    'noise.mjs',
    `
import { memorious } from '@funes/core';
const noise = memorious(function noise(seed) { return Float64Array.from({ length: 300000 }, () => Math.random()); });
for (const seed of process.argv.slice(2)) noise(Number(seed));
`,
  );
  const a = cacheDir('large-a');
  assert.equal(project.node(['noise.mjs', '1', '2', '3'], { FUNES_CACHE_DIR: a }).status, 0);
  await push({ cacheDir: a, remote });
  const [victim, ...intact] = objectsIn(a);
  const damaged = readFileSync(join(a, victim));
  damaged[damaged.length - 1] ^= 1; // the last byte: found only once every byte has arrived
  await plant(s, remote, victim, damaged);
  const b = cacheDir('large-b');
  const pulled = await pull({ cacheDir: b, remote });
  assert.deepEqual(pulled.damaged, [victim]);
  assert.deepEqual(objectsIn(b), intact);
  for (const key of intact) assert.ok(readFileSync(join(b, key)).equals(readFileSync(join(a, key))), key);
  assert.deepEqual(tempFilesIn(b), []);
});

test('a damaged local object is not pushed; the rest is', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s);
  const a = cacheDir('damaged-local');
  runSweep(a, [1, 2, 3]);
  const [victim] = objectsIn(a);
  writeFileSync(join(a, victim), 'truncated');
  const pushed = await push({ cacheDir: a, remote });
  assert.deepEqual(pushed.damaged, [victim]);
  assert.equal(pushed.transferred, 3, 'two objects and definition.json');
  const b = cacheDir('damaged-local-b');
  await pull({ cacheDir: b, remote });
  assert.deepEqual(objectsIn(b), objectsIn(a).filter((object) => object !== victim));
});

function funes(args: string[], env: Record<string, string> = {}) {
  return project.node(['node_modules/@funes/cli/dist/bin.js', ...args], { ...server!.env, ...env });
}

test('funes remote, push and pull on the command line', async (t) => {
  const s = swift(t);
  if (!s) return;
  const url = (await freshRemote(s, 'cli')).split('?')[0];
  const a = cacheDir('cli-a');
  const b = cacheDir('cli-b');
  runSweep(a, [1, 2, 3]);
  for (const cache of [a, b]) {
    const added = funes(['--cache', cache, 'remote', 'add', 'origin', url, '--endpoint', s.endpoint]);
    assert.equal(added.status, 0, added.stderr);
  }
  const listed = funes(['--cache', a, 'remote', '--json']);
  assert.deepEqual(
    JSON.parse(listed.stdout).remotes,
    [{ name: 'origin', url, endpoint: s.endpoint, conditionalWrites: false }],
    'the probe found Swift without conditional writes',
  );
  assert.equal(funes(['--cache', a, 'remote', 'add', 'origin', url]).status, 1, 'a taken name is refused');

  const dry = funes(['--cache', a, 'push', '--dry-run']);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(
    dry.stdout,
    joinedPattern(
      /^would push 4 files \(.*\) to origin \(s3:\/\/.*\/cli\); 0 files already there\n/,
      / {2}square\/[0-9a-f]{64}\/definition\.json\n/,
    ),
  );
  const pushed = funes(['--cache', a, 'push', 'origin', 'square', '--json']);
  assert.equal(pushed.status, 0, pushed.stderr);
  assert.equal(JSON.parse(pushed.stdout).transferred, 4);
  const pulled = funes(['--cache', b, 'pull']);
  assert.equal(pulled.status, 0, pulled.stderr);
  assert.match(pulled.stdout, /^pulled 4 files \(.*\) from origin/);
  assert.equal(runSweep(b, [1, 2, 3]).computed, 0);

  const refused = funes(['--cache', a, 'push'], { AWS_SECRET_ACCESS_KEY: 'wrong' });
  assert.equal(refused.status, 1);
  const lines = refused.stderr.trim().split('\n');
  assert.equal(lines.length, 2, refused.stderr);
  assert.match(lines[0], /^error: .* refused the credentials \(SignatureDoesNotMatch\) while listing s3:\/\//);
  assert.match(lines[1], /^hint: set AWS_ACCESS_KEY_ID/);
  const unreachable = funes(['--cache', a, 'pull', '--json', 's3://funes-nowhere/x?endpoint=http://127.0.0.1:9']);
  assert.equal(unreachable.status, 1);
  assert.equal(JSON.parse(unreachable.stderr).error.code, 'EREMOTEUNREACHABLE');
  const removed = funes(['--cache', a, 'remote', 'remove', 'origin']);
  assert.equal(removed.status, 0, removed.stderr);
  assert.equal(funes(['--cache', a, 'push']).status, 1, 'no remote left');
});

test('live sharing: a second process reads through what the first wrote through', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s, 'live');
  const started = Date.now();
  const first = runSweep(cacheDir('live-a'), [1, 2, 3], { FUNES_REMOTE: remote });
  assert.equal(first.computed, 3);
  assert.equal(first.stderr, '', 'no warnings');
  // The second machine names the remote as configured in its cache directory.
  const [url, query] = remote.split('?');
  addRemote(cacheDir('live-b'), { name: 'origin', url, endpoint: new URLSearchParams(query).get('endpoint')! });
  const second = runSweep(cacheDir('live-b'), [1, 2, 3, 4], { FUNES_REMOTE: 'origin' });
  assert.equal(second.computed, 1, 'points 1–3 were read from the remote');
  assert.match(second.stdout, /result 3 9\n/);
  const onB = objectsIn(cacheDir('live-b'));
  assert.ok(
    objectsIn(cacheDir('live-a')).every((object) => onB.includes(object)),
    'what was read through is kept locally',
  );
  const pulled = await pull({ cacheDir: cacheDir('live-c'), remote });
  assert.equal(pulled.transferred, 5, 'four objects and definition.json, all written through before exit');
  assert.ok(Date.now() - started < 30_000);
});

test('live sharing with an unreachable remote: the calls succeed, one warning per cause', async (t) => {
  const s = swift(t);
  if (!s) return;
  const run = runSweep(cacheDir('live-down'), [1, 2, 3], {
    FUNES_REMOTE: 's3://funes-nowhere/x?endpoint=http://127.0.0.1:9',
  });
  assert.equal(run.computed, 3);
  const warnings = run.stderr.split('\n').filter((line) => line.includes('FunesWarning'));
  assert.deepEqual(
    // Reads and writes (results, and the use marker sent at the first use) fail in the order the network answers.
    warnings.map((line) => /remote \S+: (\w+) failed \((\w+)/.exec(line)?.slice(1).join(' ')).sort(),
    ['reading EREMOTEUNREACHABLE', 'writing EREMOTEUNREACHABLE'],
    run.stderr,
  );
  assert.equal(objectsIn(cacheDir('live-down')).length, 3, 'stored locally');
});


test('results on a remote are immutable: the first writer wins, a push never replaces an object', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s, 'immutable');
  const a = cacheDir('immutable-a');
  runSweep(a, [1, 2]);
  const [first] = objectsIn(a);
  const connection = await S3Remote.connect(resolveRemote(a, remote));
  try {
    assert.equal(await connection.create(first, readFileSync(join(a, first))), true);
    assert.equal(await connection.create(first, Buffer.from('a later, different object')), false, 'the key is taken');
    assert.deepEqual(Buffer.from((await connection.get(first))!), readFileSync(join(a, first)));
  } finally {
    connection.close();
  }
  const pushed = await push({ cacheDir: a, remote });
  assert.deepEqual([pushed.transferred, pushed.present], [2, 1], 'the object already there is left alone');
});

test('the capability probe: Swift refuses conditional writes, and says so', async (t) => {
  const s = swift(t);
  if (!s) return;
  const [url, query] = (await freshRemote(s, 'probe')).split('?');
  const dir = cacheDir('probe');
  addRemote(dir, { name: 'swift', url, endpoint: new URLSearchParams(query).get('endpoint')! });
  const verdict = await probeRemote(dir, 'swift');
  assert.equal(verdict.conditionalWrites, false);
  assert.match(verdict.detail, /refuses conditional writes/);
  assert.equal(listRemotes(dir)[0].conditionalWrites, false, 'recorded in the configuration');
  const added = funes(['--cache', cacheDir('probe-cli'), 'remote', 'add', 'origin', url, '--endpoint', s.endpoint]);
  assert.equal(added.status, 0, added.stderr);
  assert.match(
    added.stdout,
    joinedPattern(
      /^added remote origin s3:\/\/\S+\nthe server refuses conditional writes \(.*\)\.\n/,
      /lock: true cannot take leases on this remote: set FUNES_LOCK_URL=redis:/,
    ),
  );
  const listed = funes(['--cache', cacheDir('probe-cli'), 'remote']);
  assert.match(listed.stdout, /no conditional writes/);
});

/**
 * An HTTP proxy in front of the server that notes each request (method and path) it passes on, and, in
 * `events`, when each starts (`> `) and is answered (`< `).
 */
async function notingProxy(
  target: string,
): Promise<{ endpoint: string; requests: string[]; events: string[]; close(): void }> {
  const requests: string[] = [];
  const events: string[] = [];
  const { hostname, port } = new URL(target);
  const proxy = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    events.push(`> ${request.method} ${request.url}`);
    response.on('finish', () => events.push(`< ${request.method} ${request.url}`));
    const options = { host: hostname, port, method: request.method, path: request.url, headers: request.headers };
    const upstream = httpRequest(options, (answer) => {
      response.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    requests,
    events,
    close: () => proxy.close(),
  };
}

test('a remote given as a URL is probed once per cache directory: the verdict about its bucket is recorded ' +
    'there, the next process goes by it, and one that no longer holds is found out and probed again', async (t) => {
  const s = swift(t);
  if (!s) return;
  const proxy = await notingProxy(s.endpoint);
  t.after(() => proxy.close());
  const { bucket } = parseRemoteUrl(await freshRemote(s));
  const remote = `s3://${bucket}/url-probe?endpoint=${encodeURIComponent(proxy.endpoint)}`;
  const dir = cacheDir('url-probe');
  // Run without blocking: the proxy is this process.
  const sweep = async (point: number) => {
    const run = await startNode(project.dir, ['sweep.mjs', String(point)], {
      FUNES_CACHE_DIR: dir,
      FUNES_REMOTE: remote,
      ...s.env,
    }).finished;
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'no warnings');
  };
  const probes = () => proxy.requests.filter((line) => line.includes('/.funes/probe-')).length;
  await sweep(1);
  assert.ok(probes() > 0, 'the first process probed');
  const config = join(dir, '.funes', 'config.json');
  const id = `${proxy.endpoint} ${bucket}`;
  assert.deepEqual(JSON.parse(readFileSync(config, 'utf8')), {
    format: 1,
    remotes: {},
    buckets: { [id]: { conditionalWrites: false } },
  });
  assert.deepEqual(listRemotes(dir), [], 'no remote is configured by it');
  const probed = probes();
  await sweep(2);
  assert.equal(probes(), probed, 'the next process went by the record');
  // A record saying Swift honours conditional writes: the first one it refuses has the process probe again.
  writeFileSync(config, JSON.stringify({ format: 1, remotes: {}, buckets: { [id]: { conditionalWrites: true } } }));
  await sweep(3);
  assert.ok(probes() > probed, 'probed again');
  assert.equal(JSON.parse(readFileSync(config, 'utf8')).buckets[id].conditionalWrites, false, 'and recorded');
  const pulled = await pull({ cacheDir: cacheDir('url-probe-pulled'), remote });
  assert.equal(pulled.transferred, 4, 'three objects and definition.json, each written through');
});

test('push and pull move every definition.json before any object: a transfer cut short leaves no version ' +
    'without its description', async (t) => {
  const s = swift(t);
  if (!s) return;
  const a = cacheDir('order-a');
  runSweep(a, [1, 2, 3, 4, 5, 6, 7, 8]);
  const proxy = await notingProxy(s.endpoint);
  t.after(() => proxy.close());
  const { bucket } = parseRemoteUrl(await freshRemote(s));
  const remote = `s3://${bucket}/order?endpoint=${encodeURIComponent(proxy.endpoint)}`;
  /** Whether every request for a definition.json was answered before the first for an object began. */
  const inOrder = (events: readonly string[]) => {
    const lastMetadata = events.findLastIndex((event) => /^< \w+ [^?\s]+\/definition\.json(\?\S*)?$/.test(event));
    const firstObject = events.findIndex((event) => /^> \w+ [^?\s]+\/[0-9a-f]{64}(\?\S*)?$/.test(event));
    return lastMetadata !== -1 && firstObject !== -1 && lastMetadata < firstObject;
  };
  assert.equal((await push({ cacheDir: a, remote, concurrency: 8 })).transferred, 9);
  assert.ok(inOrder(proxy.events), proxy.events.join('\n'));
  proxy.events.length = 0;
  assert.equal((await pull({ cacheDir: cacheDir('order-b'), remote, concurrency: 8 })).transferred, 9);
  assert.ok(inOrder(proxy.events), proxy.events.join('\n'));
});

test("a pull into a cache with versions of its own keeps them, and this project's version stays the current one",
  async (t) => {
    const s = swift(t);
    if (!s) return;
    project.write(
      'versioned.mjs',
      `import { memorious } from '@funes/core';
const square = memorious(async function square(x) {
  console.log('computing', x);
  return { x, y: x * x, v: process.env.V };
}, { version: process.env.V });
for (const x of process.argv.slice(2).map(Number)) console.log('result', x, (await square(x)).y);
`,
    );
    const versioned = (cache: string, version: string, points: number[]) => {
      const run = project.node(['versioned.mjs', ...points.map(String)], { FUNES_CACHE_DIR: cache, V: version });
      assert.equal(run.status, 0, run.stderr);
      return run.stdout.split('\n').filter((line) => line.startsWith('computing')).length;
    };
    const [a, b] = [cacheDir('own-versions-a'), cacheDir('own-versions-b')];
    const remote = await freshRemote(s, 'own-versions');
    assert.equal(versioned(a, 'here', [1, 2]), 2);
    // Another machine's later code, pushed after this cache's version was written.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal(versioned(b, 'there', [1, 2, 3]), 3);
    await push({ cacheDir: b, remote });
    const own = objectsIn(a);
    assert.equal((await pull({ cacheDir: a, remote })).transferred, 4);
    assert.ok(own.every((object) => objectsIn(a).includes(object)), 'its own objects are all still there');
    const gc = funes(['--cache', a, 'gc', '--now', '--json']);
    assert.equal(gc.status, 0, gc.stderr);
    const removed = (JSON.parse(gc.stdout) as { removedVersions: { hash: string }[] }).removedVersions;
    assert.ok(own.every((object) => !removed.some((version) => object.includes(version.hash))), gc.stdout);
    assert.equal(versioned(a, 'here', [1, 2]), 0, "this project's version is all there");
  });

test('a read-only remote is pulled and read through, never written', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s, 'readonly');
  const writer = cacheDir('ro-writer');
  runSweep(writer, [1, 2], { FUNES_REMOTE: remote });
  const [url, query] = remote.split('?');
  const reader = cacheDir('ro-reader');
  const added = funes([
    '--cache',
    reader,
    'remote',
    'add',
    'shared',
    url,
    '--endpoint',
    new URLSearchParams(query).get('endpoint')!,
    '--read-only',
  ]);
  assert.equal(added.status, 0, added.stderr);
  assert.equal(
    added.stdout.trim(),
    `added remote shared ${url} (read-only)`,
    'a read-only remote is not probed: nothing is written',
  );
  const run = runSweep(reader, [1, 2, 3], { FUNES_REMOTE: 'shared' });
  assert.equal(run.computed, 1, 'points 1 and 2 were read through');
  assert.equal(run.stderr, '', 'not writing point 3 is no failure');
  const pushed = funes(['--cache', reader, 'push', '--json']);
  assert.equal(pushed.status, 1);
  assert.equal(JSON.parse(pushed.stderr).error.code, 'EREMOTEREADONLY');
  const onRemote = await pull({ cacheDir: cacheDir('ro-check'), remote });
  assert.equal(onRemote.transferred, 3, 'two objects and definition.json: nothing of the reader\'s');
});

test('a damaged object on the remote, which no push replaces, is deleted by verify --remote --fix; ' +
    'a push from an intact copy then repairs the remote', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s, 'repair');
  const a = cacheDir('repair-a');
  runSweep(a, [1, 2]);
  await push({ cacheDir: a, remote });
  const [victim, intact] = objectsIn(a);
  await plant(s, remote, victim, Buffer.from('not a funes object'));
  assert.equal((await push({ cacheDir: a, remote })).transferred, 0, 'results on a remote are never replaced');
  const reading = runSweep(cacheDir('repair-reader'), [1, 2], { FUNES_REMOTE: remote });
  assert.equal(reading.computed, 1, 'the damaged point is computed here');
  assert.match(
    reading.stderr,
    new RegExp(
      `${victim} is damaged \\(.+\\)\\); results are computed and kept locally — writes never replace it: ` +
        'delete it with `funes verify --remote --sample 0 --fix`, then `funes push` from a machine that holds ' +
        'the result',
    ),
  );

  const [url, query] = remote.split('?');
  const readOnly = funes(['--cache', a, 'verify', '--remote', `${url}?${query}&read-only=1`, '--fix', '--json']);
  assert.equal(readOnly.status, 1);
  assert.equal(JSON.parse(readOnly.stderr).error.code, 'EREMOTEREADONLY');

  const fixed = funes(['--cache', a, 'verify', '--remote', remote, '--sample', '0', '--fix']);
  assert.equal(fixed.status, 0, fixed.stderr);
  assert.match(
    fixed.stdout.trim(),
    new RegExp(
      `^damaged object ${victim} \\(removed\\)\nchecked 3 objects of 3 on s3://.*: ` +
        'removed 1 damaged object; `funes push` sends them again$',
    ),
  );
  const again = JSON.parse(funes(['--cache', a, 'verify', '--remote', remote, '--sample', '0', '--json']).stdout);
  assert.deepEqual([again.listed, again.damaged, again.removed], [2, [], []], 'only the damaged object was deleted');

  const repaired = await push({ cacheDir: a, remote });
  assert.deepEqual([repaired.transferred, repaired.present], [1, 2]);
  const b = cacheDir('repair-b');
  const pulled = await pull({ cacheDir: b, remote });
  assert.deepEqual(pulled.damaged, []);
  assert.deepEqual(objectsIn(b), [victim, intact].sort());
  for (const key of [victim, intact]) assert.deepEqual(readFileSync(join(b, key)), readFileSync(join(a, key)));
});

test('verify --remote --fix never deletes what a newer Funes may have written: objects and definition.json ' +
    'in a format this one does not read', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s, 'newer');
  const a = cacheDir('newer-a');
  runSweep(a, [1]);
  await push({ cacheDir: a, remote });
  const [object] = objectsIn(a);
  const functionDir = object.split('/')[0];
  const newerObject = `${object.slice(0, object.lastIndexOf('/'))}/${'f'.repeat(64)}`;
  const newerMetadata = `${functionDir}/${'e'.repeat(64)}/definition.json`;
  await plant(s, remote, newerObject, Buffer.concat([Buffer.from([0x89, 0x46, 0x4e, 0x53, 3]), Buffer.alloc(300)]));
  await plant(s, remote, newerMetadata, Buffer.from(JSON.stringify({ format: 2, name: 'square' })));

  const fixed = funes(['--cache', a, 'verify', '--remote', remote, '--sample', '0', '--fix', '--json']);
  assert.equal(fixed.status, 1, 'what cannot be checked here is a problem left');
  const result = JSON.parse(fixed.stdout);
  assert.deepEqual([result.listed, result.removed], [4, []]);
  assert.deepEqual(result.newerFormat, [newerMetadata, newerObject].sort());
  const text = funes(['--cache', a, 'verify', '--remote', remote, '--sample', '0', '--fix']).stdout;
  for (const key of [newerObject, newerMetadata]) {
    assert.ok(text.includes(`damaged object ${key} (in a format newer than this Funes reads: kept)\n`), text);
  }
  assert.match(text, /: 2 problems\nupgrade Funes to check the objects in a newer format\n$/);

  // Named functions and versions are checked alone, as pull would select them.
  const version = (args: string[]) => JSON.parse(funes(['--cache', a, 'verify', ...args, '--json']).stdout);
  const other = version(['square@eeee', '--remote', remote, '--sample', '0']);
  assert.deepEqual([other.listed, other.newerFormat], [1, [newerMetadata]]);
  assert.equal(version(['square', '--remote', remote, '--sample', '0']).listed, 4);
  const misspelt = funes(['--cache', a, 'verify', 'squar', '--remote', remote, '--json']);
  assert.equal(misspelt.status, 1);
  assert.deepEqual(JSON.parse(misspelt.stderr).error, {
    code: 'ENOFUNCTION',
    message: `no function 'squar' in ${remote.split('?')[0]}`,
    hint: "did you mean 'square'?",
  });
});

test('verify --remote streams each object through its checks, as pull does: an object of 1 MB that inflates ' +
    'to 256 MiB is checked in under 200 MB', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s, 'inflating');
  const object = deflatedObject(Buffer.alloc(256 * 2 ** 20), 9);
  await plant(s, remote, `inflating/${'d'.repeat(64)}/${'a'.repeat(64)}`, object.bytes);
  project.write(
    'verify-remote.mjs',
    `import { verifyRemote } from '@funes/sync';
const [cacheDir, remote] = process.argv.slice(2);
const result = await verifyRemote({ cacheDir, remote, sample: 0 });
console.log(JSON.stringify({ ...result, maxRssBytes: ${PEAK_RSS_BYTES} }));`,
  );
  const run = project.node(['verify-remote.mjs', cacheDir('inflating'), remote], server!.env);
  assert.equal(run.status, 0, run.stderr);
  const { checked, damaged, maxRssBytes } = JSON.parse(run.stdout);
  assert.deepEqual([checked, damaged], [1, []]);
  assert.ok(maxRssBytes <= 200 * 2 ** 20, `peak RSS ${Math.round(maxRssBytes / 2 ** 20)} MB`);
});

test('signed remotes: with FUNES_SIGNING_KEY, unsigned or wrongly signed objects are refused ' +
    'on pull and read-through', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s, 'signed');
  const a = cacheDir('signed-a');
  runSweep(a, [1, 2], { FUNES_REMOTE: remote, FUNES_SIGNING_KEY: 'team secret' });
  // A writer without the key plants a result of its own, under a key nobody has computed yet.
  const other = cacheDir('signed-planter');
  runSweep(other, [3]);
  const [planted] = objectsIn(other);
  await plant(s, remote, planted, readFileSync(join(other, planted)));
  const unchecked = await pull({ cacheDir: cacheDir('signed-b'), remote });
  assert.deepEqual(
    [unchecked.transferred, unchecked.refused.length],
    [4, 0],
    'without a key, a remote is trusted as it is',
  );
  process.env.FUNES_SIGNING_KEY = 'team secret';
  try {
    const pulled = await pull({ cacheDir: cacheDir('signed-c'), remote });
    assert.deepEqual(pulled.refused, [planted]);
    assert.equal(pulled.transferred, 3, 'the signed objects and definition.json');
    process.env.FUNES_SIGNING_KEY = 'another key';
    const wrongKey = await pull({ cacheDir: cacheDir('signed-d'), remote });
    assert.equal(wrongKey.transferred, 0);
    assert.equal(wrongKey.refused.length, 4);
    for (const dir of ['signed-c', 'signed-d']) {
      assert.deepEqual(tempFilesIn(cacheDir(dir)), [], `refused objects leave no temp file in ${dir}`);
    }
  } finally {
    delete process.env.FUNES_SIGNING_KEY;
  }
  const readThrough = runSweep(cacheDir('signed-e'), [1, 3], {
    FUNES_REMOTE: remote,
    FUNES_SIGNING_KEY: 'team secret',
  });
  assert.equal(readThrough.computed, 1, 'the planted point is computed here, not taken from the remote');
  assert.match(readThrough.stderr, /reading failed \(EUNSIGNED: .* it is not signed/);
  const cli = funes(['--cache', cacheDir('signed-f'), 'pull', remote], { FUNES_SIGNING_KEY: 'team secret' });
  assert.equal(cli.status, 1);
  assert.match(cli.stdout, new RegExp(`^unsigned or wrongly signed, not transferred ${planted}$`, 'm'));
});

test('an object in format 1 on a remote, which carries no address, is neither pulled nor read through ' +
    'unless format 1 is accepted, and verify --remote --fix keeps it', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s, 'format-1');
  const a = cacheDir('format-1-a');
  runSweep(a, [1, 2]);
  await push({ cacheDir: a, remote });
  // Another call's valid result, in the format that names no call, where one of these calls' would be.
  const [victim] = objectsIn(a);
  await plant(s, remote, victim, format1Object().bytes);

  const pulled = await pull({ cacheDir: cacheDir('format-1-b'), remote });
  assert.deepEqual([pulled.unaddressed, pulled.damaged, pulled.transferred], [[victim], [], 2]);
  assert.equal(objectsIn(cacheDir('format-1-b')).includes(victim), false);
  const cli = funes(['--cache', cacheDir('format-1-c'), 'pull', remote]);
  assert.equal(cli.status, 1, cli.stderr);
  assert.match(
    cli.stdout,
    new RegExp(`^in format 1, without an address \\(--accept-format-1 to accept\\), not transferred ${victim}$`, 'm'),
  );
  const reading = runSweep(cacheDir('format-1-d'), [1, 2], { FUNES_REMOTE: remote });
  assert.equal(reading.computed, 1, 'the planted point is computed here');
  assert.match(reading.stderr, /reading failed \(EUNADDRESSED: .* is in format 1, which carries no address\)/);
  assert.match(reading.stderr, /funes pull --accept-format-1/);

  const verified = funes(['--cache', a, 'verify', '--remote', remote, '--sample', '0', '--fix', '--json']);
  assert.deepEqual(JSON.parse(verified.stdout).removed, [], 'an intact object is never deleted');
  const accepted = funes(['--cache', cacheDir('format-1-e'), 'pull', remote, '--accept-format-1', '--json']);
  assert.equal(accepted.status, 0, accepted.stderr);
  assert.deepEqual(JSON.parse(accepted.stdout).unaddressed, []);
  assert.deepEqual(readFileSync(join(cacheDir('format-1-e'), victim)), format1Object().bytes);
  const pushing = funes(['--cache', a, 'push', remote, '--accept-format-1']);
  assert.equal(pushing.status, 2, 'an option of pull, not push');
});

test('a signed object whose bytes were damaged on the remote is damaged, not unsigned: ' +
    'verify --remote --fix deletes it and a push sends it again', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s, 'signed-damage');
  const key = { FUNES_SIGNING_KEY: 'team secret' };
  const a = cacheDir('signed-damage-a');
  runSweep(a, [1, 2], { FUNES_REMOTE: remote, ...key });
  const [victim] = objectsIn(a);
  // The storage flips a byte of the object and keeps its metadata, signature included.
  const signature = await metadataOf(s, remote, victim);
  assert.ok(signature['funes-signature'], 'written through signed');
  const damaged = readFileSync(join(a, victim));
  damaged[damaged.length >> 1] ^= 1;
  await plant(s, remote, victim, damaged, signature);

  const checked = funes(['--cache', a, 'verify', '--remote', remote, '--sample', '0', '--json'], key);
  assert.equal(checked.status, 1);
  assert.deepEqual(
    [JSON.parse(checked.stdout).damaged, JSON.parse(checked.stdout).refused],
    [[victim], []],
    checked.stdout,
  );
  const pulled = funes(['--cache', cacheDir('signed-damage-b'), 'pull', remote, '--json'], key);
  assert.deepEqual([JSON.parse(pulled.stdout).damaged, JSON.parse(pulled.stdout).refused], [[victim], []]);
  const fixed = funes(['--cache', a, 'verify', '--remote', remote, '--sample', '0', '--fix', '--json'], key);
  assert.deepEqual(JSON.parse(fixed.stdout).removed, [victim], fixed.stdout);
  const repaired = funes(['--cache', a, 'push', remote, '--json'], key);
  assert.equal(JSON.parse(repaired.stdout).transferred, 1, repaired.stderr);
  const again = funes(['--cache', a, 'verify', '--remote', remote, '--sample', '0', '--json'], key);
  assert.equal(again.status, 0, again.stdout);
});

test('a call that succeeds forgets the failures it left on the remote: with retries, a later failure counts ' +
    'from there, not from before the success', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s, 'failures');
  project.write(
    'flaky.mjs',
    // Whether it fails is an ignored argument: one call on every machine (anything else it read would join its key).
    `import { memorious } from '@funes/core';
const flaky = memorious(async function flaky(p, failing) {
  console.log('computing', p);
  if (failing) throw new RangeError('diverged');
  return p * 2;
}, { retries: 1, ignore: ['failing'] });
try {
  console.log('result', await flaky(7, process.argv[2] === 'fail'));
} catch (error) {
  console.log('failed', error.code ?? error.name);
}`,
  );
  const machine = (name: string, fail: boolean) => {
    const run = project.node(['flaky.mjs', fail ? 'fail' : 'succeed'], {
      FUNES_CACHE_DIR: cacheDir(`failures-${name}`),
      FUNES_REMOTE: remote,
      ...server!.env,
    });
    assert.equal(run.status, 0, run.stderr);
    return run.stdout.trim().split('\n').at(-1);
  };
  const failureKeys = async () => {
    const connection = await S3Remote.connect(resolveRemote(scratch, remote));
    try {
      const keys: string[] = [];
      for await (const entry of connection.list('.funes/failures/')) keys.push(entry.key);
      return keys;
    } finally {
      connection.close();
    }
  };
  assert.equal(machine('a', true), 'failed RangeError');
  assert.equal((await failureKeys()).length, 1);
  assert.equal(machine('b', false), 'result 14', 'one failure is within retries: 1');
  assert.deepEqual(await failureKeys(), [], 'the success removed the failure record');

  // The result goes (gc --remote, verify --fix); the call breaks again on other machines.
  const [object] = objectsIn(cacheDir('failures-b'));
  const connection = await S3Remote.connect(resolveRemote(scratch, remote));
  try {
    await connection.delete([object]);
  } finally {
    connection.close();
  }
  assert.equal(machine('c', true), 'failed RangeError');
  assert.equal(machine('d', true), 'failed RangeError', 'tried again: one failure since the success');
  assert.equal(machine('e', true), 'failed EFAILED');
});

test('push streams a large file: checked and sent without holding it, signed as it is read', async (t) => {
  const s = swift(t);
  if (!s) return;
  const remote = await freshRemote(s, 'large-push');
  project.write(
    'big.mjs',
    `import { memorious } from '@funes/core';
const big = memorious(function big(seed) { return Float64Array.from({ length: 12_000_000 }, () => Math.random()); });
for (const seed of process.argv.slice(2)) big(Number(seed));`,
  );
  const a = cacheDir('large-push-a');
  assert.equal(project.node(['big.mjs', '1', '2'], { FUNES_CACHE_DIR: a }).status, 0);
  const objects = objectsIn(a);
  for (const object of objects) assert.ok(statSync(join(a, object)).size > 90 * 2 ** 20, object);
  project.write(
    'push-measured.mjs',
    `import { push } from '@funes/sync';
const [cacheDir, remote] = process.argv.slice(2);
const result = await push({ cacheDir, remote, concurrency: 2 });
console.log(JSON.stringify({ ...result, maxRssBytes: ${PEAK_RSS_BYTES} }));`,
  );
  const key = { FUNES_SIGNING_KEY: 'team secret' };
  const run = project.node(['push-measured.mjs', a, remote], { ...server!.env, ...key });
  assert.equal(run.status, 0, run.stderr);
  const { transferred, damaged, maxRssBytes } = JSON.parse(run.stdout);
  assert.deepEqual([transferred, damaged], [3, []]);
  assert.ok(maxRssBytes <= 160 * 2 ** 20, `peak RSS ${Math.round(maxRssBytes / 2 ** 20)} MB`);
  const pulled = funes(['--cache', cacheDir('large-push-b'), 'pull', remote, '--json'], key);
  assert.equal(pulled.status, 0, pulled.stdout);
  assert.deepEqual(JSON.parse(pulled.stdout).refused, [], 'signed as sent');
  for (const object of objects) {
    assert.ok(readFileSync(join(cacheDir('large-push-b'), object)).equals(readFileSync(join(a, object))), object);
  }
});

test('remote add with a bucket that does not exist says so (ENOBUCKET) and records no verdict about the server',
  async (t) => {
    const s = swift(t);
    if (!s) return;
    const dir = cacheDir('missing-bucket');
    const url = 's3://no-such-bucket-here/p';
    const added = funes(['--cache', dir, 'remote', 'add', 'typo', url, '--endpoint', s.endpoint]);
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /could not probe the server \(ENOBUCKET: bucket "no-such-bucket-here" does not exist/);
    assert.equal(listRemotes(dir)[0].conditionalWrites, undefined, 'probed again at first use');
  });

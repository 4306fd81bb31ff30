/**
 * Unwritable caches with real filesystems: a read-only mount (EROFS), a full filesystem
 * (ENOSPC) and a directory the process may not write (EACCES). Every call still returns
 * its result, one warning names the cause, and no temp file is left behind. Mounting needs
 * root (or CAP_SYS_ADMIN); where it is refused those cases are skipped with the reason.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isHash, METADATA_FILE, readObjectFile } from '@funes/core/internal';
import { isProjectUsedFile, listVersions, USED_FILE } from '@funes/core/cache';
import { joinedPattern } from './helpers/patterns.js';
import { startNode } from './helpers/processes.js';
import { tempProject } from './helpers/temp-project.js';

const project = tempProject('funes-unwritable-');
const mounted: string[] = [];
after(() => {
  for (const dir of mounted.reverse()) execFileSync('umount', [dir]);
  project.remove();
});

/**
 * argv: first key, end key, floats per result (random, so incompressible), passed to the
 * function as an argument (a function reading the command line would key all of it);
 * ASYNC=1 for an async function. Prints computed count and events.
 */
const CALLS = `
import { memorious } from '@funes/core';
import { isDeepStrictEqual } from 'node:util';
const [from, to, floats] = process.argv.slice(2).map(Number);
function make(i, n) {
  const data = new Float64Array(n);
  let x = i + 1;
  for (let k = 0; k < data.length; k++) { x = (x ^ (x << 13)) >>> 0; x = (x ^ (x >>> 17)) >>> 0; ` +
      `x = (x ^ (x << 5)) >>> 0; data[k] = Math.sin(x); }
  return { i, data };
}
let computed = 0;
const events = [];
const compute = (i, n) => { computed++; return make(i, n); };
const options = { version: 'unwritable', onEvent: (e) => 'code' in e && events.push(e.code + ':' + e.cause) };
const result = memorious(process.env.ASYNC === '1' ? async function result(i, n) { return compute(i, n); ` +
    `} : function result(i, n) { return compute(i, n); }, options);
for (let i = from; i < to; i++) if (!isDeepStrictEqual(await result(i, floats), ` +
    `make(i, floats))) throw new Error('wrong result for ' + i);
console.log(JSON.stringify({ computed, events: [...new Set(events)] }));
`;
project.write('calls.mjs', CALLS);

/** argv: a key for `first`, then `second(1)` is called; prints the events. */
const TWO_FUNCTIONS = `
import { memorious } from '@funes/core';
const events = [];
const options = { version: 'unsearchable', onEvent: (e) => 'code' in e && events.push(e.code + ':' + e.cause) };
const first = memorious(function first(i) { return i; }, options);
const second = memorious(function second(i) { return i * 2; }, options);
if (first(Number(process.argv[2])) !== Number(process.argv[2]) || second(1) !== 2) throw new Error('wrong result');
console.log(JSON.stringify(events));
`;
project.write('two-functions.mjs', TWO_FUNCTIONS);

/** Mounts, or says why it cannot. */
function mount(args: string[], dir: string): string | undefined {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', [...args, dir], { stdio: 'pipe' });
    if (!mounted.includes(dir)) mounted.push(dir);
    return undefined;
  } catch (error) {
    return `cannot mount here (${String((error as { stderr?: Buffer }).stderr ?? error).trim()}): run ` +
        `as root to test this filesystem error`;
  }
}

async function calls(
  cacheDir: string,
  from: number,
  to: number,
  floats: number,
  env: NodeJS.ProcessEnv = {},
  as?: { uid: number; gid: number },
) {
  const run = await startNode(
    project.dir,
    ['calls.mjs', String(from), String(to), String(floats)],
    { FUNES_CACHE_DIR: cacheDir, ...env },
    as,
  ).finished;
  assert.equal(run.code, 0, run.stderr);
  const warnings = run.stderr.match(/\[ECACHEWRITE\] FunesWarning: [^\n]*/g) ?? [];
  return { ...(JSON.parse(run.stdout) as { computed: number; events: string[] }), warnings };
}

/** Names in the version directory other than objects, definition.json and the use markers (temp or lock files). */
function leftovers(cacheDir: string): string[] {
  return listVersions(cacheDir).flatMap(({ dir }) =>
    readdirSync(dir).filter(
      (name) => !isHash(name) && name !== METADATA_FILE && name !== USED_FILE && !isProjectUsedFile(name),
    ),
  );
}

test('a read-only cache (EROFS): hits are read, misses computed, one warning per cause, ' +
    'with and without locks', async (t) => {
  const source = join(project.dir, 'cache-source');
  const readOnly = join(project.dir, 'cache-read-only');
  assert.equal((await calls(source, 0, 5, 100)).computed, 5);
  const refused = mount(['--bind', source], readOnly) ?? mount(['-o', 'remount,bind,ro'], readOnly);
  if (refused) return t.skip(refused);
  const before = readdirSync(listVersions(source)[0].dir).sort();
  for (const env of [{}, { FUNES_LOCK: '1' }]) {
    const run = await calls(readOnly, 0, 10, 100, env);
    assert.equal(run.computed, 5, 'the five stored results are read');
    assert.deepEqual(run.events, ['ECACHEWRITE:EROFS']);
    assert.equal(run.warnings.length, 1, run.warnings.join('\n'));
    assert.match(
      run.warnings[0],
      joinedPattern(
        /cannot write to the cache \(EROFS in .*\); results are returned but not stored/,
        / — the filesystem is read-only; choose another cache directory with FUNES_CACHE_DIR/,
      ),
    );
  }
  assert.deepEqual(readdirSync(listVersions(source)[0].dir).sort(), before);
});

test('a full filesystem (ENOSPC): results returned, one warning, no temp file left', async (t) => {
  const small = join(project.dir, 'cache-small');
  const refused = mount(['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs'], small);
  if (refused) return t.skip(refused);
  // 20 results of 48 KiB of random floats: about four fit.
  const run = await calls(small, 0, 20, 6144);
  assert.equal(run.computed, 20);
  assert.deepEqual(run.events, ['ECACHEWRITE:ENOSPC']);
  assert.equal(run.warnings.length, 1);
  assert.match(run.warnings[0], /ENOSPC.*free disk space or prune the cache with `funes gc`/);
  assert.deepEqual(leftovers(small), [], 'no temp files');
  const [{ dir }] = listVersions(small);
  const stored = readdirSync(dir).filter(isHash);
  assert.ok(stored.length > 0 && stored.length < 20, `${stored.length} stored`);
  for (const name of stored) assert.equal(readObjectFile(join(dir, name)).status, 'hit');
  // With locks too: the lock files fit or fail, the results still come back.
  const locked = await calls(small, 20, 30, 6144, { FUNES_LOCK: '1' });
  assert.equal(locked.computed, 10);
  assert.equal(locked.warnings.length, 1);
  assert.deepEqual(leftovers(small), [], 'no temp or lock files');
});

test('a full filesystem (ENOSPC) while a large result is hashed as it is written: result returned, ' +
    'one warning, no temp file left', async (t) => {
  const small = join(project.dir, 'cache-small-large');
  const refused = mount(['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs'], small);
  if (refused) return t.skip(refused);
  // Results of 5.2 MB, written on the thread pool while hashed: two fit, the third runs out of space mid-write.
  const run = await calls(small, 0, 5, 655_360, { ASYNC: '1' });
  assert.equal(run.computed, 5);
  assert.deepEqual(run.events, ['ECACHEWRITE:ENOSPC']);
  assert.equal(run.warnings.length, 1);
  assert.deepEqual(leftovers(small), [], 'no temp files');
  const [{ dir }] = listVersions(small);
  const stored = readdirSync(dir).filter(isHash);
  assert.equal(stored.length, 2);
  for (const name of stored) assert.equal(readObjectFile(join(dir, name)).status, 'hit');
  const again = await calls(small, 0, 5, 655_360, { ASYNC: '1' });
  assert.equal(again.computed, 3, 'the two stored results are read back');
});

test('a cache directory that exists but refuses new entries with ENOENT (procfs): results returned, one warning',
  async () => {
    const calling = ['calls.mjs', '0', '5', '100'];
    const { child, finished } = startNode(project.dir, calling, { FUNES_CACHE_DIR: '/proc/self' });
    // A watchdog only, so that a retry loop fails this test instead of hanging the suite.
    const watchdog = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const run = await finished;
    clearTimeout(watchdog);
    assert.equal(run.signal, null, 'the calls ended by themselves');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { computed: 5, events: ['ECACHEWRITE:ENOENT'] });
    assert.equal(run.stderr.match(/\[ECACHEWRITE\] FunesWarning: [^\n]*ENOENT/g)?.length, 1, run.stderr);
  });

test('a cache directory the process may not write (EACCES): results returned, one warning', async () => {
  const locked = join(project.dir, 'cache-not-mine');
  mkdirSync(locked);
  // Root writes anyway: run the calls as an unprivileged user instead.
  const asRoot = process.getuid?.() === 0;
  const as = asRoot ? { uid: 65534, gid: 65534 } : undefined;
  chmodSync(project.dir, 0o755);
  chmodSync(locked, 0o555);
  const run = await calls(locked, 0, 5, 100, {}, as);
  assert.equal(run.computed, 5);
  assert.deepEqual(run.events, ['ECACHEWRITE:EACCES']);
  assert.equal(run.warnings.length, 1);
  assert.match(run.warnings[0], /EACCES.*make the cache directory writable or choose another with FUNES_CACHE_DIR/);
  assert.deepEqual(readdirSync(locked), []);
});

test('a version directory the process may not search: the call computes and reports that it cannot read, ' +
    'after a miss as after a hit', async () => {
  const cacheDir = join(project.dir, 'cache-unsearchable');
  mkdirSync(cacheDir);
  // Root searches anyway: run the calls as an unprivileged user instead.
  const as = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
  chmodSync(project.dir, 0o755);
  if (as) chownSync(cacheDir, as.uid, as.gid);
  const run = async (firstKey: number) => {
    const done = await startNode(
      project.dir,
      ['two-functions.mjs', String(firstKey)],
      { FUNES_CACHE_DIR: cacheDir },
      as,
    ).finished;
    assert.equal(done.code, 0, done.stderr);
    return JSON.parse(done.stdout) as string[];
  };
  assert.deepEqual(await run(0), [], 'both stored');
  const second = listVersions(cacheDir).find((version) => version.functionDir === 'second')!;
  chmodSync(second.dir, 0o600);
  try {
    // first(0) is a hit; first(1) a miss, after which lookups start with a stat.
    for (const firstKey of [0, 1]) {
      assert.deepEqual(await run(firstKey), ['ECACHEREAD:EACCES', 'ECACHEWRITE:EACCES'], `first(${firstKey})`);
    }
  } finally {
    chmodSync(second.dir, 0o700);
  }
});

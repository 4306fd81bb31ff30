/**
 * Crash safety with real processes: writers are SIGKILLed at random moments while they
 * store large and small results, from sync functions and, for results large enough to be
 * hashed while written on the thread pool, from async ones; afterwards no damaged object
 * exists, every object holds exactly the right result, and every leftover file is a
 * recognizable temp or lock file.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { inspectLock, isHash, METADATA_FILE, readObjectFile } from '@funes/core/internal';
import { listVersions, readVersionMetadata, scanVersion, USED_FILE } from '@funes/core/cache';
import { inParallel, printed, startNode } from './helpers/processes.js';
import { tempProject } from './helpers/temp-project.js';

const project = tempProject('funes-crash-');
after(() => project.remove());

const PARALLEL = 6;

/**
 * Deterministic results of three kinds: large incompressible (0.1–0.7 MB, stored raw),
 * large compressible (deflated), small. Most calls miss, so most kills land in writes.
 */
const EXPECTED = `
export const KEYS = 400;
export function expected(i) {
  if (i % 3 === 0) {
    const data = new Float64Array(16384 + ((i * 7919) % 65536));
    let x = i + 1;
    for (let k = 0; k < data.length; k++) {
      x = (x ^ (x << 13)) >>> 0; x = (x ^ (x >>> 17)) >>> 0; x = (x ^ (x << 5)) >>> 0;
      data[k] = x / 4294967296;
    }
    return { i, kind: 'random', data };
  }
  if (i % 3 === 1) return { i, kind: 'repeating', data: Float64Array.from({ length: ` +
      `20000 + i * 100 }, (_, k) => k % 100) };
  return { i, kind: 'small', list: Array.from({ length: 10 }, (_, k) => i * k) };
}
`;

/** Results of 4.8–5.6 MB that do not compress: stored raw, so an async function's are hashed while written. */
const EXPECTED_LARGE = `
export const KEYS = 40;
export function expected(i) {
  const data = new Float64Array(600_000 + i * 2500);
  let x = i + 1;
  const next = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
  for (let k = 0; k < data.length; k++) data[k] = next() / 2 ** 32 + next() / 2 ** 64;
  return data;
}
`;

/** Stores and reads random keys until killed; exits 3 if a read ever returns a wrong result. */
const writer = (kind: string) => `
import { describeDefinition, memorious } from '@funes/core';
import { appendFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { expected, KEYS } from './${kind}.mjs';
const make = memorious(${kind === 'large' ? 'async ' : ''}function make(i) { return ` +
    `expected(i); }, { version: 'crash-test' });
describeDefinition(make); // analysed now, so kills land in the loop
if (process.argv[2] === 'seed') {
  // One result stored by a process that is not killed: the version's metadata exists, and the time a call
  // takes on this machine now tells the test how long to let the killed writers run.
  const started = performance.now();
  await make(0);
  process.stdout.write(String(performance.now() - started));
  process.exit(0);
}
process.stdout.write('ready\\n');
for (;;) {
  const i = Math.floor(Math.random() * KEYS);
  if (!isDeepStrictEqual(await make(i), expected(i))) {
    appendFileSync('wrong-results.log', process.pid + ' ' + i + '\\n');
    process.exit(3);
  }
}
`;

test('200 SIGKILLs during writes leave only complete objects and recognizable leftovers', (t) =>
  killLoop(t, 'mixed', EXPECTED, 200));

test('60 SIGKILLs while large results of an async function are hashed as they are ' +
    'written leave only complete objects', (t) =>
  killLoop(t, 'large', EXPECTED_LARGE, 60));

/** Starts and kills `kills` writers of the results of `expectedSource` in cache `kind`, then checks what they left. */
async function killLoop(t: TestContext, kind: string, expectedSource: string, kills: number) {
  project.write(`${kind}.mjs`, expectedSource);
  project.write(`writer-${kind}.mjs`, writer(kind));
  const { expected, KEYS } = (await import(pathToFileURL(join(project.dir, `${kind}.mjs`)).href)) as {
    expected(i: number): unknown;
    KEYS: number;
  };
  const cacheDir = `cache-${kind}`;
  const seed = project.node([`writer-${kind}.mjs`, 'seed'], { FUNES_CACHE_DIR: cacheDir });
  assert.equal(seed.status, 0, seed.stderr);
  // Kills spread over about two calls, however loaded the machine is, so that some land during a write: the
  // writers share the cores, so each of their calls takes longer than the seed's, which ran alone.
  const sharing = Math.max(1, PARALLEL / availableParallelism());
  const killWindowMs = Math.max(120, 2 * sharing * Number(seed.stdout));

  const outcomes = await inParallel(kills, PARALLEL, async (index) => {
    // Half the writers take locks, so killed lock holders are taken over too.
    const { child, finished } = startNode(project.dir, [`writer-${kind}.mjs`], {
      FUNES_CACHE_DIR: cacheDir,
      ...(index % 2 ? { FUNES_LOCK: '1' } : {}),
    });
    const ready = await printed(child, 'ready');
    if (ready) {
      await sleep(Math.random() * killWindowMs);
      child.kill('SIGKILL');
    }
    return finished;
  });
  for (const outcome of outcomes) {
    assert.equal(outcome.signal, 'SIGKILL', `a writer ended by itself: code ${outcome.code}\n${outcome.stderr}`);
  }

  const versions = listVersions(join(project.dir, cacheDir));
  assert.equal(versions.length, 1);
  const { dir, definitionHash } = versions[0];
  assert.equal(
    readVersionMetadata(dir, definitionHash).status,
    'ok',
    `definition.json is complete; the version holds ${readdirSync(dir).join(', ')}`,
  );

  // Every object is complete and right.
  const scan = scanVersion(dir);
  for (const entry of scan.entries) {
    const read = readObjectFile(entry.file);
    assert.equal(read.status, 'hit', `${entry.file}: ${JSON.stringify(read)}`);
    if (read.status === 'hit') {
      assert.ok(isDeepStrictEqual(read.record.output, expected(read.record.input.i as number)), entry.file);
    }
  }
  // Every other file is a leftover that scanVersion reports: temp files with their writer's pid, lock files.
  const names = readdirSync(dir);
  const reported = new Set([
    ...scan.entries.map((e) => e.argumentHash),
    ...scan.temps.map((f) => f.name),
    ...scan.locks.map((f) => f.name),
    ...scan.projectUses.map((use) => use.marker),
    METADATA_FILE,
    USED_FILE,
  ]);
  assert.deepEqual(names.filter((name) => !reported.has(name)), [], 'files scanVersion does not report');
  for (const temp of scan.temps) assert.ok(Number.isInteger(temp.pid), `${temp.name} names its writer's pid`);
  for (const lock of scan.locks) {
    assert.equal(inspectLock(lock.file)?.stale ?? true, true, `${lock.name}: its holder was killed`);
  }
  t.diagnostic(
    `objects ${scan.entries.length}, temp files left by kills mid-write ` +
        `${scan.temps.length}, stale locks ${scan.locks.length}`,
  );
  assert.ok(scan.temps.length > 0, 'some kills landed during a write');

  // A new process reads every key: nothing damaged, stale locks taken over, all results right.
  project.write(
    `check-${kind}.mjs`,
    `import { memorious } from '@funes/core';
import { isDeepStrictEqual } from 'node:util';
import { expected, KEYS } from './${kind}.mjs';
let computed = 0;
const make = memorious(${kind === 'large' ? 'async ' : ''}function make(i) { computed++; return expected(i); ` +
    `}, { version: 'crash-test', lock: { timeout: 5000 } });
for (let i = 0; i < KEYS; i++) if (!isDeepStrictEqual(await make(i), ` +
    `expected(i))) throw new Error('wrong result for ' + i);
console.log(computed);`,
  );
  const check = project.node([`check-${kind}.mjs`], { FUNES_CACHE_DIR: cacheDir });
  assert.equal(check.status, 0, check.stderr);
  assert.equal(check.stderr, '', 'no warnings: nothing damaged');
  assert.equal(Number(check.stdout), KEYS - scan.entries.length, 'only keys never stored are computed');
  assert.deepEqual(
    readdirSync(project.dir).filter((name) => name === 'wrong-results.log'),
    [],
    'no writer ever read a wrong result',
  );
  assert.equal(readdirSync(dir).filter(isHash).length, KEYS);
}

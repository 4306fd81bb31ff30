/**
 * Maintenance killed midway, and maintenance racing writers, with real processes:
 *
 * - `funes gc`, `pack`, `unpack` and `verify --fix` are killed with SIGKILL at several
 *   points of their run; afterwards `funes verify` finds the cache clean (or, for `verify
 *   --fix`, finds nothing but the damage it was fixing), nothing of the current version
 *   is lost, and running the command again finishes the job.
 * - `funes gc --now` runs again and again while child processes store results in the
 *   version it is collecting: no result stored in the version in use is lost, and no
 *   version directory is left without its `definition.json` — for a function defined
 *   in a file and one made with `new Function` (no file).
 *
 * The kill points are fractions of the command's own duration, measured in the same run.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cliProject, FUNES_BIN } from './helpers/cli-cache.js';
import { inParallel, startNode } from './helpers/processes.js';

const project = cliProject();
after(() => project.remove());

const POINTS = 240;
const KILL_FRACTIONS = [0.1, 0.3, 0.5, 0.7, 0.9];

// `V` pins the version; each result is a few kilobytes, so that the commands take long enough to be cut.
project.write(
  'sweep.mjs',
  `
import { memorious } from '@funes/core';
const kind = process.env.KIND ?? 'file';
const body = (x) => ({ x, y: x * x, blob: Array.from({ length: 600 }, (_, i) => (x * 31 + i) % 997) });
const fn = kind === 'file'
  ? memorious(function work(x) { return body(x); }, { version: process.env.V })
  : memorious(new Function('body', 'return function made(x) { return body(x); }')(body), ` +
      `{ name: 'made', version: process.env.V });
const [from, to] = process.argv.slice(2).map(Number);
let computed = 0;
for (let x = from; x < to; x++) {
  const before = fn.stats().misses;
  fn(x);
  if (fn.stats().misses > before) computed++;
}
console.log('computed', computed);
`,
);

function sweep(cache: string, version: string, from: number, to: number, kind = 'file'): number {
  const run = project.node(['sweep.mjs', String(from), String(to)], {
    FUNES_CACHE_DIR: join(project.dir, cache),
    V: version,
    KIND: kind,
  });
  assert.equal(run.status, 0, run.stderr);
  return Number(/^computed (\d+)$/m.exec(run.stdout)![1]);
}

function funes(args: readonly string[]) {
  const run = project.funes(args);
  return { ...run, json: () => JSON.parse(run.stdout) };
}

// Three versions; v3 is used last, so it is current and the others are what gc collects.
sweep('pristine', 'v1', 0, POINTS);
sweep('pristine', 'v2', 0, POINTS);
sweep('pristine', 'v3', 0, POINTS);
const bundle = join(project.dir, 'all.tar.gz');
assert.equal(funes(['pack', '--all-versions', '-o', bundle, '--cache', 'pristine']).status, 0);

/** A fresh copy of the pristine cache (times kept, so v3 stays current). */
function copyOf(name: string): string {
  const dir = join(project.dir, name);
  cpSync(join(project.dir, 'pristine'), dir, { recursive: true, preserveTimestamps: true });
  return dir;
}

/** Runs `funes args`, killing it with SIGKILL after `ms` (undefined: let it finish); how long it ran. */
async function runKilled(args: readonly string[], ms: number | undefined): Promise<{ ms: number; killed: boolean }> {
  const started = Date.now();
  const { child, finished } = startNode(project.dir, [FUNES_BIN, ...args]);
  const timer = ms === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), ms);
  const done = await finished;
  clearTimeout(timer);
  return { ms: Date.now() - started, killed: done.signal === 'SIGKILL' };
}

function verifyProblems(cache: string): { kind: string; file: string }[] {
  const run = funes(['verify', '--cache', cache, '--json']);
  return (JSON.parse(run.stdout || run.stderr) as { problems: { kind: string; file: string }[] }).problems;
}

/** Every version directory of a cache, with whether it holds a definition.json; leftovers of removals listed apart. */
function versionDirs(cache: string): { dirs: string[]; withoutMetadata: string[]; leftovers: string[] } {
  const dirs: string[] = [];
  const withoutMetadata: string[] = [];
  const leftovers: string[] = [];
  for (const fn of readdirSync(join(project.dir, cache)).filter((name) => !name.startsWith('.'))) {
    for (const name of readdirSync(join(project.dir, cache, fn))) {
      if (name.startsWith('.')) leftovers.push(`${fn}/${name}`);
      else {
        dirs.push(`${fn}/${name}`);
        if (!existsSync(join(project.dir, cache, fn, name, 'definition.json'))) withoutMetadata.push(`${fn}/${name}`);
      }
    }
  }
  return { dirs, withoutMetadata, leftovers };
}

/** For each kill point: a fresh cache, the command killed there, then the checks. */
async function atKillPoints(
  name: string,
  prepare: (cache: string) => void,
  args: (cache: string) => string[],
  check: (cache: string, killed: boolean) => void,
): Promise<number> {
  const full = copyOf(`${name}-full`);
  prepare(full);
  const { ms } = await runKilled(args(`${name}-full`), undefined);
  let killedCount = 0;
  for (const [i, fraction] of KILL_FRACTIONS.entries()) {
    const cache = `${name}-${i}`;
    prepare(copyOf(cache));
    const { killed } = await runKilled(args(cache), Math.max(1, Math.round(ms * fraction)));
    if (killed) killedCount++;
    check(cache, killed);
  }
  return killedCount;
}

test('gc killed with SIGKILL at several points: verify finds the cache clean, ' +
    'the current version whole; the next gc finishes', async () => {
  const killed = await atKillPoints(
    'gc',
    () => {},
    (cache) => ['gc', '--now', '--cache', cache],
    (cache) => {
      assert.deepEqual(verifyProblems(cache), []);
      assert.deepEqual(versionDirs(cache).withoutMetadata, []);
      assert.equal(sweep(cache, 'v3', 0, POINTS), 0, 'nothing of the current version lost');
      assert.equal(funes(['gc', '--now', '--cache', cache]).status, 0);
      const after = versionDirs(cache);
      assert.deepEqual([after.dirs.length, after.leftovers], [1, []], 'the next gc removes what the killed one left');
    },
  );
  assert.ok(killed > 0, 'at least one run was cut');
});

test('pack killed with SIGKILL: the cache is untouched and no partial bundle stands at the output path', async () => {
  await atKillPoints(
    'pack',
    () => {},
    (cache) => ['pack', '--all-versions', '-o', join(project.dir, `${cache}.tar.gz`), '--cache', cache],
    (cache, killed) => {
      assert.deepEqual(verifyProblems(cache), []);
      const out = join(project.dir, `${cache}.tar.gz`);
      if (killed && existsSync(out)) assert.ok(statSync(out).size > 0);
      if (existsSync(out)) {
        assert.equal(funes(['unpack', '--verify', out]).status, 0, 'a bundle at the output path is whole');
      }
    },
  );
});

test('unpack killed with SIGKILL: verify finds the cache clean, the current version whole; ' +
    'unpacking again finishes', async () => {
  const prepare = (dir: string) => {
    // A cache holding only the current version, into which the bundle brings the others.
    for (const fn of readdirSync(dir).filter((name) => !name.startsWith('.'))) {
      const current = currentOf(dir, fn);
      for (const version of readdirSync(join(dir, fn))) {
        if (version !== current) rmSync(join(dir, fn, version), { recursive: true });
      }
    }
  };
  const killed = await atKillPoints(
    'unpack',
    prepare,
    (cache) => ['unpack', bundle, '--cache', cache],
    (cache) => {
      assert.deepEqual(verifyProblems(cache), []);
      assert.deepEqual(versionDirs(cache).withoutMetadata, []);
      assert.equal(sweep(cache, 'v3', 0, POINTS), 0, 'nothing of the current version lost');
      assert.equal(funes(['unpack', bundle, '--cache', cache]).status, 0);
      assert.deepEqual(verifyProblems(cache), []);
      assert.equal(sweep(cache, 'v1', 0, POINTS), 0, 'unpacking again brought everything');
    },
  );
  assert.ok(killed > 0, 'at least one run was cut');
});

/** The version of a function directory whose use marker is newest. */
function currentOf(dir: string, fn: string): string {
  const versions = readdirSync(join(dir, fn)).filter((version) => existsSync(join(dir, fn, version, '.used')));
  return versions.sort(
    (a, b) => statSync(join(dir, fn, b, '.used')).mtimeMs - statSync(join(dir, fn, a, '.used')).mtimeMs,
  )[0];
}

test('verify --fix killed with SIGKILL: nothing but the damage it was fixing is found, the current version whole; ' +
    'the next verify --fix finishes', async () => {
  let damaged: string[] = [];
  const prepare = (dir: string) => {
    // Damage in a version that is not current: every fifth object truncated.
    const fn = readdirSync(dir).find((name) => !name.startsWith('.'))!;
    const old = readdirSync(join(dir, fn)).find((version) => version !== currentOf(dir, fn))!;
    const objects = readdirSync(join(dir, fn, old)).filter((name) => /^[0-9a-f]{64}$/.test(name));
    damaged = objects.filter((_, i) => i % 5 === 0).map((name) => join(dir, fn, old, name));
    for (const file of damaged) truncateSync(file, 40);
  };
  const killed = await atKillPoints(
    'fix',
    prepare,
    (cache) => ['verify', '--fix', '--cache', cache],
    (cache) => {
      const problems = verifyProblems(cache);
      const planted = new Set(damaged.map((file) => file.slice(file.lastIndexOf('/') + 1)));
      for (const problem of problems) {
        assert.equal(problem.kind, 'damaged-object', JSON.stringify(problem));
        assert.ok(
          planted.has(problem.file.slice(problem.file.lastIndexOf('/') + 1)),
          `${problem.file} was damaged by the test`,
        );
      }
      assert.equal(sweep(cache, 'v3', 0, POINTS), 0, 'nothing of the current version lost');
      assert.equal(funes(['verify', '--fix', '--cache', cache]).status, 0, 'what was left is fixed now');
      assert.deepEqual(verifyProblems(cache), []);
    },
  );
  assert.ok(killed > 0, 'at least one run was cut');
});

for (const kind of ['file', 'new Function']) {
  test(`gc --now again and again while processes store results in the version it collects: nothing stored in the ` +
      `version in use is lost, no directory lacks its metadata (${kind})`, async () => {
    const cache = `race-${kind === 'file' ? 'file' : 'function'}`;
    const kindEnv = kind === 'file' ? 'file' : 'function';
    const rounds = 6;
    for (let round = 0; round < rounds; round++) {
      // The round's version exists but is not current: another was used since.
      const version = `race-${round}`;
      sweep(cache, version, 0, 1, kindEnv);
      sweep(cache, `other-${round}`, 0, 1, kindEnv);
      let collecting = true;
      const collector = (async () => {
        let runs = 0;
        while (collecting || runs === 0) {
          runs++;
          const { finished } = startNode(project.dir, [FUNES_BIN, 'gc', '--now', '--cache', cache]);
          const done = await finished;
          assert.ok(done.code === 0, done.stderr);
        }
        return runs;
      })();
      // Four writers mark the version used as they start, so it is current from their first write on.
      const counts = await inParallel(4, 4, async (i) => {
        const { finished } = startNode(project.dir, ['sweep.mjs', String(1 + i * 40), String(1 + (i + 1) * 40)], {
          FUNES_CACHE_DIR: join(project.dir, cache),
          V: version,
          KIND: kindEnv,
        });
        const done = await finished;
        assert.equal(done.code, 0, done.stderr);
        return Number(/^computed (\d+)$/m.exec(done.stdout)![1]);
      });
      collecting = false;
      await collector;
      assert.deepEqual(counts, [40, 40, 40, 40]);
      assert.deepEqual(versionDirs(cache).withoutMetadata, [], 'every version directory has its definition.json');
      assert.equal(
        sweep(cache, version, 1, 161, kindEnv),
        0,
        `round ${round}: every result stored in the version in use is there`,
      );
    }
    assert.deepEqual(verifyProblems(cache), []);
  });
}

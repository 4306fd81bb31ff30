/**
 * The version in use is never lost: edit a function, run, revert the edit, run again,
 * then `funes gc` — the next run recomputes nothing, and `log`, `show`, `diff` and
 * `export` take the reverted version as current, whatever `definition.json` says about
 * when each version was created. Real processes, the built CLI.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliProject, type CliProject, type FunesRun } from './helpers/cli-cache.js';

const ORIGINAL = 'function work(x) { process.stdout.write("computed\\n"); return x * 2; }';
const EDITED = 'function work(x) { process.stdout.write("computed\\n"); return x * 3; }';
const CALLS = [1, 2, 3];

let project: CliProject;

/** Runs `work` over CALLS with `source`; how many calls were computed. */
function run(source: string): number {
  project.write(
    'work.mjs',
    [
      `import { memorious } from '@funes/core';`,
      `const work = memorious(${source});`,
      `for (const x of ${JSON.stringify(CALLS)}) work(x);`,
      ``,
    ].join('\n'),
  );
  const result = project.node(['work.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'cache') });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\n').filter((line) => line === 'computed').length;
}

function json(result: FunesRun): any {
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

before(() => {
  project = cliProject();
});
after(() => project.remove());

describe('edit, run, revert, run, gc', () => {
  let original: string;
  let edited: string;

  it('recomputes only what the edit changed', () => {
    assert.equal(run(ORIGINAL), CALLS.length);
    assert.equal(run(EDITED), CALLS.length);
    assert.equal(run(ORIGINAL), 0, 'the reverted code hits');
    const versions = json(project.funes(['log', 'work', '--json'])).versions;
    assert.equal(versions.length, 2);
    [original, edited] = versions.map((v: any) => v.hash);
    assert.ok(
      Date.parse(versions[1].createdAt) > Date.parse(versions[0].createdAt),
      'the edited version was created last',
    );
    assert.deepEqual(
      versions.map((v: any) => v.current),
      [true, false],
      'the reverted version, used last, is current',
    );
  });

  it('show, diff and export default to the version in use', () => {
    assert.equal(json(project.funes(['show', 'work', '--json'])).hash, original);
    const diff = json(project.funes(['diff', 'work', '--json']));
    assert.deepEqual([diff.from.hash, diff.to.hash], [edited, original]);
    const exported = project.funes(['export', 'work', '-f', 'jsonl']);
    assert.deepEqual(exported.stdout.trimEnd().split('\n').map((line) => JSON.parse(line).output).sort(), [2, 4, 6]);
  });

  it('gc keeps the version in use: the next run recomputes nothing', () => {
    assert.equal(
      json(project.funes(['gc', '--json'])).removedVersions.length,
      0,
      'both were used within the grace period',
    );
    assert.deepEqual(json(project.funes(['gc', '--now', '--json'])).removedVersions.map((v: any) => v.hash), [edited]);
    assert.deepEqual(
      readdirSync(join(project.dir, 'cache', 'work')).filter((name) => /^[0-9a-f]{64}$/.test(name)),
      [original],
    );
    assert.equal(run(ORIGINAL), 0);
  });
});

describe('a definition.json that verify --fix removed', () => {
  it('comes back at the next use, hits only, so gc never takes the version in use', () => {
    run(EDITED);
    assert.equal(run(ORIGINAL), 0);
    const [current, other] = json(project.funes(['log', 'work', '--json'])).versions.map((v: any) => v.hash);
    const metadata = join(project.dir, 'cache', 'work', other, 'definition.json');
    writeFileSync(metadata, '{ damaged');
    assert.equal(project.funes(['verify', '--fix', '--quiet']).status, 0);
    assert.equal(existsSync(metadata), false);
    assert.equal(run(EDITED), 0, 'all hits: nothing is stored');
    assert.equal(existsSync(metadata), true, 'written again by a run that only read');
    const versions = json(project.funes(['log', 'work', '--json'])).versions;
    assert.deepEqual(
      versions.map((v: any) => [v.hash, v.current, v.metadata]),
      [[other, true, 'ok'], [current, false, 'ok']],
    );
    assert.deepEqual(json(project.funes(['gc', '--now', '--json'])).removedVersions.map((v: any) => v.hash), [current]);
    assert.equal(run(EDITED), 0);
  });
});

describe('a long run of a version that is no longer current', () => {
  it('keeps marking it used, so gc leaves what it is using', async () => {
    project.write(
      'long.mjs',
      [
        `import { existsSync } from 'node:fs';`,
        `import { memorious } from '@funes/core';`,
        `const scale = Number(process.env.SCALE);`,
        `const work = memorious(function long(x) { return x * scale; }, { deps: [scale] });`,
        `do {`,
        `  for (const x of [1, 2, 3]) work(x);`,
        `  await new Promise((resolve) => setTimeout(resolve, 50));`,
        `} while (process.env.HOLD && existsSync(process.env.HOLD));`,
        `process.stdout.write(JSON.stringify(work.stats()));`,
        ``,
      ].join('\n'),
    );
    // The long run goes on until the test is done with it, however slowly the other runs start.
    const hold = join(project.dir, 'hold-long-run');
    writeFileSync(hold, '');
    const env = (scale: number, extra: Record<string, string> = {}) => ({
      ...process.env,
      FUNES_CACHE_DIR: join(project.dir, 'cache'),
      SCALE: String(scale),
      ...extra,
    });
    const long = spawn(process.execPath, ['long.mjs'], { cwd: project.dir, env: env(2, { HOLD: hold }) });
    let stdout = '';
    long.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = once(long, 'exit');
    const versionsNow = () => json(project.funes(['log', 'long', '--json'])).versions;
    // Which version is which, by hash: `log` orders by last use, which the long run keeps changing.
    let running: string | undefined;
    while (!(running = existsSync(join(project.dir, 'cache', 'long')) ? versionsNow()[0]?.hash : undefined)) {
      await sleep(50);
    }
    const newer = project.node(['long.mjs'], env(3));
    assert.equal(newer.status, 0, newer.stderr);
    const newest = versionsNow()
      .map((v: any) => v.hash)
      .find((hash: string) => hash !== running);
    assert.ok(newest, 'the newer run made a version of its own');
    // Past the grace period since the long run's first use and its only writes.
    await sleep(6000);
    const removed = json(project.funes(['gc', '--unused-for', '5s', '--json'])).removedVersions;
    assert.deepEqual(
      removed.map((v: any) => v.hash),
      [newest],
      'the version the long run is using stays (used most recently, it is current again)',
    );
    rmSync(hold);
    await exited;
    assert.equal(JSON.parse(stdout).misses, 3, 'the long run computed each call once');
    assert.deepEqual(versionsNow().map((v: any) => v.hash), [running]);
  });
});

describe('two projects sharing one cache', () => {
  // Two checkouts (or two projects) each defining `train` in src/train.mjs, one cache for both.
  let a: CliProject;
  let b: CliProject;
  let shared: string;

  function runIn(p: CliProject, factor: number, module = 'src/train.mjs', env: Record<string, string> = {}): number {
    p.write(
      module,
      [
        `import { memorious } from '@funes/core';`,
        `const train = memorious(function train(x) { process.stdout.write("computed\\n"); return x * ${factor}; });`,
        `if (process.env.CLEAR) console.log('cleared', train.clear({ allVersions: true }));`,
        `else for (const x of ${JSON.stringify(CALLS)}) train(x);`,
        ``,
      ].join('\n'),
    );
    const result = p.node([module], { FUNES_CACHE_DIR: shared, ...env });
    assert.equal(result.status, 0, result.stderr);
    if (env.CLEAR) return Number(/^cleared (\d+)$/m.exec(result.stdout)![1]);
    return result.stdout.split('\n').filter((line) => line === 'computed').length;
  }

  const funesIn = (p: CliProject, args: string[]) =>
    json(p.funes([...args, '--json'], { env: { FUNES_CACHE_DIR: shared } }));
  const currentIn = (p: CliProject) => funesIn(p, ['show', 'train']).hash as string;
  const outputsIn = (p: CliProject) =>
    p
      .funes(['export', 'train', '-f', 'jsonl'], { env: { FUNES_CACHE_DIR: shared } })
      .stdout.trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line).output)
      .sort();
  const stored = () => readdirSync(join(shared, 'train')).filter((name) => /^[0-9a-f]{64}$/.test(name)).sort();

  before(() => {
    a = cliProject();
    b = cliProject();
    shared = join(a.dir, 'shared-cache');
  });
  after(() => {
    a.remove();
    b.remove();
  });

  it('show and export, asked from inside a project, take the version that project uses', () => {
    assert.equal(runIn(a, 2), CALLS.length);
    assert.equal(runIn(b, 3), CALLS.length);
    assert.equal(runIn(a, 2), 0, 'a hits after b ran');
    assert.notEqual(currentIn(a), currentIn(b));
    const users = Object.fromEntries(
      funesIn(a, ['log', 'train']).versions.map((v: any) => [v.hash, v.projects.map((use: any) => use.dir)]),
    );
    assert.deepEqual(users[currentIn(a)], [realpathSync(a.dir)], 'log says which project used which version');
    assert.deepEqual(users[currentIn(b)], [realpathSync(b.dir)]);
    assert.deepEqual(outputsIn(a), [2, 4, 6]);
    assert.deepEqual(outputsIn(b), [3, 6, 9], 'b was used before a, yet b sees its own results');
  });

  it('gc keeps the version each project uses, and removes what a project superseded', () => {
    const [ofA, ofB] = [currentIn(a), currentIn(b)];
    assert.deepEqual(funesIn(a, ['gc', '--now']).removedVersions, []);
    assert.deepEqual(stored(), [ofA, ofB].sort());
    assert.equal(runIn(b, 3), 0, 'b recomputes nothing');
    assert.equal(runIn(a, 4), CALLS.length, 'a edits train');
    const removed = funesIn(b, ['gc', '--now']).removedVersions.map((v: any) => v.hash);
    assert.deepEqual(removed, [ofA], "a's superseded version goes, whoever runs gc");
    assert.equal(runIn(b, 3), 0);
    assert.equal(runIn(a, 4), 0);
  });

  it("clear({ allVersions: true }) removes this project's versions of the function, no other's", () => {
    assert.equal(runIn(a, 5, 'lab/train.mjs'), CALLS.length, 'another module of a defines a train of its own');
    assert.equal(runIn(a, 4, 'src/train.mjs', { CLEAR: '1' }), CALLS.length, "only a's src/train.mjs results");
    assert.equal(runIn(b, 3), 0, "b's version stays");
    assert.equal(runIn(a, 5, 'lab/train.mjs'), 0, "lab/train.mjs's version stays");
    assert.equal(runIn(a, 4), CALLS.length);
  });

  it('a project that is gone still holds its version for a while', () => {
    const ofB = currentIn(b);
    rmSync(join(b.dir, 'src'), { recursive: true });
    b.remove();
    assert.deepEqual(funesIn(a, ['gc', '--now']).removedVersions, []);
    assert.ok(stored().includes(ofB));
  });
});

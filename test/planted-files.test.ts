/**
 * A FIFO or a device where a cache keeps one of its small files (`definition.json`, a lock
 * file, a failure record, the tallies, the remotes' configuration), as anyone who can write to
 * a shared cache may leave one: each command still answers — the file is damage, reported or
 * passed over — instead of waiting forever for a writer to the FIFO or reading a device that
 * never ends.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isHash } from '@funes/core/internal';
import { cliProject } from './helpers/cli-cache.js';

const project = cliProject();
after(() => project.remove());
project.compute('calc.mjs', 'function square(x) { return x * x; }', [[1], [2], [3]]);

const cacheDir = join(project.dir, 'cache');
const [hash] = readdirSync(join(cacheDir, 'square'));
const versionDir = join(cacheDir, 'square', hash);
const mkfifo = (path: string) => execFileSync('mkfifo', [path]);

test('a FIFO as definition.json: log, verify and pack answer, verify --fix removes it', () => {
  const metadata = join(versionDir, 'definition.json');
  renameSync(metadata, join(project.dir, 'definition.json'));
  mkfifo(metadata);
  try {
    const log = project.funes(['log', '--json']);
    assert.equal(log.status, 0, log.stderr);
    assert.equal(JSON.parse(log.stdout).versions[0].metadata, 'damaged');
    const verify = project.funes(['verify']);
    assert.equal(verify.status, 1, verify.stderr);
    assert.match(verify.stdout, /definition\.json: not a regular file/);
    const pack = project.funes(['pack', `square@${hash.slice(0, 8)}`, '-o', 'square.bundle', '--json']);
    assert.equal(pack.status, 1, pack.stderr);
    assert.equal(JSON.parse(pack.stderr).error.code, 'ENOTFILE');
    const fix = project.funes(['verify', '--fix']);
    assert.equal(fix.status, 0, fix.stderr);
    assert.deepEqual(readdirSync(versionDir).filter((name) => name === 'definition.json'), []);
  } finally {
    rmSync(metadata, { force: true });
    renameSync(join(project.dir, 'definition.json'), metadata);
  }
});

test('a FIFO or /dev/zero as the tallies: du and log count the cache afresh and record it again', () => {
  const tallies = join(cacheDir, '.funes', 'tallies.json');
  for (const plant of [() => mkfifo(tallies), () => symlinkSync('/dev/zero', tallies)]) {
    mkdirSync(join(cacheDir, '.funes'), { recursive: true });
    rmSync(tallies, { force: true });
    plant();
    const du = project.funes(['du', '--json']);
    assert.equal(du.status, 0, du.stderr);
    assert.equal(JSON.parse(du.stdout).entries, 3);
    const log = project.funes(['log', '--json']);
    assert.equal(log.status, 0, log.stderr);
    assert.equal(JSON.parse(log.stdout).versions[0].entries, 3);
  }
});

test('a FIFO as a failure record: log answers, listing the version', () => {
  const failures = join(cacheDir, '.funes', 'failures', 'square', hash);
  mkdirSync(failures, { recursive: true });
  mkfifo(join(failures, `${'b'.repeat(64)}.json`));
  try {
    const log = project.funes(['log', '--json']);
    assert.equal(log.status, 0, log.stderr);
    assert.equal(JSON.parse(log.stdout).versions[0].hash, hash);
  } finally {
    rmSync(join(cacheDir, '.funes', 'failures'), { recursive: true });
  }
});

test("a FIFO as the remotes' configuration: funes remote fails at once, naming it (ENOTFILE)", () => {
  const config = join(cacheDir, '.funes', 'config.json');
  mkdirSync(join(cacheDir, '.funes'), { recursive: true });
  mkfifo(config);
  try {
    const remote = project.funes(['remote', '--json']);
    assert.equal(remote.status, 1, remote.stderr);
    const { error } = JSON.parse(remote.stderr);
    assert.equal(error.code, 'ENOTFILE');
    assert.match(error.message, /config\.json is not a regular file/);
  } finally {
    rmSync(config);
  }
});

test('a FIFO as a lock file: a call with lock takes it over as damage and stores its result', () => {
  const script = project.write(
    'locked.mjs',
    "import { memorious } from '@funes/core';\n" +
      "const double = memorious(function double(x) { return 2 * x; }, { lock: true, cacheDir: 'locked-cache' });\n" +
      'console.log(double(21));\n',
  );
  const first = project.node([script]);
  assert.equal(first.stdout.trim(), '42', first.stderr);
  const [dir] = readdirSync(join(project.dir, 'locked-cache', 'double'));
  const lockedDir = join(project.dir, 'locked-cache', 'double', dir);
  const [object] = readdirSync(lockedDir).filter(isHash);
  rmSync(join(lockedDir, object));
  mkfifo(join(lockedDir, `.lock-${object}`));
  const second = project.node([script]);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(second.stdout.trim(), '42');
  assert.deepEqual(readdirSync(lockedDir).filter((name) => name === object || name.startsWith('.lock-')), [object]);
});

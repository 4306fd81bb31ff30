/**
 * The `funes` CLI end to end: caches written by real memorious runs in child
 * processes, the built binary run as users run it, human output and `--json`
 * both checked, and every failure a one-line error with a hint and its exit code.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliProject, FUNES_BIN, type CliProject, type FunesRun } from './helpers/cli-cache.js';
import { REPO_ROOT } from './helpers/temp-project.js';
import { joinedPattern } from './helpers/patterns.js';

const TRAIN_V1 = 'function train(lr, epochs = 3) { return { loss: lr * epochs, acc: 0.9 }; }';
const TRAIN_V2 = 'function train(lr, epochs = 4) {\n  return { loss: lr * epochs, acc: 0.95 };\n}';

let project: CliProject;
let v1: string;
let v2: string;
let lab: string;

function json(run: FunesRun): any {
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

/** A failure: its exit code, one error line and one hint line on stderr, no stack trace. */
function assertFails(run: FunesRun, status: number, message: RegExp): void {
  assert.equal(run.status, status, `exit ${run.status}: ${run.stderr}`);
  assert.match(run.stderr, message);
  const lines = run.stderr.trimEnd().split('\n');
  assert.ok(lines.length <= 2, run.stderr);
  assert.match(lines[0], /^error: /);
  if (lines[1] !== undefined) assert.match(lines[1], /^hint: /);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
}

function versionDirs(cache: string, fn: string): string[] {
  return readdirSync(join(project.dir, cache, fn)).filter((name) => /^[0-9a-f]{64}$/.test(name));
}

/**
 * A copy of a small format-2 object stored under another argument hash, as a writer would
 * have sealed it (docs/format.md): the address at bytes 72–104, the SHA-256 seal of bytes
 * 40 to the end at bytes 8–40.
 */
function readdressed(object: Buffer, argumentHash: string): Buffer {
  const copy = Buffer.from(object);
  assert.equal(copy[4], 2, 'a format-2 object');
  assert.equal(copy[6], 1, 'sealed with SHA-256');
  Buffer.from(argumentHash, 'hex').copy(copy, 72);
  createHash('sha256').update(copy.subarray(40)).digest().copy(copy, 8);
  return copy;
}

before(() => {
  project = cliProject();
  project.compute('train.mjs', TRAIN_V1, [[0.1], [0.2], [0.3]]);
  project.compute('train.mjs', TRAIN_V2, [[0.1], [0.2]]);
  project.compute('lab/train.mjs', TRAIN_V1, [[1]]);
  project.compute('square.mjs', "async function square(x) { return new Map([['x', x], ['sq', x * x]]); }", [[2], [3]]);
  const versions = json(project.funes(['log', '--json'])).versions as any[];
  const trains = versions.filter((v) => v.function === 'train');
  v2 = trains.find((v) => v.module === 'train.mjs' && v.entries === 2).hash;
  v1 = trains.find((v) => v.module === 'train.mjs' && v.entries === 3).hash;
  lab = trains.find((v) => v.module === 'lab/train.mjs').hash;
});
after(() => project.remove());

describe('funes log', () => {
  it('lists versions most recently used first with counts, sizes and compute time, ' +
      'marking the current one per function', () => {
    const result = json(project.funes(['log', '--json']));
    assert.equal(result.cache, join(project.dir, 'cache'));
    const order = result.versions.map((v: any) => `${v.function}:${v.module}:${v.entries}`);
    assert.deepEqual(order, ['square:square.mjs:2', 'train:lab/train.mjs:1', 'train:train.mjs:2', 'train:train.mjs:3']);
    const [square, labTrain, newer, older] = result.versions;
    assert.equal(square.current, true);
    assert.equal(labTrain.current, true, 'a same-named function in another module is another function');
    assert.equal(newer.current, true);
    assert.equal(older.current, false);
    assert.ok(Date.parse(newer.lastUsedAt) >= Date.parse(older.lastUsedAt));
    assert.equal(older.shortHash, v1.slice(0, 12));
    for (const v of result.versions) {
      assert.ok(
        v.bytes > 0 && v.diskBytes > 0 && v.computeSeconds >= 0 && v.metadata === 'ok' && v.damagedEntries === 0,
      );
      assert.ok(Date.parse(v.lastWrittenAt) >= Date.parse(v.createdAt) - 1000);
    }

    const text = project.funes(['log']);
    assert.equal(text.status, 0);
    assert.match(
      text.stdout,
      new RegExp(
        `version ${v2} \\(current\\)\\nFunction: train  train\\.mjs\\nUsed: .*\\)\\nCreated: .*\\)\\nWritten: ` +
            `.*\\nEntries:  2 entries, .* on disk\\), .* of compute stored`,
      ),
    );
    assert.match(text.stdout, new RegExp(`version ${v1}\\n`));
    assert.doesNotMatch(text.stdout, /\x1b\[/, 'no color when stdout is not a terminal');
  });

  it('takes the last value of an option given twice, as git does, and keeps every word of a list', () => {
    const hashesOf = (args: string[]) =>
      json(project.funes(['log', '--json', ...args])).versions.map((v: any) => v.hash);
    assert.deepEqual(hashesOf(['--since', '2999-01-01', '--since', '1h']), hashesOf(['--since', '1h']));
    assert.deepEqual(hashesOf(['-n', '1', '-n', '2']), hashesOf(['-n', '2']));
    assert.deepEqual(hashesOf(['--cache', 'nowhere', '--cache', 'cache']), hashesOf([]));
    assert.deepEqual(hashesOf([`train@${v1.slice(0, 8)}`, `train@${v2.slice(0, 8)}`]).sort(), [v1, v2].sort());
    const exported = project.funes(['export', 'train', '-o', 'first.csv', '-o', 'second.csv']);
    assert.equal(exported.status, 0, exported.stderr);
    assert.deepEqual([existsSync(join(project.dir, 'first.csv')), existsSync(join(project.dir, 'second.csv'))], [
      false,
      true,
    ]);
  });

  it('filters by function and count, and prints one line per version with --oneline', () => {
    const oneline = project.funes(['log', 'train', '--oneline', '-n', '2']);
    assert.equal(oneline.status, 0);
    const lines = oneline.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], new RegExp(`^${lab.slice(0, 12)}  train \\(lab/train\\.mjs\\)\\s+1\\s+.*current$`));
    assert.match(lines[1], new RegExp(`^${v2.slice(0, 12)}  train \\(train\\.mjs\\)\\s+2 `));
    assert.deepEqual(
      json(project.funes(['log', `train@${v1.slice(0, 8)}`, '--json'])).versions.map((v: any) => v.hash),
      [v1],
    );
    assert.equal(json(project.funes(['log', '--since', '1h', '--json'])).versions.length, 4);
    assert.equal(json(project.funes(['log', '--since', '2999-01-01', '--json'])).versions.length, 0);
    // After `--`, words are arguments, as in git: the filter is kept, not dropped.
    const hashesOf = (args: string[]) =>
      json(project.funes(['log', '--json', ...args])).versions.map((v: any) => v.hash);
    assert.deepEqual(hashesOf(['--', 'train']), hashesOf(['train']));
    assert.notDeepEqual(hashesOf(['--', 'train']), hashesOf([]));
    assert.match(project.funes(['show', '--', `train@${v1.slice(0, 8)}`]).stdout, new RegExp(`^version ${v1}\n`));
    assertFails(project.funes(['log', '--', '-n']), 2, /^error: funes cannot take '-n' as an argument: it begins/);
    // `-n 0` asks for nothing, as in git: no output, no complaint.
    for (const options of [[], ['--oneline']]) {
      const none = project.funes(['log', '-n', '0', ...options]);
      assert.equal(none.status, 0, none.stderr);
      assert.equal(none.stdout + none.stderr, '');
    }
    assert.deepEqual(json(project.funes(['log', '-n', '0', '--json'])).versions, []);
  });

  it('reads tens of thousands of entries (in worker threads) for log, verify and export', () => {
    const cache = project.copyCache('many');
    const dir = join(cache, 'train', v1);
    const originals = json(
      project.funes(['show', `train@${v1.slice(0, 8)}`, '-n', '0', '--json', '--cache', 'many']),
    ).entries;
    let expected = 0;
    for (let i = 0; i < 20_500; i++) {
      const original = originals[i % originals.length];
      const argumentHash = createHash('sha256').update(String(i)).digest('hex');
      writeFileSync(join(dir, argumentHash), readdressed(readFileSync(join(dir, original.argumentHash)), argumentHash));
      expected += original.time;
    }
    expected += originals.reduce((sum: number, e: any) => sum + e.time, 0);
    writeFileSync(join(dir, 'f'.repeat(64)), 'damaged');
    const logged = json(project.funes(['log', `train@${v1.slice(0, 8)}`, '--json', '--cache', 'many'])).versions[0];
    const verified = project.funes(['verify', '--cache', 'many', '--json']);
    assert.equal(verified.status, 1);
    assert.deepEqual(
      JSON.parse(verified.stdout).problems.map((p: any) => [p.file, p.reason]),
      [[join(dir, 'f'.repeat(64)), 'shorter than a header']],
    );
    assert.equal(JSON.parse(verified.stdout).objects, 20_504 + 5);
    assert.equal(logged.entries, 20_504);
    assert.equal(logged.damagedEntries, 1);
    assert.ok(Math.abs(logged.computeSeconds - expected) < 1e-9, `${logged.computeSeconds} vs ${expected}`);
    const exported = project.funes(['export', `train@${v1.slice(0, 8)}`, '--cache', 'many']);
    assert.equal(
      exported.stdout.trimEnd().split('\r\n').length,
      1 + 20_503,
      'a header and every sound entry, through a pipe',
    );
    assert.equal(exported.stderr, "warning: 1 damaged entry skipped; run `funes verify`\n");
  });

  it('answers versions unchanged since an earlier log from its tallies, and reads again one that changed', async () => {
    const cache = project.copyCache('tallied');
    // A directory is recorded once it has been unchanged for the filesystem's timestamp granularity (2 s).
    await sleep(2200);
    const logged = () => json(project.funes(['log', '--json', '--cache', 'tallied']));
    const first = logged();
    assert.ok(existsSync(join(cache, '.funes', 'tallies.json')));
    assert.deepEqual(logged(), first, 'the same answer from the tallies');
    const du = () => json(project.funes(['du', '--json', '--cache', 'tallied']));
    assert.deepEqual(du(), du());
    const dir = join(cache, 'train', v1);
    writeFileSync(join(dir, 'f'.repeat(64)), 'damaged');
    const of = (result: any) => result.versions.find((v: any) => v.hash === v1);
    const changed = of(logged());
    assert.deepEqual([changed.entries, changed.damagedEntries], [of(first).entries + 1, 1]);
    await sleep(2200);
    assert.deepEqual(of(logged()), changed);
    assert.equal(of(logged()).damagedEntries, 1, 'a version holding damage is read again, never answered');
    assert.deepEqual(
      logged().versions.filter((v: any) => v.hash !== v1),
      first.versions.filter((v: any) => v.hash !== v1),
    );
  });

  it('keeps its exit status and all of stdout when stderr\'s reader is gone before a warning', async () => {
    const cache = project.copyCache('closed-stderr');
    writeFileSync(join(cache, 'train', v1, 'f'.repeat(64)), 'damaged');
    const output = join(project.dir, 'closed-stderr.csv');
    // As in `funes export train 2>&1 | head -1`: stderr is a pipe no one reads any more.
    const stdout = openSync(output, 'w');
    const args = ['export', `train@${v1.slice(0, 8)}`, '--cache', 'closed-stderr'];
    const child = spawn(process.execPath, [FUNES_BIN, ...args], {
      cwd: project.dir,
      stdio: ['ignore', stdout, 'pipe'],
    });
    closeSync(stdout);
    child.stderr?.destroy();
    const [status] = await once(child, 'close');
    assert.equal(status, 0);
    const told = project.funes(['export', `train@${v1.slice(0, 8)}`, '--cache', 'closed-stderr']);
    assert.equal(told.stderr, 'warning: 1 damaged entry skipped; run `funes verify`\n');
    assert.equal(readFileSync(output, 'utf8'), told.stdout);
  });

  it('prints control characters of a name (a cache from elsewhere) as \\xNN, never for the terminal to act on', () => {
    const name = 'evil\x1b]0;owned\x07\x1b[2J\rtrain\x9b1m';
    project.compute('evil.mjs', `function evil(x) { return x; }, { name: ${JSON.stringify(name)} }`, [[1]], 'evil');
    for (const args of [['log', '--oneline'], ['du'], ['show', name], ['rm', name, '--dry-run']]) {
      const run = project.funes([...args, '--cache', 'evil']);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /evil\\x1b\]0;owned\\x07\\x1b\[2J\\x0dtrain\\x9b1m/, args.join(' '));
      assert.doesNotMatch(run.stdout, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/, args.join(' '));
    }
    const missing = project.funes(['show', 'evil\x1b[2J', '--cache', 'evil']);
    assert.match(missing.stderr, /^error: no function 'evil\\x1b\[2J'/);
    assert.equal(JSON.parse(project.funes(['log', '--json', '--cache', 'evil']).stdout).versions[0].function, name);
  });

  it('lists a version whose every call failed, which has nothing stored', () => {
    project.write(
      'always-fails.mjs',
      `import { memorious } from '@funes/core';\n` +
        `const fetchDay = memorious(function fetchDay(day) { throw new Error('network down'); });\n` +
        `for (const day of [1, 2]) { try { fetchDay(day); } catch {} }\n`,
    );
    const run = project.node(['always-fails.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'failing') });
    assert.equal(run.status, 0, run.stderr);
    const listed = project.funes(['log', '--cache', 'failing']);
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, /^version [0-9a-f]{64} {2}fetchDay {2}nothing stored: 2 points failed\n/);
    assert.match(listed.stdout, /\n {2}[0-9a-f]{12} 1 attempt, last on .*: Error: network down\n/);
    const { versions, failedWithoutEntries } = json(project.funes(['log', '--cache', 'failing', '--json']));
    assert.deepEqual(versions, []);
    assert.deepEqual(
      failedWithoutEntries.map((v: any) => [v.function, v.failed.length]),
      [['fetchDay', 2]],
    );
    const named = project.funes(['log', 'fetchDay', '--cache', 'failing', '--oneline']);
    assert.equal(named.status, 0, named.stderr);
    assert.match(named.stdout, /^[0-9a-f]{12} {2}fetchDay {2}nothing stored: 2 points failed\n$/);
    const spec = `fetchDay@${failedWithoutEntries[0].shortHash}`;
    const byHash = json(project.funes(['log', spec, '--cache', 'failing', '--json']));
    assert.deepEqual(byHash.failedWithoutEntries.map((v: any) => v.function), ['fetchDay']);
    // A version whose every call failed is one of the N versions `-n N` lists.
    const none = project.funes(['log', '-n', '0', '--cache', 'failing']);
    assert.equal(none.status, 0, none.stderr);
    assert.equal(none.stdout, '');
    const limited = (n: string) => json(project.funes(['log', '-n', n, '--cache', 'failing', '--json']));
    assert.deepEqual(limited('0').failedWithoutEntries, []);
    assert.equal(limited('1').failedWithoutEntries.length, 1);
    const typo = project.funes(['log', 'fetchDy', '--cache', 'failing']);
    assertFails(typo, 1, /no function 'fetchDy'.*\nhint: did you mean 'fetchDay'\?/);
  });

  it('finds the cache through --cache and FUNES_CACHE_DIR', () => {
    const elsewhere = { env: { FUNES_CACHE_DIR: join(project.dir, 'cache') } };
    assert.equal(json(project.funes(['--cache', 'cache', 'log', '--json'])).versions.length, 4);
    const run = project.funes(['log', '--json'], elsewhere);
    assert.equal(json(run).versions.length, 4);
  });

  it('rejects bad input with one line, a hint and the right exit code', () => {
    assertFails(project.funes(['log', 'trian']), 1, /no function 'trian' in the cache\nhint: did you mean 'train'\?/);
    assertFails(project.funes(['log', '--since', 'soon']), 2, /--since 'soon' is neither a duration nor a date/);
    assertFails(project.funes(['log', '-n', '-1']), 2, /-n must be a whole number/);
    assertFails(
      project.funes(['log', '--cache', 'nowhere']),
      1,
      /no cache directory at .*nowhere\nhint: run inside the project \(.*package\.json\), or pass --cache <dir>/,
    );
    assert.match(project.funes(['log', '--cache', 'nowhere']).stderr, /--cache <dir> or set FUNES_CACHE_DIR$/m);
    assertFails(project.funes(['log', '--cache', 'train.mjs']), 1, /train\.mjs is not a directory/);
    // `--cache $UNSET`: never the working directory taken for a cache.
    for (const args of [['gc', '--now', '--cache'], ['log', '--cache=']]) {
      assertFails(project.funes(args), 2, /^error: --cache needs a directory\nhint: e\.g\. --cache \.\/cache/);
    }
    assertFails(project.funes(['lgo']), 2, /'lgo' is not a funes command\nhint: did you mean 'funes log'/);
    assertFails(
      project.funes(['log', '--frobnicate']),
      2,
      joinedPattern(
        /^error: unknown option --frobnicate for funes log\n/,
        /hint: usage: funes log \[fn\.\.\] \[options\]; see `funes log --help`\n$/,
      ),
    );
    assertFails(project.funes([]), 2, /name a command/);
    const asJson = project.funes(['log', 'nope', '--json']);
    assert.equal(asJson.status, 1);
    assert.deepEqual(JSON.parse(asJson.stderr).error.code, 'ENOFUNCTION');
  });

  it("words the parser's complaints as its own errors, with a did-you-mean for options", () => {
    const cases: [string[], RegExp][] = [
      [['log', '--onelin'], /^error: unknown option --onelin for funes log\nhint: did you mean --oneline\?\n$/],
      [['gc', '--dryrun'], /^error: unknown option --dryrun for funes gc\nhint: did you mean --dry-run\?\n$/],
      [
        ['--cache', 'cache', 'export', 'train', '--fromat', 'csv'],
        /^error: unknown option --fromat for funes export\nhint: did you mean --format\?\n$/,
      ],
      [
        ['show'],
        joinedPattern(
          /^error: funes show needs <fn>\n/,
          /hint: usage: funes show <fn> \[argument\] \[options\]; see `funes show --help`\n$/,
        ),
      ],
      [['gc', 'train'], /^error: unexpected argument 'train'\nhint: usage: funes gc \[options\]/],
      [['export', 'train', '--format'], /^error: --format needs a value\nhint: choose one of csv, jsonl, json\n$/],
      [
        ['unpack', 'x.tar.gz', '--list', '--verify'],
        /^error: --list and --verify cannot be used together\nhint: pass one of them\n$/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = project.funes(args, { env: { LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' } });
      assertFails(run, 2, message);
      assert.doesNotMatch(run.stderr, /Unknown argument|non-option|Invalid values|Unbekannt/);
    }
    const asJson = project.funes(['log', '--onelin', '--json']);
    assert.equal(asJson.status, 2);
    assert.deepEqual(JSON.parse(asJson.stderr), {
      error: { code: 'EUSAGE', message: 'unknown option --onelin for funes log', hint: 'did you mean --oneline?' },
    });
  });

  it(
    'reports an unreadable cache directory',
    { skip: process.getuid?.() === 0 && 'root reads every directory' },
    () => {
      const locked = project.copyCache('locked');
      chmodSync(locked, 0o000);
      try {
        assertFails(project.funes(['log', '--cache', 'locked']), 1, /cannot read the cache directory .*EACCES/);
      } finally {
        chmodSync(locked, 0o755);
      }
    },
  );
});

describe('funes show', () => {
  it("shows the newest version's source, dependencies and entries", () => {
    const text = project.funes(['show', 'train@' + v2.slice(0, 6)]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^version ${v2}\\nFunction: train  train\\.mjs\\n`));
    assert.match(text.stdout, /Source:\n    function train\(lr, epochs = 4\) \{\n      return/);
    assert.match(text.stdout, /Dependencies \(\d+\):\n    function  train/);
    assert.match(text.stdout, /Entries \(2 entries\):\n    ARGUMENT\s+WRITTEN\s+TIME\s+INPUT\s+OUTPUT\n/);
    assert.match(text.stdout, /\{ lr: 0\.1, epochs: 4 \}\s+\{ loss: 0\.4, acc: 0\.95 \}/);

    const result = json(project.funes(['show', 'train', '--json']));
    assert.equal(result.hash, lab, 'a bare name means its newest version');
    const mine = json(project.funes(['show', `train@${v2.slice(0, 8)}`, '--json', '-n', '1']));
    assert.equal(mine.metadata.source, TRAIN_V2);
    assert.equal(mine.metadata.module, 'train.mjs');
    assert.equal(mine.total, 2);
    assert.equal(mine.entries.length, 1);
    assert.deepEqual(Object.keys(mine.entries[0].input), ['lr', 'epochs']);
  });

  it('shows one entry in full by argument hash prefix, as text and JSON', () => {
    const listing = json(project.funes(['show', 'square', '--json']));
    const entry = listing.entries.find((e: any) => e.input.x === 3);
    const full = json(project.funes(['show', 'square', entry.argumentHash.slice(0, 10), '--json']));
    assert.equal(full.entry.argumentHash, entry.argumentHash);
    assert.deepEqual(full.entry.output, { x: 3, sq: 9 });
    assert.equal(full.entry.async, true);
    assert.match(full.entry.node, /^v\d+/);
    const text = project.funes(['show', 'square', entry.argumentHash.slice(0, 10)]);
    assert.match(text.stdout, new RegExp(`^entry ${entry.argumentHash}\\nVersion:  square@`));
    assert.match(text.stdout, /Output:\n    Map\(2\) \{ 'x' => 3, 'sq' => 9 \}/);
    assertFails(project.funes(['show', 'square', 'ffffffff']), 1, /no entry ffffffff in square@/);
    assertFails(project.funes(['show', 'square', 'xyz!']), 2, /not an argument hash prefix/);
  });

  it('tells apart entries of one input computed under two configurations, in show and export', () => {
    project.write(
      'scaled.mjs',
      "import { memorious } from '@funes/core';\n" +
        'const scaled = memorious(function scaled(x) { return x * Number(process.env.SCALE); });\n' +
        'scaled(2);\n',
    );
    const cache = join(project.dir, 'scaled-cache');
    for (const SCALE of ['1', '2']) {
      assert.equal(project.node(['scaled.mjs'], { SCALE, FUNES_CACHE_DIR: cache }).status, 0);
    }
    const listing = json(project.funes(['show', 'scaled', '--cache', 'scaled-cache', '--json']));
    const hashes = listing.entries.map((e: any) => e.argumentHash.slice(0, 10));
    const shown = (h: string) => json(project.funes(['show', 'scaled', h, '--cache', 'scaled-cache', '--json']));
    const [one, two] = hashes.map(shown);
    assert.deepEqual([one.entry.input, two.entry.input], [{ x: 2 }, { x: 2 }]);
    assert.notEqual(one.entry.configuration['environment:SCALE'], two.entry.configuration['environment:SCALE']);
    assert.match(
      project.funes(['show', 'scaled', hashes[0], '--cache', 'scaled-cache']).stdout,
      /\nRead \(what each saw, hashed\):\n    environment:SCALE  [0-9a-f]{12}\n/,
    );
    const exported = project.funes(['export', 'scaled', '--cache', 'scaled-cache', '-f', 'jsonl']);
    const rows = exported.stdout.trim().split('\n');
    const scales = rows.map((line) => JSON.parse(line)['environment:SCALE']);
    assert.equal(new Set(scales).size, 2, 'the two rows differ in the read that made their outputs differ');
  });

  it('lists a version of large results with their inputs without reading their outputs, ' +
      'and shows one in full by its hash', () => {
    // Random floats do not compress: 9.2 MiB stored.
    project.compute(
      'big.mjs',
      'function big(n) { return n > 3 ? Float64Array.from({ length: n }, ' +
          'Math.random) : new Float64Array(n).fill(0.5); }',
      [[1_200_000], [3]],
      'big-cache',
    );
    const listing = json(project.funes(['show', 'big', '--cache', 'big-cache', '--json']));
    const [large, small] = [...listing.entries].sort((a: any, b: any) => b.bytes - a.bytes);
    assert.equal(large.previewed, false);
    assert.deepEqual(large.input, { n: 1_200_000 });
    assert.ok(!('output' in large));
    assert.ok(large.time >= 0 && typeof large.host === 'string');
    assert.deepEqual([small.previewed, small.output], [true, [0.5, 0.5, 0.5]]);
    assert.match(
      project.funes(['show', 'big', '--cache', 'big-cache']).stdout,
      /\{ n: 1200000 \}\s+9\.\d+ MiB: show it by its argument hash/,
    );
    const full = json(project.funes(['show', 'big', large.argumentHash.slice(0, 8), '--cache', 'big-cache', '--json']));
    assert.equal(full.entry.output.length, 1_200_000);
  });

  it('names versions by any unambiguous prefix and explains ambiguity', () => {
    assert.equal(json(project.funes(['show', v1.slice(0, 7), '--json'])).hash, v1, 'a bare hash prefix');
    assertFails(project.funes(['show', 'train@12']), 2, /hash prefix '12' is too short/);
    assertFails(project.funes(['show', 'train@0000000']), 1, /no version 0000000 of 'train'/);
    // A second version directory sharing v1's first 10 digits makes that prefix ambiguous.
    const cache = project.copyCache('twins');
    const twin = `${v1.slice(0, 10)}${'0'.repeat(54)}`;
    const twinDir = join(cache, 'train', twin);
    cpDir(join(cache, 'train', v1), twinDir);
    const metadata = JSON.parse(readFileSync(join(twinDir, 'definition.json'), 'utf8'));
    writeFileSync(join(twinDir, 'definition.json'), JSON.stringify({ ...metadata, definitionHash: twin }));
    assertFails(
      project.funes(['show', `train@${v1.slice(0, 8)}`, '--cache', 'twins']),
      1,
      /hash prefix .* is ambiguous: .*\nhint: give more hex digits/,
    );
  });

  it('reports a definition.json nested too deep to print as damaged, with its code and a hint', () => {
    const cache = project.copyCache('deep-meta');
    const file = join(cache, 'train', v1, 'definition.json');
    const metadata = { ...JSON.parse(readFileSync(file, 'utf8')), later: 'DEEP' };
    writeFileSync(file, JSON.stringify(metadata).replace('"DEEP"', '['.repeat(200_000) + ']'.repeat(200_000)));
    for (const options of [[], ['--json']]) {
      const run = project.funes(['show', `train@${v1.slice(0, 8)}`, '--cache', 'deep-meta', ...options]);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /definition\.json is damaged \(nested deeper than 100 levels\)/);
      assert.match(run.stderr, options.length ? /"code":"EMETADATA"/ : /\nhint: run `funes verify`/);
    }
    assert.match(project.funes(['verify', '--cache', 'deep-meta']).stdout, /damaged definition\.json train@.*nested/);
  });

  it('reports a damaged definition.json in one line with a hint', () => {
    const cache = project.copyCache('broken-meta');
    writeFileSync(join(cache, 'train', v1, 'definition.json'), '{"name": "train", "defin');
    assertFails(
      project.funes(['show', `train@${v1.slice(0, 8)}`, '--cache', 'broken-meta']),
      1,
      /definition\.json is damaged \(not valid JSON\)\nhint: run `funes verify`/,
    );
    const logged = json(project.funes(['log', '--cache', 'broken-meta', '--json'])).versions.find(
      (v: any) => v.hash === v1,
    );
    assert.equal(logged.metadata, 'damaged');
    const verify = project.funes(['verify', '--cache', 'broken-meta']);
    assert.equal(verify.status, 1);
    assert.match(verify.stdout, /damaged definition\.json train@.*not valid JSON/);
    assert.equal(project.funes(['verify', '--fix', '--cache', 'broken-meta']).status, 0);
    assert.equal(
      existsSync(join(cache, 'train', v1, 'definition.json')),
      false,
      'memorious writes it again at the next store',
    );
    assertFails(
      project.funes(['show', `train@${v1.slice(0, 8)}`, '--cache', 'broken-meta']),
      1,
      /train@\w+ has no definition\.json/,
    );
  });
});

function cpDir(from: string, to: string): void {
  const run = project.node([
    '-e',
    `require('node:fs').cpSync(${JSON.stringify(from)}, ${JSON.stringify(to)}, { recursive: true })`,
  ]);
  assert.equal(run.status, 0, run.stderr);
}

describe('funes diff', () => {
  it('diffs the two newest versions of the same function as a unified diff', () => {
    const text = project.funes(['diff', 'train', v1.slice(0, 8)]);
    assert.equal(text.status, 0, text.stderr);
    // Against the current version of its own module (train.mjs), not lab/train.mjs's train, used last.
    assert.match(text.stdout, new RegExp(`^diff train@${v1.slice(0, 12)} train@${v2.slice(0, 12)}\n`));
    const same = project.funes(['diff', 'train', v1.slice(0, 8), v2.slice(0, 8)]);
    assert.match(
      same.stdout,
      joinedPattern(
        /--- a\/source\n\+\+\+ b\/source\n@@ -1 \+1,3 @@\n/,
        /-function train\(lr, epochs = 3\) \{ return \{ loss: lr \* epochs, acc: 0\.9 \}; \}\n/,
        /\+function train\(lr, epochs = 4\) \{\n\+  return/,
      ),
    );
    assert.match(same.stdout, /--- a\/dependencies\n\+\+\+ b\/dependencies\n@@ .* @@\n-function train/);
    const result = json(project.funes(['diff', 'train', v1.slice(0, 8), v2.slice(0, 8), '--json']));
    assert.equal(result.from.hash, v1);
    assert.equal(result.to.hash, v2);
    assert.equal(result.identical, false);
    assert.deepEqual(result.files.map((f: any) => f.path), ['source', 'dependencies']);
    assert.deepEqual(result.dependencies.changed.map((d: any) => d.name), ['train']);
  });

  it('says when there is nothing to compare', () => {
    assertFails(project.funes(['diff', 'square']), 1, /square@\w+ is the only version of 'square'/);
  });

  it("compares one version named by its hash (train@<hash>, or the hash alone) with its function's current one", () => {
    for (const spec of [`train@${v1.slice(0, 8)}`, v1.slice(0, 8)]) {
      const result = json(project.funes(['diff', spec, '--json']));
      assert.deepEqual([result.from.hash, result.to.hash, result.to.module], [v1, v2, 'train.mjs'], spec);
    }
    const [squareHash] = readdirSync(join(project.dir, 'cache', 'square'));
    assertFails(project.funes(['diff', squareHash.slice(0, 8)]), 1, /square@\w+ is the only version of 'square'$/m);
  });

  it('compares a version named by its hash with the one a second hash names, as train <hashA> <hashB> does', () => {
    for (const spec of [`train@${v2.slice(0, 8)}`, v2.slice(0, 8)]) {
      const result = json(project.funes(['diff', spec, v1.slice(0, 8), '--json']));
      assert.deepEqual([result.from.hash, result.to.hash], [v2, v1], spec);
    }
    assertFails(
      project.funes(['diff', `train@${v2.slice(0, 8)}`, v1.slice(0, 8), lab.slice(0, 8)]),
      2,
      /^error: funes diff compares two versions: train@\w+ names one, and \w+ and \w+ two more\nhint: e\.g\. /,
    );
  });
});

describe('funes verify', () => {
  it('--fix removes a directory, a FIFO and a sparse gigabyte at object paths, ' +
      'judged without reading them whole', () => {
    const cache = project.copyCache('odd-objects');
    const dir = join(cache, 'train', v1);
    const [object] = readdirSync(dir).filter((name) => /^[0-9a-f]{64}$/.test(name));
    const sparse = join(dir, 'a'.repeat(64));
    copyFileSync(join(dir, object), sparse);
    truncateSync(sparse, 2 ** 30);
    mkdirSync(join(dir, 'b'.repeat(64)));
    const hasFifo = spawnSync('mkfifo', [join(dir, 'c'.repeat(64))]).status === 0;
    const found = project.funes(['verify', '--cache', 'odd-objects', '--json']);
    assert.equal(found.status, 1);
    assert.equal(
      JSON.parse(found.stdout).problems.filter((p: any) => p.kind === 'damaged-object').length,
      hasFifo ? 3 : 2,
    );
    const fixed = json(project.funes(['verify', '--fix', '--cache', 'odd-objects', '--json']));
    assert.equal(fixed.ok, true);
    assert.ok(fixed.problems.every((p: any) => p.fixed));
    assert.equal(project.funes(['verify', '--cache', 'odd-objects']).status, 0, 'clean, and the rest kept');
    assert.ok(existsSync(join(dir, object)));
  });

  it('reports a version whose definition.json is missing, and one directory it ' +
      'cannot read while checking the rest', () => {
    const cache = project.copyCache('no-metadata');
    rmSync(join(cache, 'train', v1, 'definition.json'));
    const run = project.funes(['verify', '--cache', 'no-metadata', '--json']);
    assert.equal(run.status, 1);
    const result = JSON.parse(run.stdout);
    assert.deepEqual(
      result.problems.map((p: any) => [p.kind, p.hash, p.fixed]),
      [['missing-metadata', v1, false]],
    );
    assert.equal(result.objects, 8, 'every object still checked');
    assert.match(
      project.funes(['verify', '--cache', 'no-metadata']).stdout,
      /no definition\.json train@.*\n.*\n.*next call writes its definition\.json again/,
    );
    const log = json(project.funes(['log', 'train', '--cache', 'no-metadata', '--json'])).versions.find(
      (v: any) => v.hash === v1,
    );
    assert.deepEqual([log.metadata, log.current], ['missing', false]);
    if (process.getuid?.() === 0) return; // root reads every directory
    chmodSync(join(cache, 'train', v2), 0o000);
    try {
      const locked = JSON.parse(project.funes(['verify', '--cache', 'no-metadata', '--json']).stdout);
      assert.ok(locked.problems.some((p: any) => p.kind === 'unreadable-version' && p.hash === v2));
      assert.equal(
        project.funes(['gc', '--now', '--cache', 'no-metadata']).status,
        1,
        'gc reports it and collects the rest',
      );
    } finally {
      chmodSync(join(cache, 'train', v2), 0o755);
    }
  });

  it('passes a sound cache', () => {
    const run = project.funes(['verify']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^checked 8 objects in 4 versions: all ok\n$/);
    const result = json(project.funes(['verify', '--json']));
    assert.deepEqual(
      { objects: result.objects, versions: result.versions, ok: result.ok, problems: result.problems },
      { objects: 8, versions: 4, ok: true, problems: [] },
    );
    assert.equal(project.funes(['verify', '-q']).stdout, '');
  });

  it('finds damaged objects, exits 1, and removes them with --fix', () => {
    const cache = project.copyCache('damaged');
    const victim = readdirSync(join(cache, 'train', v1)).find((name) => /^[0-9a-f]{64}$/.test(name))!;
    const file = join(cache, 'train', v1, victim);
    const bytes = readFileSync(file);
    // The last byte of the output section (docs/format.md: format 2 stores it from byte 176, its stored size at 152).
    bytes[176 + Number(bytes.readBigUInt64LE(152)) - 1] ^= 0xff;
    writeFileSync(file, bytes);
    const found = project.funes(['verify', '--cache', 'damaged']);
    assert.equal(found.status, 1);
    assert.match(found.stdout, new RegExp(`damaged object train@${v1.slice(0, 12)} .*${victim}: checksum mismatch\\n`));
    assert.match(found.stdout, /checked 8 objects in 4 versions: 1 problem\nrun `funes verify --fix`/);
    const asJson = project.funes(['verify', '--cache', 'damaged', '--json']);
    assert.equal(asJson.status, 1);
    assert.deepEqual(JSON.parse(asJson.stdout).problems, [
      { kind: 'damaged-object', function: 'train', hash: v1, file, reason: 'checksum mismatch', fixed: false },
    ]);
    assert.equal(
      project.funes(['verify', 'square', '--cache', 'damaged']).status,
      0,
      'only the named function is checked',
    );
    // log reads records' metadata, not their outputs: a flipped output byte is for verify to find.
    const logged = json(project.funes(['log', `train@${v1.slice(0, 8)}`, '--json', '--cache', 'damaged'])).versions[0];
    assert.equal(logged.damagedEntries, 0);
    const fixed = project.funes(['verify', '--fix', '--cache', 'damaged']);
    assert.equal(fixed.status, 0);
    assert.match(fixed.stdout, /\(removed\)\n.*removed 1 damaged file/);
    assert.equal(existsSync(file), false);
    assert.equal(project.funes(['verify', '--cache', 'damaged']).status, 0);
  });
});

describe('funes gc', () => {
  it('keeps the current version per function (name and module) and, past the grace period, removes the others', () => {
    project.copyCache('gc');
    assert.match(
      project.funes(['gc', '--cache', 'gc']).stdout,
      /^nothing to remove\n/,
      'every version was used within the hour',
    );
    const dry = project.funes(['gc', '--now', '--dry-run', '--cache', 'gc']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(
      dry.stdout,
      new RegExp(
        `^would remove  train@${v1.slice(0, 12)}  train\\.mjs  3 entries\\s+[\\d.]+ \\S+ on disk  not the current ` +
            `version\\nwould free .* of disk; the cache would use `,
      ),
    );
    assert.equal(versionDirs('gc', 'train').length, 3, 'a dry run removes nothing');
    const result = json(project.funes(['gc', '--now', '--cache', 'gc', '--json']));
    assert.deepEqual(result.removedVersions.map((v: any) => [v.hash, v.reason, v.entries]), [[v1, 'superseded', 3]]);
    assert.equal(result.dryRun, false);
    assert.ok(result.before.diskBytes > result.after.diskBytes && result.before.bytes > result.after.bytes);
    assert.deepEqual(versionDirs('gc', 'train').sort(), [v2, lab].sort());
    assert.match(project.funes(['gc', '--now', '--cache', 'gc']).stdout, /^nothing to remove\nfreed 0 bytes of disk/);
  });

  it('never removes a directory holding files Funes does not write: a --cache pointed at another tool\'s store', () => {
    // Another tool's content-addressed store: <name>/<64 hex>/model.bin looks like function versions.
    const store = join(project.dir, 'models-store');
    const folders = ['a', 'b', 'c'].map((seed) => createHash('sha256').update(seed).digest('hex'));
    for (const folder of folders) {
      mkdirSync(join(store, 'models', folder), { recursive: true });
      writeFileSync(join(store, 'models', folder, 'model.bin'), `weights ${folder}`);
    }
    const collected = project.funes(['gc', '--now', '--cache', store, '--json']);
    assert.equal(collected.status, 1, collected.stderr);
    const result = JSON.parse(collected.stdout);
    assert.deepEqual(result.removedVersions, []);
    assert.deepEqual(result.problems.map((p: any) => p.code), ['EFOREIGN', 'EFOREIGN', 'EFOREIGN']);
    assert.match(result.problems[0].why, /holds "model\.bin", which Funes never writes .* point --cache/);
    const fixed = project.funes(['verify', '--fix', '--cache', store]);
    assert.equal(fixed.status, 1, fixed.stderr);
    assert.match(fixed.stdout + fixed.stderr, /could not remove it \(EFOREIGN\)/);
    assert.match(fixed.stdout + fixed.stderr, /what --fix could not remove stays: each line says why/);
    assert.doesNotMatch(fixed.stdout + fixed.stderr, /run `funes verify --fix`/);
    for (const folder of folders) {
      assert.equal(readFileSync(join(store, 'models', folder, 'model.bin'), 'utf8'), `weights ${folder}`);
    }
    // What a desktop leaves in a folder it showed is no one's data: such a version still goes.
    const shown = join(store, 'models', folders[0]!);
    rmSync(join(shown, 'model.bin'));
    writeFileSync(join(shown, '.DS_Store'), '');
    const again = JSON.parse(project.funes(['gc', '--now', '--cache', store, '--json']).stdout);
    assert.deepEqual(again.removedVersions.map((v: any) => v.hash), [folders[0]]);
    assert.equal(again.problems.length, 2, 'the other two still hold model.bin');

    // A store whose files are named by SHA-256 too: verify --fix finds them damaged and still removes none.
    const blobs = join(project.dir, 'blob-store');
    const blob = join(blobs, 'blobs', folders[1]!, folders[2]!);
    mkdirSync(dirname(blob), { recursive: true });
    writeFileSync(blob, 'raw bytes');
    writeFileSync(join(dirname(blob), 'index.txt'), 'an index');
    const checked = project.funes(['verify', '--fix', '--cache', blobs, '--json']);
    assert.equal(checked.status, 1, checked.stderr);
    const damaged = JSON.parse(checked.stdout).problems.find((p: any) => p.kind === 'damaged-object');
    assert.deepEqual([damaged.fixed, damaged.fixRefused], [false, 'EFOREIGN']);
    assert.equal(readFileSync(blob, 'utf8'), 'raw bytes');

    // Folders named by SHA-256 two deep: what a folder at an object's path holds is not Funes' either.
    const nested = join(project.dir, 'nested-store');
    const kept = join(nested, 'runs', folders[1]!, folders[2]!, 'result.csv');
    mkdirSync(dirname(kept), { recursive: true });
    writeFileSync(kept, 'a,b');
    mkdirSync(join(nested, 'runs', folders[0]!, folders[2]!), { recursive: true });
    const swept = project.funes(['gc', '--now', '--cache', nested, '--json']);
    assert.equal(swept.status, 1, swept.stderr);
    const sweep = JSON.parse(swept.stdout);
    assert.deepEqual(sweep.removedVersions.map((v: any) => v.hash), [folders[0]], 'an empty folder is no one\'s');
    assert.match(sweep.problems[0].why, new RegExp(`holds "${folders[2]}/result\\.csv", which Funes never writes`));
    const quiet = project.funes(['gc', '--now', '-q', '--cache', nested]);
    assert.equal(quiet.status, 1, quiet.stderr);
    assert.match(quiet.stdout, /skipped .*: EFOREIGN\n/, 'what stays is printed even with --quiet');
    const removed = project.funes(['rm', '--force', '--cache', nested, 'runs']);
    assert.equal(removed.status, 1, removed.stderr);
    assert.match(removed.stdout, /skipped .*: EFOREIGN\n.* holds "[0-9a-f]{64}\/result\.csv"/);
    assert.equal(readFileSync(kept, 'utf8'), 'a,b');
  });

  it('removes only the leftovers of its own killed removals, and none holding files Funes does not write', () => {
    // A folder taken for a cache by mistake, with files and folders whose names begin as a leftover's do.
    const work = join(project.dir, 'work-folder');
    const hash = 'a'.repeat(64);
    const mine = {
      drafts: join(work, 'docs', '.removing-drafts', 'thesis.txt'),
      list: join(work, 'docs', '.removing-list.md'),
      named: join(work, 'docs', `.removing-${hash}-0123abcd`, 'notes.txt'),
    };
    for (const file of Object.values(mine)) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, 'mine');
    }
    // And what a gc killed after renaming a version away leaves.
    const leftover = join(work, 'train', `.removing-${hash}-deadbeef`);
    mkdirSync(leftover, { recursive: true });
    writeFileSync(join(leftover, 'definition.json'), '{}');
    writeFileSync(join(leftover, 'b'.repeat(64)), 'an object');
    // Counted, in a dry run as in the real one: what it holds is disk the collection frees.
    const plan = project.funes(['gc', '--now', '--dry-run', '--cache', work, '--json']);
    assert.equal(plan.status, 1, plan.stderr);
    const planned = JSON.parse(plan.stdout);
    assert.deepEqual([planned.removedLeftovers.count, planned.removedLeftovers.bytes], [1, 11]);
    assert.ok(planned.before.diskBytes - planned.after.diskBytes >= planned.removedLeftovers.diskBytes);
    assert.match(
      project.funes(['gc', '--now', '--dry-run', '--cache', work]).stdout,
      /^would remove 1 directory left by interrupted removals \([^)]+ on disk\)$/m,
    );
    assert.ok(existsSync(leftover), 'a dry run removes nothing');
    const swept = project.funes(['gc', '--now', '--cache', work, '--json']);
    assert.equal(swept.status, 1, swept.stderr);
    const { problems, removedLeftovers } = JSON.parse(swept.stdout);
    assert.deepEqual([removedLeftovers.count, removedLeftovers.bytes], [1, 11]);
    assert.deepEqual(problems.map((p: any) => [p.dir, p.code]), [[join(work, 'docs'), 'EFOREIGN']]);
    assert.match(problems[0].why, /-0123abcd holds "notes\.txt", which Funes never writes/);
    for (const file of Object.values(mine)) assert.equal(readFileSync(file, 'utf8'), 'mine');
    assert.equal(existsSync(join(work, 'train')), false, 'the leftover went, and its emptied function folder');
  });

  it("leaves another gc's removal in flight alone, and still removes what killed removals left", async () => {
    const cache = join(project.dir, 'in-flight');
    const hash = 'c'.repeat(64);
    // A gc that renamed a version away and is still looking at it: its pid is in the name, and it runs.
    const running = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await once(running, 'spawn');
    // One killed after its rename: its process is gone. And one named before names carried a pid.
    const killed = spawnSync(process.execPath, ['-e', '']).pid;
    const dirs = {
      inFlight: join(cache, 'train', `.removing-${hash}-${running.pid}-0a1b2c3d`),
      killed: join(cache, 'train', `.removing-${hash}-${killed}-4e5f6a7b`),
      unnamed: join(cache, 'train', `.removing-${hash}-8c9d0e1f`),
    };
    for (const dir of Object.values(dirs)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'd'.repeat(64)), 'an object');
    }
    try {
      const planned = json(project.funes(['gc', '--now', '--dry-run', '--cache', cache, '--json']));
      assert.equal(planned.removedLeftovers.count, 2, 'a dry run counts only leftovers');
      const swept = json(project.funes(['gc', '--now', '--cache', cache, '--json']));
      assert.equal(swept.removedLeftovers.count, 2);
      assert.deepEqual(readdirSync(join(cache, 'train')), [basename(dirs.inFlight)], 'the removal in flight stays');
    } finally {
      running.kill('SIGKILL');
    }
    await once(running, 'exit');
    // Its process gone, it is a leftover like the others.
    assert.equal(json(project.funes(['gc', '--now', '--cache', cache, '--json'])).removedLeftovers.count, 1);
    assert.equal(existsSync(join(cache, 'train')), false);
  });

  it('honours --keep and --unused-for, by last use, whatever definition.json says', () => {
    project.copyCache('gc-keep');
    assert.equal(
      json(project.funes(['gc', '--keep', '2', '--now', '--cache', 'gc-keep', '--json'])).removedVersions.length,
      0,
    );
    assert.equal(
      json(project.funes(['gc', '--unused-for', '30d', '--cache', 'gc-keep', '--json'])).removedVersions.length,
      0,
      'v1 was used just now',
    );
    const old = Date.now() / 1000 - 40 * 86_400;
    const v1Dir = join(project.dir, 'gc-keep', 'train', v1);
    for (const name of readdirSync(v1Dir)) utimesSync(join(v1Dir, name), old, old);
    utimesSync(v1Dir, old, old);
    const metadataFile = join(v1Dir, 'definition.json');
    writeFileSync(
      metadataFile,
      JSON.stringify({ ...JSON.parse(readFileSync(metadataFile, 'utf8')), createdAt: '2999-01-01T00:00:00.000Z' }),
    );
    utimesSync(metadataFile, old, old);
    utimesSync(v1Dir, old, old);
    assert.deepEqual(
      json(project.funes(['gc', '--unused-for', '30d', '--cache', 'gc-keep', '--json'])).removedVersions.map(
        (v: any) => v.hash,
      ),
      [v1],
      'a future createdAt does not make a version current',
    );
  });

  it('removes temp files of crashed writes after the grace period, never those of live writers', () => {
    const cache = project.copyCache('gc-temp');
    const dir = join(cache, 'train', v2);
    const hourAgo = Date.now() / 1000 - 2 * 3600;
    const crashed = join(dir, '.tmp-999999999-0badc0ffee00');
    const live = join(dir, `.tmp-${process.pid}-0123456789ab`);
    const fresh = join(dir, '.tmp-999999998-0123456789ab');
    for (const file of [crashed, live, fresh]) writeFileSync(file, 'partial');
    utimesSync(crashed, hourAgo, hourAgo);
    utimesSync(live, hourAgo, hourAgo);
    const result = json(project.funes(['gc', '--cache', 'gc-temp', '--json']));
    assert.deepEqual(result.removedTempFiles, { count: 1, bytes: 7 });
    assert.deepEqual([existsSync(crashed), existsSync(live), existsSync(fresh)], [false, true, true]);
    assert.match(
      project.funes(['gc', '--cache', 'gc-temp', '--temp-grace', '0s', '--dry-run']).stdout,
      /would remove 1 temp file left by interrupted writes \(7 bytes\)/,
    );
  });

  it('finds and removes a version directory left empty (no object, no definition.json) by a killed process', () => {
    const cache = project.copyCache('gc-empty');
    const empty = join(cache, 'train', 'ef'.repeat(32));
    mkdirSync(empty);
    const found = project.funes(['verify', '--cache', 'gc-empty']);
    assert.equal(found.status, 1);
    assert.match(found.stdout, /^empty version train@efefefefefef .*: holds no object and no definition\.json\n/);
    assert.match(found.stdout, /\n.*1 problem\nrun `funes verify --fix` to remove empty versions/);
    assert.deepEqual(json(project.funes(['gc', '--cache', 'gc-empty', '--json'])).removedVersions, [], 'just made');
    const hoursAgo = Date.now() / 1000 - 2 * 3600;
    utimesSync(empty, hoursAgo, hoursAgo);
    const dry = project.funes(['gc', '--dry-run', '--keep', '9', '--cache', 'gc-empty']);
    assert.match(dry.stdout, /^would remove {2}train@efefefefefef .*empty: no object and no valid definition\.json\n/);
    const result = json(project.funes(['gc', '--keep', '9', '--cache', 'gc-empty', '--json']));
    assert.deepEqual(
      result.removedVersions.map((v: any) => [v.hash, v.reason, v.entries]),
      [['ef'.repeat(32), 'empty', 0]],
    );
    assert.equal(existsSync(empty), false);
    mkdirSync(empty);
    const fixed = project.funes(['verify', '--fix', '--cache', 'gc-empty']);
    assert.equal(fixed.status, 0, fixed.stdout);
    assert.match(fixed.stdout, /\(removed\)\n.*removed 1 empty version/);
    assert.equal(existsSync(empty), false);
    assert.equal(project.funes(['verify', '--cache', 'gc-empty']).status, 0);
  });

  it('removes least recently used versions to fit --max-size, measured on disk', () => {
    project.copyCache('gc-size');
    const before = json(project.funes(['du', '--cache', 'gc-size', '--json'])).diskBytes;
    const result = json(
      project.funes(['gc', '--keep', '9', '--now', '--max-size', String(before - 1), '--cache', 'gc-size', '--json']),
    );
    assert.deepEqual(
      result.removedVersions.map((v: any) => [v.hash, v.reason]),
      [[v1, 'max-size']],
      'v1 was used least recently',
    );
    assert.ok(result.after.diskBytes <= before - 1);
    assert.equal(json(project.funes(['du', '--cache', 'gc-size', '--json'])).diskBytes, result.after.diskBytes);
    const kept = project.funes(['gc', '--max-size', '0', '--cache', 'gc-size', '--json']);
    assert.equal(json(kept).removedVersions.length, 0, 'nothing used within the grace period goes');
    assert.match(
      kept.stderr,
      joinedPattern(
        /^warning: the cache still holds .*, over --max-size 0 bytes: /,
        /versions used or written within the last 1h stay \(--now lets them go\)\n$/,
      ),
    );
    const fits = project.funes(['gc', '--max-size', '1TB', '--cache', 'gc-size']);
    assert.equal(fits.stderr, '', 'no warning when the cache fits');
    const everything = json(project.funes(['gc', '--max-size', '0', '--now', '--cache', 'gc-size', '--json']));
    assert.equal(everything.after.diskBytes, 0);
    assert.deepEqual(
      readdirSync(join(project.dir, 'gc-size')),
      ['.gitignore'],
      'emptied versions and functions go too; the .gitignore Funes made stays',
    );
  });

  it('rejects malformed sizes and durations', () => {
    assertFails(
      project.funes(['gc', '--max-size', '10 parsecs']),
      2,
      /--max-size '10 parsecs' is not a size\nhint: .*10GB/,
    );
    assertFails(project.funes(['gc', '--unused-for', 'a while']), 2, /--unused-for 'a while' is not a duration/);
    assertFails(project.funes(['gc', '--keep', '1.5']), 2, /--keep must be a whole number/);
    assertFails(
      project.funes(['gc', '--now', '--unused-for', '1d']),
      2,
      /--now and --unused-for both set the grace period/,
    );
  });
});

describe('funes du', () => {
  it('sizes every function and version, largest first, with a total', () => {
    const result = json(project.funes(['du', '--json']));
    assert.equal(result.entries, 8);
    assert.equal(result.bytes, result.functions.reduce((sum: number, f: any) => sum + f.bytes, 0));
    const train = result.functions.find((f: any) => f.function === 'train' && f.module === 'train.mjs');
    assert.equal(result.diskBytes, result.functions.reduce((sum: number, f: any) => sum + f.diskBytes, 0));
    assert.deepEqual(train.versions.map((v: any) => [v.hash, v.entries, v.current]), [
      [v1, 3, false],
      [v2, 2, true],
    ]);
    assert.equal(train.bytes, train.versions[0].bytes + train.versions[1].bytes);
    const text = project.funes(['du']);
    assert.match(text.stdout, /^\s+DISK\s+BYTES\s+ENTRIES\s+FUNCTION \/ VERSION\n/);
    assert.match(text.stdout, new RegExp(`\\d+ (bytes|KiB)\\s+2\\s+ ${v2.slice(0, 12)}  current\\n`));
    assert.match(text.stdout, /\s+8\s+total\n$/);
    assert.deepEqual(result.leftovers, { count: 0, bytes: 0, diskBytes: 0 });
  });

  it('counts what a killed removal left in the whole cache\'s total, as du -s does', () => {
    const cache = project.copyCache('du-leftover');
    const before = json(project.funes(['du', '--cache', cache, '--json']));
    // A gc killed once it had renamed v1 away: v1's files are still on disk, under another name.
    renameSync(join(cache, 'train', v1), join(cache, 'train', `.removing-${v1}-4d2a9c1e`));
    const after = json(project.funes(['du', '--cache', cache, '--json']));
    const v1Size = before.functions.flatMap((f: any) => f.versions).find((v: any) => v.hash === v1);
    assert.deepEqual(after.leftovers, { count: 1, bytes: v1Size.bytes, diskBytes: v1Size.diskBytes });
    assert.deepEqual([after.bytes, after.diskBytes], [before.bytes, before.diskBytes], 'the same files, still counted');
    assert.equal(after.entries, before.entries - 3, 'entries are those of versions');
    assert.match(
      project.funes(['du', '--cache', cache]).stdout,
      /\n\s*\S+ \S+\s+\S+ \S+\s+1 directory left by interrupted removals \(funes gc removes them\)\n.*total\n$/,
    );
    // Measuring some functions measures their versions alone.
    assert.equal(json(project.funes(['du', 'train', '--cache', cache, '--json'])).leftovers.count, 0);
  });
});

describe('funes export', () => {
  it('writes CSV with inputs and flattened outputs as columns', () => {
    const run = project.funes(['export', `train@${v1.slice(0, 8)}`]);
    assert.equal(run.status, 0, run.stderr);
    const [header, ...rows] = run.stdout.trimEnd().split('\r\n');
    assert.equal(header, 'lr,epochs,loss,acc,time,host,createdAt,argumentHash');
    assert.deepEqual(rows.map((row) => row.split(',').slice(0, 4).join(',')).sort(), [
      '0.1,3,0.30000000000000004,0.9',
      '0.2,3,0.6000000000000001,0.9',
      '0.3,3,0.8999999999999999,0.9',
    ]);
  });

  it('writes JSON Lines and JSON, keeps non-scalar outputs in one column, ' +
      'and adds versions with --all-versions', () => {
    const lines = project
      .funes(['export', 'square', '-f', 'jsonl'])
      .stdout.trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(lines.map((row) => [row.x, row.output]).sort(), [
      [2, { x: 2, sq: 4 }],
      [3, { x: 3, sq: 9 }],
    ]);
    assert.equal(json(project.funes(['export', 'square', '--json'])).length, 2);
    // Every version of train.mjs's train, never lab/train.mjs's rows among them.
    const all = project.funes(['export', `train@${v1.slice(0, 8)}`, '--all-versions', '-o', 'all.csv']);
    assert.equal(all.status, 0, all.stderr);
    assert.equal(all.stderr, '');
    assert.match(all.stdout, /^wrote 5 rows × 9 columns to .*all\.csv\n$/);
    const csv = readFileSync(join(project.dir, 'all.csv'), 'utf8').split('\r\n');
    assert.equal(csv[0], 'lr,epochs,loss,acc,time,host,createdAt,version,argumentHash');
    assert.deepEqual(new Set(csv.slice(1, -1).map((row) => row.split(',')[7])), new Set([v1, v2]));
    assertFails(project.funes(['export', 'train', '-o', 'no/such/dir/x.csv']), 1, /cannot write .*x\.csv \(ENOENT\)/);
    assertFails(
      project.funes(['export', 'train', '-f', 'xlsx']),
      2,
      /^error: --format 'xlsx' is not a choice\nhint: choose one of csv, jsonl, json\n$/,
    );
  });

  it('writes a file in the format asked or named by its extension; --json changes only the summary', () => {
    const summary = json(project.funes(['export', 'square', '-o', 'square.csv', '--json']));
    assert.equal(summary.format, 'csv');
    assert.match(readFileSync(join(project.dir, 'square.csv'), 'utf8'), /^x,output,time,/);
    assert.equal(json(project.funes(['export', 'square', '-o', 'square.jsonl', '--json'])).format, 'jsonl');
    assert.equal(readFileSync(join(project.dir, 'square.jsonl'), 'utf8').trimEnd().split('\n').length, 2);
    assert.equal(json(project.funes(['export', 'square', '-o', 'square.txt', '--json', '-f', 'json'])).format, 'json');
    assert.equal(JSON.parse(readFileSync(join(project.dir, 'square.txt'), 'utf8')).length, 2);
    const text = project.funes(['export', 'square', '-o', 'square.out']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(readFileSync(join(project.dir, 'square.out'), 'utf8'), /^x,output,/);
  });
  it('refuses a directory or an empty name as the output file before writing anything, ' +
      'and takes `-o -` and `--output -` as stdout', () => {
    const out = join(project.dir, 'exports');
    mkdirSync(out, { recursive: true });
    const before = readdirSync(project.dir).sort();
    assertFails(project.funes(['export', 'square', '-o', 'exports']), 1,
      /^error: .*exports is a directory\nhint: name a file in it, e\.g\. .*exports\/square\.csv\n$/);
    const pack = project.funes(['pack', '-o', 'exports']);
    assertFails(pack, 1, /exports is a directory\nhint: .*exports\/cache\.tar\.gz/);
    const asJson = project.funes(['export', 'square', '-o', 'exports', '--json']);
    assert.equal(JSON.parse(asJson.stderr).error.code, 'EISDIR');
    assert.deepEqual(readdirSync(project.dir).sort(), before, 'no temp file beside the directory');
    assert.deepEqual(readdirSync(out), []);
    // Written as a directory that does not exist yet: refused too, instead of becoming a file of that name.
    for (const command of [['export', 'square'], ['pack'], ['ui', '--export']]) {
      const args = command[0] === 'ui' ? [...command, 'reports/'] : [...command, '-o', 'reports/'];
      assertFails(project.funes(args), 1, /^error: reports\/ names a directory, not a file\nhint: name a file in it/);
    }
    assert.deepEqual(readdirSync(project.dir).sort(), before, 'no file named reports');
    for (const command of [['export', 'square'], ['pack'], ['ui', '--export']]) {
      const args = command[0] === 'ui' ? [...command, 'no-dir/out'] : [...command, '-o', 'no-dir/out'];
      const run = project.funes(args);
      assertFails(run, 1, /^error: cannot write no-dir\/out \(ENOENT\): there is no directory .*no-dir\nhint: create/);
      assert.doesNotMatch(run.stderr, /\.tmp-/, 'no temp file named');
    }
    const dash = project.funes(['export', 'square', '-o', '-']);
    assert.equal(dash.status, 0, dash.stderr);
    assert.equal(dash.stdout, project.funes(['export', 'square']).stdout);
    assert.ok(!existsSync(join(project.dir, '-')));
    // The long option takes `-` as its value too, rather than leaving itself empty and `-` a stray argument.
    const long = project.funes(['export', 'square', '--output', '-']);
    assert.equal(long.status, 0, long.stderr);
    assert.equal(long.stdout, dash.stdout);
    const packed = spawnSync(process.execPath, [FUNES_BIN, 'pack', '--output', '-'], { cwd: project.dir, input: '' });
    assert.equal(packed.status, 0, String(packed.stderr));
    assert.deepEqual([...packed.stdout.subarray(0, 2)], [0x1f, 0x8b], 'a gzip bundle on stdout, not a report');
    assert.deepEqual(readdirSync(project.dir).sort(), before, 'no bundle file written');
    // An empty file name (`-o "$UNSET"`) names no file: refused rather than read as stdout.
    for (const command of [['export', 'square', '-o', ''], ['export', 'square', '--output='], ['pack', '-o', '']]) {
      const run = project.funes(command);
      assertFails(run, 2, /^error: -o needs a file name\nhint: give a file name, or - for stdout/);
      assert.equal(run.stdout, '', command.join(' '));
    }
    assert.deepEqual(readdirSync(project.dir).sort(), before);
  });

  it('writes into a device as it is, never replacing it, and through a symbolic link into the file it names', (t) => {
    writeFileSync(join(project.dir, 'real.csv'), 'old\n');
    symlinkSync('real.csv', join(project.dir, 'link.csv'));
    for (const command of [['export', 'square', '-o', 'link.csv'], ['pack', '-o', 'link.csv']]) {
      assert.equal(project.funes(command).status, 0, command.join(' '));
      assert.ok(lstatSync(join(project.dir, 'link.csv')).isSymbolicLink(), 'the link stays');
      assert.notEqual(readFileSync(join(project.dir, 'real.csv'), 'utf8'), 'old\n');
    }
    // A device of its own (the null device's numbers): a regression would replace it, not /dev/null.
    const device = join(project.dir, 'null-device');
    const made = spawnSync('mknod', [device, 'c', '1', '3'], { encoding: 'utf8' });
    if (made.status !== 0) {
      t.skip(`cannot make a device here (${made.stderr.trim()}): run as root to test writing into one`);
      return;
    }
    for (const command of [['export', 'square', '-o', device], ['pack', '-o', device]]) {
      assert.equal(project.funes(command).status, 0, command.join(' '));
      assert.ok(statSync(device).isCharacterDevice(), `${command[0]} left the device a device`);
    }
    assert.deepEqual(readdirSync(project.dir).filter((name) => name.startsWith('null-device')), ['null-device']);
  });

  it('leaves the file it would replace as it was when the export fails (a full disk)', (t) => {
    const small = join(project.dir, 'small-disk');
    mkdirSync(small);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small], { encoding: 'utf8' });
    if (mounted.status !== 0) {
      t.skip(`cannot mount here (${mounted.stderr.trim()}): run as root to test a full disk`);
      return;
    }
    try {
      const previous = 'lr,loss\r\n0.1,0.3\r\n';
      writeFileSync(join(small, 'train.csv'), previous);
      // The rest of the 64 KiB: the export's first write finds the disk full.
      writeFileSync(join(small, 'filler'), Buffer.alloc(60 * 1024));
      const run = project.funes(['export', 'train', '-o', 'small-disk/train.csv']);
      assertFails(run, 1, /^error: cannot write .*train\.csv \(ENOSPC\)\nhint: free disk space/);
      assert.equal(readFileSync(join(small, 'train.csv'), 'utf8'), previous);
      assert.deepEqual(readdirSync(small).sort(), ['filler', 'train.csv'], 'no temp file left');
    } finally {
      spawnSync('umount', [small]);
    }
  });
});

describe('funes rm', () => {
  it('refuses without --force when it cannot ask, and removes with it', () => {
    project.copyCache('rm');
    assertFails(
      project.funes(['rm', 'train', '--cache', 'rm']),
      1,
      /refusing to remove 3 versions \(6 entries, .*\) without --force\nhint: pass --force/,
    );
    assert.equal(versionDirs('rm', 'train').length, 3);
    assert.match(
      project.funes(['rm', `train@${v1.slice(0, 8)}`, '-n', '--cache', 'rm']).stdout,
      new RegExp(`^would remove train@${v1.slice(0, 12)} \\(train\\.mjs\\): 3 entries`),
    );
    const one = json(project.funes(['rm', `train@${v1.slice(0, 8)}`, '--force', '--cache', 'rm', '--json']));
    assert.deepEqual(one.removed.map((v: any) => v.hash), [v1]);
    assert.equal(versionDirs('rm', 'train').length, 2);
    const all = project.funes(['rm', 'train', 'square', '-f', '--cache', 'rm']);
    assert.equal(all.status, 0, all.stderr);
    assert.equal(all.stdout.match(/^removed (train|square)@\w+ /gm)?.length, 3, all.stdout);
    assert.match(all.stdout, /\nfreed \S+ \S+\n$/);
    assert.deepEqual(readdirSync(join(project.dir, 'rm')), ['.gitignore'], 'the .gitignore Funes made stays');
  });

  it('refuses a switch given a value it would read as off: --dry-run=yes never removes', () => {
    project.copyCache('rm-switch');
    for (const args of [['--dry-run=yes'], ['-n=1'], ['-fn=on'], ['--dryRun=TRUE']]) {
      assertFails(
        project.funes(['rm', 'train', '--force', ...args, '--cache', 'rm-switch']),
        2,
        /^error: (--dry-run|-n|--dryRun) is on or off: '\w+' is neither true nor false\nhint: write /,
      );
      assert.equal(versionDirs('rm-switch', 'train').length, 3, args.join(' '));
    }
    const gc = project.funes(['gc', '--now', '--dry-run=yes', '--cache', 'rm-switch']);
    assertFails(gc, 2, /^error: --dry-run is on or off: 'yes' is neither true nor false\n/);
    assert.equal(versionDirs('rm-switch', 'train').length, 3);
    const dry = project.funes(['rm', 'train', '--force', '--dry-run=true', '--cache', 'rm-switch']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /^would remove /);
    assert.equal(versionDirs('rm-switch', 'train').length, 3);
  });

  it('leaves a version holding files Funes never writes, says so in a dry run as in the real one, ' +
      'and removes the others', () => {
    project.copyCache('rm-foreign');
    const dirs = versionDirs('rm-foreign', 'train');
    const foreign = dirs.find((hash) => hash !== v1)!;
    writeFileSync(join(project.dir, 'rm-foreign', 'train', foreign, 'notes.txt'), 'mine');
    const listed = (run: FunesRun) => {
      assert.equal(run.status, 1, run.stderr);
      const result = JSON.parse(run.stdout);
      return [result.removed.map((v: any) => v.hash).sort(), result.problems.map((p: any) => [p.dir, p.code])];
    };
    const planned = listed(project.funes(['rm', 'train', '-n', '--cache', 'rm-foreign', '--json']));
    assert.deepEqual(planned, [
      dirs.filter((hash) => hash !== foreign).sort(),
      [[join(project.dir, 'rm-foreign', 'train', foreign), 'EFOREIGN']],
    ]);
    const quiet = project.funes(['rm', 'train', '-f', '-q', '--cache', 'rm-foreign']);
    assert.equal(quiet.status, 1, quiet.stderr);
    const removedTwice = /^removed train@\w+ .*\nremoved train@\w+ .*\n/;
    assert.match(quiet.stdout, new RegExp(`${removedTwice.source}skipped .*: EFOREIGN\\n  .* holds "notes\\.txt"`));
    assert.deepEqual(versionDirs('rm-foreign', 'train'), [foreign]);
    assert.equal(readFileSync(join(project.dir, 'rm-foreign', 'train', foreign, 'notes.txt'), 'utf8'), 'mine');
  });

  it('asks on a terminal: no removes nothing and is not an error, yes removes', () => {
    project.copyCache('asked');
    // `script` runs funes on a pseudo-terminal and types the answer into it.
    const answer = (text: string) =>
      spawnSync('script', ['-qec', `'${process.execPath}' '${FUNES_BIN}' rm square --cache asked`, '/dev/null'], {
        cwd: project.dir,
        input: text,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const no = answer('n\n');
    assert.equal(no.status, 0, no.stdout);
    assert.match(no.stdout, /Remove 1 version \(2 entries, .*\): square@\w+\? \[y\/N\] /);
    assert.match(no.stdout, /nothing removed/);
    assert.equal(versionDirs('asked', 'square').length, 1);
    const yes = answer('y\n');
    assert.equal(yes.status, 0, yes.stdout);
    assert.match(yes.stdout, /freed /);
    assert.ok(!existsSync(join(project.dir, 'asked', 'square')));
  });
});

/** Makes `dir` a read-only bind mount of itself; why not, when it cannot (not root). */
function mountReadOnly(dir: string): string | undefined {
  const mounted = spawnSync('sh', ['-c', `mount --bind "${dir}" "${dir}" && mount -o remount,bind,ro "${dir}"`], {
    encoding: 'utf8',
  });
  return mounted.status === 0 ? undefined : mounted.stderr.trim();
}

describe('a read-only filesystem', () => {
  it('is reported as such (EROFS), for a new cache, an existing one and an output file', (t) => {
    assert.equal(project.funes(['pack', '-o', 'ro.tar.gz']).status, 0);
    const readOnly = join(project.dir, 'ro-mount');
    mkdirSync(readOnly);
    copyFileSync(join(project.dir, 'ro.tar.gz'), join(readOnly, 'ro.tar.gz'));
    project.copyCache('ro-mount/cache');
    const refused = mountReadOnly(readOnly);
    if (refused !== undefined) {
      t.skip(`cannot mount here (${refused}): run as root to test this filesystem error`);
      return;
    }
    try {
      for (const args of [
        ['unpack', 'ro-mount/ro.tar.gz', '--cache', 'ro-mount/new/cache'],
        ['unpack', 'ro-mount/ro.tar.gz', '--cache', 'ro-mount/cache'],
        ['rm', 'square', '--force', '--cache', 'ro-mount/cache'],
        ['export', 'square', '-o', 'ro-mount/square.csv'],
        ['pack', '-o', 'ro-mount/again.tar.gz'],
      ]) {
        const run = project.funes(args);
        assertFails(run, 1, /read-only file system|EROFS/);
        assert.match(run.stderr, /\nhint: the filesystem is read-only: use a directory on a writable one/);
        assert.doesNotMatch(run.stderr, /ENOENT|no such file/);
        const { error } = JSON.parse(project.funes([...args, '--json']).stderr);
        assert.ok(
          error.code === 'EROFS' || (error.code === 'EEXPORT' && /EROFS/.test(error.message)),
          JSON.stringify(error),
        );
      }
    } finally {
      spawnSync('umount', [readOnly]);
    }
  });

  it('does not stop verify --fix or gc at the first removal it refuses: each is reported, the rest still done', (t) => {
    const readOnly = join(project.dir, 'ro-fix');
    mkdirSync(readOnly);
    const cache = project.copyCache('ro-fix/cache');
    const dir = join(cache, 'train', v1);
    const object = join(dir, readdirSync(dir).find((name) => /^[0-9a-f]{64}$/.test(name))!);
    writeFileSync(object, 'damaged');
    const crashed = join(dir, '.tmp-999999999-0badc0ffee00');
    writeFileSync(crashed, 'partial');
    const hoursAgo = Date.now() / 1000 - 2 * 3600;
    utimesSync(crashed, hoursAgo, hoursAgo);
    const refused = mountReadOnly(readOnly);
    if (refused !== undefined) {
      t.skip(`cannot mount here (${refused}): run as root to test this filesystem error`);
      return;
    }
    try {
      const verify = project.funes(['verify', '--fix', '--json', '--cache', 'ro-fix/cache']);
      assert.equal(verify.status, 1, verify.stderr);
      const { problems, ok } = JSON.parse(verify.stdout);
      assert.equal(ok, false);
      assert.deepEqual(
        problems.map((p: any) => [p.kind, p.file, p.fixed, p.reason]),
        [['damaged-object', object, false, 'shorter than a header; --fix could not remove it (EROFS)']],
      );
      const gc = project.funes(['gc', '--json', '--cache', 'ro-fix/cache']);
      assert.equal(gc.status, 1, gc.stderr);
      const collected = JSON.parse(gc.stdout);
      assert.deepEqual(collected.removedTempFiles, { count: 0, bytes: 0 });
      assert.deepEqual(collected.problems.map((p: any) => [p.dir, p.code]), [[crashed, 'EROFS']]);
    } finally {
      spawnSync('umount', [readOnly]);
    }
    assert.ok(existsSync(object) && existsSync(crashed));
  });
});

/**
 * `funes` as `npm install --save-dev @funes/cli` installs it:
 * node_modules/.bin/funes (tests run it with no funes on the PATH).
 */
function linkBin(): void {
  mkdirSync(join(project.dir, 'node_modules', '.bin'), { recursive: true });
  if (!existsSync(join(project.dir, 'node_modules', '.bin', 'funes'))) {
    symlinkSync('../@funes/cli/bin/funes.js', join(project.dir, 'node_modules', '.bin', 'funes'));
  }
}

describe('funes --help', () => {
  it('documents every command with examples', () => {
    const help = project.funes(['--help']);
    assert.equal(help.status, 0);
    for (const command of ['log', 'show', 'diff', 'verify', 'gc', 'du', 'export', 'rm']) {
      assert.match(help.stdout, new RegExp(`funes ${command}\\b`));
    }
    const gcHelp = project.funes(['gc', '--help']);
    assert.match(gcHelp.stdout, /--max-size/);
    assert.match(gcHelp.stdout, /Examples:/);
  });

  it('points to a reference that an npm install of the package holds', () => {
    const reference = /\nReference: (.+)\n/.exec(project.funes(['--help']).stdout)?.[1];
    assert.ok(reference, 'the help names its reference');
    const file = resolve(project.dir, reference);
    assert.match(readFileSync(file, 'utf8'), /^# The `funes` command\n/);
    const packageDir = join(REPO_ROOT, 'packages/cli');
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    assert.equal(packed.status, 0, packed.stderr);
    const shipped = new Set(JSON.parse(packed.stdout)[0].files.map((f: { path: string }) => f.path));
    assert.ok(shipped.has(relative(packageDir, file)), `${relative(packageDir, file)} is in the package`);
    for (const link of readFileSync(file, 'utf8').matchAll(/\]\(([a-z-]+\.md)[#)]/g)) {
      assert.ok(shipped.has(`docs/${link[1]}`), `docs/${link[1]}, linked from the reference, is in the package`);
    }
  });

  it('shows help however it is asked for, -h among other short options too, laid out alike', () => {
    const long = project.funes(['log', '--help']);
    assert.equal(long.status, 0, long.stderr);
    assert.match(long.stdout, /^funes log \[fn\.\.\]\n/);
    for (const args of [
      ['log', '-h'],
      ['log', '-qh'],
      ['-h', 'log'],
      ['help', 'log'],
    ]) {
      assert.equal(project.funes(args).stdout, long.stdout, args.join(' '));
    }
    assert.equal(project.funes(['help']).stdout, project.funes(['--help']).stdout);
    assertFails(project.funes(['help', 'lgo']), 2, /'lgo' is not a funes command\nhint: did you mean 'funes log'/);
    assert.equal(project.funes(['--version']).stdout, project.funes(['-V']).stdout);
    assert.match(project.funes(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('completes commands, options, their values and function names in the shell', () => {
    const complete = (...words: string[]) =>
      project
        .funes(['--get-yargs-completions', 'funes', ...words])
        .stdout.split('\n')
        .filter((word) => word !== '');
    const commands = complete('');
    for (const command of ['log', 'show', 'gc', 'verify', 'completion']) {
      assert.ok(commands.includes(command), commands.join(' '));
    }
    const gcOptions = complete('gc', '--');
    assert.ok(gcOptions.includes('--max-size') && gcOptions.includes('--quiet'), gcOptions.join(' '));
    assert.deepEqual(
      gcOptions.filter((word) => !/^--[a-z][a-z-]+$/.test(word)),
      [],
      'only long options after --, never --q',
    );
    assert.ok(complete('gc', '-').includes('-q'));
    assert.deepEqual(complete('show', 'tr'), ['train']);
    assert.deepEqual(complete('show', ''), ['square', 'train'], 'a function, not options, where a function goes');
    assert.deepEqual(complete('show', 'train', ''), [], 'the second positional is an argument hash');
    assert.deepEqual(complete('export', '--format', ''), ['csv', 'jsonl', 'json']);
    assert.deepEqual(complete('export', 'train', '-f', 'j'), ['jsonl', 'json']);
    assert.deepEqual(complete('pack', '--since', ''), [], 'a value without choices: the shell completes file names');
    assert.deepEqual(complete('gc', ''), []);
    assert.deepEqual(complete('completion', ''), ['bash', 'zsh']);
    assert.deepEqual(complete('--cache', 'cache', 'log', 'sq'), ['square']);
  });

  it('prints a completion script that works through npx, and help for the command', () => {
    const help = project.funes(['completion', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^funes completion \[shell\]\n/);
    assert.doesNotMatch(help.stdout, /complete -o/);
    const script = project.funes(['completion', 'bash']);
    assert.equal(script.status, 0, script.stderr);
    assert.match(project.funes(['completion', 'zsh']).stdout, /compdef _funes_completions funes/);
    linkBin();
    project.write('completion.bash', script.stdout);
    const tab = (line: string) => {
      const bash = `source ../completion.bash; COMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); ` +
          `_funes_completions; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const run = spawnSync('bash', ['--norc', '-c', bash], {
        cwd: join(project.dir, 'lab'),
        env: { PATH: dirname(process.execPath) + ':/usr/bin:/bin', HOME: project.dir },
        encoding: 'utf8',
      });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stderr, '');
      return run.stdout.split('\n').filter((word) => word !== '');
    };
    assert.deepEqual(tab("npx funes lo"), ['log']);
    assert.deepEqual(tab("npx funes show ''"), ['square', 'train']);
    assert.deepEqual(tab("funes export train --format ''"), ['csv', 'jsonl', 'json']);
    assert.deepEqual(tab('npx funes gc --dry'), ['--dry-run']);
    assert.deepEqual(tab('npx other x'), [], 'other npx commands are left to the shell');
    // Names from a cache unpacked or pulled from elsewhere: completing them runs nothing, and they go in quoted.
    project.write(
      'evil-names.mjs',
      `import { memorious } from '@funes/core';\n` +
        `for (const name of ['$(touch ran-1)', '\`touch ran-2\`', 'a b', 'x;touch ran-3']) ` +
        `memorious((x) => x, { name, version: 'v1' })(1);\n`,
    );
    assert.equal(project.node(['evil-names.mjs'], { FUNES_CACHE_DIR: join(project.dir, 'evil-names') }).status, 0);
    assert.deepEqual(tab("funes --cache ../evil-names show ''").sort(), [
      '\\$\\(touch\\ ran-1\\)',
      '\\`touch\\ ran-2\\`',
      'a\\ b',
      'x\\;touch\\ ran-3',
    ]);
    assert.deepEqual(
      readdirSync(join(project.dir, 'lab')).filter((name) => name.startsWith('ran-')),
      [],
      'no command in a name ran',
    );
  });

  it(
    'completes in zsh the same way',
    { skip: spawnSync('zsh', ['--version']).status !== 0 && 'zsh is not installed' },
    () => {
      linkBin();
      project.write('completion.zsh', project.funes(['completion', 'zsh']).stdout);
      // compadd and _default are zsh's completion builtins; these stand-ins print what would be offered.
      const stubs = 'compdef() { :; }; _default() { :; }; compadd() { shift; print -l -- "$@"; }; typeset -A _comps';
      const tab = (line: string) => {
        const zsh = `${stubs}; source ../completion.zsh; words=(${line}); CURRENT=\${#words}; _funes_completions`;
        const run = spawnSync('zsh', ['-f', '-c', zsh], {
          cwd: join(project.dir, 'lab'),
          env: { PATH: dirname(process.execPath) + ':/usr/bin:/bin', HOME: project.dir },
          encoding: 'utf8',
        });
        assert.equal(run.stderr, '');
        return run.stdout.split('\n').filter((word) => word !== '');
      };
      assert.deepEqual(tab('npx funes lo'), ['log']);
      assert.deepEqual(tab("npx funes show ''"), ['square', 'train']);
      assert.deepEqual(tab("funes export --format ''"), ['csv', 'jsonl', 'json']);
    },
  );
});

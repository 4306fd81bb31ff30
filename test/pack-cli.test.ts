/**
 * `funes pack` and `funes unpack` as users run them: the built bin in child
 * processes, on caches written by memorious.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { makeWorkspace, type Workspace } from './helpers/bundle-caches.js';

const BIN = resolve(fileURLToPath(import.meta.url), '../../packages/cli/bin/funes.js');

let ws: Workspace;
const funes = (...args: string[]) => execFileSync(process.execPath, [BIN, ...args], { cwd: ws.root, encoding: 'utf8' });

before(() => {
  ws = makeWorkspace();
  ws.compute(ws.cacheDir('a'), [1, 2, 3]);
});
after(() => ws.remove());

describe('funes pack / unpack', () => {
  it('packs to a file, lists, verifies and merges it', () => {
    assert.match(funes('pack', '--cache', 'a', '-o', 'all.tar.gz'), /packed 6 objects of 2 functions/);
    const listing = JSON.parse(funes('unpack', 'all.tar.gz', '--list', '--json'));
    assert.equal(listing.objects, 6);
    assert.deepEqual(listing.versions.map((v: { function: string }) => v.function), ['square', 'train']);
    assert.match(funes('unpack', 'all.tar.gz', '--verify'), /verified 6 /);
    assert.match(funes('unpack', 'all.tar.gz', '--cache', 'b', '--dry-run'), /would add 6 /);
    const merged = JSON.parse(funes('unpack', 'all.tar.gz', '--cache', 'b', '--json'));
    assert.equal(merged.added.objects, 6);
    assert.deepEqual(ws.load(ws.cacheDir('b')), ws.load(ws.cacheDir('a')));
    assert.match(funes('unpack', 'all.tar.gz', '--cache', 'b'), /added 0 objects .*skipped 6 objects /);
  });

  it('counts the same bytes when packing, listing and unpacking', () => {
    const packed = funes('pack', '--cache', 'a', '-o', 'sizes.tar.gz');
    const size = /^packed 6 objects of 2 functions \(2 versions, ([^)]+)\) into sizes\.tar\.gz \([^)]+\)$/m.exec(
      packed,
    )?.[1];
    assert.ok(size, packed);
    assert.match(funes('unpack', 'sizes.tar.gz', '--list'), new RegExp(`: 6 objects, ${size}\n`));
    assert.match(
      funes('unpack', 'sizes.tar.gz', '--cache', 'sizes'),
      new RegExp(`^added 6 objects \\(${size}\\), skipped 0 objects \\(0 bytes\\)`),
    );
    const asJson = JSON.parse(funes('pack', '--cache', 'a', '-o', 'sizes.tar.gz', '--json'));
    assert.equal(JSON.parse(funes('unpack', 'sizes.tar.gz', '--cache', 'sizes2', '--json')).added.bytes, asJson.bytes);
    assert.equal(JSON.parse(funes('unpack', 'sizes.tar.gz', '--list', '--json')).bytes, asJson.bytes);
  });

  it('counts the bundle bytes it wrote, also to a device such as /dev/null', () => {
    const toFile = JSON.parse(funes('pack', '--cache', 'a', '-o', 'counted.tar.gz', '--json'));
    assert.equal(toFile.bundleBytes, readFileSync(join(ws.root, 'counted.tar.gz')).length);
    const toDevice = JSON.parse(funes('pack', '--cache', 'a', '-o', '/dev/null', '--json'));
    assert.ok(Math.abs(toDevice.bundleBytes - toFile.bundleBytes) < 64, JSON.stringify([toDevice, toFile]));
    assert.doesNotMatch(funes('pack', '--cache', 'a', '-o', '/dev/null'), /\(0 bytes\)$/m);
  });

  it('streams a bundle through a pipe with -', () => {
    const run = spawnSync(
      'sh',
      [
        '-c',
        `"${process.execPath}" "${BIN}" pack square --cache a -o - | "${process.execPath}" ` +
            `"${BIN}" unpack - --cache piped --json`,
      ],
      { cwd: ws.root, encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).added.objects, 3);
  });

  it('reads stdin only for -, never for an empty name (unpack "$UNSET"), wherever - stands', () => {
    funes('pack', 'square', '--cache', 'a', '-o', 'piped.tar.gz');
    const bundle = readFileSync(join(ws.root, 'piped.tar.gz'));
    const unpack = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, 'unpack', ...args], { cwd: ws.root, encoding: 'utf8', input: bundle });
    const empty = unpack('', '--cache', 'unset', '--json');
    assert.equal(empty.status, 2, empty.stderr);
    assert.deepEqual(JSON.parse(empty.stderr).error, {
      code: 'EUSAGE',
      message: 'unpack needs a bundle',
      hint: 'give the path of a bundle made by `funes pack`, or - for stdin',
    });
    assert.equal(existsSync(join(ws.root, 'unset')), false, 'nothing piped in was merged');
    for (const args of [['-', '--cache', 'dash'], ['--cache', 'dash2', '-q', '-']]) {
      const run = unpack(...args, '--json');
      assert.equal(run.status, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).added.objects, 3, args.join(' '));
    }
  });

  it('says plainly, with the fix, when the bundle cannot be written to stdout (a full disk)', () => {
    const run = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" pack --cache a -o - > /dev/full`], {
      cwd: ws.root,
      encoding: 'utf8',
    });
    assert.equal(run.status, 1);
    assert.equal(
      run.stderr,
      'error: cannot write the output to stdout (ENOSPC: no space left on device)\n' +
        'hint: free disk space where stdout goes, then run the command again\n',
    );
    const json = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" log --cache a --json > /dev/full`], {
      cwd: ws.root,
      encoding: 'utf8',
    });
    assert.equal(json.status, 1);
    assert.equal(JSON.parse(json.stderr).error.code, 'ENOSPC');
  });

  it('refuses to read a bundle from a terminal or write one to it, as gzip does, instead of waiting for input ' +
      'or printing binary', async () => {
    // `script` runs the command on a pseudo-terminal; its own input is a pipe left open, as a user's typing would be.
    const onTerminal = async (command: string) => {
      const child = spawn('script', ['-qec', `"${process.execPath}" "${BIN}" ${command}`, '/dev/null'], {
        cwd: ws.root,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      const [status] = await once(child, 'exit');
      clearTimeout(timer);
      child.stdin.end();
      return { status: status as number | null, output: output.replace(/\x1b\[[0-9;]*m/g, '') };
    };
    const reading = await onTerminal('unpack - --cache from-terminal');
    assert.equal(reading.status, 2, reading.output);
    assert.match(reading.output, /error: stdin is a terminal: unpack - reads a bundle piped in/);
    assert.match(reading.output, /hint: pipe one in \(funes pack -o - \| funes unpack -\) or give its path/);
    assert.equal(existsSync(join(ws.root, 'from-terminal')), false);
    const writing = await onTerminal('pack --cache a -o -');
    assert.equal(writing.status, 2, writing.output);
    assert.match(writing.output, /error: stdout is a terminal: pack -o - writes a binary bundle for a pipe or a file/);
    assert.match(
      writing.output,
      /hint: redirect it \(-o - > cache\.tar\.gz\), pipe it \(-o - \| ssh host funes unpack -\) or give a file/,
    );
    assert.doesNotMatch(writing.output, /\x1f\x8b/, 'no gzip bytes reach the terminal');
  });

  it('leaves no temp file beside the bundle: not when interrupted, and not one a killed pack left', async () => {
    // Enough noise (stored raw, compressed by pack) that packing it takes a while.
    writeFileSync(
      join(ws.root, 'noise.mjs'),
      `
import { memorious } from '@funes/core';
const noise = memorious(function noise(i) { return Float64Array.from({ length: 1000000 }, ` +
    `() => Math.random()); }, { cacheDir: 'noise' });
for (let i = 0; i < 40; i++) noise(i);
`,
    );
    execFileSync(process.execPath, ['noise.mjs'], { cwd: ws.root });
    const leftovers = () => readdirSync(ws.root).filter((name) => name.startsWith('noise.tar.gz'));
    const packing = spawn(process.execPath, [BIN, 'pack', '--cache', 'noise', '-o', 'noise.tar.gz'], {
      cwd: ws.root,
      stdio: 'ignore',
    });
    const ended = once(packing, 'exit');
    while (!leftovers().some((name) => name.includes('.tmp-')) && packing.exitCode === null) await sleep(5);
    packing.kill('SIGTERM');
    const [code, signal] = await ended;
    assert.deepEqual([code, signal], [null, 'SIGTERM'], 'interrupted before it finished');
    assert.deepEqual(leftovers(), []);

    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(ws.root, `noise.tar.gz.tmp-${gone}`), 'what a killed pack left');
    writeFileSync(join(ws.root, `noise.tar.gz.tmp-${process.pid}`), 'a pack still running');
    funes('pack', '--cache', 'noise', '-o', 'noise.tar.gz');
    assert.deepEqual(leftovers().sort(), ['noise.tar.gz', `noise.tar.gz.tmp-${process.pid}`]);
    assert.ok(existsSync(join(ws.root, 'noise.tar.gz')));
  });

  it('fails with the filesystem\'s error, and ends, when the cache directory refuses new entries (procfs)', () => {
    funes('pack', '--cache', 'a', '-o', 'refused.tar.gz');
    // A watchdog only, so that a retry loop fails this test instead of hanging the suite.
    const run = spawnSync(process.execPath, [BIN, 'unpack', 'refused.tar.gz', '--cache', '/proc/self', '--json'], {
      cwd: ws.root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(run.signal, null, 'unpack ended by itself');
    assert.equal(run.status, 1);
    assert.equal(JSON.parse(run.stderr).error.code, 'ENOENT');
  });

  it('names the file it could not write when the filesystem is full (ENOSPC), and leaves no temp file', (t) => {
    funes('pack', '--cache', 'a', '-o', 'full.tar.gz');
    const small = join(ws.root, 'small');
    mkdirSync(small);
    try {
      // Room for a page or two: definition.json fits, an object or two more, and the rest does not.
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8k', 'tmpfs', small], { stdio: 'pipe' });
    } catch (error) {
      return t.skip(`cannot mount here (${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`);
    }
    try {
      const cache = join(small, 'cache');
      const run = spawnSync(process.execPath, [BIN, 'unpack', 'full.tar.gz', '--cache', cache, '--json'], {
        cwd: ws.root,
        encoding: 'utf8',
      });
      assert.equal(run.status, 1, run.stderr);
      const { error } = JSON.parse(run.stderr);
      assert.equal(error.code, 'ENOSPC');
      assert.match(error.message, new RegExp(`^write ${cache}/[^ ]+ failed: no space left on device$`));
      assert.match(error.hint, /free disk space/);
      const files = readdirSync(cache, { recursive: true, encoding: 'utf8' });
      assert.deepEqual(files.filter((file) => file.split('/').at(-1)!.startsWith('.tmp-')), []);
    } finally {
      execFileSync('umount', [small]);
    }
  });

  it('refuses a damaged bundle with its code and exit status 1', () => {
    const run = spawnSync(process.execPath, [BIN, 'unpack', join(ws.root, 'functions.mjs'), '--cache', 'c', '--json'], {
      cwd: ws.root,
      encoding: 'utf8',
    });
    assert.equal(run.status, 1);
    const { error } = JSON.parse(run.stderr);
    assert.equal(error.code, 'EBUNDLEFORMAT');
    assert.match(error.hint, /funes pack/);
    const plain = spawnSync(process.execPath, [BIN, 'unpack', join(ws.root, 'functions.mjs'), '--cache', 'c'], {
      cwd: ws.root,
      encoding: 'utf8',
    });
    assert.match(plain.stderr, /^error: .*\nhint: only bundles made by `funes pack` can be unpacked\n$/);
    const unknown = spawnSync(process.execPath, [BIN, 'pack', 'nope', '--cache', 'a'], {
      cwd: ws.root,
      encoding: 'utf8',
    });
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no function 'nope' in the cache\nhint: /);
  });
});

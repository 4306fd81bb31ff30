import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { memorious } from '@funes/core';
import { main } from './cli.js';
import type { Io } from './output.js';

/** Streams that record what was written, as a terminal (`tty`) or a pipe. */
function fakeIo(options: { tty?: boolean; input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const written = { stdout: '', stderr: '' };
  const sink = (name: 'stdout' | 'stderr') =>
    Object.assign(
      new Writable({
        write(chunk, _encoding, done) {
          written[name] += String(chunk);
          done();
        },
      }),
      { isTTY: options.tty ?? false },
    );
  const stdin = Object.assign(options.input === undefined ? new PassThrough() : Readable.from([options.input]), {
    isTTY: options.tty ?? false,
  });
  const io: Io = { stdout: sink('stdout'), stderr: sink('stderr'), stdin, env: options.env ?? {} };
  return { io, written };
}

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'funes-cli-unit-'));
  for (const version of ['v1', 'v2']) {
    const square = memorious((x: number) => x * x, { name: 'square', version, cacheDir: join(dir, 'cache') });
    square(1);
    square(2);
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('color on a terminal; none with --no-color, NO_COLOR or a pipe', async () => {
  const tty = fakeIo({ tty: true });
  assert.equal(await main(['log', '--oneline'], tty.io, dir), 0);
  assert.match(tty.written.stdout, /\x1b\[33m[0-9a-f]{12}\x1b\[39m/);
  for (const [args, env, isTty] of [
    [['--no-color'], {}, true],
    [[], { NO_COLOR: '1' }, true],
    [[], {}, false],
  ] as const) {
    const plain = fakeIo({ tty: isTty, env });
    assert.equal(await main(['log', '--oneline', ...args], plain.io, dir), 0);
    assert.doesNotMatch(plain.written.stdout, /\x1b\[/);
  }
});

test('errors are one line with a hint; JSON errors with --json', async () => {
  const text = fakeIo();
  assert.equal(await main(['show', 'sqare'], text.io, dir), 1);
  assert.equal(text.written.stderr, "error: no function 'sqare' in the cache\nhint: did you mean 'square'?\n");
  assert.equal(text.written.stdout, '');
  const asJson = fakeIo();
  assert.equal(await main(['gc', '--max-size', 'big', '--json'], asJson.io, dir), 2);
  assert.deepEqual(JSON.parse(asJson.written.stderr).error.code, 'EUSAGE');
  // The error's form follows --json as the command's output would: its last value decides.
  for (const args of [['--json=true'], ['--no-json', '--json'], ['--json=false', '--json=true']]) {
    const on = fakeIo();
    assert.equal(await main(['show', 'sqare', ...args], on.io, dir), 1);
    assert.equal(JSON.parse(on.written.stderr).error.code, 'ENOFUNCTION', args.join(' '));
  }
  for (const args of [['--json=false'], ['--json', '--no-json'], ['--json', '--json=false']]) {
    const off = fakeIo();
    assert.equal(await main(['show', 'sqare', ...args], off.io, dir), 1);
    assert.match(off.written.stderr, /^error: no function 'sqare' in the cache\n/, args.join(' '));
  }
});

test('rm asks on a terminal and removes only on yes; no is an answer, not a failure', async () => {
  const no = fakeIo({ tty: true, input: 'n\n' });
  assert.equal(await main(['rm', 'square'], no.io, dir), 0);
  assert.match(no.written.stderr, /Remove 2 versions \(4 entries, .*\): square@\w+, square@\w+\? \[y\/N\] /);
  assert.match(no.written.stderr, /nothing removed/);
  assert.ok(existsSync(join(dir, 'cache', 'square')));
  const yes = fakeIo({ tty: true, input: 'y\n' });
  assert.equal(await main(['rm', 'square'], yes.io, dir), 0);
  assert.match(yes.written.stdout, /freed /);
  assert.ok(!existsSync(join(dir, 'cache', 'square')));
});

test('a cache path that is a file is named as such by the commands that would create the cache, ' +
    'before anything is read or written under it', async () => {
  const bundle = join(dir, 'for-a-file.tar.gz');
  assert.equal(await main(['pack', '-o', bundle], fakeIo().io, dir), 0);
  const file = join(dir, 'not-a-cache');
  writeFileSync(file, 'a file');
  for (const args of [
    ['unpack', bundle],
    ['unpack', bundle, '--dry-run'],
    ['pull', 's3://funes-test/x?endpoint=http://127.0.0.1:1'],
    ['push', 's3://funes-test/x?endpoint=http://127.0.0.1:1'],
    ['remote', 'add', 'origin', 's3://funes-test/x', '--endpoint', 'http://127.0.0.1:1'],
  ]) {
    const run = fakeIo();
    assert.equal(await main(['--cache', file, ...args], run.io, dir), 1, args.join(' '));
    assert.equal(
      run.written.stderr,
      `error: ${file} is not a directory\nhint: pass --cache <dir> or set FUNES_CACHE_DIR\n`,
      args.join(' '),
    );
  }
  assert.equal(readFileSync(file, 'utf8'), 'a file');
  const listed = fakeIo();
  assert.equal(await main(['--cache', file, 'unpack', bundle, '--list'], listed.io, dir), 0, 'listing needs no cache');
});

test('pack --level above 9 is a usage error, not quietly 9', async () => {
  const run = fakeIo();
  assert.equal(await main(['pack', '--level', '12', '-o', '/dev/null'], run.io, dir), 2);
  assert.equal(
    run.written.stderr,
    'error: --level 12 is not a gzip level\nhint: give 0 (none) to 9 (smallest), or leave it out\n',
  );
});

test('unpack --max-size 0 is a usage error, in the option\'s own words', async () => {
  const run = fakeIo();
  assert.equal(await main(['unpack', 'any.tar.gz', '--max-size', '0'], run.io, dir), 2);
  assert.equal(
    run.written.stderr,
    'error: --max-size 0 admits no bundle\nhint: leave it out for 4GiB, or raise it: --max-size 10GiB\n',
  );
});

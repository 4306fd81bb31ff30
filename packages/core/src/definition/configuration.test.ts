import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { sha256Hex } from '../sha256.js';
import {
  configurationDigest,
  configurationState,
  expandPattern,
  withConfiguration,
  type ConfigurationRead,
  type ParameterSlot,
} from './configuration.js';

const dir = mkdtempSync(join(tmpdir(), 'funes-configuration-'));
after(() => rmSync(dir, { recursive: true, force: true }));
for (const path of ['a.csv', 'b.csv', 'c.txt', 'sub/d.csv', 'sub/deep/e.csv', '.hidden/f.csv', 'sub/.g.csv']) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), path);
}

test('patterns: *, ? and ** match as in a shell, dot files only when named', () => {
  assert.deepEqual(expandPattern(dir, '*.csv'), ['a.csv', 'b.csv']);
  assert.deepEqual(expandPattern(dir, '?.txt'), ['c.txt']);
  assert.deepEqual(expandPattern(dir, '**/*.csv'), ['a.csv', 'b.csv', 'sub/d.csv', 'sub/deep/e.csv']);
  assert.deepEqual(expandPattern(dir, 'sub/.g.csv'), ['sub/.g.csv']);
  assert.deepEqual(expandPattern(dir, 'absent/*.csv'), []);
});

test('no reads leave the key alone; a changed variable or file changes the digest', () => {
  assert.equal(withConfiguration('k', [], {}), 'k');
  const reads = [
    { kind: 'environment', name: 'FUNES_TEST_SCALE' },
    { kind: 'file', name: 'a.csv', path: join(dir, 'a.csv') },
  ] as const;
  delete process.env.FUNES_TEST_SCALE;
  const unset = configurationDigest(reads, {});
  process.env.FUNES_TEST_SCALE = '';
  const empty = configurationDigest(reads, {});
  assert.notEqual(unset, empty, 'an empty variable is not an unset one');
  delete process.env.FUNES_TEST_SCALE;
  assert.equal(configurationDigest(reads, {}), unset);
  writeFileSync(join(dir, 'a.csv'), 'changed');
  assert.notEqual(configurationDigest(reads, {}), unset);
});

/** A read whose name or path is `pieces` around the text of the parameter `name`. */
function byArgument(kind: 'file' | 'environment', pieces: string[], slot: Partial<ParameterSlot> = {}) {
  const read: ConfigurationRead = { kind, name: pieces.join('${p}'), parameter: { name: 'p', pieces, ...slot } };
  return (p: unknown) => configurationDigest([read], { p });
}

test('a read by a parameter sees the file or variable its argument names, and no other', () => {
  const otherwise = { kind: 'files', name: '*.csv', path: dir } as const;
  const digest = byArgument('file', ['', ''], { dir, otherwise });
  const a = digest('a.csv');
  assert.notEqual(a, digest('b.csv'));
  assert.equal(digest('sub/../a.csv'), a, 'a path is the file it names, however spelled');
  writeFileSync(join(dir, 'c.txt'), 'changed');
  assert.equal(digest('a.csv'), a, 'a file the argument does not name is not read');
  writeFileSync(join(dir, 'a.csv'), 'edited');
  assert.notEqual(digest('a.csv'), a);

  const pattern = digest(undefined);
  assert.equal(digest({}), pattern, 'an argument that is not text counts every file the path may name');
  writeFileSync(join(dir, 'b.csv'), 'edited');
  assert.notEqual(digest(undefined), pattern);

  const joined = byArgument('file', ['sub/', ''], { dir, otherwise });
  const absolute = joined(join(dir, 'a.csv'));
  writeFileSync(join(dir, 'a.csv'), 'edited again');
  assert.notEqual(joined(join(dir, 'a.csv')), absolute, 'resolve() takes an absolute part whole, join() joins it');
  const url = byArgument('file', ['', ''], { dir, url: true });
  writeFileSync(join(dir, 'a b.csv'), 'x');
  const spaced = url('a%20b.csv');
  writeFileSync(join(dir, 'a b.csv'), 'y');
  assert.notEqual(url('a%20b.csv'), spaced, 'a URL names the file it decodes to');
  assert.equal(url('https://example.org/a.csv'), url(undefined), 'a URL naming no file reads none');
  const whole = byArgument('file', ['', ''], { dir });
  assert.equal(whole(3), whole(undefined), 'a number is a file descriptor, not a path');
  assert.equal(whole(new URL(`file://${join(dir, 'a.csv')}`)), whole(join(dir, 'a.csv')));

  const variable = byArgument('environment', ['FUNES_TEST_', '']);
  process.env.FUNES_TEST_A = '1';
  const one = variable('A');
  assert.notEqual(one, variable('B'));
  process.env.FUNES_TEST_B = '2';
  assert.equal(variable('A'), one, 'a variable the argument does not name is not read');
  delete process.env.FUNES_TEST_A;
  delete process.env.FUNES_TEST_B;
});

test('a read by a property of an argument takes its text from own data properties alone', () => {
  const digest = byArgument('file', ['', ''], { dir, property: ['paths', 'data'] });
  const named = digest({ paths: { data: 'a.csv' } });
  assert.notEqual(named, digest({ paths: { data: 'b.csv' } }));
  const unknown = digest({});
  assert.notEqual(named, unknown);
  const getter = { paths: { get data() { return 'a.csv'; } } };
  assert.equal(digest(getter), unknown, 'a getter may give the call another value than the key read');
  assert.equal(digest({ paths: new Proxy({ data: 'a.csv' }, {}) }), unknown);
  assert.equal(digest({ paths: Object.create({ data: 'a.csv' }) }), unknown);
});

test('a read by a parameter naming a FIFO or a device does not wait on it', () => {
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const digest = byArgument('file', ['', '']);
  assert.notEqual(digest(fifo), digest('/dev/zero'));
});

test('a large file, hashed in chunks, counts by its whole content', () => {
  const big = Buffer.alloc(40 * 1024 * 1024 + 3, 7);
  big[big.length - 1] = 1;
  writeFileSync(join(dir, 'big.bin'), big);
  const read = { kind: 'file', name: 'big.bin', path: join(dir, 'big.bin') } as const;
  assert.equal(configurationState([read], {})['file:big.bin'], sha256Hex(sha256Hex(big)));
});

test('a file rewritten with its old size and modification time counts by its new content', () => {
  const file = join(dir, 'restored.txt');
  const read = { kind: 'file', name: 'restored.txt', path: file } as const;
  writeFileSync(file, 'AAAA');
  execFileSync('touch', ['-r', file, join(dir, 'restored.ref')]);
  // Old enough for its hash to be remembered.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_100);
  const before = configurationDigest([read], {});
  writeFileSync(file, 'BBBB');
  // As `cp -p`, `tar x` or `rsync -t --inplace` leave it.
  execFileSync('touch', ['-r', join(dir, 'restored.ref'), file]);
  assert.notEqual(configurationDigest([read], {}), before);
});

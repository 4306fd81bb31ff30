import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { encodeRecord, makeRecord } from './record.js';
import { createFileAtomic, readObjectFile, writeFileAtomic } from './store.js';

const root = mkdtempSync(join(tmpdir(), 'funes-store-'));
after(() => rmSync(root, { recursive: true, force: true }));

const object = () => encodeRecord(makeRecord({ input: { x: 1 }, output: 'one', time: 0, async: false }));

test('objects are written whole through a temp file that does not stay', () => {
  const dir = join(root, 'a', 'b');
  const file = join(dir, 'c'.repeat(64));
  assert.deepEqual(readObjectFile(file), { status: 'miss' });
  writeFileAtomic(file, dir, object().parts);
  writeFileAtomic(file, dir, object().parts);
  const read = readObjectFile(file);
  assert.ok(read.status === 'hit' && read.record.output === 'one');
  assert.deepEqual(readdirSync(dir), ['c'.repeat(64)]);
});

test('createFileAtomic never replaces an existing file', () => {
  const dir = join(root, 'create');
  const file = join(dir, 'definition.json');
  assert.equal(createFileAtomic(file, dir, [Buffer.from('first')]), true);
  assert.equal(createFileAtomic(file, dir, [Buffer.from('second')]), false);
  assert.deepEqual(readdirSync(dir), ['definition.json']);
});

test('anything but a regular file at a key is damaged, and a FIFO does not hang the reader', () => {
  const dir = join(root, 'odd');
  mkdirSync(join(dir, 'd'.repeat(64)), { recursive: true });
  assert.deepEqual(readObjectFile(join(dir, 'd'.repeat(64))), { status: 'damaged', file: join(dir, 'd'.repeat(64)), reason: 'not a regular file' });
  const fifo = join(dir, 'e'.repeat(64));
  try {
    execFileSync('mkfifo', [fifo]);
  } catch {
    return; // No mkfifo here: the directory case above still ran.
  }
  assert.equal(readObjectFile(fifo).status, 'damaged');
  writeFileSync(join(dir, 'f'.repeat(64)), '');
  assert.deepEqual(readObjectFile(join(dir, 'f'.repeat(64))), { status: 'damaged', file: join(dir, 'f'.repeat(64)), reason: 'empty file' });
});

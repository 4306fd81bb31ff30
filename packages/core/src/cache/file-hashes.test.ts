import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FILE_HASHES_DIR } from '../layout.js';
import { FileHashes } from './file-hashes.js';

const dir = mkdtempSync(join(tmpdir(), 'funes-file-hashes-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const HASH = 'a'.repeat(64);
const nowNs = () => BigInt(Date.now()) * 1_000_000n;

test('a hash is given back for the stamp it was kept with, and no other', () => {
  const hashes = new FileHashes(dir);
  const stamp = { text: '10 1 2 3 4', changedNs: nowNs() - 60_000_000_000n };
  hashes.set('/data/a.bin', stamp, HASH, 5);
  assert.equal(hashes.get('/data/a.bin', stamp), HASH);
  assert.equal(hashes.get('/data/a.bin', { ...stamp, text: '10 1 5 3 4' }), undefined);
  assert.equal(hashes.get('/data/b.bin', stamp), undefined);
});

test('a file changed within the file systems\' time granularity of its hashing is not kept', () => {
  const hashes = new FileHashes(dir);
  const stamp = { text: '10 9 9 9 9', changedNs: nowNs() };
  hashes.set('/data/c.bin', stamp, HASH, 0);
  assert.equal(hashes.get('/data/c.bin', stamp), undefined);
  // Nor one whose hashing took long enough that the change fell within it.
  const hashedSlowly = { text: '10 8 8 8 8', changedNs: nowNs() - 3_000_000_000n };
  hashes.set('/data/d.bin', hashedSlowly, HASH, 2_000);
  assert.equal(hashes.get('/data/d.bin', hashedSlowly), undefined);
  assert.ok(readdirSync(join(dir, FILE_HASHES_DIR)).every((name) => !name.startsWith('.tmp-')));
});

test('a cache directory that does not exist is not made', () => {
  const missing = join(dir, 'not-yet');
  new FileHashes(missing).set('/data/a.bin', { text: '1', changedNs: 0n }, HASH, 0);
  assert.equal(existsSync(missing), false);
});

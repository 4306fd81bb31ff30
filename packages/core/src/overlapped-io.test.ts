import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readHashing, writeHashing } from './overlapped-io.js';
import { DigestAlgorithm, digest, hasher } from './payload-digest.js';

const root = mkdtempSync(join(tmpdir(), 'funes-overlapped-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('writeHashing writes parts of any size from a position and returns their digest', async () => {
  const file = join(root, 'written');
  const parts = [randomBytes(3), randomBytes(5 * 1024 * 1024 + 7), new Uint8Array(0), randomBytes(2 * 1024 * 1024)];
  const fd = openSync(file, 'w');
  try {
    const written = await writeHashing(fd, parts, 10, hasher(DigestAlgorithm.blake3));
    assert.deepEqual(Buffer.from(written.digest), Buffer.from(digest(DigestAlgorithm.blake3, Buffer.concat(parts))));
    assert.equal(written.position, 10 + Buffer.concat(parts).length);
  } finally {
    closeSync(fd);
  }
  assert.deepEqual(readFileSync(file), Buffer.concat([Buffer.alloc(10), ...parts]));
});

test('readHashing fills a buffer, hashes from an offset to an end, and stops where the file ends', async () => {
  const file = join(root, 'read');
  const content = randomBytes(9 * 1024 * 1024 + 5);
  writeFileSync(file, content);
  const fd = openSync(file, 'r');
  try {
    for (const size of [content.length, content.length + 3 * 1024 * 1024]) {
      const bytes = Buffer.alloc(size);
      content.copy(bytes, 0, 0, 4096);
      const read = await readHashing(fd, bytes, 4096, 56, Infinity, () => hasher(DigestAlgorithm.sha256));
      assert.deepEqual(read.bytes, content);
      assert.deepEqual(Buffer.from(read.digest), Buffer.from(digest(DigestAlgorithm.sha256, content.subarray(56))));
      const end = content.length - 1000;
      const part = await readHashing(fd, Buffer.from(bytes), 4096, 40, end, () => hasher(DigestAlgorithm.blake3));
      assert.deepEqual(
        Buffer.from(part.digest),
        Buffer.from(digest(DigestAlgorithm.blake3, content.subarray(40, end))),
      );
    }
  } finally {
    closeSync(fd);
  }
});

test('readHashing reports a read that fails, and a hasher that cannot be made, once every read has ended', async () => {
  const fd = openSync(root, 'r');
  try {
    await assert.rejects(
      readHashing(fd, Buffer.alloc(7 * 1024 * 1024), 0, 0, Infinity, () => hasher(DigestAlgorithm.blake3)),
      { code: 'EISDIR' },
    );
  } finally {
    closeSync(fd);
  }
  const file = join(root, 'unhashed');
  const content = randomBytes(7 * 1024 * 1024);
  writeFileSync(file, content);
  const reading = openSync(file, 'r');
  const bytes = Buffer.alloc(7 * 1024 * 1024);
  try {
    await assert.rejects(
      readHashing(reading, bytes, 0, 0, Infinity, () => {
        throw new Error('no digest');
      }),
      /no digest/,
    );
  } finally {
    closeSync(reading);
  }
  // The first reads start before the hasher is asked for, and had ended when the read was rejected.
  assert.deepEqual(bytes.subarray(0, 1024 * 1024), content.subarray(0, 1024 * 1024));
});

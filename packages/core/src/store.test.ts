import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { serialize } from 'node:v8';
import { MessageChannel } from 'node:worker_threads';
import { encodeObject } from './object-format.js';
import { encodeRecord, makeRecord } from './record.js';
import {
  createFileAtomic,
  readObjectFile,
  readObjectListed,
  readObjectMetadata,
  readObjectOutput,
  VersionStore,
  writeFileAtomic,
} from './store.js';

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

test('objects of every size around the first read, and large typed arrays, read back whole', () => {
  const dir = join(root, 'sizes');
  const encode = (output: unknown) => encodeRecord(makeRecord({ input: {}, output, time: 0, async: false })).parts;
  const size = (parts: readonly Uint8Array[]) => parts.reduce((n, part) => n + part.length, 0);
  const overhead = size(encode(new Uint8Array(1000))) - 1000;
  for (const target of [4094, 4095, 4096, 4097, 9000]) {
    // Random bytes do not compress, so the object's size follows the output's.
    let bytes = new Uint8Array(randomBytes(target - overhead));
    while (size(encode(bytes)) > target) bytes = bytes.subarray(1);
    const parts = encode(bytes);
    const file = join(dir, target.toString(16).padStart(64, '0'));
    writeFileAtomic(file, dir, parts);
    assert.equal(statSync(file).size, target);
    const read = readObjectFile(file);
    assert.ok(read.status === 'hit', `object of ${target} bytes`);
    assert.deepEqual(read.record.output, bytes);
  }
  // Large typed arrays are stored as their bytes and read back as a view of the file's buffer.
  const floats = Float64Array.from({ length: 100_000 }, Math.random);
  const file = join(dir, 'a'.repeat(64));
  writeFileAtomic(file, dir, encode(floats));
  const read = readObjectFile(file);
  assert.ok(read.status === 'hit');
  assert.deepEqual(read.record.output, floats);
});

test('a small typed array stored as bytes by another writer is not overwritten by the next read', () => {
  const dir = join(root, 'foreign');
  // Writers store only large typed arrays as bytes; another tool may do so for small ones.
  const foreign = (values: number[]) => {
    const metadata = serialize({ input: {}, time: 0 });
    const prefix = new Uint8Array(8);
    prefix.set([0, 2, 8, 0]); // output as typed array bytes, Float64Array
    return encodeObject([prefix, new Uint8Array(Float64Array.from(values).buffer)], { compress: false, metadata })
      .parts;
  };
  const outputs = [[1, 2, 3], [4, 5, 6]].map((values, i) => {
    const file = join(dir, String(i).repeat(64));
    writeFileAtomic(file, dir, foreign(values));
    const read = readObjectFile(file);
    assert.ok(read.status === 'hit');
    return read.record.output;
  });
  assert.deepEqual(outputs, [Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6)]);
});

test('typed arrays inside small records read back are not overwritten by the next read', () => {
  const dir = join(root, 'views');
  const records = [1, 2].map((i) => {
    const file = join(dir, String(i).repeat(64));
    const record = makeRecord({
      input: { seed: Uint8Array.of(i) },
      output: { bytes: Buffer.from([i]), floats: Float64Array.of(i) },
      time: 0,
      async: false,
    });
    writeFileAtomic(file, dir, encodeRecord(record).parts);
    const read = readObjectFile(file);
    assert.ok(read.status === 'hit');
    return read.record;
  });
  assert.deepEqual(
    records.map((record) => [record.input, record.output]),
    [1, 2].map((i) => [{ seed: Uint8Array.of(i) }, { bytes: Buffer.from([i]), floats: Float64Array.of(i) }]),
  );
});

test('moving one output read back to another thread leaves every other output read back whole', () => {
  const dir = join(root, 'transfer');
  const read = [1, 2, 3].map((i) => {
    const file = join(dir, String(i).repeat(64));
    const output = Uint8Array.from({ length: 64 }, (_, at) => (at * 37 + i) & 255);
    writeFileAtomic(file, dir, encodeRecord(makeRecord({ input: { i }, output, time: 0, async: false })).parts);
    const hit = i === 3 ? readObjectFile(file) : readObjectOutput(file);
    assert.ok(hit.status === 'hit');
    return hit.record.output as Uint8Array;
  });
  const expected = read.map((bytes) => Buffer.from(bytes));
  const { port1, port2 } = new MessageChannel();
  try {
    port1.postMessage(read[0], [read[0].buffer as ArrayBuffer]);
  } catch {
    // Refusing the move is as good: the other outputs keep their bytes either way.
  }
  port1.close();
  port2.close();
  assert.deepEqual(Buffer.from(read[1]), expected[1]);
  assert.deepEqual(Buffer.from(read[2]), expected[2]);
});

test('createFileAtomic never replaces an existing file', () => {
  const dir = join(root, 'create');
  const file = join(dir, 'definition.json');
  assert.equal(createFileAtomic(file, dir, [Buffer.from('first')]), true);
  assert.equal(createFileAtomic(file, dir, [Buffer.from('second')]), false);
  assert.deepEqual(readdirSync(dir), ['definition.json']);
});

test('a file far larger than its header says (a sparse gigabyte) is judged from its ' +
    'header and size, never read whole', () => {
  const dir = join(root, 'sparse');
  const file = join(dir, 'a'.repeat(64));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    file,
    Buffer.concat(encodeRecord(makeRecord({ input: { x: 1 }, output: 'x'.repeat(5000), time: 1, async: false })).parts),
  );
  truncateSync(file, 2 ** 30);
  const before = process.memoryUsage().arrayBuffers;
  const read = readObjectFile(file);
  assert.equal(read.status, 'damaged');
  assert.match(read.status === 'damaged' ? read.reason : '', /header says/);
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 2 ** 20, 'no gigabyte buffer was allocated');
});

test('anything but a regular file at a key is damaged, and a FIFO does not hang the reader', () => {
  const dir = join(root, 'odd');
  mkdirSync(join(dir, 'd'.repeat(64)), { recursive: true });
  assert.deepEqual(readObjectFile(join(dir, 'd'.repeat(64))), {
    status: 'damaged',
    file: join(dir, 'd'.repeat(64)),
    reason: 'not a regular file',
  });
  const fifo = join(dir, 'e'.repeat(64));
  try {
    execFileSync('mkfifo', [fifo]);
  } catch {
    return; // No mkfifo here: the directory case above still ran.
  }
  assert.equal(readObjectFile(fifo).status, 'damaged');
  writeFileSync(join(dir, 'f'.repeat(64)), '');
  assert.deepEqual(readObjectFile(join(dir, 'f'.repeat(64))), {
    status: 'damaged',
    file: join(dir, 'f'.repeat(64)),
    reason: 'empty file',
  });
});

test('metadata reads give the record without its output, reading only the head of a raw object', () => {
  const dir = join(root, 'metadata');
  const cases = {
    small: { x: 1 },
    'large raw': Float64Array.from({ length: 100_000 }, Math.random),
    compressed: new Float64Array(100_000),
    'metadata past the first read': 'one',
    'compressed, with a long input': new Float64Array(100_000),
  };
  const inputs: Record<string, Record<string, unknown>> = {
    'metadata past the first read': { text: randomBytes(60_000).toString('base64') },
    'compressed, with a long input': { text: 'ab'.repeat(100_000) },
  };
  for (const [name, output] of Object.entries(cases)) {
    const input = inputs[name] ?? { name };
    const file = join(dir, Buffer.from(name).toString('hex').padEnd(64, '0').slice(0, 64));
    writeFileAtomic(file, dir, encodeRecord(makeRecord({ input, output, time: 2.5, async: true })).parts);
    const whole = readObjectFile(file);
    const metadata = readObjectMetadata(file);
    assert.ok(whole.status === 'hit' && metadata.status === 'hit', name);
    const { output: _, ...rest } = whole.record;
    assert.deepEqual(metadata.record, rest, name);
  }

  // A flipped byte in a raw output is for the checksum, which only a whole read verifies.
  const large = join(dir, Buffer.from('large raw').toString('hex').padEnd(64, '0').slice(0, 64));
  const bytes = readFileSync(large);
  bytes[bytes.length >> 1] ^= 1;
  writeFileSync(large, bytes);
  assert.deepEqual(readObjectFile(large), { status: 'damaged', file: large, reason: 'checksum mismatch' });
  assert.equal(readObjectMetadata(large).status, 'hit');
  // A cut object is damage to both: its header says how long it is.
  truncateSync(large, bytes.length - 8);
  assert.equal(readObjectMetadata(large).status, 'damaged');

  assert.deepEqual(readObjectMetadata(join(dir, 'f'.repeat(64))), { status: 'miss' });
  mkdirSync(join(dir, 'd'.repeat(64)));
  assert.deepEqual(readObjectMetadata(join(dir, 'd'.repeat(64))), {
    status: 'damaged',
    file: join(dir, 'd'.repeat(64)),
    reason: 'not a regular file',
  });
});

test('a listing read gives the whole record up to its bound, the metadata past it, ' +
    'and the fstat of the file read', () => {
  const dir = join(root, 'listed');
  const small = join(dir, '1'.repeat(64));
  const large = join(dir, '2'.repeat(64));
  const record = (x: number, output: unknown) =>
    encodeRecord(makeRecord({ input: { x }, output, time: x, async: false }));
  writeFileAtomic(small, dir, record(1, 'one').parts);
  const output = Float64Array.from({ length: 10_000 }, Math.random);
  writeFileAtomic(large, dir, record(2, output).parts);
  const bound = statSync(large).size - 1;

  const whole = readObjectListed(small, bound);
  assert.ok(whole.status === 'hit');
  assert.deepEqual(whole.record.record, (readObjectFile(small) as { record: unknown }).record);
  const { ino, mtimeMs, size } = statSync(small);
  const { stat } = whole.record;
  assert.deepEqual([stat.ino, stat.mtimeMs, stat.size], [ino, mtimeMs, size]);

  const cut = readObjectListed(large, bound);
  assert.ok(cut.status === 'hit');
  assert.deepEqual(cut.record.record, (readObjectMetadata(large) as { record: unknown }).record);
  assert.equal(cut.record.stat.size, bound + 1);
  const all = readObjectListed(large, bound + 1);
  assert.ok(all.status === 'hit' && 'output' in all.record.record);
  assert.deepEqual(all.record.record.output, output);

  // Written again: the read's stat is the new file's.
  writeFileAtomic(small, dir, record(1, 'two').parts);
  const again = readObjectListed(small, bound);
  assert.ok(again.status === 'hit' && 'output' in again.record.record && again.record.record.output === 'two');
  assert.equal(again.record.stat.ino, statSync(small).ino);

  // Damage is told as a whole read tells it; past the bound, a cut object's header gives it away.
  const bytes = readFileSync(small);
  bytes[bytes.length - 1] ^= 1;
  writeFileSync(small, bytes);
  assert.deepEqual(readObjectListed(small, bound), readObjectFile(small));
  truncateSync(large, bound - 8);
  assert.equal(readObjectListed(large, 100).status, 'damaged');
  assert.deepEqual(readObjectListed(join(dir, 'f'.repeat(64)), bound), { status: 'miss' });
  mkdirSync(join(dir, 'd'.repeat(64)));
  assert.deepEqual(readObjectListed(join(dir, 'd'.repeat(64)), bound), {
    status: 'damaged',
    file: join(dir, 'd'.repeat(64)),
    reason: 'not a regular file',
  });
});

test('a large object of an async call is hashed while written and read, ' +
    'to the bytes the sync path writes', async () => {
  const store = new VersionStore(join(root, 'overlapped'), 'large', 'a'.repeat(64));
  const key = 'b'.repeat(64);
  const floats = Float64Array.from({ length: 1_000_000 }, Math.random);
  const record = makeRecord({ input: { n: 1 }, output: floats, time: 1, async: true });
  const address = { definitionHash: store.definitionHash, argumentHash: key };
  const unsealed = encodeRecord(record, { hashWhileWriting: true, address });
  assert.equal(unsealed.unsealed, true);
  const writing = store.write(key, unsealed);
  assert.ok(writing instanceof Promise, 'the write goes on on the thread pool');
  await writing;
  assert.deepEqual(readFileSync(store.objectPath(key)), Buffer.concat(encodeRecord(record, { address }).parts));
  assert.deepEqual(readdirSync(store.dir), [key], 'no temp file stays');
  const reading = store.readOutputOverlapped(key);
  assert.ok(reading instanceof Promise, 'the read goes on on the thread pool');
  const hit = await reading;
  assert.deepEqual(hit, { status: 'hit', record: { ok: true, output: floats, async: true } });
  // The output is a view on bytes read for it alone: it can be moved to another thread.
  const output = hit.status === 'hit' ? (hit.record.output as Float64Array) : floats;
  const moved = structuredClone(output, { transfer: [output.buffer as ArrayBuffer] });
  assert.deepEqual(moved, floats);
  assert.equal(output.length, 0, 'the moved buffer is detached here');

  // Small and compressible objects are sealed, written and read at once.
  const other = 'c'.repeat(64);
  for (const output of [{ x: 1 }, new Float64Array(1_000_000)]) {
    const sealed = encodeRecord(makeRecord({ input: {}, output, time: 1, async: true }), {
      hashWhileWriting: true,
      address: { definitionHash: store.definitionHash, argumentHash: other },
    });
    assert.equal(sealed.unsealed, undefined);
    assert.equal(store.write(other, sealed), undefined);
    const read = store.readOutputOverlapped(other);
    assert.ok(!(read instanceof Promise) && read.status === 'hit');
    assert.deepEqual(read.record.output, output);
  }
  assert.deepEqual(store.readOutputOverlapped('d'.repeat(64)), { status: 'miss' });
});

test('damage to a large object read while hashed is found wherever it lies', async () => {
  const store = new VersionStore(join(root, 'overlapped-damage'), 'large', 'a'.repeat(64));
  const key = 'e'.repeat(64);
  const file = store.objectPath(key);
  const address = { definitionHash: store.definitionHash, argumentHash: key };
  const good = Buffer.concat(
    encodeRecord(
      makeRecord({ input: {}, output: Float64Array.from({ length: 700_000 }, Math.random), time: 1, async: true }),
      { address },
    ).parts,
  );
  const damages: [string, (bytes: Buffer) => Buffer, string][] = [
    ['a bit in the first read', (b) => ((b[300] ^= 4), b), 'checksum mismatch'],
    ['a bit in the middle', (b) => ((b[b.length >> 1] ^= 1), b), 'checksum mismatch'],
    [
      'the last byte, in the metadata, which a small metadata section shares the seal with',
      (b) => ((b[b.length - 1] ^= 0x80), b),
      'checksum mismatch',
    ],
    ['the seal', (b) => ((b[8] ^= 1), b), 'checksum mismatch'],
    ['the address', (b) => ((b[40] ^= 1), b), 'checksum mismatch'],
    ['the metadata digest', (b) => ((b[104] ^= 1), b), 'checksum mismatch'],
    [
      'cut short',
      (b) => b.subarray(0, b.length - 4096),
      `sections are ${good.length - 4096 - 176} bytes, header says ${good.length - 176}`,
    ],
    [
      'bytes appended',
      (b) => Buffer.concat([b, Buffer.alloc(1)]),
      `sections are ${good.length - 175} bytes, header says ${good.length - 176}`,
    ],
  ];
  for (const [name, damage, reason] of damages) {
    mkdirSync(store.dir, { recursive: true });
    writeFileSync(file, damage(Buffer.from(good)));
    const reading = store.readOutputOverlapped(key);
    // A size its header does not account for is judged before the rest is read; other damage, once read while hashed.
    assert.equal(reading instanceof Promise, reason.endsWith('checksum mismatch'), name);
    assert.deepEqual(await reading, { status: 'damaged', file, reason }, name);
  }
  // A raw payload has no slack: a flipped bit anywhere, header or payload, is found.
  for (let n = 0; n < 24; n++) {
    const bytes = Buffer.from(good);
    const at = n < 8 ? n * 7 : Math.floor(Math.random() * bytes.length);
    bytes[at] ^= 1 << Math.floor(Math.random() * 8);
    writeFileSync(file, bytes);
    assert.equal((await store.readOutputOverlapped(key)).status, 'damaged', `a bit flipped at ${at}`);
  }
});

test('an object stored under another key is refused by every read that knows the key; ' +
    'format-1 objects have no key to check', () => {
  const store = new VersionStore(join(root, 'swapped'), 'f', 'a'.repeat(64));
  const [keyA, keyB] = ['1'.repeat(64), '2'.repeat(64)];
  const recordA = makeRecord({ input: { x: 'A' }, output: 'result of A', time: 0, async: false });
  store.write(keyA, encodeRecord(recordA, { address: { definitionHash: store.definitionHash, argumentHash: keyA } }));
  assert.ok(store.readOutput(keyA).status === 'hit');
  // A's valid object copied to B's key, as a bundle or a remote could place it.
  writeFileSync(store.objectPath(keyB), readFileSync(store.objectPath(keyA)));
  const refusal = {
    status: 'damaged',
    file: store.objectPath(keyB),
    reason: `stored under another key (${'a'.repeat(12)}…/${'1'.repeat(12)}…)`,
  };
  assert.deepEqual(store.readOutput(keyB), refusal);
  assert.deepEqual(store.readOutputOverlapped(keyB), refusal);
  assert.deepEqual(store.read(keyB), refusal);
  assert.deepEqual(readObjectMetadata(store.objectPath(keyB)), refusal);
  // Under another version's directory too.
  const other = new VersionStore(join(root, 'swapped'), 'f', 'b'.repeat(64));
  mkdirSync(other.dir, { recursive: true });
  writeFileSync(other.objectPath(keyA), readFileSync(store.objectPath(keyA)));
  assert.equal(other.readOutput(keyA).status, 'damaged');

  // Format 1 (Funes 0.1) carries no address: it is read wherever it lies.
  const v1 = Buffer.from(
    [
      'iUZOUwEBAAC3AAAAAAAAALcAAAAAAAAArpVUnV47m9IGiLaPNpiiBTYciiGRMvnB4OLxyYrQFwwAAQAAigAAAP8PbyIJY3JlYXRl',
      'ZEF0RAAAgH5GGXpCIgRub2RlIgh2MjAuMjAuMiIEaG9zdCIMZXhhbXBsZS1ob3N0IghwbGF0Zm9ybSIJbGludXgteDY0IgVmdW5l',
      'cyIFMC4xLjAiBWlucHV0byIBeEkEIgVsYWJlbCIDdHdvewIiBHRpbWVOAAAAAAAA0D97BwAAAAAAAP8PbyIHZG91YmxlZEkIIgRs',
      'aXN0QQJJAkkEJAACewI=',
    ].join(''),
    'base64',
  );
  writeFileSync(store.objectPath(keyB), v1);
  assert.deepEqual(store.readOutput(keyB), {
    status: 'hit',
    record: { ok: true, output: { doubled: 4, list: [1, 2] }, async: false },
  });
});

test('a large argument is left out of what a hit reads and hashes; whole reads and metadata reads check it', () => {
  const store = new VersionStore(join(root, 'large-input'), 'f', 'a'.repeat(64));
  const key = '3'.repeat(64);
  const input = { rows: Array.from({ length: 5000 }, (_, i) => ({ i, label: `row ${i}`, value: Math.sin(i) })) };
  store.write(
    key,
    encodeRecord(makeRecord({ input, output: 42, time: 0, async: false }), {
      address: { definitionHash: store.definitionHash, argumentHash: key },
    }),
  );
  const bytes = readFileSync(store.objectPath(key));
  assert.ok(bytes.length > 16 * 1024, 'the metadata section is large');
  bytes[bytes.length - 10] ^= 1;
  writeFileSync(store.objectPath(key), bytes);
  assert.deepEqual(store.readOutput(key), { status: 'hit', record: { ok: true, output: 42, async: false } });
  const damaged = { status: 'damaged', file: store.objectPath(key), reason: 'metadata checksum mismatch' };
  assert.deepEqual(store.read(key), damaged);
  assert.deepEqual(readObjectMetadata(store.objectPath(key)), damaged);
  // A cut metadata section changes the file's size, which every read checks against the header.
  writeFileSync(store.objectPath(key), bytes.subarray(0, bytes.length - 1));
  assert.equal(store.readOutput(key).status, 'damaged');
});

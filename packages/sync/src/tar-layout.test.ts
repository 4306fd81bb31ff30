import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { sha256Hex } from '@funes/core/internal';
import tar from 'tar-stream';
import { fillMember, gzipOptions } from './member-writer.js';
import { END_OF_ARCHIVE, tarHeader, tarHeaderLength } from './tar-header.js';
import { tarMembers, type MemberJob, type TarEntry } from './tar-layout.js';

/** A member's bytes as pack writes them, compressed at `level` or as they call for. */
function writeMember(job: MemberJob, level: number | undefined): Buffer {
  const tar = Buffer.alloc(job.length);
  fillMember(job, tar);
  return gzipSync(tar, gzipOptions(tar, level));
}

const dir = mkdtempSync(join(tmpdir(), 'funes-tar-layout-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A file of `bytes` in the temp directory, as an entry that must keep its SHA-256. */
function fileEntry(name: string, bytes: Buffer): TarEntry {
  const file = join(dir, name.replaceAll('/', '_'));
  writeFileSync(file, bytes);
  return {
    name,
    mtimeMs: 1_700_000_000_000,
    content: { file, size: bytes.length, digest: sha256Hex(bytes), kind: 'metadata' },
    counted: true,
  };
}

/** The entries of a tar archive as tar-stream reads them: name, size and bytes. */
async function untar(bytes: Buffer): Promise<{ name: string; size: number; data: Buffer }[]> {
  const extract = tar.extract();
  Readable.from([bytes]).pipe(extract);
  const entries = [];
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    entries.push({ name: entry.header.name, size: entry.header.size ?? 0, data: Buffer.concat(chunks) });
  }
  return entries;
}

const longName = `${'f'.repeat(120)}/${'d'.repeat(64)}/${'a'.repeat(64)}`;
const contents = {
  'manifest.json': Buffer.from('{"format":"funes-bundle"}'),
  [`square/${'d'.repeat(64)}/${'a'.repeat(64)}`]: randomBytes(70_000),
  [`square/${'d'.repeat(64)}/definition.json`]: Buffer.alloc(0),
  [longName]: randomBytes(512),
  'café/été/x': randomBytes(513),
  'one-block': randomBytes(511),
  'three-members': Buffer.alloc(3 * 4096 + 7, 7),
};

function entries(): TarEntry[] {
  const [first, ...rest] = Object.entries(contents);
  return [
    { name: first[0], mtimeMs: 0, content: first[1], counted: false },
    ...rest.map(([name, bytes]) => fileEntry(name, bytes)),
  ];
}

describe('tar headers', () => {
  it('are one ustar block when the name fits, a PAX header before it otherwise', () => {
    assert.equal(tarHeader('a/b', 3, 0).length, tarHeaderLength('a/b'));
    assert.equal(tarHeaderLength(`square/${'d'.repeat(64)}/${'a'.repeat(64)}`), 512);
    assert.equal(tarHeader(longName, 3, 0).length, tarHeaderLength(longName));
    assert.ok(tarHeaderLength(longName) > 512);
    assert.ok(tarHeaderLength('café') > 512);
  });

  it('give sizes past ustar’s octal field in base-256, as GNU tar reads them', () => {
    const size = 2 ** 33 + 5;
    const archive = join(dir, 'huge.tar');
    writeFileSync(archive, tarHeader('huge', size, 0));
    let listing: string;
    try {
      listing = execFileSync('tar', ['tvf', archive], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (error) {
      // The data is not there: tar lists the header, then fails.
      listing = (error as { stdout: string }).stdout;
    }
    assert.match(listing, new RegExp(` ${size} .* huge\\n`));
  });
});

describe('a bundle laid out in members', () => {
  for (const memberBytes of [512, 1000, 4096, 1 << 20]) {
    it(`reads back as the entries, in members of ${memberBytes} bytes that any gunzip joins`, async () => {
      const jobs = [...tarMembers(entries(), memberBytes)];
      assert.ok(jobs.every((job) => job.length <= memberBytes && job.length > 0));
      const gzipped = Buffer.concat(jobs.map((job) => writeMember(job, undefined)));
      const tarBytes = gunzipSync(gzipped);
      assert.equal(tarBytes.length % 512, 0);
      assert.deepEqual(tarBytes.subarray(-END_OF_ARCHIVE), Buffer.alloc(END_OF_ARCHIVE));
      const read = await untar(tarBytes);
      assert.deepEqual(
        read.map((entry) => [entry.name, entry.data]),
        Object.entries(contents),
      );
      assert.deepEqual(read.map((entry) => entry.size), Object.values(contents).map((bytes) => bytes.length));
      // Each entry but the first is finished in exactly one member.
      assert.deepEqual(
        jobs.flatMap((job) => job.finished),
        Object.values(contents).slice(1).map((bytes) => bytes.length),
      );
      const listed = execFileSync('tar', ['tzf', '-', '--quoting-style=literal'], { input: gzipped, encoding: 'utf8' });
      assert.deepEqual(listed.trim().split('\n'), Object.keys(contents));
    });
  }

  it('uses the gzip level given for every member', () => {
    const [job] = tarMembers(entries(), 1 << 20);
    const stored = writeMember(job, 0);
    const smallest = writeMember(job, 9);
    assert.ok(stored.length > job.length);
    assert.ok(smallest.length < stored.length);
    assert.deepEqual(gunzipSync(smallest), gunzipSync(stored));
  });

  it('checks an object’s seal even when its member holds only its first bytes', async () => {
    // A format-1 object: magic, version, serializer, compression, reserved, sizes, the payload's SHA-256.
    const payload = randomBytes(1000);
    const object = Buffer.alloc(56 + payload.length);
    object.set([0x89, 0x46, 0x4e, 0x53, 1, 1, 0, 0]);
    object.writeBigUInt64LE(BigInt(payload.length), 8);
    object.writeBigUInt64LE(BigInt(payload.length), 16);
    object.write(sha256Hex(payload), 24, 'hex');
    object.set(payload, 56);
    const file = join(dir, 'object');
    writeFileSync(file, object);
    const source = { file, size: object.length, digest: sha256Hex(payload), kind: 'object' } as const;
    const jobs = [...tarMembers([{ name: 'o', mtimeMs: 0, content: source, counted: true }], 512 + 8)];
    assert.equal((jobs[0].parts[1] as { to: number }).to, 8);
    const read = await untar(gunzipSync(Buffer.concat(jobs.map((job) => writeMember(job, undefined)))));
    assert.deepEqual(read.map((entry) => entry.data), [object]);
    const other = Buffer.from(object);
    other[30] ^= 1;
    writeFileSync(file, other);
    assert.throws(() => writeMember(jobs[0], undefined), { code: 'ECACHECHANGED' });
  });

  it('fails with ECACHECHANGED when a file is no longer the one planned', () => {
    const entry = fileEntry('changing', Buffer.from('before'));
    const jobs = [...tarMembers([entry], 1 << 20)];
    writeFileSync((entry.content as { file: string }).file, Buffer.from('after!'));
    assert.throws(() => writeMember(jobs[0], undefined), { code: 'ECACHECHANGED' });
    rmSync((entry.content as { file: string }).file);
    assert.throws(() => writeMember(jobs[0], undefined), { code: 'ECACHECHANGED' });
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { constants as zlib, gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { MemberGzip, memberMethod } from './member-gzip.js';

const floatNoise = (count: number) => Buffer.from(Float64Array.from({ length: count }, () => Math.random()).buffer);
const text = (bytes: number) =>
  Buffer.from('{"lr":0.1,"epochs":10,"loss":0.25}\n'.repeat(Math.ceil(bytes / 35)).slice(0, bytes));

async function gzipWith(chunks: Buffer[], options: ConstructorParameters<typeof MemberGzip>[0]): Promise<Buffer> {
  const out = new MemberGzip(options);
  const collected = buffer(out);
  await pipeline(Readable.from(chunks), out);
  return collected;
}

describe('member gzip', () => {
  it('stores what would not shrink, codes float noise by run lengths alone, deflates the rest', () => {
    assert.deepEqual(memberMethod(randomBytes(1 << 16)), { level: 0, strategy: zlib.Z_DEFAULT_STRATEGY });
    assert.deepEqual(memberMethod(floatNoise(8192)), { level: 1, strategy: zlib.Z_RLE });
    assert.deepEqual(memberMethod(text(1 << 16)), { level: 1, strategy: zlib.Z_DEFAULT_STRATEGY });
  });

  it('writes members that any gunzip reads back as the bytes in order, whatever their size and number in flight', async () => {
    const chunks = [text(100), randomBytes(70_000), floatNoise(20_000), text(300_000), Buffer.alloc(0), randomBytes(5)];
    for (const parallel of [1, 3]) {
      const gzipped = await gzipWith(chunks, { memberBytes: 64 * 1024, parallel });
      assert.deepEqual(gunzipSync(gzipped), Buffer.concat(chunks));
      // Each member starts with gzip's magic bytes: more than one means the stream was split.
      assert.ok(gzipped.indexOf(Buffer.from([0x1f, 0x8b, 8])) !== gzipped.lastIndexOf(Buffer.from([0x1f, 0x8b, 8])));
    }
  });

  it('uses the level given for every member', async () => {
    const data = text(200_000);
    const stored = await gzipWith([data], { level: 0, memberBytes: 1 << 20, parallel: 2 });
    const deflated = await gzipWith([data], { level: 9, memberBytes: 1 << 20, parallel: 2 });
    assert.ok(stored.length > data.length);
    assert.ok(deflated.length < data.length / 10);
    assert.deepEqual(gunzipSync(deflated), data);
  });
});

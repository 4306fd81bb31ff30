import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { constants as zlib } from 'node:zlib';
import { describe, it } from 'node:test';
import { memberMethod } from './member-gzip.js';

const floatNoise = (count: number) => Buffer.from(Float64Array.from({ length: count }, () => Math.random()).buffer);
const text = (bytes: number) =>
  Buffer.from('{"lr":0.1,"epochs":10,"loss":0.25}\n'.repeat(Math.ceil(bytes / 35)).slice(0, bytes));

describe('member gzip', () => {
  it('stores what would not shrink, codes float noise by run lengths alone, deflates the rest', () => {
    assert.deepEqual(memberMethod(randomBytes(1 << 16)), { level: 0, strategy: zlib.Z_DEFAULT_STRATEGY });
    assert.deepEqual(memberMethod(floatNoise(8192)), { level: 1, strategy: zlib.Z_RLE });
    assert.deepEqual(memberMethod(text(1 << 16)), { level: 1, strategy: zlib.Z_DEFAULT_STRATEGY });
  });
});

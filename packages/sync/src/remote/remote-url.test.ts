import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketKey, formatRemoteUrl, parseRemoteUrl, relativeKey } from './remote-url.js';

const HASH = 'a'.repeat(64);

test('parses s3 URLs with prefixes, endpoints and regions', () => {
  assert.deepEqual(parseRemoteUrl('s3://ml-cache'), { bucket: 'ml-cache', prefix: '' });
  assert.deepEqual(parseRemoteUrl('s3://ml-cache/team/funes/'), { bucket: 'ml-cache', prefix: 'team/funes' });
  assert.deepEqual(parseRemoteUrl('s3://b12/p?endpoint=http%3A%2F%2F127.0.0.1%3A9000&region=eu-west-1'), {
    bucket: 'b12',
    prefix: 'p',
    endpoint: 'http://127.0.0.1:9000',
    region: 'eu-west-1',
  });
  assert.equal(formatRemoteUrl(parseRemoteUrl('s3://b12/a/b')), 's3://b12/a/b');
  assert.deepEqual(parseRemoteUrl('s3://b12/p?read-only=1'), { bucket: 'b12', prefix: 'p', readOnly: true });
  // A URL's scheme is case-insensitive; a bucket's name is not.
  assert.deepEqual(parseRemoteUrl('S3://ml-cache/funes'), { bucket: 'ml-cache', prefix: 'funes' });
});

test('refuses malformed URLs with a code and a hint', () => {
  for (const bad of [
    'http://b/p',
    's3://AB',
    's3://b12/a//c',
    's3://b12/../x',
    's3://b12/p?x=1',
    's3://b12?endpoint=ftp://h',
    's3://b12?read-only=yes',
  ]) {
    assert.throws(
      () => parseRemoteUrl(bad),
      (error: any) => error.code === 'EREMOTECONFIG' && error.hint.length > 0,
      bad,
    );
  }
});

test('maps cache keys to bucket keys under the prefix and back', () => {
  const location = { bucket: 'b12', prefix: 'p/q' };
  assert.equal(bucketKey(location, `f/${HASH}/${HASH}`), `p/q/f/${HASH}/${HASH}`);
  assert.equal(relativeKey(location, `p/q/f/${HASH}/${HASH}`), `f/${HASH}/${HASH}`);
  assert.equal(relativeKey(location, 'p/qr/x'), undefined);
  assert.equal(relativeKey({ bucket: 'b12', prefix: '' }, 'x/y'), 'x/y');
});

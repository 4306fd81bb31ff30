import assert from 'node:assert/strict';
import { test } from 'node:test';
import { remoteFailure } from './s3-client.js';

const remote = { name: 'origin', url: 's3://bkt/p', bucket: 'bkt', prefix: 'p', endpoint: 'http://127.0.0.1:9' };

test('maps SDK and network failures to stable codes and one-line messages', () => {
  const auth = remoteFailure(
    Object.assign(new Error('The request signature…\ncheck'), {
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    }),
    remote,
    'listing s3://bkt/p',
  );
  assert.equal(auth.code, 'EREMOTEAUTH');
  assert.equal(
    auth.message,
    'http://127.0.0.1:9 refused the credentials (SignatureDoesNotMatch) while listing s3://bkt/p',
  );
  assert.equal(
    remoteFailure(Object.assign(new Error('x'), { name: 'CredentialsProviderError' }), remote, 'a').code,
    'EREMOTEAUTH',
  );
  assert.equal(
    remoteFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), remote, 'a').code,
    'EREMOTEUNREACHABLE',
  );
  assert.equal(
    remoteFailure(Object.assign(new Error('gone'), { name: 'NoSuchBucket' }), remote, 'a').code,
    'ENOBUCKET',
  );
  const silent = remoteFailure(
    Object.assign(new Error('the request socket timed out after 60000 ms of inactivity'), { name: 'TimeoutError' }),
    remote,
    'uploading k',
  );
  assert.equal(silent.message, 'cannot reach http://127.0.0.1:9 (TimeoutError) while uploading k');
  const other = remoteFailure(
    Object.assign(new Error('slow\ndown'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }),
    remote,
    'uploading k',
  );
  assert.equal(other.code, 'EREMOTE');
  assert.doesNotMatch(other.message, /\n/);
});

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { remoteFailure, S3Remote } from './s3-client.js';

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

/** A server whose listing pages each carry `tokenAfter(page)` as the next token while `truncated(page)`. */
async function listingServer(
  truncated: (page: number) => boolean,
  tokenAfter: (page: number) => string | undefined,
): Promise<{ endpoint: string; requests: () => number; close: () => void }> {
  let requests = 0;
  const server = createServer((request, response) => {
    const page = requests++;
    const token = tokenAfter(page);
    response.writeHead(200, { 'content-type': 'application/xml', date: new Date().toUTCString() });
    response.end(
      '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        `<Name>bkt</Name><Prefix>p/</Prefix><IsTruncated>${truncated(page)}</IsTruncated>` +
        (token === undefined ? '' : `<NextContinuationToken>${token}</NextContinuationToken>`) +
        `<Contents><Key>p/train/${'a'.repeat(64)}/${page.toString(16).padStart(64, '0')}</Key>` +
        '<LastModified>2026-01-01T00:00:00.000Z</LastModified><Size>10</Size></Contents></ListBucketResult>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, requests: () => requests, close: () => server.close() };
}

test('a listing whose pages never end, or end without a token, is refused (EREMOTE) instead of looping or ' +
    'passing for the whole remote', async (t) => {
  process.env.AWS_ACCESS_KEY_ID ??= 'key';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'secret';
  const list = async (server: { endpoint: string }) => {
    const s3 = await S3Remote.connect({ ...remote, endpoint: server.endpoint }, { signingKey: undefined });
    const keys: string[] = [];
    for await (const entry of s3.list()) keys.push(entry.key);
    return keys;
  };
  const pages = await listingServer((page) => page < 2, (page) => (page < 2 ? `t${page}` : undefined));
  t.after(pages.close);
  assert.equal((await list(pages)).length, 3, 'pages that end are all read');
  const tokenless = await listingServer(() => true, () => undefined);
  t.after(tokenless.close);
  await assert.rejects(list(tokenless), { code: 'EREMOTE', message: /without a continuation token/ });
  const repeating = await listingServer(() => true, () => 'same');
  t.after(repeating.close);
  await assert.rejects(list(repeating), { code: 'EREMOTE', message: /listing does not end: .*repeats .* same/ });
  assert.equal(repeating.requests(), 2);
});

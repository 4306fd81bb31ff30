import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signatureProblem, signObject } from './object-signature.js';

const KEY = `f/${'a'.repeat(64)}/${'b'.repeat(64)}`;
const OTHER_KEY = `f/${'a'.repeat(64)}/${'c'.repeat(64)}`;
const bytes = Buffer.from('an object');

test('a signature covers the secret, the key and the bytes', () => {
  const signature = signObject('secret', KEY, bytes);
  assert.match(signature, /^[0-9a-f]{64}$/);
  assert.equal(signatureProblem('secret', KEY, bytes, signature), undefined);
  assert.equal(signatureProblem('secret', KEY, bytes, undefined), 'it is not signed');
  for (const [secret, key, data, why] of [
    ['other', KEY, bytes, 'another secret'],
    ['secret', OTHER_KEY, bytes, 'a genuine object moved to another key'],
    ['secret', KEY, Buffer.from('an objecT'), 'altered bytes'],
  ] as const) {
    assert.match(signatureProblem(secret, key, data, signature) ?? '', /signature is wrong/, why);
  }
  assert.match(signatureProblem('secret', KEY, bytes, 'zz') ?? '', /signature is wrong/, 'not hex at all');
});

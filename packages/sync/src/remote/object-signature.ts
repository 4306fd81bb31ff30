/**
 * Signed remotes (pure): with `FUNES_SIGNING_KEY` set, every object a process writes to
 * a remote carries an HMAC-SHA256 of its cache-relative key and bytes, in the object's
 * user metadata (`x-amz-meta-funes-signature`), and every object read is refused unless
 * its signature is right. A writer without the key can then plant nothing that readers
 * accept — not even a genuine object of another key, since the key is signed too. The
 * object's bytes stay those of the cache file, so a bucket remains a cache.
 */
import { createHmac, timingSafeEqual, type Hmac } from 'node:crypto';

/** The user-metadata name of the signature (sent as `x-amz-meta-funes-signature`). */
export const SIGNATURE_METADATA = 'funes-signature';

/** The environment variable holding the shared secret. */
export const SIGNING_KEY_VARIABLE = 'FUNES_SIGNING_KEY';

/** The signing secret from the environment; undefined when signing is off. */
export function signingKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[SIGNING_KEY_VARIABLE] || undefined;
}

/**
 * The HMAC an object's signature is, over a version tag and its
 * key so far: feed it the object's bytes, then digest it as hex.
 */
export function objectSigner(secret: string, key: string): Hmac {
  return createHmac('sha256', secret).update(`funes-object-v1\0${key}\0`);
}

/** The signature of an object: hex HMAC-SHA256 over a version tag, its key and its bytes. */
export function signObject(secret: string, key: string, bytes: Uint8Array): string {
  return objectSigner(secret, key).update(bytes).digest('hex');
}

/**
 * Why an object's signature is refused, or undefined when it is right;
 * `signed` is {@link signObject}'s answer for the bytes received.
 */
export function signatureMismatch(signed: string, signature: string | undefined): string | undefined {
  if (signature === undefined) return 'it is not signed';
  const expected = Buffer.from(signed, 'hex');
  const found = Buffer.from(signature, 'hex');
  return found.length === expected.length && timingSafeEqual(found, expected)
    ? undefined
    : 'its signature is wrong (signed with another key, or altered)';
}

/** Why an object's signature is refused, or undefined when it is right. */
export function signatureProblem(
  secret: string,
  key: string,
  bytes: Uint8Array,
  signature: string | undefined,
): string | undefined {
  return signatureMismatch(signObject(secret, key, bytes), signature);
}

/**
 * The one module that talks S3: list, get and put of cache-relative keys under a
 * remote's prefix, on @aws-sdk/client-s3. The SDK earns its place through the
 * standard credential chain (environment, shared profile, SSO, container and
 * instance roles), which Funes must honour and never reimplement; it is imported
 * lazily (≈ 80 ms), so caches without remotes never load it.
 *
 * Settings that make S3-compatible servers work: path-style addressing (no DNS per
 * bucket), and checksums only where required (servers such as Swift's s3api reject
 * the SDK's default CRC trailers). Integrity is ours instead: each upload carries
 * Content-MD5, which the server checks, and every object is verified by decoding.
 */
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { RemoteAuthError, RemoteError, RemoteRequestError, RemoteUnreachableError, NoSuchBucketError } from './errors.js';
import type { ResolvedRemote } from './remote-config.js';
import { bucketKey, formatRemoteUrl, relativeKey } from './remote-url.js';

type Sdk = typeof import('@aws-sdk/client-s3');

let sdk: Promise<Sdk> | undefined;

function loadSdk(): Promise<Sdk> {
  // The pinned SDK supports Node 20 but warns on every run that later releases will not; users cannot act on that.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return (sdk ??= import('@aws-sdk/client-s3'));
}

/** One object listed on a remote. */
export interface RemoteEntry {
  /** Cache-relative key: `<function-dir>/<definition-hash>/<file>`. */
  readonly key: string;
  readonly size: number;
}

const AUTH_ERRORS = new Set(['SignatureDoesNotMatch', 'InvalidAccessKeyId', 'AccessDenied', 'InvalidToken', 'ExpiredToken', 'InvalidClientTokenId', 'Forbidden']);
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** Waits at most this long for a connection: an unreachable endpoint fails in seconds, not after the OS's minutes. */
const CONNECT_TIMEOUT_MS = 5_000;
/** Attempts per request: servers answer 503 "SlowDown" under load, and the SDK's backoff between attempts (≈ 0.1 s doubling) needs a few rounds to help. */
const MAX_ATTEMPTS = 5;
/** A connection silent for this long has failed (by default the SDK would wait forever); large transfers are never silent. */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * Turns an SDK or network failure into a {@link RemoteError} with a one-line message
 * (pure). `action` says what was being done, e.g. `listing s3://b/p`.
 */
export function remoteFailure(error: unknown, remote: ResolvedRemote, action: string): RemoteError {
  if (error instanceof RemoteError) return error;
  const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number }; Code?: string };
  const name = e.Code ?? e.name ?? 'Error';
  const detail = String(e.message ?? error).replace(/\s+/g, ' ').trim();
  const url = formatRemoteUrl(remote);
  if (name === 'CredentialsProviderError') return new RemoteAuthError(`no AWS credentials found for ${url} (${detail})`, { cause: error });
  if (AUTH_ERRORS.has(name) || e.$metadata?.httpStatusCode === 403 || e.$metadata?.httpStatusCode === 401) {
    return new RemoteAuthError(`${remote.endpoint ?? 'S3'} refused the credentials (${name}) while ${action}`, { cause: error });
  }
  if (name === 'NoSuchBucket') return new NoSuchBucketError(remote.bucket, { cause: error });
  const code = e.code ?? (error as { cause?: { code?: string } }).cause?.code;
  if ((code && NETWORK_ERRORS.has(code)) || name === 'TimeoutError') {
    return new RemoteUnreachableError(`cannot reach ${remote.endpoint ?? 'S3'} (${code ?? name}) while ${action}`, { cause: error });
  }
  return new RemoteRequestError(`${url}: ${name}: ${detail} (while ${action})`, { cause: error });
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || (e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket');
}

/** A connection to one remote. */
export class S3Remote {
  private constructor(
    readonly remote: ResolvedRemote,
    private readonly client: S3Client,
    private readonly api: Sdk,
  ) {}

  /** Connects (lazily: the first request opens the connection and looks up credentials). */
  static async connect(remote: ResolvedRemote): Promise<S3Remote> {
    const api = await loadSdk();
    const client = new api.S3Client({
      region: remote.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      ...(remote.endpoint !== undefined && { endpoint: remote.endpoint, forcePathStyle: true }),
      maxAttempts: MAX_ATTEMPTS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, socketTimeout: IDLE_TIMEOUT_MS },
      // On AWS, a bucket in another region than the one configured answers with a redirect; follow it rather than fail.
      followRegionRedirects: true,
    });
    return new S3Remote(remote, client, api);
  }

  /** `s3://bucket/prefix`. */
  get url(): string {
    return formatRemoteUrl(this.remote);
  }

  /** Every object under the prefix (and `under`, a cache-relative prefix such as `train/`), with cache-relative keys. */
  async *list(under = ''): AsyncGenerator<RemoteEntry> {
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new this.api.ListObjectsV2Command({ Bucket: this.remote.bucket, Prefix: bucketKey(this.remote, under), ContinuationToken: token }),
        );
      } catch (error) {
        throw remoteFailure(error, this.remote, `listing ${this.url}`);
      }
      for (const object of page.Contents ?? []) {
        const key = object.Key === undefined ? undefined : relativeKey(this.remote, object.Key);
        if (key !== undefined) yield { key, size: object.Size ?? 0 };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** The bytes stored under a cache-relative key; undefined when there are none. */
  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const response = await this.client.send(new this.api.GetObjectCommand({ Bucket: this.remote.bucket, Key: bucketKey(this.remote, key) }));
      return await response.Body!.transformToByteArray();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw remoteFailure(error, this.remote, `downloading ${key}`);
    }
  }

  /** Stores bytes under a cache-relative key; the server checks them against their MD5. */
  async put(key: string, bytes: Uint8Array): Promise<void> {
    try {
      await this.client.send(
        new this.api.PutObjectCommand({
          Bucket: this.remote.bucket,
          Key: bucketKey(this.remote, key),
          Body: bytes,
          ContentLength: bytes.length,
          ContentMD5: createHash('md5').update(bytes).digest('base64'),
        }),
      );
    } catch (error) {
      throw remoteFailure(error, this.remote, `uploading ${key}`);
    }
  }

  /** Closes idle connections so the process can exit. */
  close(): void {
    this.client.destroy();
  }
}

/**
 * The one module that talks S3: list, get and put of cache-relative keys under a
 * remote's prefix, on @aws-sdk/client-s3. The SDK earns its place through the
 * standard credential chain (environment, shared profile, SSO, container and
 * instance roles), which Funes must honour and never reimplement; it is imported
 * lazily, so caches without remotes never pay for loading it.
 *
 * Settings that make S3-compatible servers work: path-style addressing (no DNS per
 * bucket), and checksums only where required (servers such as Swift's s3api reject
 * the SDK's default CRC trailers). Integrity is ours instead: each upload carries
 * Content-MD5, which the server checks, and every object is verified by decoding.
 */
import { createHash, randomBytes, type Hash, type Hmac } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  RemoteAuthError,
  RemoteError,
  RemoteReadOnlyError,
  RemoteRequestError,
  RemoteUnreachableError,
  NoSuchBucketError,
  NotS3Error,
  UnsignedObjectError,
} from './errors.js';
import {
  objectSigner,
  SIGNATURE_METADATA,
  signatureMismatch,
  signingKeyFromEnv,
  signObject,
} from './object-signature.js';
import type { ResolvedRemote } from './remote-config.js';
import { bucketKey, formatRemoteUrl, relativeKey } from './remote-url.js';

type Sdk = typeof import('@aws-sdk/client-s3');

let sdk: Promise<Sdk> | undefined;

function loadSdk(): Promise<Sdk> {
  // The pinned SDK supports Node 20 but warns on every run that later releases will not; users cannot act on that.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return (sdk ??= import('@aws-sdk/client-s3'));
}

/**
 * A local file to upload as it is read, never held whole: an open descriptor of it (read
 * from its start at each attempt, so a file replaced at its path meanwhile changes
 * nothing), its size, and its MD5 (base64) and signature as {@link S3Remote.uploadDigests}
 * found them on a first read.
 */
export interface FileUpload {
  readonly fd: number;
  readonly size: number;
  readonly md5: string;
  readonly signature: string | undefined;
}

/** What an upload sends: bytes held in memory, or a file read as it is sent. */
export type UploadBody = Uint8Array | FileUpload;

/** One object listed on a remote. */
export interface RemoteEntry {
  /** Cache-relative key: `<function-dir>/<definition-hash>/<file>`. */
  readonly key: string;
  readonly size: number;
  /** When the server last wrote it (its clock, ms since the epoch). */
  readonly lastModified: number;
}

/** Keys per DeleteObjects request: the S3 limit. */
const DELETE_BATCH = 1000;

const AUTH_ERRORS = new Set([
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'AccessDenied',
  'InvalidToken',
  'ExpiredToken',
  'InvalidClientTokenId',
  'Forbidden',
]);
const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** Waits at most this long for a connection: an unreachable endpoint fails in seconds, not after the OS's minutes. */
const CONNECT_TIMEOUT_MS = 5_000;
/**
 * Attempts per request: servers answer 503 "SlowDown" under load, and the SDK's
 * backoff between attempts (doubling each time) needs a few rounds to help.
 */
const MAX_ATTEMPTS = 5;
/**
 * A connection silent for this long has failed (by default the
 * SDK would wait forever); large transfers are never silent.
 */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * Turns an SDK or network failure into a {@link RemoteError} with a one-line message
 * (pure). `action` says what was being done, e.g. `listing s3://b/p`.
 */
export function remoteFailure(error: unknown, remote: ResolvedRemote, action: string): RemoteError {
  if (error instanceof RemoteError) return error;
  const e = error as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
    Code?: string;
  };
  const name = e.Code ?? e.name ?? 'Error';
  const detail = String(e.message ?? error).replace(/\s+/g, ' ').trim();
  const url = formatRemoteUrl(remote);
  if (name === 'CredentialsProviderError') {
    return new RemoteAuthError(`no AWS credentials found for ${url} (${detail})`, { cause: error });
  }
  if (AUTH_ERRORS.has(name) || e.$metadata?.httpStatusCode === 403 || e.$metadata?.httpStatusCode === 401) {
    return new RemoteAuthError(`${remote.endpoint ?? 'S3'} refused the credentials (${name}) while ${action}`, {
      cause: error,
    });
  }
  if (name === 'NoSuchBucket') return new NoSuchBucketError(remote.bucket, { cause: error });
  const code = e.code ?? (error as { cause?: { code?: string } }).cause?.code;
  if ((code && NETWORK_ERRORS.has(code)) || name === 'TimeoutError') {
    return new RemoteUnreachableError(`cannot reach ${remote.endpoint ?? 'S3'} (${code ?? name}) while ${action}`, {
      cause: error,
    });
  }
  return new RemoteRequestError(`${url}: ${name}: ${detail} (while ${action})`, { cause: error });
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e.name === 'NoSuchKey' ||
    e.name === 'NotFound' ||
    (e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket')
  );
}

/**
 * An ETag without its quotes: Ceph RGW matches `If-Match` only against the bare value, and other servers accept it too.
 */
function unquote(etag: string): string {
  return etag.replace(/^"(.*)"$/, '$1');
}

/** A small state object read with what judging it by the server's clock needs. */
export interface StateObject {
  readonly text: string;
  readonly etag: string;
  /** When the server last wrote it (its clock, ms since the epoch). */
  readonly lastModified: number;
  /** The server's time when it answered (its `Date` header). */
  readonly serverNow: number;
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/**
 * Whether a failed request may succeed when sent again: the server was busy or failed
 * (5xx but 501, 429), or the connection did. The SDK decides this itself, except for
 * bodies read from a stream, which it cannot send twice.
 */
function mayRetry(error: unknown): boolean {
  const status = httpStatus(error);
  if (status !== undefined) return status === 429 || (status >= 500 && status !== 501);
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  return (code !== undefined && NETWORK_ERRORS.has(code)) || (error as { name?: string }).name === 'TimeoutError';
}

/** The body of a PUT: the bytes, or a fresh stream of the file for each attempt. */
function bodyOf(body: UploadBody): { Body: Uint8Array | Readable; ContentLength: number } {
  return body instanceof Uint8Array
    ? { Body: body, ContentLength: body.length }
    : { Body: createReadStream('', { fd: body.fd, start: 0, autoClose: false }), ContentLength: body.size };
}

/**
 * What a conditional create did: stored the object, found one there
 * (412), or was refused as a request the server does not support.
 */
type ConditionalCreate = 'created' | 'exists' | { readonly unsupported: string };

/** What the capability probe found about a server. */
export interface ConditionalWritesVerdict {
  /** Whether `If-None-Match: *` creates are atomic here: of two creates of one key, one succeeds and one gets 412. */
  readonly conditionalWrites: boolean;
  /** One plain sentence saying what the server did. */
  readonly detail: string;
}

/** Options of {@link S3Remote.connect}. */
export interface ConnectOptions {
  /**
   * The secret every object is signed with and checked against (see object-signature.ts).
   * @default process.env.FUNES_SIGNING_KEY
   */
  readonly signingKey?: string;
  /** Called with each verdict of {@link S3Remote.probeConditionalWrites}, e.g. to record it. */
  readonly onProbed?: (verdict: ConditionalWritesVerdict) => void;
}

/** A connection to one remote. */
export class S3Remote {
  private conditional: Promise<boolean> | undefined;
  private confirmed: Promise<void> | undefined;

  private constructor(
    readonly remote: ResolvedRemote,
    private readonly client: S3Client,
    private readonly api: Sdk,
    private readonly signingKey: string | undefined,
    private readonly onProbed: ConnectOptions['onProbed'],
  ) {}

  /** Connects (lazily: the first request opens the connection and looks up credentials). */
  static async connect(remote: ResolvedRemote, options: ConnectOptions = {}): Promise<S3Remote> {
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
      // The SDK would print a failed stream upload's message on the console; the failure itself is reported.
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    });
    // Leases are judged by the server's clock: keep each response's Date header on its output.
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const date = (result as { response?: { headers?: Record<string, string> } }).response?.headers?.date;
        if (date !== undefined && result.output) Object.assign(result.output, { $serverDate: date });
        return result;
      },
      { step: 'initialize', name: 'funesServerDate' },
    );
    return new S3Remote(
      remote,
      client,
      api,
      'signingKey' in options ? options.signingKey : signingKeyFromEnv(),
      options.onProbed,
    );
  }

  /** Whether objects are signed on write and refused unless rightly signed on read. */
  get signing(): boolean {
    return this.signingKey !== undefined;
  }

  /** `s3://bucket/prefix`. */
  get url(): string {
    return formatRemoteUrl(this.remote);
  }

  /**
   * Every object under the prefix (and `under`, a cache-relative prefix such as `train/`), with cache-relative keys.
   */
  async *list(under = ''): AsyncGenerator<RemoteEntry> {
    let token: string | undefined;
    // A server that answers a page with a token it gave before, or with none, would make the listing loop or
    // stop short: either way what follows (verify, pull, gc) would see only part of the remote.
    const seen = new Set<string>();
    do {
      let page;
      try {
        page = await this.client.send(
          new this.api.ListObjectsV2Command({
            Bucket: this.remote.bucket,
            Prefix: bucketKey(this.remote, under),
            ContinuationToken: token,
          }),
        );
      } catch (error) {
        throw remoteFailure(error, this.remote, `listing ${this.url}`);
      }
      // Every S3 listing names its bucket; a page without one is not S3's, and reading it as an
      // empty listing would make every key look missing (pushed, then found "already there").
      if (page.Name === undefined) throw new NotS3Error(this.remote.endpoint ?? 'S3', `listing ${this.url}`);
      for (const object of page.Contents ?? []) {
        const key = object.Key === undefined ? undefined : relativeKey(this.remote, object.Key);
        if (key !== undefined) yield { key, size: object.Size ?? 0, lastModified: object.LastModified?.getTime() ?? 0 };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated && (token === undefined || seen.has(token))) {
        throw new RemoteRequestError(
          `${this.url}: the server's listing does not end: a truncated page ${
            token === undefined ? 'without a continuation token' : `repeats the continuation token ${token}`
          } (while listing ${this.url})`,
        );
      }
      if (token !== undefined) seen.add(token);
    } while (token);
  }

  /**
   * Confirms, once per connection, that the endpoint is an S3 server holding the bucket: a
   * listing names its bucket. Requests that do not list cannot tell: a web page answering
   * every request would pass for a damaged object when read, and for a stored one when written.
   * Credentials that may read objects but not list them leave it untold: the requests' own
   * outcomes stand. Another failure is not kept, so the next request asks again.
   */
  confirmS3(): Promise<void> {
    return (this.confirmed ??= (async () => {
      let page;
      try {
        page = await this.client.send(
          new this.api.ListObjectsV2Command({
            Bucket: this.remote.bucket,
            Prefix: bucketKey(this.remote, '.funes/'),
            MaxKeys: 1,
          }),
        );
      } catch (error) {
        const failure = remoteFailure(error, this.remote, `listing ${this.url}`);
        if (failure instanceof RemoteAuthError) return;
        throw failure;
      }
      if (page.Name === undefined) throw new NotS3Error(this.remote.endpoint ?? 'S3', `listing ${this.url}`);
    })().catch((error: unknown) => {
      this.confirmed = undefined;
      throw error;
    }));
  }

  /**
   * The server's time now (the `Date` of an empty listing): what
   * remote ages are measured against, never this machine's clock.
   */
  async serverNow(): Promise<number> {
    try {
      const output = await this.client.send(
        new this.api.ListObjectsV2Command({
          Bucket: this.remote.bucket,
          Prefix: bucketKey(this.remote, ''),
          MaxKeys: 1,
        }),
      );
      const date = (output as { $serverDate?: string }).$serverDate;
      if (date !== undefined && !Number.isNaN(Date.parse(date))) return Date.parse(date);
    } catch (error) {
      throw remoteFailure(error, this.remote, `listing ${this.url}`);
    }
    throw new RemoteRequestError(
      `${this.url}: the server sent no Date header, so the age of its objects cannot be judged`,
    );
  }

  /**
   * Deletes objects by cache-relative key (a key already gone is fine), in batches of
   * DeleteObjects; the keys the server could not delete, with why. Only `funes gc
   * --remote` and `funes verify --remote --fix` (damaged objects) delete: results are otherwise immutable.
   */
  async delete(keys: readonly string[]): Promise<{ key: string; reason: string }[]> {
    if (this.remote.readOnly) throw new RemoteReadOnlyError(this.url);
    const failed: { key: string; reason: string }[] = [];
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      const command = new this.api.DeleteObjectsCommand({
        Bucket: this.remote.bucket,
        Delete: { Objects: batch.map((key) => ({ Key: bucketKey(this.remote, key) })), Quiet: true },
      });
      // Servers such as Swift's s3api require Content-MD5 on this request, and the SDK does not send it.
      command.middlewareStack.add(
        (next) => async (args) => {
          const request = args.request as { headers: Record<string, string>; body?: unknown };
          if (typeof request.body === 'string' || request.body instanceof Uint8Array) {
            request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
          }
          return next(args);
        },
        { step: 'build', name: 'funesContentMd5' },
      );
      let output;
      try {
        output = await this.client.send(command);
      } catch (error) {
        throw remoteFailure(error, this.remote, `deleting ${batch.length} objects from ${this.url}`);
      }
      for (const error of output.Errors ?? []) {
        const key = error.Key === undefined ? undefined : relativeKey(this.remote, error.Key);
        if (key !== undefined) failed.push({ key, reason: `${error.Code ?? 'Error'}: ${error.Message ?? ''}`.trim() });
      }
    }
    return failed;
  }

  /**
   * The bytes stored under a cache-relative key; undefined when there are none. With a
   * signing key, an object not rightly signed is refused with {@link UnsignedObjectError}.
   */
  async get(key: string): Promise<Uint8Array | undefined> {
    const download = await this.download(key);
    return download && buffer(download.body);
  }

  /**
   * The object stored under a cache-relative key as it arrives, never held whole;
   * undefined when there is none. With a signing key, an unsigned object is refused at
   * once and a wrongly signed one after its last byte, both with
   * {@link UnsignedObjectError}: whoever reads `body` must not keep the bytes until it ends.
   */
  async download(
    key: string,
  ): Promise<{ readonly size: number | undefined; readonly body: AsyncIterable<Uint8Array> } | undefined> {
    let response;
    try {
      response = await this.client.send(
        new this.api.GetObjectCommand({ Bucket: this.remote.bucket, Key: bucketKey(this.remote, key) }),
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw remoteFailure(error, this.remote, `downloading ${key}`);
    }
    const stream = response.Body as AsyncIterable<Uint8Array> & { destroy?: () => void };
    const signature = response.Metadata?.[SIGNATURE_METADATA];
    const signer = this.signingKey === undefined ? undefined : objectSigner(this.signingKey, key);
    if (signer && signature === undefined) {
      stream.destroy?.();
      throw new UnsignedObjectError(this.url, key, signatureMismatch('', undefined)!);
    }
    const { remote, url } = this;
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        for await (const chunk of stream) {
          signer?.update(chunk);
          yield chunk;
        }
      } catch (error) {
        throw remoteFailure(error, remote, `downloading ${key}`);
      }
      const problem = signer && signatureMismatch(signer.digest('hex'), signature);
      if (problem !== undefined) throw new UnsignedObjectError(url, key, problem);
    }
    return { size: response.ContentLength, body: body() };
  }

  /** Whether an object exists under a cache-relative key. */
  async has(key: string): Promise<boolean> {
    try {
      await this.client.send(
        new this.api.HeadObjectCommand({ Bucket: this.remote.bucket, Key: bucketKey(this.remote, key) }),
      );
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw remoteFailure(error, this.remote, `looking up ${key}`);
    }
  }

  /**
   * Stores bytes under a cache-relative key unless an object is there: results on a
   * remote are immutable, the first writer wins. Where the server honours conditional
   * writes the create is atomic (`If-None-Match: *`); elsewhere an existing object is
   * looked up first, so only two writers of one key at the same instant can both write
   * (each a complete result). The server checks the bytes against their MD5; with a
   * signing key they are signed. Returns whether this call stored them.
   */
  async create(key: string, bytes: UploadBody): Promise<boolean> {
    if (this.remote.readOnly) throw new RemoteReadOnlyError(this.url);
    const probedHere = this.conditional !== undefined;
    if (await this.conditionalWrites()) {
      const outcome = await this.createConditionally(key, bytes);
      if (typeof outcome === 'string') return outcome === 'created';
      if (!probedHere && this.remote.conditionalWrites !== undefined) {
        // A recorded verdict the server belies (another server, or a proxy, answers for it): probe again, once.
        this.conditional ??= this.probeConditionalWrites().then((verdict) => verdict.conditionalWrites);
        await this.conditional.catch((error: unknown) => {
          this.conditional = undefined;
          throw error;
        });
        return this.create(key, bytes);
      }
      throw new RemoteRequestError(
        `${this.url}: the server refused a conditional write it accepted before ` +
            `(${outcome.unsupported}) while uploading ${key}`,
      );
    }
    if (await this.has(key)) return false;
    try {
      await this.send(key, bytes, {});
    } catch (error) {
      throw remoteFailure(error, this.remote, `uploading ${key}`);
    }
    return true;
  }

  /**
   * Writes a small object outside the cache layout (`.funes/…`: use markers), replacing the
   * one there, so that its `LastModified` is the server's time of this write.
   */
  async replace(key: string, bytes: Uint8Array): Promise<void> {
    if (this.remote.readOnly) throw new RemoteReadOnlyError(this.url);
    try {
      await this.send(key, bytes, {});
    } catch (error) {
      throw remoteFailure(error, this.remote, `writing ${key}`);
    }
  }

  /**
   * The digests an upload of a file needs, fed its bytes as they are read: its MD5, and
   * its signature when this remote signs.
   */
  uploadDigests(key: string): { update(chunk: Uint8Array): void; digest(): Omit<FileUpload, 'fd' | 'size'> } {
    const md5: Hash = createHash('md5');
    const signer: Hmac | undefined = this.signingKey === undefined ? undefined : objectSigner(this.signingKey, key);
    return {
      update(chunk) {
        md5.update(chunk);
        signer?.update(chunk);
      },
      digest: () => ({ md5: md5.digest('base64'), signature: signer?.digest('hex') }),
    };
  }

  private async send(key: string, body: UploadBody, conditions: { IfNoneMatch?: string; IfMatch?: string }) {
    const digests =
      body instanceof Uint8Array
        ? {
          md5: createHash('md5').update(body).digest('base64'),
          signature: this.signingKey === undefined ? undefined : signObject(this.signingKey, key, body),
        }
        : body;
    const put = () =>
      this.client.send(
        new this.api.PutObjectCommand({
          Bucket: this.remote.bucket,
          Key: bucketKey(this.remote, key),
          ...bodyOf(body),
          ContentMD5: digests.md5,
          ...(digests.signature !== undefined && { Metadata: { [SIGNATURE_METADATA]: digests.signature } }),
          ...conditions,
        }),
      );
    // Bytes in memory are sent again by the SDK when an attempt fails; a stream is sent again from here.
    for (let attempt = 1; ; attempt++) {
      try {
        return await put();
      } catch (error) {
        if (body instanceof Uint8Array || attempt >= MAX_ATTEMPTS || !mayRetry(error)) throw error;
        await sleep(100 * 2 ** attempt);
      }
    }
  }

  private async createConditionally(key: string, bytes: UploadBody): Promise<ConditionalCreate> {
    try {
      await this.send(key, bytes, { IfNoneMatch: '*' });
      return 'created';
    } catch (error) {
      const status = httpStatus(error);
      if (status === 412) return 'exists';
      // A create that raced another on the same key may be answered
      // 409 (ConditionalRequestConflict); the key is then taken.
      if (status === 409) return 'exists';
      if (status === 501 || status === 400) {
        const e = error as { name?: string; message?: string };
        return {
          unsupported: `${e.name ?? 'Error'}: ${String(e.message ?? '')
            .replace(/\s+/g, ' ')
            .trim()}`,
        };
      }
      throw remoteFailure(error, this.remote, `uploading ${key}`);
    }
  }

  /**
   * A small object outside the cache layout (`.funes/…`: leases) with what a lease needs
   * to be judged by the server's clock: its ETag, when the server last wrote it and the
   * server's time now (the response's `Date`). Undefined when absent.
   */
  async readState(key: string): Promise<StateObject | undefined> {
    try {
      const response = await this.client.send(
        new this.api.GetObjectCommand({ Bucket: this.remote.bucket, Key: bucketKey(this.remote, key) }),
      );
      const text = await response.Body!.transformToString();
      const serverDate = (response as { $serverDate?: string }).$serverDate;
      return {
        text,
        etag: unquote(response.ETag ?? ''),
        lastModified: response.LastModified?.getTime() ?? 0,
        serverNow: serverDate ? Date.parse(serverDate) : (response.LastModified?.getTime() ?? 0),
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw remoteFailure(error, this.remote, `reading ${key}`);
    }
  }

  /**
   * Writes a small object outside the cache layout on a condition: `create` (only where
   * none is) or `match` (only over the version with that ETag). Returns the new ETag, or
   * undefined when the condition failed — which, for servers that answer a lost race
   * with 409 or 5xx instead of 412 (Ceph RGW), includes those answers: re-read to know.
   */
  async writeState(
    key: string,
    text: string,
    condition: { readonly create: true } | { readonly match: string },
  ): Promise<string | undefined> {
    if (this.remote.readOnly) throw new RemoteReadOnlyError(this.url);
    try {
      const output = await this.send(
        key,
        Buffer.from(text),
        'create' in condition ? { IfNoneMatch: '*' } : { IfMatch: condition.match },
      );
      return unquote(output.ETag ?? '');
    } catch (error) {
      const status = httpStatus(error);
      if (status === 412 || status === 409 || (status !== undefined && status >= 500 && status !== 501)) {
        return undefined;
      }
      throw remoteFailure(error, this.remote, `writing ${key}`);
    }
  }

  /**
   * Whether the server honours conditional writes: what this connection's probe found, else
   * what the configuration recorded, else what {@link probeConditionalWrites} finds (once
   * per connection; a probe that failed is tried again).
   */
  conditionalWrites(): Promise<boolean> {
    if (this.conditional) return this.conditional;
    if (this.remote.conditionalWrites !== undefined) return Promise.resolve(this.remote.conditionalWrites);
    return (this.conditional = this.probeConditionalWrites().then(
      (verdict) => verdict.conditionalWrites,
      (error: unknown) => {
        this.conditional = undefined;
        throw error;
      },
    ));
  }

  /**
   * Asks the server whether it honours conditional writes: two creates of one fresh key
   * under `<prefix>/.funes/` with `If-None-Match: *` must give one success and one 412.
   * A server may accept the header and ignore it, so accepting it is not enough. The
   * probe's object is then removed (a server that refuses the removal keeps it; it is
   * outside the cache layout, so never pulled).
   */
  async probeConditionalWrites(): Promise<ConditionalWritesVerdict> {
    const verdict = await this.askConditionalWrites();
    this.onProbed?.(verdict);
    return verdict;
  }

  private async askConditionalWrites(): Promise<ConditionalWritesVerdict> {
    if (this.remote.readOnly) throw new RemoteReadOnlyError(this.url);
    // A missing bucket fails here (ENOBUCKET): some servers refuse a conditional write before they look for the bucket.
    await this.list('.funes/').next();
    const key = `.funes/probe-${randomBytes(8).toString('hex')}`;
    const bytes = Buffer.from('funes conditional-write probe\n');
    try {
      const first = await this.createConditionally(key, bytes);
      if (typeof first !== 'string') {
        return { conditionalWrites: false, detail: `the server refuses conditional writes (${first.unsupported})` };
      }
      if (first === 'exists') {
        return { conditionalWrites: false, detail: 'the server answered 412 to the create of a fresh key' };
      }
      const second = await this.createConditionally(key, bytes);
      if (second === 'exists') {
        return {
          conditionalWrites: true,
          detail: 'the server honours conditional writes: of two creates of one key, the second got 412',
        };
      }
      if (second === 'created') {
        return {
          conditionalWrites: false,
          detail: 'the server ignores If-None-Match: a second create of one key replaced the first',
        };
      }
      return {
        conditionalWrites: false,
        detail: `the server refused a second conditional create (${second.unsupported})`,
      };
    } finally {
      await this.client
        .send(new this.api.DeleteObjectCommand({ Bucket: this.remote.bucket, Key: bucketKey(this.remote, key) }))
        .catch(() => undefined);
    }
  }

  /** Closes idle connections so the process can exit. */
  close(): void {
    this.client.destroy();
  }
}

/**
 * Remote URLs and object keys (pure). A remote is `s3://bucket/prefix`; under the
 * prefix the bucket holds exactly the cache directory's layout:
 *
 * ```
 * <prefix>/<function-dir>/<definition-hash>/<argument-hash>   one object, byte for byte as on disk
 * <prefix>/<function-dir>/<definition-hash>/definition.json    the version's metadata
 * ```
 * so a bucket is itself a cache that can be pulled from. Keys read from a remote are
 * untrusted: core's `parseCachePath` accepts only names of that layout, so nothing
 * pulled can land outside a version directory.
 */
import { RemoteConfigError } from './errors.js';

/** Where a remote's objects live. */
export interface RemoteLocation {
  readonly bucket: string;
  /** Key prefix without leading or trailing `/`; empty for the bucket's root. */
  readonly prefix: string;
}

/**
 * A parsed remote URL, with the endpoint, region and read-only
 * setting a `?endpoint=…&region=…&read-only=1` query may carry.
 */
export interface ParsedRemoteUrl extends RemoteLocation {
  readonly endpoint?: string;
  readonly region?: string;
  readonly readOnly?: boolean;
}

const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const URL_HINT = 'write it as s3://bucket or s3://bucket/prefix, e.g. s3://ml-cache/funes';

/** Checks an endpoint URL (http or https). */
export function checkEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new RemoteConfigError(
      `${JSON.stringify(endpoint)} is not an endpoint URL`,
      'give the S3 endpoint as http(s)://host[:port], e.g. https://s3.example.com',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RemoteConfigError(
      `endpoint ${JSON.stringify(endpoint)} is not http or https`,
      'give the S3 endpoint as http(s)://host[:port]',
    );
  }
  return endpoint;
}

/**
 * Whether a remote is given as a URL rather than by a configured name, which never holds
 * `://`: any scheme, so that one other than `s3://` is refused as a URL, not looked up as a name.
 */
export function isRemoteUrl(text: string | undefined): text is string {
  return text?.includes('://') === true;
}

/** Parses `s3://bucket[/prefix][?endpoint=URL&region=R&read-only=1]`; the scheme in any case, as in any URL. */
export function parseRemoteUrl(text: string): ParsedRemoteUrl {
  const match = /^s3:\/\/([^/?]*)(?:\/([^?]*))?(?:\?(.*))?$/i.exec(text);
  if (!match) throw new RemoteConfigError(`${JSON.stringify(text)} is not an s3:// URL`, URL_HINT);
  const [, bucket, rawPrefix = '', query] = match;
  if (!BUCKET_PATTERN.test(bucket)) {
    throw new RemoteConfigError(
      `${JSON.stringify(bucket)} is not a valid bucket name`,
      'bucket names are 3–63 characters of a–z, 0–9, dot and hyphen',
    );
  }
  const prefix = rawPrefix.replace(/\/+$/, '');
  const segments = prefix === '' ? [] : prefix.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new RemoteConfigError(`the prefix of ${JSON.stringify(text)} has an empty, "." or ".." segment`, URL_HINT);
  }
  const params = new URLSearchParams(query ?? '');
  for (const key of params.keys()) {
    if (key !== 'endpoint' && key !== 'region' && key !== 'read-only') {
      throw new RemoteConfigError(
        `unknown URL parameter ${JSON.stringify(key)} in ${JSON.stringify(text)}`,
        'only endpoint=, region= and read-only=1 are understood',
      );
    }
  }
  const endpoint = params.get('endpoint') ?? undefined;
  const region = params.get('region') ?? undefined;
  const readOnly = params.get('read-only') ?? undefined;
  if (readOnly !== undefined && readOnly !== '1' && readOnly !== 'true') {
    throw new RemoteConfigError(
      `read-only=${readOnly} in ${JSON.stringify(text)} is neither 1 nor true`,
      'write read-only=1, or leave it out',
    );
  }
  return {
    bucket,
    prefix,
    ...(endpoint !== undefined && { endpoint: checkEndpoint(endpoint) }),
    ...(region !== undefined && { region }),
    ...(readOnly !== undefined && { readOnly: true }),
  };
}

/** The `s3://bucket/prefix` form of a location. */
export function formatRemoteUrl(location: RemoteLocation): string {
  return `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`;
}

/** The bucket key of a cache-relative key. */
export function bucketKey(location: RemoteLocation, relative: string): string {
  return location.prefix ? `${location.prefix}/${relative}` : relative;
}

/** The cache-relative key of a bucket key under the location's prefix; undefined for keys outside it. */
export function relativeKey(location: RemoteLocation, key: string): string | undefined {
  if (!location.prefix) return key;
  return key.startsWith(`${location.prefix}/`) ? key.slice(location.prefix.length + 1) : undefined;
}

/** The cache-relative key of a file in a version directory. */
export function cacheKey(functionDir: string, definitionHash: string, file: string): string {
  return `${functionDir}/${definitionHash}/${file}`;
}

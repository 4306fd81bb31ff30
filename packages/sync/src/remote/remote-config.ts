/**
 * Remotes configured like git's, per cache directory, in `<cacheDir>/.funes/config.json`:
 *
 * ```json
 * { "format": 1,
 *   "remotes": { "origin": { "url": "s3://ml-cache/funes", "endpoint": "https://…", "region": "eu-west-1",
 *                            "readOnly": false, "conditionalWrites": true } },
 *   "buckets": { "https://minio.lab:9000 sweeps": { "conditionalWrites": true } } }
 * ```
 * `buckets` keeps the probe's verdicts about remotes given as URLs, so each is probed once here too.
 * A name starting with a dot never collides with a function directory. Only where the
 * objects live is stored here: credentials come from the standard AWS environment
 * variables or profile and are never written by Funes.
 */
import { join } from 'node:path';
import {
  acquireLockSync,
  DEFAULT_LEASE_MS,
  makeDirectory,
  prepareCacheDir,
  readRegularFile,
  writeFileAtomic,
} from '@funes/core/internal';
import { NoSuchRemoteError, RemoteConfigError, RemoteExistsError } from './errors.js';
import { checkEndpoint, formatRemoteUrl, isRemoteUrl, parseRemoteUrl, type ParsedRemoteUrl } from './remote-url.js';

/** The directory of Funes's own files in a cache directory. */
export const CONFIG_DIR = '.funes';
export const CONFIG_FILE = 'config.json';

/** One configured remote. */
export interface RemoteConfig {
  readonly name: string;
  /** `s3://bucket/prefix`. */
  readonly url: string;
  /** The S3 endpoint for non-AWS servers (MinIO, Ceph, Swift, R2, …); AWS's own when absent. */
  readonly endpoint?: string;
  /** The signing region. @default AWS_REGION, else us-east-1 */
  readonly region?: string;
  /** Pull and read through only: nothing is ever written to it (`funes remote add --read-only`). @default false */
  readonly readOnly?: boolean;
  /**
   * Whether the server honours conditional writes (`If-None-Match: *` creates exactly one
   * winner), as the probe found when the remote was added or first used; unknown until then.
   */
  readonly conditionalWrites?: boolean;
}

/** A remote ready to connect to: its configuration with the URL parsed. */
export interface ResolvedRemote extends ParsedRemoteUrl {
  /** The configured name, or the URL when the remote was given as a URL. */
  readonly name: string;
  readonly url: string;
  /** What the capability probe found, when it is recorded (for a configured remote, or a URL's bucket). */
  readonly conditionalWrites?: boolean;
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Checks a remote's name, URL and endpoint; returns it normalized. */
export function checkRemote(remote: RemoteConfig): RemoteConfig {
  if (!NAME_PATTERN.test(remote.name)) {
    throw new RemoteConfigError(
      `${JSON.stringify(remote.name)} is not a valid remote name`,
      'use letters, digits, ".", "_" and "-", starting with a letter or digit, e.g. origin',
    );
  }
  const parsed = parseRemoteUrl(remote.url);
  if (parsed.endpoint !== undefined || parsed.region !== undefined || parsed.readOnly !== undefined) {
    throw new RemoteConfigError(
      'a configured remote takes its endpoint, region and read-only setting as options, not in the URL',
      'use --endpoint, --region and --read-only',
    );
  }
  if (remote.endpoint !== undefined) checkEndpoint(remote.endpoint);
  if (remote.region !== undefined && !/^[a-z0-9-]+$/.test(remote.region)) {
    throw new RemoteConfigError(
      `${JSON.stringify(remote.region)} is not a region name`,
      'give a region such as us-east-1',
    );
  }
  return {
    name: remote.name,
    url: formatRemoteUrl(parsed),
    ...(remote.endpoint !== undefined && { endpoint: remote.endpoint }),
    ...(remote.region !== undefined && { region: remote.region }),
    ...(remote.readOnly === true && { readOnly: true }),
    ...(typeof remote.conditionalWrites === 'boolean' && { conditionalWrites: remote.conditionalWrites }),
  };
}

/** Reads a configuration file's text (pure); malformed files are an error, not an empty list. */
export function parseConfig(text: string, file: string): RemoteConfig[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RemoteConfigError(`${file} is not valid JSON`, 'fix or remove the file, then add the remotes again');
  }
  const remotes = (value as { remotes?: unknown } | null)?.remotes ?? {};
  if (typeof remotes !== 'object' || remotes === null || Array.isArray(remotes)) {
    throw new RemoteConfigError(
      `${file} has no valid "remotes" object`,
      'fix or remove the file, then add the remotes again',
    );
  }
  return Object.entries(remotes as Record<string, Omit<RemoteConfig, 'name'>>).map(([name, remote]) =>
    checkRemote({ ...remote, name }),
  );
}

/**
 * What the capability probe found about the buckets of remotes given as URLs, by
 * {@link bucketId}, as a configuration file's text holds it (pure); a malformed entry is left out.
 */
export function parseProbedBuckets(text: string): Record<string, boolean> {
  let buckets: unknown;
  try {
    buckets = (JSON.parse(text) as { buckets?: unknown } | null)?.buckets;
  } catch {
    return {};
  }
  if (typeof buckets !== 'object' || buckets === null) return {};
  return Object.fromEntries(
    Object.entries(buckets as Record<string, { conditionalWrites?: unknown } | null>).flatMap(([id, found]) =>
      typeof found?.conditionalWrites === 'boolean' ? [[id, found.conditionalWrites]] : [],
    ),
  );
}

/** The configuration file's text for a list of remotes, and what the probe found about URLs' buckets (pure). */
export function formatConfig(remotes: readonly RemoteConfig[], buckets: Record<string, boolean> = {}): string {
  const entries = Object.fromEntries(remotes.map(({ name, ...rest }) => [name, rest]));
  const probed = Object.entries(buckets).map(([id, conditionalWrites]) => [id, { conditionalWrites }]);
  return `${JSON.stringify(
    { format: 1, remotes: entries, ...(probed.length > 0 && { buckets: Object.fromEntries(probed) }) },
    null,
    2,
  )}\n`;
}

/**
 * What a probe's verdict about a remote given as a URL is recorded under: its bucket on its
 * server, which is what the verdict is about (the prefix, region and read-only setting are not).
 */
export function bucketId(remote: ParsedRemoteUrl): string {
  return `${remote.endpoint ?? 'https://s3.amazonaws.com'} ${remote.bucket}`;
}

function configPath(cacheDir: string): string {
  return join(cacheDir, CONFIG_DIR, CONFIG_FILE);
}

/** The configuration file's text; undefined when there is none. */
function readConfig(cacheDir: string): string | undefined {
  try {
    return readRegularFile(configPath(cacheDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The remotes configured for a cache directory, in the order they were added. */
export function listRemotes(cacheDir: string): RemoteConfig[] {
  const text = readConfig(cacheDir);
  return text === undefined ? [] : parseConfig(text, configPath(cacheDir));
}

/** The lock a change of the configuration holds, so that changes made at once by two processes both stay. */
const CONFIG_LOCK = '.lock-config';

/** Editing the configuration takes milliseconds: a holder that keeps it longer is stuck. */
const CONFIG_LOCK_SETTINGS = { timeoutMs: 30_000, leaseMs: DEFAULT_LEASE_MS, skip: false };

/**
 * Changes the configured remotes: `change` gets them as they are and returns them as they
 * are to be (or undefined to leave them), under the configuration's lock.
 */
function changeRemotes(cacheDir: string, change: (remotes: RemoteConfig[]) => RemoteConfig[] | undefined): void {
  changeConfig(cacheDir, (remotes, buckets) => {
    const changed = change(remotes);
    return changed && { remotes: changed, buckets };
  });
}

/** {@link changeRemotes}, for the buckets' verdicts too. */
function changeConfig(
  cacheDir: string,
  change: (
    remotes: RemoteConfig[],
    buckets: Record<string, boolean>,
  ) => { remotes: RemoteConfig[]; buckets: Record<string, boolean> } | undefined,
): void {
  const read = () => {
    const text = readConfig(cacheDir);
    return change(
      text === undefined ? [] : parseConfig(text, configPath(cacheDir)),
      text === undefined ? {} : parseProbedBuckets(text),
    );
  };
  // A change refused as things stand (a name taken, or unknown) is refused before anything is created.
  if (read() === undefined) return;
  const dir = join(cacheDir, CONFIG_DIR);
  prepareCacheDir(cacheDir);
  makeDirectory(dir);
  const { lock } = acquireLockSync(join(dir, CONFIG_LOCK), dir, () => undefined, CONFIG_LOCK_SETTINGS);
  try {
    const changed = read();
    if (changed) {
      writeFileAtomic(configPath(cacheDir), dir, [Buffer.from(formatConfig(changed.remotes, changed.buckets))]);
    }
  } finally {
    lock?.release();
  }
}

/** Adds a remote to a cache directory's configuration (creating it); a taken name is an error. */
export function addRemote(cacheDir: string, remote: RemoteConfig): RemoteConfig {
  const checked = checkRemote(remote);
  changeRemotes(cacheDir, (remotes) => {
    if (remotes.some((existing) => existing.name === checked.name)) throw new RemoteExistsError(checked.name);
    return [...remotes, checked];
  });
  return checked;
}

/** Records what the capability probe found about a configured remote's server. */
export function recordConditionalWrites(cacheDir: string, name: string, conditionalWrites: boolean): void {
  changeRemotes(cacheDir, (remotes) =>
    remotes.some((remote) => remote.name === name)
      ? remotes.map((remote) => (remote.name === name ? { ...remote, conditionalWrites } : remote))
      : undefined,
  );
}

/** Records what the capability probe found about the bucket of a remote given as a URL (see {@link bucketId}). */
export function recordBucketConditionalWrites(
  cacheDir: string,
  remote: ParsedRemoteUrl,
  conditionalWrites: boolean,
): void {
  const id = bucketId(remote);
  changeConfig(cacheDir, (remotes, buckets) =>
    buckets[id] === conditionalWrites ? undefined : { remotes, buckets: { ...buckets, [id]: conditionalWrites } },
  );
}

/** Removes a remote from the configuration; returns what was removed. */
export function removeRemote(cacheDir: string, name: string): RemoteConfig {
  let removed: RemoteConfig | undefined;
  changeRemotes(cacheDir, (remotes) => {
    removed = remotes.find((remote) => remote.name === name);
    if (!removed) {
      throw new NoSuchRemoteError(
        `no remote named ${JSON.stringify(name)}`,
        '`funes remote list` shows the remotes configured',
      );
    }
    return remotes.filter((remote) => remote !== removed);
  });
  return removed!;
}

/**
 * Picks a remote (pure): by name; an `s3://` URL stands for itself; with no name, the
 * only remote configured, else the one named `origin`.
 */
export function chooseRemote(remotes: readonly RemoteConfig[], requested: string | undefined): ResolvedRemote {
  if (isRemoteUrl(requested)) return { name: requested, url: requested, ...parseRemoteUrl(requested) };
  let remote: RemoteConfig | undefined;
  if (requested !== undefined) {
    remote = remotes.find((candidate) => candidate.name === requested);
    if (!remote) {
      throw new NoSuchRemoteError(`no remote named ${JSON.stringify(requested)} is configured for this cache`);
    }
  } else {
    remote = remotes.length === 1 ? remotes[0] : remotes.find((candidate) => candidate.name === 'origin');
    if (!remote) {
      throw remotes.length === 0
        ? new NoSuchRemoteError('no remote is configured for this cache')
        : new NoSuchRemoteError(
            `${remotes.length} remotes are configured and none is named origin`,
            `name one: ${remotes.map((r) => r.name).join(', ')}`,
          );
    }
  }
  return { ...remote, ...parseRemoteUrl(remote.url) };
}

/**
 * Resolves a remote name or URL for a cache directory (see {@link chooseRemote}); a URL
 * with what the probe recorded about its bucket here, if anything.
 */
export function resolveRemote(cacheDir: string, requested: string | undefined): ResolvedRemote {
  if (!isRemoteUrl(requested)) return chooseRemote(listRemotes(cacheDir), requested);
  const resolved = chooseRemote([], requested);
  // A configuration this process cannot read costs a probe, never the use of a remote given in full.
  let text: string | undefined;
  try {
    text = readConfig(cacheDir);
  } catch {
    text = undefined;
  }
  const recorded = text === undefined ? undefined : parseProbedBuckets(text)[bucketId(resolved)];
  return recorded === undefined ? resolved : { ...resolved, conditionalWrites: recorded };
}

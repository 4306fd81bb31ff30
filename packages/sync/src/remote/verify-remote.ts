/**
 * `funes verify --remote`: checks objects on a remote as a pull would — each streamed
 * through the checks of `unpack` (checksum included) and, with `FUNES_SIGNING_KEY`, its
 * signature checked — without storing anything or holding an object whole. A sample by
 * default, so a large bucket is checked in seconds. With `fix`, the damaged objects it
 * found are deleted: writes to a remote never replace an object, so a damaged one would
 * otherwise stay there for good, and a push from a machine whose copy is intact could not
 * repair it.
 */
import { randomInt } from 'node:crypto';
import { isNewerFormat, METADATA_FILE } from '@funes/core/internal';
import { connectRemote } from './connect.js';
import { RemoteReadOnlyError, UnsignedObjectError } from './errors.js';
import { forEachLimited } from './pool.js';
import { listRemote, listSelection, receiveChecked } from './transfer.js';

/** Options of {@link verifyRemote}. */
export interface RemoteVerifyOptions {
  readonly cacheDir: string;
  /** A configured remote's name or an `s3://` URL. @default the only remote configured, else `origin` */
  readonly remote?: string;
  /** Check only these functions' objects (`name`, `name@hash-prefix`), as `pull` selects them. @default all */
  readonly functions?: readonly string[];
  /** How many objects to check, picked at random; 0 checks every one. @default 100 */
  readonly sample?: number;
  /** Downloads at once. @default 8 */
  readonly concurrency?: number;
  /**
   * Delete the damaged objects found (whole downloads that fail their checks), so a push
   * can send them again; objects refused by their signature, and those in a format newer
   * than this Funes reads, are left. @default false
   */
  readonly fix?: boolean;
}

/** What {@link verifyRemote} found. */
export interface RemoteVerifyResult {
  readonly remote: string;
  readonly url: string;
  /** Objects of the cache layout on the remote (of the functions asked for). */
  readonly listed: number;
  readonly checked: number;
  /** Keys that failed to decode or describe another version. */
  readonly damaged: readonly string[];
  /** Keys refused by their signature (with `FUNES_SIGNING_KEY` set). */
  readonly refused: readonly string[];
  /** Damaged keys in a format newer than this Funes reads: perhaps intact, never deleted. */
  readonly newerFormat: readonly string[];
  /** With `fix`: the damaged keys deleted from the remote. */
  readonly removed: readonly string[];
}

/** `count` keys picked at random (all of them for 0 or more than there are). */
function sampleOf(keys: string[], count: number): string[] {
  if (count <= 0 || count >= keys.length) return keys;
  for (let i = 0; i < count; i++) {
    const j = i + randomInt(keys.length - i);
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  return keys.slice(0, count);
}

/**
 * Whether a file that fails this Funes's checks may be intact for a newer one: a remote is
 * shared by machines that upgrade at different times, and `fix` must not delete their results.
 */
function mayBeNewer(key: string, bytes: Uint8Array): boolean {
  if (!key.endsWith(`/${METADATA_FILE}`)) return isNewerFormat(bytes);
  try {
    const { format } = JSON.parse(Buffer.from(bytes).toString('utf8')) as { format?: unknown };
    return typeof format === 'number' && format > 1;
  } catch {
    return false;
  }
}

/**
 * Downloads a sample of a remote's objects and checks each as a pull would.
 *
 * @example
 * ```ts
 * const { damaged, refused } = await verifyRemote({ cacheDir: './cache', remote: 'origin', sample: 0 });
 * await verifyRemote({ cacheDir: './cache', remote: 'origin', sample: 0, fix: true }); // delete what is damaged
 * ```
 */
export async function verifyRemote(options: RemoteVerifyOptions): Promise<RemoteVerifyResult> {
  const remote = await connectRemote(options.cacheDir, options.remote);
  try {
    if (options.fix && remote.remote.readOnly) throw new RemoteReadOnlyError(remote.remote.name, 'verify --fix');
    const listing = await listSelection((dirs) => listRemote(remote, dirs), options.functions ?? [], remote.url);
    const keys = [...listing.keys()];
    const chosen = sampleOf(keys, options.sample ?? 100);
    const damaged: string[] = [];
    const refused: string[] = [];
    const newerFormat: string[] = [];
    // A transfer cut short proves no damage: only what failed a check is deleted.
    const removable: string[] = [];
    await forEachLimited(chosen, options.concurrency ?? 8, async (key) => {
      try {
        // A definition.json is small (its check bounds it) and read whole to tell a newer format.
        const chunks: Uint8Array[] = [];
        const whole = key.endsWith(`/${METADATA_FILE}`) ? (chunk: Uint8Array) => chunks.push(chunk) : undefined;
        // Format 1 carries no address; its integrity is what is checked here, as a pull asked to accept it would.
        const received = await receiveChecked(remote, key, listing.get(key) ?? 0, whole, { acceptFormat1: true });
        if (received?.defect === undefined) return;
        damaged.push(key);
        if (mayBeNewer(key, whole ? Buffer.concat(chunks) : received.head)) newerFormat.push(key);
        else if (!received.cut) removable.push(key);
      } catch (error) {
        if (!(error instanceof UnsignedObjectError)) throw error;
        refused.push(key);
      }
    });
    const failed = options.fix ? new Set((await remote.delete(removable)).map((failure) => failure.key)) : undefined;
    return {
      remote: remote.remote.name,
      url: remote.url,
      listed: keys.length,
      checked: chosen.length,
      damaged: damaged.sort(),
      refused: refused.sort(),
      newerFormat: newerFormat.sort(),
      removed: failed ? removable.filter((key) => !failed.has(key)).sort() : [],
    };
  } finally {
    remote.close();
  }
}

/**
 * Why a bundle was refused. Every refusal is a {@link BundleError} with a stable
 * `code` (so the CLI and callers branch on codes, not message text) and names the
 * tar entry at fault when there is one. Bundles are untrusted input: these errors
 * are raised before anything from the offending entry reaches the cache.
 */
import { FunesError } from '@funes/core';

/** Base class of every bundle refusal. */
export class BundleError extends FunesError {
  /** The tar entry at fault, when the problem is one entry. */
  readonly entry: string | undefined;
  declare readonly hint: string;

  constructor(code: string, message: string, hint: string, entry?: string, options?: { cause?: unknown }) {
    super(code, message, { hint, cause: options?.cause });
    this.entry = entry;
  }
}

/** The stream is not a Funes bundle, or its manifest is malformed or disagrees with its entries. */
export class BundleFormatError extends BundleError {
  constructor(message: string, entry?: string, options?: { cause?: unknown; hint?: string }) {
    const hint = options?.hint ?? 'only bundles made by `funes pack` can be unpacked';
    super('EBUNDLEFORMAT', message, hint, entry, options);
  }
}

/**
 * An entry could escape or confuse the cache directory: an absolute path, a `..`
 * segment, a link or device, or a name outside the store's layout.
 */
export class UnsafeEntryError extends BundleError {
  constructor(entry: string, reason: string) {
    super(
      'EBUNDLEUNSAFE',
      `bundle entry ${JSON.stringify(entry)} is refused: ${reason}`,
      'the bundle was not made by `funes pack` or was tampered with: get it again from its source',
      entry,
    );
  }
}

/** An entry holds more (or fewer) bytes than the manifest declares for it. */
export class EntrySizeError extends BundleError {
  readonly expected: number;
  readonly found: number;

  constructor(entry: string, expected: number, found: number) {
    super(
      'EBUNDLESIZE',
      `bundle entry ${JSON.stringify(entry)} is ${found} bytes but the manifest declares ${expected}`,
      'the bundle is damaged or was tampered with: copy it again from its source',
      entry,
    );
    this.expected = expected;
    this.found = found;
  }
}

/** The bundle would expand past the size limit: a decompression bomb, or a bundle larger than allowed. */
export class BundleTooLargeError extends BundleError {
  readonly limit: number;

  constructor(what: string, limit: number) {
    super(
      'EBUNDLETOOLARGE',
      `${what}, more than the limit of ${limit} bytes`,
      'if you trust this bundle, raise the limit (option maxBytes, `funes unpack --max-size`)',
    );
    this.limit = limit;
  }
}

/** The same entry appears twice in the bundle (or twice in its manifest). */
export class DuplicateEntryError extends BundleError {
  constructor(entry: string) {
    super(
      'EBUNDLEDUPLICATE',
      `bundle entry ${JSON.stringify(entry)} appears twice`,
      'the bundle was tampered with: get it again from its source',
      entry,
    );
  }
}

/** The bundle ends early: a cut download or an interrupted `funes pack`. */
export class TruncatedBundleError extends BundleError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      'EBUNDLETRUNCATED',
      `the bundle ends early (${detail}); objects received whole were merged, nothing partial was`,
      'copy the bundle again and unpack it again',
      undefined,
      options,
    );
  }
}

/** The cache changed between planning a pack and streaming it (an object was replaced or removed). */
export class CacheChangedError extends BundleError {
  constructor(file: string) {
    super('ECACHECHANGED', `${file} changed while it was being packed`, 'run `funes pack` again', file);
  }
}

/** The functions `pack` was asked for hold no objects (written since `since`). */
export class PackSelectionError extends BundleError {
  constructor(message: string, hint: string) {
    super('ENOFUNCTION', message, hint);
  }
}

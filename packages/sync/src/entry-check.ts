/**
 * Whether an entry's bytes are what the manifest promised and what the store can
 * read, judged as they stream past: an object's header is checked from its first
 * bytes, its payload hashed chunk by chunk (a format-1 payload inflated first), so no
 * entry is ever held whole, whatever size it declares. An object that would fail its
 * integrity check on read, or that is sealed under another key than its entry's,
 * never enters the cache; nor, unless asked for, one in format 1, which carries no
 * key at all.
 */
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createInflateRaw, type InflateRaw } from 'node:zlib';
import {
  addressDefect,
  checkHeader,
  Compression,
  decodeObject,
  HEADER_2_SIZE,
  HEADER_SIZE,
  readHeader,
  sectionsCheck,
  sha256Hex,
  type ObjectAddress,
  type SectionsCheck,
} from '@funes/core/internal';
import { metadataDefect } from '@funes/core/cache';
import { hex } from './digests.js';
import { MAX_METADATA_BYTES, type ExpectedEntry } from './manifest.js';

/** What is checked of an entry: its kind, size and place, and the digest a manifest lists (a remote lists none). */
export type CheckedEntry = Pick<ExpectedEntry, 'kind' | 'size' | 'functionDir' | 'definitionHash' | 'fileName'> & {
  readonly digest?: string;
};

/** How entries from a bundle or a remote are admitted. */
export interface EntryAdmission {
  /**
   * Accept objects in format 1, which carry no address: such an object copied under
   * another call's key would answer that call. Only for a source trusted as a whole.
   * @default false
   */
  readonly acceptFormat1?: boolean;
}

/** The stable code of an object refused because it is in format 1, which carries no address. */
export const UNADDRESSED = 'EUNADDRESSED';

const UNADDRESSED_REASON =
  'it is in format 1 (Funes 0.1), which carries no address: nothing shows it is the result of this call ' +
  "rather than another's copied here; accept format-1 objects only from a source you trust " +
  '(--accept-format-1, or the acceptFormat1 option)';

/** A check fed an entry's bytes in order; `defect` is set as soon as they are known bad. */
export interface EntryCheck {
  /** Why the entry must not enter the cache, once known. */
  readonly defect: string | undefined;
  /** {@link UNADDRESSED} when the defect is only that the object is in format 1. */
  readonly code: string | undefined;
  update(chunk: Buffer): Promise<void>;
  /** Called after the last byte; the final verdict. */
  finish(): Promise<string | undefined>;
}

/** Inflates a deflated payload as it arrives, hashing and counting what comes out, never more than `size`. */
class PayloadInflater {
  readonly hash = createHash('sha256');
  length = 0;
  private readonly inflate: InflateRaw = createInflateRaw();
  private error: Error | undefined;

  constructor(private readonly size: number) {
    this.inflate.on('error', (error) => (this.error = error));
    this.inflate.on('data', (chunk: Buffer) => {
      this.length += chunk.length;
      if (this.length > this.size) this.inflate.destroy(new Error('payload decompresses past its size'));
      else {
        this.hash.update(chunk);
      }
    });
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.error) throw this.error;
    if (!this.inflate.write(chunk)) await once(this.inflate, 'drain');
  }

  async end(): Promise<void> {
    if (this.error) throw this.error;
    this.inflate.end();
    await finished(this.inflate);
  }

  destroy(): void {
    this.inflate.destroy();
  }
}

/**
 * Objects up to this size, that decode to no more, are gathered and decoded in one call,
 * like the store reads them: a stream per object costs more than it saves, and this much
 * memory is no risk. A smaller object can inflate a thousandfold: it streams like a large one.
 */
const WHOLE_UP_TO = 1024 * 1024;

class ObjectCheck implements EntryCheck {
  defect: string | undefined;
  code: string | undefined;
  private head = Buffer.alloc(0);
  private size = 0;
  private whole: Buffer[] | undefined;
  private raw: Hash | undefined;
  private inflater: PayloadInflater | undefined;
  private sections: SectionsCheck | undefined;
  private readonly address: ObjectAddress;

  constructor(
    private readonly entry: CheckedEntry,
    private readonly maxPayload: number,
    private readonly admission: EntryAdmission,
  ) {
    this.address = { definitionHash: entry.definitionHash, argumentHash: entry.fileName };
  }

  /** How long the header is, as far as its first bytes tell: format 2's is longer. */
  private headerSize(): number {
    return this.head.length >= HEADER_SIZE && this.head[4] === 2 ? HEADER_2_SIZE : HEADER_SIZE;
  }

  async update(chunk: Buffer): Promise<void> {
    if (this.defect) return;
    while (this.head.length < this.headerSize() && chunk.length > 0) {
      const needed = this.headerSize() - this.head.length;
      this.head = Buffer.concat([this.head, chunk.subarray(0, needed)]);
      chunk = chunk.subarray(needed);
      if (this.head.length === this.headerSize() && !this.startPayload()) return;
    }
    if (chunk.length === 0 || this.head.length < this.headerSize()) return;
    if (this.whole) this.whole.push(chunk);
    else if (this.sections) this.sections.update(chunk);
    else if (this.raw) this.raw.update(chunk);
    else {
      await this.inflate(chunk);
    }
  }

  /** Checks the header against the entry's declared size, key and the manifest; false when it fails. */
  private startPayload(): boolean {
    const header = checkHeader(this.head, this.entry.size);
    if (!header.ok) return this.fail(header.reason);
    if (header.version === 1 && !this.admission.acceptFormat1) {
      this.code = UNADDRESSED;
      return this.fail(UNADDRESSED_REASON);
    }
    if (this.entry.digest !== undefined && hex(readHeader(this.head)!.digest) !== this.entry.digest) {
      return this.fail('its payload digest is not the one the manifest lists');
    }
    const wrongKey = addressDefect(this.head, this.address);
    if (wrongKey) return this.fail(wrongKey);
    const decoded = header.size + header.metadataSize;
    if (decoded > this.maxPayload) {
      return this.fail(`it decodes to ${decoded} bytes, more than the limit of ${this.maxPayload}`);
    }
    this.size = header.size;
    if (this.entry.size <= WHOLE_UP_TO && decoded <= WHOLE_UP_TO) this.whole = [this.head];
    else if (header.version === 2) this.sections = sectionsCheck(this.head, header);
    else if (header.compression === Compression.none) this.raw = createHash('sha256');
    else {
      this.inflater = new PayloadInflater(header.size);
    }
    return true;
  }

  private async inflate(chunk: Buffer): Promise<void> {
    try {
      await this.inflater!.write(chunk);
    } catch {
      this.fail('payload does not decompress');
    }
  }

  private fail(reason: string): false {
    this.defect = reason;
    this.inflater?.destroy();
    return false;
  }

  async finish(): Promise<string | undefined> {
    if (this.defect) return this.defect;
    if (this.head.length < this.headerSize()) {
      const header = checkHeader(this.head, this.entry.size);
      return header.ok ? 'shorter than a header' : header.reason;
    }
    if (this.whole) {
      const decoded = decodeObject(Buffer.concat(this.whole), undefined, { address: this.address });
      return decoded.ok ? undefined : decoded.reason;
    }
    if (this.sections) return this.sections.finish();
    let digest: Hash;
    if (this.raw) {
      digest = this.raw;
    } else {
      const inflater = this.inflater!;
      try {
        await inflater.end();
      } catch {
        return 'payload does not decompress';
      }
      if (inflater.length !== this.size) return 'payload decompresses to the wrong size';
      digest = inflater.hash;
    }
    return digest.digest().equals(this.head.subarray(24, HEADER_SIZE)) ? undefined : 'checksum mismatch';
  }
}

/** A `definition.json`: small (the manifest bounds it), so held whole and parsed. */
class MetadataCheck implements EntryCheck {
  defect: string | undefined;
  readonly code = undefined;
  private readonly chunks: Buffer[] = [];
  private length = 0;

  constructor(private readonly entry: CheckedEntry) {}

  async update(chunk: Buffer): Promise<void> {
    this.length += chunk.length;
    if (this.length <= MAX_METADATA_BYTES) this.chunks.push(chunk);
    else {
      this.defect = `it is larger than ${MAX_METADATA_BYTES} bytes`;
    }
  }

  async finish(): Promise<string | undefined> {
    if (this.defect) return this.defect;
    const bytes = Buffer.concat(this.chunks, this.length);
    if (this.entry.digest !== undefined && sha256Hex(bytes) !== this.entry.digest) {
      return 'its SHA-256 is not the one the manifest lists';
    }
    return versionMetadataDefect(bytes, this.entry.functionDir, this.entry.definitionHash);
  }
}

/**
 * Why a `definition.json` brought by a bundle or a remote must not enter a cache: not
 * JSON, or not keeping @funes/core's contract for it (every field well typed, its
 * definition hash and name those of the directory it goes to).
 */
export function versionMetadataDefect(
  bytes: Uint8Array,
  functionDir: string,
  definitionHash: string,
): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return 'not JSON';
  }
  return metadataDefect(value, { functionDir, definitionHash });
}

/** A check for one entry's bytes; objects may not decode to more than `maxPayload`. */
export function entryCheck(entry: CheckedEntry, maxPayload: number, admission: EntryAdmission = {}): EntryCheck {
  return entry.kind === 'object' ? new ObjectCheck(entry, maxPayload, admission) : new MetadataCheck(entry);
}

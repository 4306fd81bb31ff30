/**
 * Moving a large object between disk and memory while hashing it: the thread pool reads
 * the next chunks, or writes one, while this thread hashes the one before, so a large
 * object costs about its digest or its I/O, whichever is longer, instead of both. Used
 * for the results of functions that return a Promise, whose callers wait anyway.
 */
import { read as fsRead, write } from 'node:fs';
import type { Hasher } from './payload-digest.js';

/**
 * The chunk moved at once: chunks of a few MiB overlap reading and hashing a large object
 * best (docs/performance.md); smaller ones pay more round trips.
 */
const CHUNK = 2 * 1024 * 1024;

function writeAt(fd: number, bytes: Uint8Array, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const next = (offset: number) => {
      write(fd, bytes, offset, bytes.length - offset, position + offset, (error, n) => {
        if (error) reject(error);
        else if (offset + n < bytes.length) next(offset + n);
        else {
          resolve();
        }
      });
    };
    next(0);
  });
}

/**
 * How many chunks a read keeps in flight: the thread pool's threads then read (and fault in
 * the fresh buffer's pages) on every core, while this thread loads the digest and hashes.
 */
const READ_AHEAD = 3;

/** What one chunk's read gave: how many bytes, or the error (never a rejection, which could go unhandled). */
type ChunkRead = number | NodeJS.ErrnoException;

/** A chunk being read into `bytes` at `at`, the same offset in the file. */
interface InFlight {
  readonly at: number;
  readonly length: number;
  readonly read: Promise<ChunkRead>;
}

function readChunk(fd: number, bytes: Buffer, at: number): InFlight {
  const length = Math.min(CHUNK, bytes.length - at);
  const read = new Promise<ChunkRead>((resolve) => {
    fsRead(fd, bytes, at, length, at, (error, n) => resolve(error ?? n));
  });
  return { at, length, read };
}

/**
 * Reads of consecutive chunks of a file into a buffer, a few at once. After a short read
 * (the file ended, or changed), the rest is read one chunk at a time from where it stopped.
 */
class ChunkReads {
  private readonly inFlight: InFlight[] = [];
  private next: number;
  private ahead = READ_AHEAD;

  constructor(
    private readonly fd: number,
    private readonly bytes: Buffer,
    from: number,
  ) {
    this.next = from;
    this.readAhead();
  }

  private readAhead(): void {
    while (this.inFlight.length < this.ahead && this.next < this.bytes.length) {
      const chunk = readChunk(this.fd, this.bytes, this.next);
      this.inFlight.push(chunk);
      this.next += chunk.length;
    }
  }

  /** How many bytes were read from `end` on: 0 once the buffer is full or the file ends. */
  async readFrom(end: number): Promise<number> {
    if (this.inFlight[0]?.at !== end) {
      if (end >= this.bytes.length) return 0;
      await this.settle();
      this.next = end;
      this.ahead = 1;
      this.readAhead();
    }
    const chunk = this.inFlight.shift() as InFlight;
    const n = await chunk.read;
    if (typeof n !== 'number') throw n;
    if (n === chunk.length) this.readAhead();
    else this.ahead = 1;
    return n;
  }

  /** Waits for every read still in flight, so none writes into the buffer or uses `fd` later. */
  async settle(): Promise<void> {
    while (this.inFlight.length > 0) await (this.inFlight.shift() as InFlight).read;
  }
}

/**
 * Reads the file at `fd` into `bytes` from offset `from` (the same in file and buffer)
 * until the buffer is full or the file ends, hashing the bytes from `hashFrom` to
 * `hashEnd` as they arrive, into the hasher `makeHasher` gives once the first reads are
 * under way. Returns what was read and the digest; no read is left in flight.
 */
export async function readHashing(
  fd: number,
  bytes: Buffer,
  from: number,
  hashFrom: number,
  hashEnd: number,
  makeHasher: () => Hasher,
): Promise<{ readonly bytes: Buffer; readonly digest: Uint8Array }> {
  const reads = new ChunkReads(fd, bytes, from);
  try {
    const hasher = makeHasher();
    const hash = (start: number, end: number) => {
      if (Math.min(end, hashEnd) > Math.max(start, hashFrom)) {
        hasher.update(bytes.subarray(Math.max(start, hashFrom), Math.min(end, hashEnd)));
      }
    };
    hash(0, from);
    let end = from;
    for (let n = await reads.readFrom(end); n > 0; n = await reads.readFrom(end)) {
      hash(end, end + n);
      end += n;
    }
    return { bytes: bytes.subarray(0, end), digest: hasher.digestBytes() };
  } finally {
    await reads.settle();
  }
}

/**
 * Writes the parts, in order, to the file at `fd` from `position` on,
 * hashing them into `hasher`; returns the digest and where the writes ended.
 */
export async function writeHashing(
  fd: number,
  parts: readonly Uint8Array[],
  position: number,
  hasher: Hasher,
): Promise<{ readonly digest: Uint8Array; readonly position: number }> {
  let pending: Promise<void> | undefined;
  for (const part of parts) {
    for (let offset = 0; offset < part.length; offset += CHUNK) {
      const chunk = part.subarray(offset, offset + CHUNK);
      hasher.update(chunk);
      await pending;
      pending = writeAt(fd, chunk, position);
      position += chunk.length;
    }
  }
  await pending;
  return { digest: hasher.digestBytes(), position };
}

/**
 * Moving a large object between disk and memory while hashing it: the thread pool reads
 * or writes one chunk while this thread hashes the one before, so a large object costs
 * about its digest instead of its digest plus its I/O. Used for the results of functions
 * that return a Promise, whose callers wait anyway.
 */
import { read, write } from 'node:fs';
import type { Hasher } from './payload-digest.js';

/**
 * The chunk moved at once: chunks of a few MiB overlap reading and hashing a large object
 * best (docs/performance.md); smaller ones pay more round trips.
 */
const CHUNK = 2 * 1024 * 1024;

function readAt(fd: number, bytes: Buffer, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, bytes, position, Math.min(CHUNK, bytes.length - position), position, (error, n) =>
      error ? reject(error) : resolve(n),
    );
  });
}

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
 * Reads the file at `fd` into `bytes` from offset `from` (the same in file and buffer)
 * until the buffer is full or the file ends, hashing the bytes from `hashFrom` to
 * `hashEnd` into `hasher` as they arrive. Returns what was read and the digest.
 */
export async function readHashing(
  fd: number,
  bytes: Buffer,
  from: number,
  hashFrom: number,
  hashEnd: number,
  hasher: Hasher,
): Promise<{ readonly bytes: Buffer; readonly digest: Uint8Array }> {
  const hash = (start: number, end: number) => {
    if (Math.min(end, hashEnd) > Math.max(start, hashFrom)) {
      hasher.update(bytes.subarray(Math.max(start, hashFrom), Math.min(end, hashEnd)));
    }
  };
  let end = from;
  let pending = end < bytes.length ? readAt(fd, bytes, end) : undefined;
  hash(0, from);
  while (pending) {
    const n = await pending;
    const start = end;
    end += n;
    pending = n > 0 && end < bytes.length ? readAt(fd, bytes, end) : undefined;
    hash(start, end);
  }
  return { bytes: bytes.subarray(0, end), digest: hasher.digestBytes() };
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

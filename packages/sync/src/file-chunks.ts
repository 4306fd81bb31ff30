/**
 * Reading open files by ranges and in chunks of one reused buffer, so that a large object
 * is compared or hashed without being held whole.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

/** Reads bytes `from` to `to` of an open file into `into` at `at`; false when the file ends first. */
export function readRange(fd: number, into: Buffer, at: number, from: number, to: number): boolean {
  for (let done = from; done < to; ) {
    const read = readSync(fd, into, at + done - from, to - done, done);
    if (read === 0) return false;
    done += read;
  }
  return true;
}

const CHUNK = 1024 * 1024;

function withOpen<T>(file: string, use: (fd: number) => T): T {
  const fd = openSync(file, 'r');
  try {
    return use(fd);
  } finally {
    closeSync(fd);
  }
}

/** Whether the first `size` bytes of two files are the same (false when either is shorter). */
export function sameFileBytes(a: string, b: string, size: number): boolean {
  return withOpen(a, (fa) =>
    withOpen(b, (fb) => {
      const chunkA = Buffer.allocUnsafe(Math.min(size, CHUNK));
      const chunkB = Buffer.allocUnsafe(chunkA.length);
      for (let at = 0; at < size; at += CHUNK) {
        const to = Math.min(size, at + CHUNK);
        if (!readRange(fa, chunkA, 0, at, to) || !readRange(fb, chunkB, 0, at, to)) return false;
        if (!chunkA.subarray(0, to - at).equals(chunkB.subarray(0, to - at))) return false;
      }
      return true;
    }),
  );
}

/** The SHA-256 (hex) of the first `size` bytes of a file; undefined when it is shorter. */
export function fileSha256(file: string, size: number): string | undefined {
  return withOpen(file, (fd) => {
    const chunk = Buffer.allocUnsafe(Math.min(size, CHUNK));
    const hash = createHash('sha256');
    for (let at = 0; at < size; at += CHUNK) {
      const to = Math.min(size, at + CHUNK);
      if (!readRange(fd, chunk, 0, at, to)) return undefined;
      hash.update(chunk.subarray(0, to - at));
    }
    return hash.digest('hex');
  });
}

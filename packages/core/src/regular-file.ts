/**
 * Reading the small files a cache keeps beside its objects (`definition.json`, lock files,
 * failure records, the tallies, the remotes' configuration). Anyone who can write to a shared
 * cache can leave a FIFO or a device at such a path: opened as usual, a FIFO blocks its reader
 * until some writer comes, and a device such as `/dev/zero` never ends, so every command reading
 * the cache would hang. Opened without blocking and checked to be a regular file first, such a
 * file is refused at once, as objects are (store.ts).
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { FunesError } from './errors.js';

/** A path the cache keeps a regular file at holds something else: a FIFO, a device, a socket or a directory. */
export class NotRegularFileError extends FunesError {
  constructor(readonly file: string) {
    super('ENOTFILE', `${file} is not a regular file (a FIFO, a device, a socket or a directory)`, {
      hint: 'remove it: Funes writes only regular files there',
    });
  }
}

const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/**
 * Reads a regular file whole, as `readFileSync` does (its errors, ENOENT included, are thrown as
 * they come), but throws {@link NotRegularFileError} at once for anything else at the path.
 */
export function readRegularFile(file: string): Buffer;
export function readRegularFile(file: string, encoding: 'utf8'): string;
export function readRegularFile(file: string, encoding?: 'utf8'): Buffer | string {
  const fd = openSync(file, READ_FLAGS);
  try {
    if (!fstatSync(fd).isFile()) throw new NotRegularFileError(file);
    return encoding === undefined ? readFileSync(fd) : readFileSync(fd, encoding);
  } finally {
    closeSync(fd);
  }
}

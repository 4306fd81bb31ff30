/**
 * Fills one gzip member's share of a bundle's tar stream (tar-layout.ts): the given
 * bytes are copied, headers made, each file range read straight into the member, and a
 * file checked to be the one the manifest describes (its size, and where its range
 * starts its seal or, for metadata, its SHA-256), or the pack fails with
 * {@link CacheChangedError}.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { constants as zlibConstants, type ZlibOptions } from 'node:zlib';
import { HEADER_2_SIZE, sha256Hex } from '@funes/core/internal';
import { CacheChangedError } from './errors.js';
import { readRange } from './file-chunks.js';
import { memberMethod } from './member-gzip.js';
import { examineObject, readHead } from './object-seal.js';
import { tarHeader, tarHeaderLength, writeTarHeader } from './tar-header.js';
import type { FileSource, MemberJob, MemberPart } from './tar-layout.js';

/** Whether an open file, whose first bytes are `start`, is still the one planned. */
function stillPlanned(fd: number, source: FileSource, start: Buffer): boolean {
  if (source.kind === 'metadata') {
    let whole = start;
    if (start.length < source.size) {
      whole = Buffer.alloc(source.size);
      if (!readRange(fd, whole, 0, 0, source.size)) return false;
    }
    return sha256Hex(whole) === source.digest;
  }
  const found = examineObject(start.length >= Math.min(source.size, HEADER_2_SIZE) ? start : readHead(fd), source.size);
  return 'digest' in found && found.digest === source.digest;
}

function copyFile(part: Extract<MemberPart, { source: FileSource }>, into: Buffer): void {
  const { source } = part;
  const { pinned } = source;
  let fd: number;
  try {
    fd = pinned?.fd ?? openSync(source.file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CacheChangedError(source.file);
    throw error;
  }
  try {
    const start = into.subarray(part.at, part.at + part.to - part.from);
    if (
      fstatSync(fd).size !== source.size ||
      !readRange(fd, into, part.at, part.from, part.to) ||
      (part.from === 0 && !stillPlanned(fd, source, start))
    ) {
      throw new CacheChangedError(source.file);
    }
  } finally {
    if (!pinned) closeSync(fd);
    else if (part.to === source.size) pinned.files.release(fd);
  }
}

/** Writes the tar bytes of `job` into `tar` (zeros, at least `job.length` of them), its files read and checked. */
export function fillMember(job: MemberJob, tar: Buffer): void {
  for (const part of job.parts) {
    if ('bytes' in part) tar.set(part.bytes, part.at);
    else if ('header' in part) {
      const { name, size, mtimeMs } = part.header;
      if (part.from === 0 && part.to === tarHeaderLength(name)) writeTarHeader(tar, part.at, name, size, mtimeMs);
      else tar.set(tarHeader(name, size, mtimeMs).subarray(part.from, part.to), part.at);
    } else copyFile(part, tar);
  }
}

/**
 * How to gzip a member's tar bytes: at `level`, or by default as {@link memberMethod}
 * picks for them. zlib's largest memory level doubles its blocks (a Huffman code per
 * 32,768 symbols instead of 16,384): fewer codes to build and send, so noise is coded
 * faster and a little smaller.
 */
export function gzipOptions(tar: Buffer, level: number | undefined): ZlibOptions {
  const method = level === undefined ? memberMethod(tar) : { level };
  return { ...method, memLevel: zlibConstants.Z_MAX_MEMLEVEL, chunkSize: tar.length + 1024 };
}

/**
 * What `pack` reads of an object file: the digest its header seals it with, which the
 * manifest lists and which the file must still have when it is copied into the bundle,
 * and the group its bytes go in.
 */
import { readSync } from 'node:fs';
import { checkHeader, Compression, HEADER_2_SIZE, readHeader } from '@funes/core/internal';
import { hex } from './digests.js';

/**
 * Entries are written in three groups, in this order, each in the manifest's order,
 * so that each gzip member holds one kind of bytes and gets the method that pays for
 * it (member-gzip.ts): the manifest, `definition.json` files and small objects, which
 * repeat one another's metadata and names (LZ77 finds that); larger objects the store
 * kept raw (often noise, such as floats, where a Huffman code saves what there is to
 * save); larger objects the store deflated, which no gzip shrinks.
 */
export const EntryGroup = { small: 0, raw: 1, deflated: 2 } as const;
export type EntryGroup = (typeof EntryGroup)[keyof typeof EntryGroup];

/** Objects up to this size are mostly header and metadata. */
const SMALL_OBJECT = 4096;

/**
 * The digest an object's header seals it with (format 1: its payload's SHA-256) and
 * the object's group, from the file's first bytes (up to {@link HEADER_2_SIZE}) and its
 * size; or why it cannot be packed.
 */
export function examineObject(
  head: Uint8Array,
  fileSize: number,
): { digest: string; group: EntryGroup } | { reason: string } {
  // The store's own check of a header against the file's size: pack skips what a hit would refuse.
  const checked = checkHeader(head, fileSize);
  if (!checked.ok) return { reason: checked.reason };
  const group =
    fileSize <= SMALL_OBJECT
      ? EntryGroup.small
      : checked.compression === Compression.none
        ? EntryGroup.raw
        : EntryGroup.deflated;
  return { digest: hex(readHeader(head)!.digest), group };
}

/**
 * The start of an open object file: as much of it as the longest header (format 2's)
 * takes, read into `into` (which a caller reading many files can reuse).
 */
export function readHead(fd: number, into: Buffer = Buffer.alloc(HEADER_2_SIZE)): Buffer {
  return into.subarray(0, readSync(fd, into, 0, HEADER_2_SIZE, 0));
}

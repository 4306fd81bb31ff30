/**
 * The object store: the only part of @funes/core that touches the filesystem for
 * cache entries. Reads verify integrity; writes go to a temp file in the target
 * directory and are renamed into place, so a reader (or a process killed mid-write)
 * only ever sees no object or a complete one.
 *
 * No fsync: a killed process cannot lose data the kernel already has, so rename alone
 * makes writes atomic against SIGKILL and crashes of the program. Only a power loss or
 * kernel crash can leave a renamed object empty or partial, and the checksum every read
 * verifies turns that into a recompute. fsync would cost a miss many times the whole
 * temp-write-and-rename (docs/performance.md).
 */
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  linkSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { join, sep } from 'node:path';
import { markAsUntransferable } from 'node:worker_threads';
import { listEntries } from './cache-index.js';
import { makeDirectory } from './make-directory.js';
import { markUsed } from './cache/use-marker.js';
import { addressOfObjectPath, METADATA_FILE, tempName, versionDir } from './layout.js';
import {
  checkHeader,
  Compression,
  decodeMetadataSection,
  hashedFrom,
  HEADER_2_SIZE,
  HEADER_SIZE,
  hitLength,
  inflateStart,
  objectHasher,
  OVERLAP_FROM,
  sealHasher,
  sealObject,
  storedRaw,
  addressDefect,
  type CheckedHeader,
  type EncodedObject,
  type ObjectAddress,
} from './object-format.js';
import { readHashing, writeHashing } from './overlapped-io.js';
import {
  checkRecord,
  decodeMetadata,
  decodeOutput,
  decodeRecord,
  decodeSectionMetadata,
  decodeSectionTime,
  metadataEnd,
  type CachedRecord,
  type RecordMetadata,
  type StoredOutput,
} from './record.js';
import { versionMetadata, type VersionMetadata } from './version-metadata.js';
import type { DefinitionDescription } from './definition/index.js';

export type ReadResult<Found = CachedRecord> =
  | { readonly status: 'hit'; readonly record: Found }
  | { readonly status: 'miss' }
  | { readonly status: 'damaged'; readonly file: string; readonly reason: string }
  | { readonly status: 'unreadable'; readonly file: string; readonly error: NodeJS.ErrnoException };

function writeParts(fd: number, parts: readonly Uint8Array[]): void {
  // Indexed: for…of allocates an iterator at every call until the JIT has warmed up.
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    let offset = 0;
    while (offset < part.length) offset += writeSync(fd, part, offset, part.length - offset);
  }
}

/** A fresh temp file in `dir`, and whether `dir` had to be created for it (it was missing, or removed by `gc`). */
interface Temp {
  readonly temp: string;
  readonly fd: number;
  readonly created: boolean;
}

/** `wx` as numbers: every miss opens a temp file, and the string is parsed at each open. */
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_TRUNC;

/** Creates a fresh temp file in `dir`, creating `dir` when missing. */
function openTemp(dir: string): Temp {
  // Plain concatenation, as for object paths: `dir` is already normalized, and every miss makes one.
  const temp = `${dir}${sep}${tempName()}`;
  try {
    return { temp, fd: openSync(temp, CREATE_FLAGS), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    makeDirectory(dir);
    return { temp, fd: openSync(temp, CREATE_FLAGS), created: true };
  }
}

/**
 * Writes `parts` to a fresh temp file in `dir`. On any failure (ENOSPC mid-write, EIO at
 * close) the temp file is removed first.
 */
function writeTemp(dir: string, parts: readonly Uint8Array[]): Omit<Temp, 'fd'> {
  const { temp, fd, created } = openTemp(dir);
  try {
    try {
      writeParts(fd, parts);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
  return { temp, created };
}

/** Whether renaming a temp file into place failed because its directory was removed (by `gc`) meanwhile. */
function directoryRemoved(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Removes a file if it can; what stays (the directory became
 * unwritable) is for `funes gc`, or a later caller, to remove.
 */
export function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone, or the directory is unwritable.
  }
}

/** What a first read asks for: most records are smaller, so one read returns them whole. */
const FIRST_READ = 4096;
/**
 * Where first reads land: each in the arena's unused part, which the bytes of a small
 * object then keep. A hit thus reads straight into bytes it decodes, with no allocation
 * of its own; a fresh arena comes when too little is left. Bytes read on into a larger
 * buffer leave their part of the arena free. No output views an arena: typed arrays
 * decoded from one are copied out (`ownedView`), as they would show other hits' bytes.
 * Arenas cannot be transferred all the same (like Node's own Buffer pool).
 */
const ARENA_SIZE = 64 * 1024;
let arena = newArena();
let arenaUsed = 0;

function newArena(): Buffer {
  const bytes = Buffer.allocUnsafeSlow(ARENA_SIZE);
  markAsUntransferable(bytes.buffer);
  return bytes;
}
const NOT_A_FILE = 'not a regular file';

/** Reads the file into `bytes` from offset `from` (the same in file and buffer) until it is full or the file ends. */
function fill(fd: number, bytes: Buffer, from: number): Buffer {
  let read = from;
  for (let n = -1; n !== 0 && read < bytes.length; read += n) n = readSync(fd, bytes, read, bytes.length - read, read);
  return bytes.subarray(0, read);
}

/** Bytes read on the thread pool, and the digest of those its header seals, hashed as they came. */
type HashedBytes = Promise<{ readonly bytes: Buffer; readonly digest: Uint8Array; readonly header: CheckedHeader }>;

/** An object's bytes as read: all of them, or, for a hit, its first {@link hitLength} of `objectLength`. */
interface ObjectBytes {
  readonly bytes: Buffer;
  readonly objectLength: number;
}

/**
 * The rest of a file that filled the first read: sized by fstat, in a buffer of its own so
 * a typed array output can be viewed in place. A hit (`outputOnly`) reads no further than
 * it checks. With `overlap`, a large raw output is read on the thread pool while hashed.
 */
function readRest(
  fd: number,
  first: Buffer,
  overlap: boolean,
  outputOnly: boolean,
): ObjectBytes | NotRead | HashedBytes {
  const stat = fstatSync(fd);
  if (!stat.isFile()) return NOT_A_FILE;
  // Judged from its header and size before the rest is read: a file far
  // larger than its header says (a sparse gigabyte) is never read whole.
  const header = checkHeader(first, stat.size);
  if (!header.ok) return header;
  const length = outputOnly ? hitLength(header) : stat.size;
  const bytes = Buffer.allocUnsafe(Math.max(length, first.length));
  first.copy(bytes);
  if (overlap && header.outputEnd >= OVERLAP_FROM && storedRaw(header)) {
    return readHashing(
      fd,
      bytes.subarray(0, length),
      first.length,
      hashedFrom(header),
      header.sealEnd,
      () => objectHasher(header),
    ).then((read) => ({ ...read, header }));
  }
  return { bytes: fill(fd, bytes.subarray(0, length), first.length), objectLength: stat.size };
}

/**
 * The bytes of the object open at `fd`, for most objects with one read and no stat.
 * What reads nothing, fails to read or fills the first read is checked to be a regular file.
 */
function objectBytes(fd: number, overlap: false, outputOnly: boolean): ObjectBytes | NotRead;
function objectBytes(fd: number, overlap: boolean, outputOnly: boolean): ObjectBytes | NotRead | HashedBytes;
function objectBytes(fd: number, overlap: boolean, outputOnly: boolean): ObjectBytes | NotRead | HashedBytes {
  if (arena.length - arenaUsed < FIRST_READ) {
    arena = newArena();
    arenaUsed = 0;
  }
  const at = arenaUsed;
  let length;
  try {
    length = readSync(fd, arena, at, FIRST_READ, 0);
  } catch (error) {
    if (!fstatSync(fd).isFile()) return NOT_A_FILE;
    throw error;
  }
  if (length === FIRST_READ) return readRest(fd, arena.subarray(at, at + FIRST_READ), overlap, outputOnly);
  if (length === 0 && !fstatSync(fd).isFile()) return NOT_A_FILE;
  // Kept 8-aligned, as typed arrays viewed in place need.
  arenaUsed = (at + length + 7) & ~7;
  return { bytes: Buffer.from(arena.buffer, at, length), objectLength: length };
}

/** Why an object could not be read: not a file, or damaged as its header and size show. */
type NotRead = typeof NOT_A_FILE | Refusal;

/** Why an object is damaged. */
type Refusal = { readonly ok: false; readonly reason: string };
type Decoded<Found> = { readonly ok: true; readonly value: Found } | Refusal;
type Reading<Found> = Decoded<Found> | typeof NOT_A_FILE;

function unreadable(file: string, error: unknown): ReadResult<never> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'miss' };
  return { status: 'unreadable', file, error: error as NodeJS.ErrnoException };
}

/**
 * Whether the last object looked for was missing. Lookups come in runs (a sweep's new
 * range misses, a rerun hits), so after a miss a stat answers the next one without the
 * costly exception opening a missing file throws (docs/performance.md), and after a hit
 * the file is opened at once, sparing the hit that system call. The stat returns nothing
 * for a missing file (as fast as existsSync) and, unlike existsSync, fails on a directory
 * the process may not search, which is then reported as unreadable, not as a miss.
 */
let lastMissed = false;
const UNLESS_MISSING = { throwIfNoEntry: false } as const;

function verdict<Found>(file: string, decoded: Reading<Found>): ReadResult<Found> {
  if (decoded === NOT_A_FILE) return { status: 'damaged', file, reason: NOT_A_FILE };
  return decoded.ok ? { status: 'hit', record: decoded.value } : { status: 'damaged', file, reason: decoded.reason };
}

/** The verdict on a read that goes on on the thread pool; the file is closed once it ends. */
async function verdictLater<Found>(
  file: string,
  fd: number,
  reading: Promise<Reading<Found>>,
): Promise<ReadResult<Found>> {
  let decoded;
  try {
    try {
      decoded = await reading;
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return unreadable(file, error);
  }
  return verdict(file, decoded);
}

/**
 * Opens the object at a path, non-blocking so that a FIFO swapped in at a key cannot
 * hang the reader: its descriptor, or the verdict when there is none to read.
 */
function openObject(file: string): number | ReadResult<never> {
  try {
    if (lastMissed && statSync(file, UNLESS_MISSING) === undefined) return MISSING;
    const fd = openSync(file, READ_FLAGS);
    lastMissed = false;
    return fd;
  } catch (error) {
    const result = unreadable(file, error);
    lastMissed = result.status === 'miss';
    return result;
  }
}

const MISSING: ReadResult<never> = { status: 'miss' };
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/**
 * Opens the object at a path and reads it with `read`. When `read` goes on on the thread
 * pool, so does the verdict.
 */
function readObject<Found>(file: string, read: (fd: number) => Reading<Found>): ReadResult<Found>;
function readObject<Found>(
  file: string,
  read: (fd: number) => Reading<Found> | Promise<Reading<Found>>,
): ReadResult<Found> | Promise<ReadResult<Found>>;
function readObject<Found>(
  file: string,
  read: (fd: number) => Reading<Found> | Promise<Reading<Found>>,
): ReadResult<Found> | Promise<ReadResult<Found>> {
  const fd = openObject(file);
  if (typeof fd !== 'number') return fd;
  let decoded;
  try {
    try {
      decoded = read(fd);
    } finally {
      if (!(decoded instanceof Promise)) closeSync(fd);
    }
  } catch (error) {
    return unreadable(file, error);
  }
  return decoded instanceof Promise ? verdictLater(file, fd, decoded) : verdict(file, decoded);
}

/** How an object's bytes are checked: see decodeObject's. */
interface Check {
  readonly storedDigest?: string;
  readonly seal?: Uint8Array;
  readonly objectLength: number;
}
type Decode<Found> = (bytes: Uint8Array, check: Check) => Decoded<Found>;

/** The check of bytes hashed while read: format 1's digest as a binary string, format 2's seal as bytes. */
function hashedCheck(header: CheckedHeader, digest: Uint8Array, objectLength: number): Check {
  return header.version === 1
    ? { storedDigest: Buffer.from(digest).toString('latin1'), objectLength }
    : { seal: digest, objectLength };
}

/**
 * Reads the object at a path (a hit: only what it checks) and decodes it. With
 * `overlap`, a large raw output is read on the thread pool while hashed, and decoded
 * with that digest: a Promise then.
 */
function readVerified<Found>(file: string, decode: Decode<Found>, outputOnly: boolean): ReadResult<Found>;
function readVerified<Found>(
  file: string,
  decode: Decode<Found>,
  outputOnly: boolean,
  overlap: true,
): ReadResult<Found> | Promise<ReadResult<Found>>;
function readVerified<Found>(
  file: string,
  decode: Decode<Found>,
  outputOnly: boolean,
  overlap = false,
): ReadResult<Found> | Promise<ReadResult<Found>> {
  return readObject(file, (fd) => {
    const read = objectBytes(fd, overlap, outputOnly);
    if (read instanceof Promise) {
      return read.then(({ bytes, digest, header }) => decode(bytes, hashedCheck(header, digest, fstatSync(fd).size)));
    }
    return read === NOT_A_FILE || 'ok' in read ? read : decode(read.bytes, { objectLength: read.objectLength });
  });
}

/**
 * Reads and verifies the object at a path: the whole record.
 * An object sealed for another key than its path's is damaged.
 */
export function readObjectFile(file: string): ReadResult {
  const address = addressOfObjectPath(file);
  return readVerified(
    file,
    (bytes) => {
      const decoded = decodeRecord(bytes, address);
      return decoded.ok ? { ok: true, value: decoded.record } : decoded;
    },
    false,
  );
}

/**
 * {@link readObjectFile}'s verdict on the object at a path, keeping only its record's `time`;
 * `named` is the path whose name gives the address it must carry, when it was moved from there.
 */
export function checkObjectFile(file: string, named = file): ReadResult<number> {
  const address = addressOfObjectPath(named);
  return readVerified(
    file,
    (bytes) => {
      const checked = checkRecord(bytes, address);
      return checked.ok ? { ok: true, value: checked.time } : checked;
    },
    false,
  );
}

/**
 * How much of an object a metadata read reads at once, and how much of
 * it is used first (deflated, it can stand for a thousand times more).
 */
const METADATA_READ = 64 * 1024;
const METADATA_FIRST = 4096;

/** A format-1 record's metadata, from the start of its payload: see {@link readObjectMetadata}. */
function metadataAt1(fd: number, size: number, first: Buffer, header: CheckedHeader): Decoded<RecordMetadata> {
  let bytes = first;
  // The payload's start from the object's first `length` bytes, four times as many each
  // time until they hold the metadata (which a large input makes long).
  let start;
  for (let length = Math.min(size, METADATA_FIRST); ; length = Math.min(size, length * 4)) {
    if (length > bytes.length) bytes = fill(fd, Buffer.allocUnsafe(length), 0);
    const stored = bytes.subarray(HEADER_SIZE, length);
    start = header.compression === Compression.none ? stored : inflateStart(stored, header.size);
    if (!(start instanceof Uint8Array)) return start;
    const end = metadataEnd(start);
    if (start.length >= end || end > header.size || length === size) break;
  }
  const decoded = decodeMetadata(start, header.size);
  return decoded.ok ? { ok: true, value: decoded.metadata } : decoded;
}

/** What is kept of a format-2 record's metadata, from its output section's start and its checked metadata section. */
type SectionDecode<Found> = (outputHead: Uint8Array, outputSize: number, section: Uint8Array) => Decoded<Found>;

const sectionMetadata: SectionDecode<RecordMetadata> = (outputHead, outputSize, section) => {
  const decoded = decodeSectionMetadata(outputHead, outputSize, section);
  return decoded.ok ? { ok: true, value: decoded.metadata } : decoded;
};

const sectionTime: SectionDecode<number> = (outputHead, outputSize, section) => {
  const decoded = decodeSectionTime(outputHead, outputSize, section);
  return decoded.ok ? { ok: true, value: decoded.time } : decoded;
};

/** A format-2 record's metadata: its metadata section, checked, and the output section's prefix. */
function metadataAt2<Found>(
  fd: number,
  first: Buffer,
  header: CheckedHeader,
  decode: SectionDecode<Found>,
): Decoded<Found> {
  const outputStart = first.subarray(HEADER_2_SIZE, Math.min(first.length, header.outputEnd));
  const prefix = header.compression === Compression.none ? outputStart : inflateStart(outputStart, header.size);
  if (!(prefix instanceof Uint8Array)) return prefix;
  const end = header.outputEnd + header.metadataStoredSize;
  const read =
    end <= first.length
      ? first.subarray(header.outputEnd, end)
      : readAt(fd, Buffer.allocUnsafe(header.metadataStoredSize), header.outputEnd);
  const section = decodeMetadataSection(first, header, read);
  return section instanceof Uint8Array ? decode(prefix, header.size, section) : section;
}

/** Fills `bytes` from the file's offset `position`. */
function readAt(fd: number, bytes: Buffer, position: number): Buffer {
  let read = 0;
  for (let n = -1; n !== 0 && read < bytes.length; read += n) {
    n = readSync(fd, bytes, read, bytes.length - read, position + read);
  }
  return bytes.subarray(0, read);
}

/** The metadata of the object open at `fd`, kept as `decode` keeps a format-2 record's and `pick` a format-1 one's. */
function metadataAt<Found>(
  fd: number,
  address: ObjectAddress | undefined,
  onStat: ((stat: Stats) => void) | undefined,
  decode: SectionDecode<Found>,
  pick: (metadata: RecordMetadata) => Found,
): Decoded<Found> | typeof NOT_A_FILE {
  const stat = fstatSync(fd);
  onStat?.(stat);
  if (!stat.isFile()) return NOT_A_FILE;
  return metadataOfFile(fd, stat, address, decode, pick);
}

/** {@link metadataAt} of a regular file whose `fstat` is taken. */
function metadataOfFile<Found>(
  fd: number,
  stat: Stats,
  address: ObjectAddress | undefined,
  decode: SectionDecode<Found>,
  pick: (metadata: RecordMetadata) => Found,
): Decoded<Found> {
  const first = fill(fd, Buffer.allocUnsafe(Math.min(stat.size, METADATA_READ)), 0);
  const header = checkHeader(first, stat.size);
  if (!header.ok) return header;
  if (header.version === 1) {
    const decoded = metadataAt1(fd, stat.size, first, header);
    return decoded.ok ? { ok: true, value: pick(decoded.value) } : decoded;
  }
  const wrongKey = address && addressDefect(first, address);
  return wrongKey ? { ok: false, reason: wrongKey } : metadataAt2(fd, first, header, decode);
}

/**
 * Reads what the record at a path holds besides its output, for listing a cache of large
 * results: only the header, the start of the output and the metadata are read (and
 * inflated), checked as far as they go — format 2's metadata section against its digest.
 * The output is not: {@link readObjectFile} verifies every byte. `onStat` is handed the
 * file's `fstat`, for a caller that totals sizes without a `stat` of its own.
 */
export function readObjectMetadata(file: string, onStat?: (stat: Stats) => void): ReadResult<RecordMetadata> {
  const address = addressOfObjectPath(file);
  return readObject(file, (fd) => metadataAt(fd, address, onStat, sectionMetadata, (metadata) => metadata));
}

/** {@link readObjectMetadata}'s verdict on the record at a path, keeping only its `time`. */
export function readObjectTime(file: string, onStat?: (stat: Stats) => void): ReadResult<number> {
  const address = addressOfObjectPath(file);
  return readObject(file, (fd) => metadataAt(fd, address, onStat, sectionTime, (metadata) => metadata.time));
}

/** A record as {@link readObjectListed} reads it, and the `fstat` of the file it was read from. */
export interface ListedObject {
  /** The whole record, or, from a file larger than the read's bound, the record without its output. */
  readonly record: CachedRecord | RecordMetadata;
  readonly stat: Stats;
}

/**
 * Reads the record at a path for a listing that shows whole records: whole and verified as
 * {@link readObjectFile} reads it, or, when the file is larger than `wholeUpTo` bytes, only
 * what {@link readObjectMetadata} reads. With the file's `fstat`, taken on the descriptor read
 * from, so it is the very file's (its size, inode and modification time), which a listing
 * that tells when an entry is written again (a new file renamed over it) keeps without a
 * `stat` of its own.
 */
export function readObjectListed(file: string, wholeUpTo: number): ReadResult<ListedObject> {
  const address = addressOfObjectPath(file);
  return readObject(file, (fd): Reading<ListedObject> => {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return NOT_A_FILE;
    if (stat.size > wholeUpTo) {
      const read = metadataOfFile(fd, stat, address, sectionMetadata, (metadata) => metadata);
      return read.ok ? { ok: true, value: { record: read.value, stat } } : read;
    }
    const read = objectBytes(fd, false, false);
    if (read === NOT_A_FILE || 'ok' in read) return read;
    const decoded = decodeRecord(read.bytes, address);
    return decoded.ok ? { ok: true, value: { record: decoded.record, stat } } : decoded;
  });
}

function outputDecoder(address: ObjectAddress | undefined): Decode<StoredOutput> {
  return (bytes, check) => {
    const decoded = decodeOutput(bytes, check.storedDigest, {
      address,
      seal: check.seal,
      objectLength: check.objectLength,
    });
    return decoded.ok ? { ok: true, value: decoded } : decoded;
  };
}

/**
 * Reads and verifies the object at a path, decoding only the output and whether it was a
 * Promise; an object sealed for another key than `address` is damaged. Every hit runs
 * this, mostly before the JIT has compiled it: one function with no closures, the file
 * closed without a `finally`.
 */
export function readObjectOutput(file: string, address?: ObjectAddress): ReadResult<StoredOutput> {
  const fd = openObject(file);
  if (typeof fd !== 'number') return fd;
  let read: ObjectBytes | NotRead | undefined;
  let failure: unknown;
  let failed = false;
  try {
    read = objectBytes(fd, false, true);
  } catch (error) {
    failure = error;
    failed = true;
  }
  try {
    closeSync(fd);
  } catch (error) {
    failure = error;
    failed = true;
  }
  if (failed || read === undefined) return unreadable(file, failure);
  if (read === NOT_A_FILE || 'ok' in read) return verdict(file, read);
  const decoded = decodeOutput(read.bytes, undefined, { address, objectLength: read.objectLength });
  return decoded.ok ? { status: 'hit', record: decoded } : { status: 'damaged', file, reason: decoded.reason };
}

/**
 * {@link readObjectOutput} for a caller that can wait: an output of {@link OVERLAP_FROM}
 * or more stored raw is read on the thread pool while hashed, and its result comes as a
 * Promise.
 */
export function readObjectOutputOverlapped(
  file: string,
  address?: ObjectAddress,
): ReadResult<StoredOutput> | Promise<ReadResult<StoredOutput>> {
  return readVerified(file, outputDecoder(address), true, true);
}

/**
 * Writes bytes to `file` atomically: temp file in the same directory, then rename. A
 * directory removed meanwhile is created again, once. Returns whether `dir` was created.
 */
export function writeFileAtomic(file: string, dir: string, parts: readonly Uint8Array[]): boolean {
  for (let attempt = 0; ; attempt++) {
    const { temp, created } = writeTemp(dir, parts);
    try {
      renameSync(temp, file);
      return created;
    } catch (error) {
      removeQuietly(temp);
      if (attempt > 0 || !directoryRemoved(error)) throw error;
    }
  }
}

/**
 * Writes an unsealed object atomically, hashing its payload while the thread pool writes
 * it; the header, sealed with that digest, goes last, then the temp file is renamed into
 * place. Resolves to whether `dir` was created.
 */
async function writeSealing(file: string, dir: string, object: EncodedObject): Promise<boolean> {
  const { temp, fd, created } = openTemp(dir);
  try {
    try {
      // What the seal covers is hashed while written; a large metadata section after it has its own digest already.
      const sealedEnd = 1 + (object.sealedParts ?? object.parts.length - 1);
      const end = await writeHashing(fd, object.parts.slice(1, sealedEnd), HEADER_2_SIZE, sealHasher(object));
      sealObject(object, end.digest);
      let position = end.position;
      for (const part of object.parts.slice(sealedEnd)) {
        for (let offset = 0; offset < part.length;) {
          offset += writeSync(fd, part, offset, part.length - offset, position + offset);
        }
        position += part.length;
      }
      writeSync(fd, object.parts[0], 0, HEADER_2_SIZE, 0);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
    return created;
  } catch (error) {
    removeQuietly(temp);
    // Sealed by now: written again the plain way into the directory made afresh.
    if (directoryRemoved(error) && !object.unsealed) return writeFileAtomic(file, dir, object.parts) || true;
    throw error;
  }
}

/** Creates `file` with `parts` unless it exists; never replaces an existing file, never exposes a partial one. */
export function createFileAtomic(file: string, dir: string, parts: readonly Uint8Array[]): boolean {
  if (existsSync(file)) return false;
  const { temp } = writeTemp(dir, parts);
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    removeQuietly(temp);
  }
}

/** How often a process still using a version marks it used again. */
const USE_MARK_INTERVAL_MS = 1000;

/** One function version's objects in a cache directory. */
export class VersionStore {
  readonly dir: string;
  private metadataBytes: Buffer | undefined;
  /** Whether this process marked the version used; undefined until it tries. */
  private used: boolean | undefined;
  /** When it last did (`Date.now()`). */
  private markedAt = 0;

  /**
   * @param projectDir the project directory of the code using the version (absolute), when
   * known: its own use marker keeps the version current for that project.
   */
  constructor(
    readonly cacheDir: string,
    readonly functionDir: string,
    readonly definitionHash: string,
    readonly projectDir?: string,
  ) {
    this.dir = versionDir(cacheDir, functionDir, definitionHash);
  }

  objectPath(argumentHash: string): string {
    // Plain concatenation: path.join would cost every hit, and `dir` is already normalized.
    return `${this.dir}${sep}${argumentHash}`;
  }

  read(argumentHash: string): ReadResult {
    return readObjectFile(this.objectPath(argumentHash));
  }

  /** What a hit needs: the output, and whether the function returned a Promise. */
  readOutput(argumentHash: string) {
    return readObjectOutput(this.objectPath(argumentHash), { definitionHash: this.definitionHash, argumentHash });
  }

  /** What a hit of an async function needs: {@link readOutput}, a large object read while hashed, as a Promise. */
  readOutputOverlapped(argumentHash: string) {
    return readObjectOutputOverlapped(this.objectPath(argumentHash), {
      definitionHash: this.definitionHash,
      argumentHash,
    });
  }

  /**
   * Writes an object atomically; an unsealed one is hashed while it is written, and the
   * write finishes later. When the version directory had been removed (by `gc`) it is
   * made again with its `definition.json` and use marker, so no directory holds objects
   * without metadata for long.
   */
  write(argumentHash: string, object: EncodedObject): void | Promise<void> {
    const file = this.objectPath(argumentHash);
    if (object.unsealed) return writeSealing(file, this.dir, object).then((created) => this.restoreIf(created));
    this.restoreIf(writeFileAtomic(file, this.dir, object.parts));
  }

  private restoreIf(created: boolean): void {
    if (!created || !this.metadataBytes) return;
    createFileAtomic(join(this.dir, METADATA_FILE), this.dir, [this.metadataBytes]);
    this.used = markUsed(this.dir, this.projectDir);
  }

  /**
   * Writes the version's metadata file if it is not there yet;
   * kept, to write again if the directory is removed while in use.
   */
  writeMetadata(metadata: VersionMetadata): void {
    this.metadataBytes = Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`);
    // A new version's first use found no directory to mark (nor one removed since, by `clear` or `gc`).
    if (createFileAtomic(join(this.dir, METADATA_FILE), this.dir, [this.metadataBytes]) || !this.used) {
      this.used = markUsed(this.dir, this.projectDir);
    }
  }

  /**
   * Marks the version used by this process, at its first use and again at most every
   * {@link USE_MARK_INTERVAL_MS} while it is used, so a version a long run keeps using
   * stays within `gc`'s grace period and `funes log` shows its true last use. A read-only
   * cache is tried once (its hits cost nothing more). A version in use describes itself:
   * one whose `definition.json` is missing (`funes verify --fix` removed a damaged one)
   * gets it back at its first use, hit or miss, or it would stay never current, and `gc`
   * could take it from under its users.
   */
  markUsed(name: string, definition: DefinitionDescription): void {
    if (this.used === false) return;
    const now = Date.now();
    if (this.used === true) {
      if (now - this.markedAt < USE_MARK_INTERVAL_MS) return;
      this.markedAt = now;
      this.used = markUsed(this.dir, this.projectDir);
      return;
    }
    this.markedAt = now;
    this.used = markUsed(this.dir, this.projectDir);
    if (!this.used || existsSync(join(this.dir, METADATA_FILE))) return;
    try {
      this.writeMetadata(versionMetadata(name, definition));
    } catch {
      // Not writable after all: the version's next store reports it.
    }
  }

  /** The argument hashes stored in this version, in directory order. */
  argumentHashes(): string[] {
    return listEntries(this.dir);
  }
}

/**
 * tar headers of regular files (pure): a POSIX ustar header, preceded by a PAX extended
 * header when the name does not fit ustar's name and prefix fields or is not ASCII. Sizes
 * too large for ustar's octal field are written in base-256, as GNU tar and tar-stream
 * read them.
 */

/** tar's unit: headers take one block each, and every entry's data is padded to a whole block. */
export const TAR_BLOCK = 512;
/** The end of an archive: two zero blocks. */
export const END_OF_ARCHIVE = 2 * TAR_BLOCK;

/** Zero bytes after an entry's data, up to the next block. */
export function tarPadding(size: number): number {
  return (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;
}

/** `value` in octal, zero-padded to fill `width` bytes with the terminating NUL. */
function writeOctal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(value.toString(8).padStart(width - 1, '0'), offset, 'ascii');
}

/** ustar's size field: octal up to 8 GiB, base-256 (a leading 0x80 byte) above. */
function writeSize(block: Buffer, size: number): void {
  if (size < 8 ** 11) {
    writeOctal(block, 124, 12, size);
    return;
  }
  block[124] = 0x80;
  for (let i = 135, rest = size; i > 124; i--, rest = Math.floor(rest / 256)) block[i] = rest % 256;
}

/** One header block, written over zeros: a regular file (`0`) or a PAX extended header (`x`). */
function writeUstarBlock(
  block: Buffer,
  name: string,
  prefix: string,
  size: number,
  mtimeSeconds: number,
  type: '0' | 'x',
): void {
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, 100, 8, 0o644);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeSize(block, size);
  writeOctal(block, 136, 12, mtimeSeconds);
  // The checksum is taken with its own field as spaces.
  block.fill(0x20, 148, 156);
  block.write(type, 156, 'ascii');
  block.write('ustar\x0000', 257, 'ascii');
  writeOctal(block, 329, 8, 0);
  writeOctal(block, 337, 8, 0);
  block.write(prefix, 345, 155, 'ascii');
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += block[i];
  block.write(`${sum.toString(8).padStart(6, '0')}\x00 `, 148, 'ascii');
}

/** An ASCII name cut at a `/` into ustar's prefix (≤ 155 bytes) and name (≤ 100 bytes), if it can be. */
function splitName(name: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(name) !== name.length) return undefined;
  if (name.length <= 100) return { prefix: '', name };
  const cut = name.indexOf('/', name.length - 101);
  if (cut <= 0 || cut > 155) return undefined;
  return { prefix: name.slice(0, cut), name: name.slice(cut + 1) };
}

/** A PAX record, `<length> <key>=<value>\n`, whose length counts its own digits. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const length = Buffer.byteLength(body);
  let digits = 1;
  while (String(length + digits).length > digits) digits++;
  return `${length + digits}${body}`;
}

/** A PAX header's record for `name`, or undefined when ustar's fields hold the name. */
function paxFor(name: string): Buffer | undefined {
  return splitName(name) ? undefined : Buffer.from(paxRecord('path', name));
}

/** Bytes of {@link tarHeader}'s blocks for `name`. */
export function tarHeaderLength(name: string): number {
  const pax = paxFor(name);
  return pax ? 2 * TAR_BLOCK + pax.length + tarPadding(pax.length) : TAR_BLOCK;
}

/**
 * Writes the header blocks that start a regular file's entry (`mode` 0644, owned by
 * uid and gid 0) into `into` at `at`, over {@link tarHeaderLength} zero bytes.
 */
export function writeTarHeader(into: Buffer, at: number, name: string, size: number, mtimeMs: number): void {
  const mtimeSeconds = Math.max(0, Math.floor(mtimeMs / 1000));
  const block = (offset: number) => into.subarray(at + offset, at + offset + TAR_BLOCK);
  const pax = paxFor(name);
  if (!pax) {
    const split = splitName(name)!;
    writeUstarBlock(block(0), split.name, split.prefix, size, mtimeSeconds, '0');
    return;
  }
  writeUstarBlock(block(0), 'PaxHeader', '', pax.length, mtimeSeconds, 'x');
  into.set(pax, at + TAR_BLOCK);
  writeUstarBlock(block(TAR_BLOCK + pax.length + tarPadding(pax.length)), name, '', size, mtimeSeconds, '0');
}

/** The header blocks that start a regular file's entry, as {@link writeTarHeader} writes them. */
export function tarHeader(name: string, size: number, mtimeMs: number): Buffer {
  const header = Buffer.alloc(tarHeaderLength(name));
  writeTarHeader(header, 0, name, size, mtimeMs);
  return header;
}

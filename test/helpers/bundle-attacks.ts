/**
 * Crafted bundles for the safety tests: take a real bundle apart into its tar
 * entries, change them as an attacker would, and put them back together — with
 * tar-stream, which writes whatever names, types and sizes it is given.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { createGzip, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { serialize } from 'node:v8';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';

/** One tar entry as written. */
export interface RawEntry {
  name: string;
  type?: 'file' | 'link' | 'symlink' | 'character-device' | 'block-device' | 'directory' | 'fifo';
  linkname?: string;
  data?: Buffer;
}

/** The entries of a bundle, in order. */
export async function entriesOf(bundle: Buffer): Promise<RawEntry[]> {
  const extract = tar.extract();
  const entries: RawEntry[] = [];
  Readable.from([gunzipSync(bundle)]).pipe(extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    entries.push({ name: entry.header.name, type: 'file', data: Buffer.concat(chunks) });
  }
  return entries;
}

/** The uncompressed tar of some entries. */
export async function tarOf(entries: readonly RawEntry[]): Promise<Buffer> {
  const packer = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of packer) chunks.push(chunk as Buffer);
  })();
  for (const { name, type = 'file', linkname, data } of entries) {
    await new Promise<void>((resolve, reject) => {
      const header = { name, type, linkname, mode: 0o644, mtime: new Date(0), devmajor: 1, devminor: 3 };
      const callback = (error?: Error | null) => (error ? reject(error) : resolve());
      if (type === 'file') packer.entry({ ...header, size: data?.length ?? 0 }, data ?? Buffer.alloc(0), callback);
      else {
        packer.entry(header, callback);
      }
    });
  }
  packer.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** A gzip bundle of some entries, optionally followed (inside the gzip) by `padding` zero bytes. */
export async function craft(entries: readonly RawEntry[], padding = 0): Promise<Buffer> {
  const body = await tarOf(entries);
  return gzipSync(padding > 0 ? Buffer.concat([body, Buffer.alloc(padding)]) : body, { level: 1 });
}

/** The parsed manifest of a bundle's entries (the first). */
export function manifestOf(entries: readonly RawEntry[]): any {
  return JSON.parse(entries[0].data!.toString('utf8'));
}

/** The entries with their manifest replaced. */
export function withManifest(entries: readonly RawEntry[], manifest: unknown): RawEntry[] {
  return [{ ...entries[0], data: Buffer.from(JSON.stringify(manifest)) }, ...entries.slice(1)];
}

/**
 * A stored object with an uncompressed payload, as the store writes one (see
 * docs/format.md): 56-byte header — magic, format 1, serializer 1, compression 0,
 * reserved, payload size twice, SHA-256 of the payload — then the payload.
 */
export function rawObject(payload: Buffer): { bytes: Buffer; digest: string } {
  const header = Buffer.alloc(56);
  header.set([0x89, 0x46, 0x4e, 0x53, 1, 1, 0, 0]);
  header.writeBigUInt64LE(BigInt(payload.length), 8);
  header.writeBigUInt64LE(BigInt(payload.length), 16);
  const digest = createHash('sha256').update(payload).digest();
  header.set(digest, 24);
  return { bytes: Buffer.concat([header, payload]), digest: digest.toString('hex') };
}

/** A stored object with a raw-deflated payload (compression 1), as the store writes a compressible one. */
export function deflatedObject(payload: Buffer, level = 1): { bytes: Buffer; digest: string } {
  const stored = deflateRawSync(payload, { level });
  const header = rawObject(Buffer.alloc(0)).bytes;
  header[6] = 1;
  header.writeBigUInt64LE(BigInt(payload.length), 8);
  header.writeBigUInt64LE(BigInt(stored.length), 16);
  const payloadDigest = createHash('sha256').update(payload).digest();
  header.set(payloadDigest, 24);
  return { bytes: Buffer.concat([header, stored]), digest: payloadDigest.toString('hex') };
}

/**
 * The manifest of a bundle holding one object, of `size` bytes,
 * in a function version of its own; and that object's entry name.
 */
function oneObjectManifest(functionDir: string, size: number, digest: string): { manifest: object; entry: string } {
  const [definitionHash, argumentHash] = ['d'.repeat(64), 'a'.repeat(64)];
  const manifest = {
    format: 'funes-bundle',
    version: 1,
    createdAt: new Date(0).toISOString(),
    funes: '0.1.0',
    objectCount: 1,
    bytes: size,
    versions: [{ functionDir, definitionHash, metadata: null, objects: [{ argumentHash, size, digest }] }],
  };
  return { manifest, entry: `${functionDir}/${definitionHash}/${argumentHash}` };
}

/** A bundle of one raw object in a function version of its own, with a manifest that tells the truth. */
export async function bundleOfObject(object: { bytes: Buffer; digest: string }): Promise<Buffer> {
  const { manifest, entry } = oneObjectManifest('big', object.bytes.length, object.digest);
  return craft([
    { name: 'funes-bundle.json', data: Buffer.from(JSON.stringify(manifest)) },
    { name: entry, data: object.bytes },
  ]);
}

/**
 * Writes to `file` a gzip bomb: a bundle whose manifest and tar header declare one
 * object of `size` bytes, its content `head` then zeros, which deflate to about a
 * thousandth of that. Streamed, so the test itself never holds it.
 */
export async function writeBombBundle(file: string, size: number, head = Buffer.alloc(0)): Promise<{ entry: string }> {
  const digest = head.length >= 56 ? head.subarray(24, 56).toString('hex') : '0'.repeat(64);
  const { manifest, entry } = oneObjectManifest('bomb', size, digest);
  const packer = tar.pack();
  const written = pipeline(packer, createGzip({ level: 9 }), createWriteStream(file));
  packer.entry({ name: 'funes-bundle.json', mode: 0o644, mtime: new Date(0) }, JSON.stringify(manifest));
  const content = packer.entry({ name: entry, size, mode: 0o644, mtime: new Date(0) });
  const zeros = Buffer.alloc(1024 * 1024);
  let left = size - head.length;
  for (content.write(head); left > zeros.length; left -= zeros.length) {
    if (!content.write(zeros)) await once(content, 'drain');
  }
  content.end(zeros.subarray(0, left));
  packer.finalize();
  await written;
  return { entry };
}

/**
 * A valid object in format 1 (what Funes 0.1 wrote), which carries no address: the record
 * of a call of input `{ x: 2 }` and output `{ doubled: 4 }`, laid out as docs/format.md
 * describes, with the digest a manifest lists for it.
 */
export function format1Object(): { bytes: Buffer; digest: string } {
  const metadata = serialize({ input: { x: 2 }, time: 0.25, createdAt: new Date(0) });
  const prefix = Buffer.alloc(8);
  prefix.set([0, 1, 0, 0]);
  prefix.writeUInt32LE(metadata.length, 4);
  const padding = Buffer.alloc((8 - ((prefix.length + metadata.length) % 8)) % 8);
  return rawObject(Buffer.concat([prefix, metadata, padding, serialize({ doubled: 4 })]));
}

/**
 * Crafted bundles for the safety tests: take a real bundle apart into its tar
 * entries, change them as an attacker would, and put them back together — with
 * tar-stream, which writes whatever names, types and sizes it is given.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
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
      else packer.entry(header, callback);
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

/** A bundle of one raw object in a function version of its own, with a manifest that tells the truth. */
export async function bundleOfObject(object: { bytes: Buffer; digest: string }): Promise<Buffer> {
  const [definitionHash, argumentHash] = ['d'.repeat(64), 'a'.repeat(64)];
  const manifest = {
    format: 'funes-bundle',
    version: 1,
    createdAt: new Date(0).toISOString(),
    funes: '0.1.0',
    objectCount: 1,
    bytes: object.bytes.length,
    versions: [{ functionDir: 'big', definitionHash, metadata: null, objects: [{ argumentHash, size: object.bytes.length, digest: object.digest }] }],
  };
  return craft([
    { name: 'funes-bundle.json', data: Buffer.from(JSON.stringify(manifest)) },
    { name: `big/${definitionHash}/${argumentHash}`, data: object.bytes },
  ]);
}

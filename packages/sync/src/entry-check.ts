/**
 * Whether an entry's bytes are what the manifest promised and what the store can
 * read (pure). Objects are decoded in full, so an object that would fail its
 * integrity check on read never enters the cache.
 */
import { decodeObject, readHeader, sha256Hex } from '@funes/core';
import { metadataDefect } from '@funes/core/cache';
import { hex } from './digests.js';
import type { ExpectedEntry } from './manifest.js';

function objectDefect(entry: ExpectedEntry, bytes: Uint8Array, maxPayload: number): string | undefined {
  const header = readHeader(bytes);
  if (!header) return 'not a Funes object';
  if (hex(header.digest) !== entry.digest) return 'its payload digest is not the one the manifest lists';
  // Decoding allocates the payload: a small deflated object could claim gigabytes.
  if (header.size > BigInt(maxPayload)) return `it decodes to ${header.size} bytes, more than the limit of ${maxPayload}`;
  const decoded = decodeObject(bytes);
  return decoded.ok ? undefined : decoded.reason;
}

function definitionDefect(entry: ExpectedEntry, bytes: Uint8Array): string | undefined {
  if (sha256Hex(bytes) !== entry.digest) return 'its SHA-256 is not the one the manifest lists';
  return versionMetadataDefect(bytes, entry.functionDir, entry.definitionHash);
}

/**
 * Why a `definition.json` brought by a bundle or a remote must not enter a cache: not
 * JSON, or not keeping @funes/core's contract for it (every field well typed, its
 * definition hash and name those of the directory it goes to).
 */
export function versionMetadataDefect(bytes: Uint8Array, functionDir: string, definitionHash: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return 'not JSON';
  }
  return metadataDefect(value, { functionDir, definitionHash });
}

/** Why an entry's bytes must not enter the cache, or undefined when they may. */
export function entryDefect(entry: ExpectedEntry, bytes: Uint8Array, maxPayload: number): string | undefined {
  return entry.kind === 'object' ? objectDefect(entry, bytes, maxPayload) : definitionDefect(entry, bytes);
}

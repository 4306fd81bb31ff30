/**
 * Merging one checked entry into a cache directory. New files are created
 * atomically and never over an existing file (the store's `createFileAtomic`); an
 * object already there is compared byte for byte and kept whatever it holds.
 * A version's `definition.json` is created when absent and otherwise left alone:
 * two computers write it at different times, so its bytes differ without meaning.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFileAtomic, decodeObject, prepareCacheDir } from '@funes/core';
import type { ExpectedEntry } from './manifest.js';

/** What merging an entry did (or, in a dry run, would do). */
export type Placement = { readonly outcome: 'added' | 'skipped' } | { readonly outcome: 'conflict'; readonly reason: string };

type Stored = 'absent' | 'same' | 'different' | 'damaged';

function stored(file: string, bytes: Uint8Array, kind: ExpectedEntry['kind']): Stored {
  let existing: Buffer;
  try {
    existing = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
  if (kind === 'metadata' || existing.equals(bytes)) return 'same';
  return decodeObject(existing).ok ? 'different' : 'damaged';
}

/** Merges an entry into `cacheDir`; with `write` false only says what merging would do. */
export function placeEntry(cacheDir: string, entry: ExpectedEntry, bytes: Uint8Array, write: boolean): Placement {
  const dir = join(cacheDir, entry.functionDir, entry.definitionHash);
  const file = join(dir, entry.fileName);
  // Creating first and comparing only when that fails saves a lookup per new object, the common case.
  if (write) prepareCacheDir(cacheDir);
  if (write && createFileAtomic(file, dir, [bytes])) return { outcome: 'added' };
  switch (stored(file, bytes, entry.kind)) {
    case 'absent':
      return write ? { outcome: 'conflict', reason: 'the file came and went while unpacking; unpack again' } : { outcome: 'added' };
    case 'same':
      return { outcome: 'skipped' };
    case 'different':
      return { outcome: 'conflict', reason: 'the cache holds a different result for this call; kept the cache’s' };
    case 'damaged':
      return { outcome: 'conflict', reason: 'the cache holds a damaged object for this call; kept it: remove it with `funes verify --fix`, then unpack again' };
  }
}

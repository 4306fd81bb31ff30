/**
 * What unpack accepts as a tar entry (pure). An entry is taken only if it is a
 * regular file, its name is announced by the manifest (which was itself checked
 * against the store's layout), it has not been seen before and its size is the
 * declared one. Everything else is refused with the most specific reason, so a
 * crafted bundle is named for what it tried.
 */
import { parseCachePath } from '@funes/core/internal';
import { BundleFormatError, DuplicateEntryError, EntrySizeError, UnsafeEntryError } from './errors.js';
import { MANIFEST_ENTRY, type ExpectedEntry } from './manifest.js';

/** The parts of a tar header the rules look at. */
export interface EntryHeader {
  readonly name: string;
  readonly type?: string | null | undefined;
  readonly size?: number | undefined;
}

const TYPE_NAMES: Record<string, string> = {
  link: 'a hard link',
  symlink: 'a symbolic link',
  'character-device': 'a character device',
  'block-device': 'a block device',
  directory: 'a directory',
  fifo: 'a FIFO',
};

/** Why a name could write outside the cache directory, or undefined when it cannot. */
export function escapeReason(name: string): string | undefined {
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return 'it is an absolute path';
  if (name.split(/[\\/]/).includes('..')) return 'it has a `..` segment';
  if (name.includes('\\') || name.includes('\0')) return 'it has a backslash or NUL character';
  return undefined;
}

/**
 * Checks one tar entry against the manifest and the entries already seen (which it
 * extends); returns what the manifest expects of it, or throws a bundle error.
 */
export function admitEntry(
  header: EntryHeader,
  expected: ReadonlyMap<string, ExpectedEntry>,
  seen: Set<string>,
): ExpectedEntry {
  const { name } = header;
  const type = header.type ?? 'file';
  if (type !== 'file') {
    throw new UnsafeEntryError(name, `it is ${TYPE_NAMES[type] ?? `a ${type} entry`}; bundles hold regular files only`);
  }
  const escape = escapeReason(name);
  if (escape) throw new UnsafeEntryError(name, escape);
  if (seen.has(name) || name === MANIFEST_ENTRY) throw new DuplicateEntryError(name);
  const entry = expected.get(name);
  if (!entry) {
    if (!parseCachePath(name)) {
      throw new UnsafeEntryError(
        name,
        'its name is outside the cache layout (<function>/<definition hash>/<argument hash>)',
      );
    }
    throw new BundleFormatError(`bundle entry ${JSON.stringify(name)} is not listed in the manifest`, name);
  }
  seen.add(name);
  const found = header.size ?? 0;
  if (found !== entry.size) throw new EntrySizeError(name, entry.size, found);
  return entry;
}

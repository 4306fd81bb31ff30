import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admitEntry, escapeReason } from './entry-rules.js';
import { buildManifest, expectedEntries } from './manifest.js';

const H = 'a'.repeat(64);
const NAME = `f/${H}/${H}`;
const expected = expectedEntries(
  buildManifest(
    [{ functionDir: 'f', definitionHash: H, metadata: null, objects: [{ argumentHash: H, size: 80, digest: H }] }],
    new Date(),
    '0.1.0',
  ),
);

describe('entry rules', () => {
  it('admit an announced file of the declared size, once', () => {
    const seen = new Set<string>();
    assert.equal(admitEntry({ name: NAME, type: 'file', size: 80 }, expected, seen).name, NAME);
    assert.throws(() => admitEntry({ name: NAME, type: 'file', size: 80 }, expected, seen), {
      code: 'EBUNDLEDUPLICATE',
    });
  });

  it('refuse links, devices and directories before looking at the name', () => {
    for (const type of ['symlink', 'link', 'character-device', 'block-device', 'fifo', 'directory']) {
      assert.throws(
        () => admitEntry({ name: NAME, type, size: 0 }, expected, new Set()),
        { code: 'EBUNDLEUNSAFE' },
        type,
      );
    }
  });

  it('refuse names that escape, names outside the layout and unannounced names', () => {
    assert.throws(() => admitEntry({ name: `/f/${H}/${H}`, size: 80 }, expected, new Set()), /absolute path/);
    assert.throws(() => admitEntry({ name: `f/../../${H}`, size: 80 }, expected, new Set()), /`\.\.` segment/);
    assert.throws(() => admitEntry({ name: 'notes.txt', size: 1 }, expected, new Set()), /outside the cache layout/);
    assert.throws(() => admitEntry({ name: `f/${H}/${'b'.repeat(64)}`, size: 80 }, expected, new Set()), {
      code: 'EBUNDLEFORMAT',
    });
    assert.throws(() => admitEntry({ name: 'funes-bundle.json', size: 1 }, expected, new Set()), {
      code: 'EBUNDLEDUPLICATE',
    });
  });

  it('refuse a size other than the declared one', () => {
    assert.throws(() => admitEntry({ name: NAME, size: 81 }, expected, new Set()), {
      code: 'EBUNDLESIZE',
      expected: 80,
      found: 81,
    });
  });

  it('tell escaping names and layout names apart', () => {
    assert.equal(escapeReason('C:\\x'), 'it is an absolute path');
    assert.equal(escapeReason('a\\b'), 'it has a backslash or NUL character');
    assert.equal(escapeReason(NAME), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildManifest, encodeManifest, expectedEntries, parseManifest, type ManifestVersion } from './manifest.js';

const H1 = '1'.repeat(64);
const H2 = '2'.repeat(64);
const H3 = '3'.repeat(64);
const version: ManifestVersion = {
  functionDir: 'train',
  definitionHash: H1,
  metadata: { size: 10, sha256: H3 },
  objects: [{ argumentHash: H2, size: 100, digest: H3 }],
};

describe('manifest', () => {
  it('round-trips and totals its entries', () => {
    const manifest = buildManifest([version], new Date('2026-01-02T03:04:05Z'), '0.1.0');
    assert.equal(manifest.objectCount, 1);
    assert.equal(manifest.bytes, 110);
    assert.deepEqual(parseManifest(encodeManifest(manifest)), manifest);
  });

  it('announces each object and metadata file under its cache-relative name', () => {
    const entries = expectedEntries(buildManifest([version], new Date(), '0.1.0'));
    assert.deepEqual([...entries.keys()], [`train/${H1}/definition.json`, `train/${H1}/${H2}`]);
    assert.equal(entries.get(`train/${H1}/${H2}`)?.kind, 'object');
  });

  it('refuses names outside the layout, bad fields and wrong totals', () => {
    const encode = (change: (m: any) => void) => {
      const m: any = JSON.parse(encodeManifest(buildManifest([version], new Date(), '0.1.0')).toString());
      change(m);
      return Buffer.from(JSON.stringify(m));
    };
    const cases: [(m: any) => void, string, RegExp][] = [
      [(m) => (m.versions[0].functionDir = '../x'), 'EBUNDLEUNSAFE', /function directory/],
      [(m) => (m.versions[0].functionDir = '.hidden'), 'EBUNDLEUNSAFE', /function directory/],
      [(m) => (m.versions[0].definitionHash = 'abc'), 'EBUNDLEUNSAFE', /definition hash/],
      [(m) => (m.versions[0].objects[0].argumentHash = '../../etc/passwd'), 'EBUNDLEUNSAFE', /argument hash/],
      [(m) => (m.versions[0].objects[0].size = -1), 'EBUNDLEFORMAT', /size/],
      [(m) => (m.versions[0].objects[0].digest = 'x'), 'EBUNDLEFORMAT', /digest/],
      [(m) => (m.bytes = 5), 'EBUNDLEFORMAT', /totals/],
      [(m) => (m.format = 'zip'), 'EBUNDLEFORMAT', /format/],
      [(m) => (m.version = 9), 'EBUNDLEFORMAT', /upgrade/],
    ];
    for (const [change, code, message] of cases) {
      assert.throws(
        () => parseManifest(encode(change)),
        (error: Error & { code: string }) => error.code === code && message.test(error.message),
      );
    }
    assert.throws(() => parseManifest(Buffer.from('{')), { code: 'EBUNDLEFORMAT' });
  });

  it('refuses a name announced twice', () => {
    const twice = buildManifest([version, version], new Date(), '0.1.0');
    assert.throws(() => expectedEntries(twice), { code: 'EBUNDLEDUPLICATE' });
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  addRemote,
  chooseRemote,
  listRemotes,
  recordBucketConditionalWrites,
  removeRemote,
  resolveRemote,
} from './remote-config.js';
import { parseRemoteUrl } from './remote-url.js';

test('adds, lists and removes remotes in the cache directory, never credentials', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'funes-remote-config-'));
  try {
    assert.deepEqual(listRemotes(cacheDir), []);
    addRemote(cacheDir, { name: 'origin', url: 's3://ml-cache/funes/', endpoint: 'https://s3.lab:9000' });
    addRemote(cacheDir, { name: 'aws', url: 's3://other', region: 'eu-west-1' });
    assert.deepEqual(listRemotes(cacheDir), [
      { name: 'origin', url: 's3://ml-cache/funes', endpoint: 'https://s3.lab:9000' },
      { name: 'aws', url: 's3://other', region: 'eu-west-1' },
    ]);
    assert.doesNotMatch(readFileSync(join(cacheDir, '.funes', 'config.json'), 'utf8'), /secret|key/i);
    assert.throws(() => addRemote(cacheDir, { name: 'origin', url: 's3://x12' }), { code: 'EREMOTEEXISTS' });
    assert.equal(resolveRemote(cacheDir, undefined).name, 'origin', 'origin is the default among several');
    assert.equal(resolveRemote(cacheDir, 'aws').bucket, 'other');
    removeRemote(cacheDir, 'origin');
    assert.equal(resolveRemote(cacheDir, undefined).name, 'aws', 'the only remote is the default');
    assert.throws(() => removeRemote(cacheDir, 'origin'), { code: 'ENOREMOTE' });
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test("the probe's verdict about a URL's bucket is kept beside the remotes, for that bucket on that server", () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'funes-remote-config-'));
  try {
    const url = 's3://sweeps/a?endpoint=http://127.0.0.1:9000';
    assert.equal(resolveRemote(cacheDir, url).conditionalWrites, undefined);
    recordBucketConditionalWrites(cacheDir, parseRemoteUrl(url), true);
    addRemote(cacheDir, { name: 'origin', url: 's3://ml-cache/funes' });
    assert.equal(resolveRemote(cacheDir, url).conditionalWrites, true, 'kept when a remote is added');
    assert.equal(resolveRemote(cacheDir, 's3://sweeps/other-prefix?endpoint=http://127.0.0.1:9000&read-only=1')
      .conditionalWrites, true, 'the same bucket under another prefix');
    assert.equal(resolveRemote(cacheDir, 's3://sweeps/a?endpoint=http://127.0.0.1:9001').conditionalWrites, undefined);
    assert.equal(resolveRemote(cacheDir, 's3://other/a?endpoint=http://127.0.0.1:9000').conditionalWrites, undefined);
    assert.deepEqual(listRemotes(cacheDir), [{ name: 'origin', url: 's3://ml-cache/funes' }]);
    removeRemote(cacheDir, 'origin');
    assert.equal(resolveRemote(cacheDir, url).conditionalWrites, true, 'kept when a remote is removed');
    // A damaged configuration costs a URL its record, never its use.
    writeFileSync(join(cacheDir, '.funes', 'config.json'), '{ nope');
    assert.equal(resolveRemote(cacheDir, url).conditionalWrites, undefined);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('refuses bad names, endpoints and a damaged configuration file', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'funes-remote-config-'));
  try {
    assert.throws(() => addRemote(cacheDir, { name: '-x', url: 's3://abc' }), { code: 'EREMOTECONFIG' });
    assert.throws(() => addRemote(cacheDir, { name: 'x', url: 's3://abc', endpoint: 'nope' }), {
      code: 'EREMOTECONFIG',
    });
    assert.throws(() => addRemote(cacheDir, { name: 'x', url: 's3://abc?endpoint=http://h' }), {
      code: 'EREMOTECONFIG',
    });
    mkdirSync(join(cacheDir, '.funes'));
    writeFileSync(join(cacheDir, '.funes', 'config.json'), '{ nope');
    assert.throws(() => listRemotes(cacheDir), { code: 'EREMOTECONFIG' });
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('chooses the remote named, the only one, or origin; a URL stands for itself', () => {
  const remotes = [
    { name: 'a', url: 's3://aaa' },
    { name: 'b', url: 's3://bbb' },
  ];
  assert.throws(
    () => chooseRemote(remotes, undefined),
    (error: any) => error.code === 'ENOREMOTE' && /a, b/.test(error.hint),
  );
  assert.throws(() => chooseRemote([], undefined), { code: 'ENOREMOTE' });
  assert.throws(() => chooseRemote(remotes, 'c'), { code: 'ENOREMOTE' });
  assert.equal(chooseRemote(remotes, 'b').bucket, 'bbb');
  assert.deepEqual(chooseRemote([], 's3://ccc/p'), {
    name: 's3://ccc/p',
    url: 's3://ccc/p',
    bucket: 'ccc',
    prefix: 'p',
  });
  assert.equal(chooseRemote(remotes, 'S3://ccc/p').bucket, 'ccc', 'the scheme in any case');
  // Another scheme is refused as a URL, not looked up as a remote's name.
  assert.throws(() => chooseRemote(remotes, 'gs://ccc/p'), { code: 'EREMOTECONFIG', message: /not an s3:\/\/ URL/ });
});

test('a remote added with an upper-case scheme is stored as s3://', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'funes-remote-config-'));
  try {
    addRemote(cacheDir, { name: 'origin', url: 'S3://ml-cache/funes/' });
    assert.equal(listRemotes(cacheDir)[0].url, 's3://ml-cache/funes');
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('remotes added by processes at the same time are all kept', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'funes-remote-config-'));
  const module = new URL('./remote-config.ts', import.meta.url).href;
  const script =
    `import { addRemote } from '${module}';\n` +
    'for (let j = 0; j < 10; j++) addRemote(process.argv[1], ' +
    "{ name: `r${process.argv[2]}-${j}`, url: 's3://bkt/p', readOnly: true });";
  try {
    const children = [0, 1, 2, 3].map((i) =>
      spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, cacheDir, String(i)], {
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    );
    const codes = await Promise.all(children.map(async (child) => (await once(child, 'exit'))[0]));
    assert.deepEqual(codes, [0, 0, 0, 0]);
    assert.equal(listRemotes(cacheDir).length, 40);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

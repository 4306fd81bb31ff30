import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffMetadata } from '@funes/core/cache';
import { noStyle } from '../style.js';
import { formatDu } from './du.js';
import { formatGc } from './gc.js';
import { formatLog } from './log.js';
import type { LogEntry } from '../operations/log.js';
import { formatUnpack } from './unpack.js';
import { formatVerify } from './verify.js';

const H = 'ab'.repeat(32);
const NOW = Date.parse('2026-11-25T12:00:00Z');

test('log --oneline aligns one line per version', () => {
  const entry = {
    function: 'train',
    module: 'src/train.ts',
    hash: H,
    shortHash: H.slice(0, 12),
    current: true,
    lastUsedAt: '2026-11-25T11:58:00Z',
    createdAt: '2026-11-25T11:00:00Z',
    lastWrittenAt: '2026-11-25T11:58:00Z',
    entries: 1204,
    bytes: 4_938_712,
    diskBytes: 4_964_352,
    computeSeconds: 11_520.4,
    damagedEntries: 0,
    metadata: 'ok' as const,
    projects: [] as LogEntry['projects'],
    failed: [],
  };
  const text = formatLog(
    {
      cache: '/c',
      versions: [entry, { ...entry, function: 'f', module: null, current: false, lastUsedAt: null, entries: 3 }],
      failedWithoutEntries: [],
    },
    noStyle,
    { oneline: true, now: NOW },
  );
  assert.equal(
    text,
    [
      `abababababab  train (src/train.ts)  1,204  4.71 MiB  3h 12m  used 2 minutes ago  current`,
      `abababababab  f                         3  4.71 MiB  3h 12m  never used here`,
    ].join('\n'),
  );
  assert.equal(
    formatLog({ cache: '/c', versions: [], failedWithoutEntries: [] }, noStyle, { oneline: false, now: NOW }),
    'no function versions',
  );
  const failed = {
    argumentHash: 'cd'.repeat(32),
    attempts: 2,
    error: { name: 'RangeError', message: 'diverged\nat step 7' },
    host: 'node-7',
    pid: 42,
    at: '2026-11-25T11:50:00Z',
  };
  const block = formatLog(
    { cache: '/c', versions: [{ ...entry, failed: [failed] }], failedWithoutEntries: [] },
    noStyle,
    { oneline: false, now: NOW },
  );
  assert.match(
    block,
    /\nFailed: {3}1 point\n {2}cdcdcdcdcdcd 2 attempts, last on node-7 10 minutes ago: RangeError: diverged$/,
  );
  const byProject = (dir: string, present = true) => ({ dir, lastUsedAt: '2026-11-25T11:58:00Z', present });
  const shared = formatLog(
    {
      cache: '/c',
      versions: [
        { ...entry, projects: [byProject('/w/main')] },
        { ...entry, current: false, projects: [byProject('/w/branch', false)] },
      ],
      failedWithoutEntries: [],
    },
    noStyle,
    { oneline: false, now: NOW },
  );
  assert.match(shared, /\nUsed: .*\n {2}by \/w\/main, 2 minutes ago\n/, 'a cache two projects share says whose');
  assert.match(shared, /\n {2}by \/w\/branch \(gone\), 2 minutes ago\n/);
  assert.doesNotMatch(
    formatLog({ cache: '/c', versions: [{ ...entry, projects: [byProject('/w/main')] }], failedWithoutEntries: [] },
      noStyle, { oneline: false, now: NOW }),
    / by /,
    'one project alone: nothing to tell apart',
  );
  const allFailed = { function: 'fetch', hash: H, shortHash: H.slice(0, 12), failed: [failed] };
  assert.equal(
    formatLog({ cache: '/c', versions: [], failedWithoutEntries: [allFailed] }, noStyle, { oneline: false, now: NOW }),
    `version ${H}  fetch  nothing stored: 1 point failed\n` +
      '  cdcdcdcdcdcd 2 attempts, last on node-7 10 minutes ago: RangeError: diverged',
  );
  const both = { cache: '/c', versions: [entry], failedWithoutEntries: [allFailed] };
  assert.equal(
    formatLog(both, noStyle, { oneline: true, now: NOW }),
    [
      `abababababab  train (src/train.ts)  1,204  4.71 MiB  3h 12m  used 2 minutes ago  current`,
      `${H.slice(0, 12)}  fetch  nothing stored: 1 point failed`,
    ].join('\n'),
  );
});

test('du sizes functions and their versions with a total', () => {
  const version = {
    hash: H,
    shortHash: H.slice(0, 12),
    current: true,
    entries: 2,
    bytes: 2048,
    diskBytes: 12288,
    tempFiles: 1,
  };
  const text = formatDu(
    {
      cache: '/c',
      entries: 2,
      bytes: 2048,
      diskBytes: 12288,
      functions: [{ function: 'train', module: null, entries: 2, bytes: 2048, diskBytes: 12288, versions: [version] }],
      leftovers: { count: 0, bytes: 0, diskBytes: 0 },
    },
    noStyle,
  );
  assert.equal(
    text,
    [
      '    DISK     BYTES  ENTRIES  FUNCTION / VERSION',
      '12.0 KiB  2.00 KiB        2  train',
      '12.0 KiB  2.00 KiB        2    abababababab  current 1 temp',
      '12.0 KiB  2.00 KiB        2  total',
    ].join('\n'),
  );
});

test('gc says what it removed, or would remove, and what that frees', () => {
  const result = {
    cache: '/c',
    dryRun: true,
    removedVersions: [
      {
        function: 'train',
        module: 'src/train.ts',
        hash: H,
        entries: 3,
        bytes: 1536,
        diskBytes: 16384,
        reason: 'superseded' as const,
      },
    ],
    removedTempFiles: { count: 2, bytes: 10 },
    removedLockFiles: { count: 1, bytes: 50 },
    removedLeftovers: { count: 1, bytes: 512, diskBytes: 8192 },
    before: { bytes: 4608, diskBytes: 40960 },
    after: { bytes: 2500, diskBytes: 16384 },
    problems: [],
  };
  assert.equal(
    formatGc(result, noStyle),
    [
      'would remove  train@abababababab  src/train.ts  3 entries  16.0 KiB on disk  not the current version',
      'would remove 2 temp files left by interrupted writes (10 bytes)',
      'would remove 1 stale lock file left by killed processes',
      'would remove 1 directory left by interrupted removals (8.00 KiB on disk)',
      'would free 24.0 KiB of disk; the cache would use 16.0 KiB on disk (2.44 KiB of files)',
    ].join('\n'),
  );
  assert.match(
    formatGc(
      {
        ...result,
        dryRun: false,
        removedVersions: [],
        removedTempFiles: { count: 0, bytes: 0 },
        removedLockFiles: { count: 0, bytes: 0 },
        removedLeftovers: { count: 0, bytes: 0, diskBytes: 0 },
        after: result.before,
      },
      noStyle,
    ),
    /^nothing to remove\nfreed 0 bytes of disk/,
  );
});

test('verify lists problems, then a summary and what to do', () => {
  const problem = {
    kind: 'damaged-object' as const,
    function: 'train',
    hash: H,
    file: '/c/train/x',
    reason: 'checksum mismatch',
    fixed: false,
  };
  assert.equal(
    formatVerify({ cache: '/c', versions: 1, objects: 1, problems: [], ok: true }, noStyle),
    'checked 1 object in 1 version: all ok',
  );
  assert.equal(
    formatVerify({ cache: '/c', versions: 1, objects: 2, problems: [problem], ok: false }, noStyle),
    'damaged object train@abababababab /c/train/x: checksum mismatch\nchecked 2 objects in 1 version: 1 problem\n' +
        'run `funes verify --fix` to remove damaged files',
  );
});

test('diffs compare sources and dependency lists, and show changed dependencies', () => {
  const base = {
    format: 1,
    name: 'f',
    definitionHash: H,
    module: 'a.ts',
    warnings: [],
    pinnedVersion: null,
    createdAt: '',
    funes: '0.1.0',
  };
  const a = {
    ...base,
    source: 'function f() { return g(); }',
    dependencies: [
      {
        kind: 'local' as const,
        name: 'g',
        file: 'a.ts',
        line: 3,
        source: 'function g() { return 1; }',
        hash: '11'.repeat(32),
      },
    ],
  };
  const b = {
    ...base,
    source: 'function f() { return g(); }',
    dependencies: [{ ...a.dependencies[0], source: 'function g() { return 2; }', hash: '22'.repeat(32) }],
  };
  const diff = diffMetadata(a, b);
  assert.deepEqual(diff.files.map((f) => f.path), ['dependencies', 'dependencies/local/g']);
  assert.match(diff.files[1].patch, /-function g\(\) \{ return 1; \}\n\+function g\(\) \{ return 2; \}/);
  assert.deepEqual(diff.dependencies.changed.map((c) => c.name), ['g']);
  assert.deepEqual(diffMetadata(a, a).files, []);
});

test('unpack counts each kind of object in the singular or plural it needs', () => {
  const tally = (objects: number) => ({ objects, bytes: objects * 100 });
  const entry = `square/${H}/${H}`;
  const report = {
    mode: 'merge' as const,
    verified: tally(3),
    added: tally(1),
    skipped: tally(1),
    conflicts: tally(1),
    rejected: tally(0),
    metadata: { added: 0, skipped: 1 },
    conflictList: [{ entry, reason: 'the cache holds a different result for this call; kept the cache’s' }],
    rejectedList: [],
    bundle: { createdAt: '2026-11-25T11:00:00Z', funes: '0.1.0' },
  };
  assert.equal(
    formatUnpack(report, noStyle),
    `conflict ${entry}: the cache holds a different result for this call; kept the cache’s\n` +
      'added 1 object (100 bytes), skipped 1 object (100 bytes) already present, ' +
      '1 conflict kept as the cache has it, rejected 0 objects (0 bytes)',
  );
  assert.match(
    formatUnpack({ ...report, conflicts: tally(2), conflictList: [] }, noStyle),
    /, 2 conflicts kept as the cache has them, /,
  );
});

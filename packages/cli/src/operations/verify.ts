/**
 * `funes verify`: reads every object and checks it, like `git fsck` or `npm cache
 * verify`. Objects are read one at a time and dropped, so memory stays flat however
 * large the cache; only problems are kept.
 */
import { join } from 'node:path';
import { listEntries, readObjectFile, METADATA_FILE } from '@funes/core';
import type { Cache, Version } from '../cache.js';
import type { Progress } from '../progress.js';
import { selectVersions } from '../select.js';
import { removeFile } from './remove.js';

/** One thing `verify` found wrong. */
export interface VerifyProblem {
  /** `damaged-object`: failed its integrity check; `unreadable-object`: the filesystem refused it; `damaged-metadata`: definition.json is not valid. */
  readonly kind: 'damaged-object' | 'unreadable-object' | 'damaged-metadata';
  readonly function: string;
  readonly hash: string;
  readonly file: string;
  readonly reason: string;
  /** Whether `--fix` removed it. */
  readonly fixed: boolean;
}

/** `funes verify --json`. */
export interface VerifyResult {
  readonly cache: string;
  readonly versions: number;
  /** Objects read and checked. */
  readonly objects: number;
  readonly problems: readonly VerifyProblem[];
  /** True when nothing is wrong any more (no problems, or all fixed). */
  readonly ok: boolean;
}

/** What `funes verify` checks and whether it removes what is damaged. */
export interface VerifyOptions {
  readonly functions: readonly string[];
  /** Remove damaged objects and metadata. */
  readonly fix: boolean;
}

function remove(file: string, fix: boolean): boolean {
  if (fix) removeFile(file);
  return fix;
}

function verifyVersion(version: Version, fix: boolean, progress: Progress, found: (problem: VerifyProblem) => void): number {
  const where = { function: version.name, hash: version.hash };
  if (version.metadata.status === 'damaged') {
    // memorious writes a missing definition.json again at the version's next store; a damaged one blocks that.
    found({ kind: 'damaged-metadata', ...where, file: join(version.dir, METADATA_FILE), reason: version.metadata.reason, fixed: remove(version.metadata.file, fix) });
  }
  let objects = 0;
  for (const argumentHash of listEntries(version.dir)) {
    const file = join(version.dir, argumentHash);
    const read = readObjectFile(file);
    progress.tick();
    if (read.status === 'miss') continue;
    objects++;
    if (read.status === 'damaged') {
      found({ kind: 'damaged-object', ...where, file, reason: read.reason, fixed: remove(file, fix) });
    } else if (read.status === 'unreadable') {
      found({ kind: 'unreadable-object', ...where, file, reason: `cannot be read (${read.error.code ?? read.error.message})`, fixed: false });
    }
  }
  return objects;
}

/** Checks the objects of the selected versions (all when none are named). */
export function verify(cache: Cache, options: VerifyOptions, progressFor: (total: number) => Progress): VerifyResult {
  const versions = selectVersions(cache.versions, options.functions);
  const progress = progressFor(versions.reduce((total, v) => total + listEntries(v.dir).length, 0));
  const problems: VerifyProblem[] = [];
  let objects = 0;
  for (const version of versions) objects += verifyVersion(version, options.fix, progress, (problem) => problems.push(problem));
  progress.done();
  return { cache: cache.dir, versions: versions.length, objects, problems, ok: problems.every((p) => p.fixed) };
}

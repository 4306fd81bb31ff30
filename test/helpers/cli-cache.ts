/**
 * Caches for the `funes` CLI's end-to-end tests, written by real memorious runs in
 * child processes, and a runner for the built `funes` binary.
 */
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, tempProject, type TempProject } from './temp-project.js';

export const FUNES_BIN = join(REPO_ROOT, 'packages/cli/bin/funes.js');

/** What a `funes` run printed and how it exited. */
export interface FunesRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A project whose `cache/` memorious filled, and helpers to run `funes` on it. */
export interface CliProject extends TempProject {
  /**
   * Writes `file` as a module that wraps `fnSource` with memorious and calls
   * it once per argument list, storing in `cache/` or the directory named.
   */
  compute(file: string, fnSource: string, calls: readonly unknown[][], cache?: string): void;
  /** Runs `funes ...args` in the project (cache: `./cache` unless `--cache` is given). */
  funes(args: readonly string[], options?: { env?: NodeJS.ProcessEnv; input?: string }): FunesRun;
  /** Copies `cache/` (timestamps kept) to `name/`, for tests that change it. */
  copyCache(name: string): string;
}

/** A temp project with the workspace's packages linked in. */
export function cliProject(): CliProject {
  const project = tempProject('funes-cli-');
  return {
    ...project,
    compute(file, fnSource, calls, cache = 'cache') {
      project.write(
        file,
        `import { memorious } from '@funes/core';\n` +
          `const fn = memorious(${fnSource});\n` +
          `for (const args of ${JSON.stringify(calls)}) await fn(...args);\n`,
      );
      const run = project.node([file], { FUNES_CACHE_DIR: join(project.dir, cache) });
      if (run.status !== 0) throw new Error(`${file} failed: ${run.stderr}`);
    },
    funes(args, options = {}) {
      const env = { ...process.env, ...options.env };
      delete env.FUNES_CACHE_DIR;
      delete env.NO_COLOR;
      if (options.env?.FUNES_CACHE_DIR) env.FUNES_CACHE_DIR = options.env.FUNES_CACHE_DIR;
      const run = spawnSync(process.execPath, [FUNES_BIN, ...args], {
        cwd: project.dir,
        env,
        input: options.input ?? '',
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: 1 << 30,
      });
      return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    },
    copyCache(name) {
      const target = join(project.dir, name);
      cpSync(join(project.dir, 'cache'), target, { recursive: true, preserveTimestamps: true });
      return target;
    },
  };
}

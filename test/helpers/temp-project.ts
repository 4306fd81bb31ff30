/**
 * Temp-directory projects for end-to-end tests: real files, real child processes,
 * with the workspace's built packages linked in as a user would install them.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface TempProject {
  readonly dir: string;
  /** Writes a file (creating its directories) relative to the project. */
  write(path: string, content: string): string;
  /** Runs `node ...args` in the project, with FUNES_CACHE_DIR unset unless given. */
  node(args: readonly string[], env?: NodeJS.ProcessEnv): SpawnSyncReturns<string>;
  remove(): void;
}

/** A temp project with `@funes/*` packages linked into its node_modules. */
export function tempProject(prefix = 'funes-e2e-'): TempProject {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const scope = join(dir, 'node_modules', '@funes');
  mkdirSync(scope, { recursive: true });
  for (const name of ['core', 'cli', 'sync']) symlinkSync(join(REPO_ROOT, 'packages', name), join(scope, name), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'e2e-project', private: true, type: 'module' }));
  return {
    dir,
    write(path, content) {
      const file = join(dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
    node(args, env = {}) {
      const base = { ...process.env };
      delete base.FUNES_CACHE_DIR;
      delete base.NODE_OPTIONS;
      return spawnSync(process.execPath, args, {
        cwd: dir,
        env: { ...base, ...env },
        encoding: 'utf8',
        timeout: 120_000,
      });
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `funes why`: why a function's call computes rather than returning a stored result.
 * From the cache alone, the current version is compared with the nearest other one; with
 * `<module>:<function>`, the module is run as the function's own process would run it,
 * and its current definition (and, with arguments, its call) is explained by
 * @funes/core's explainMiss.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type MissExplanation } from '@funes/core';
import { definitionChanges, nearestInputs } from '@funes/core/internal';
import { byRecentUse, identityOf, listEntries, resolveVersion, versionsOf } from '@funes/core/cache';
import { requireMetadata, type Version } from '../cache.js';
import { WHY_RUNNER } from '../entry-scripts.js';
import { CliError, UsageError } from '../errors.js';

/** `funes why --json`: the explanation, and where it came from. */
export type WhyResult = MissExplanation & {
  /** `module`: the module was run; `cache`: only what the cache holds was compared. */
  readonly from: 'module' | 'cache';
};

/** How the file of a module written in JavaScript or TypeScript ends. */
const MODULE_NAME = /\.[cm]?[jt]sx?$/;

/**
 * `src/train.ts:train` → the module and the function; a plain name → the function alone, marked `moduleAlone`
 * when it is a module's file rather than a function's name. A module naming no function (`src/train.ts:`) is a
 * usage error, before its code runs for nothing.
 */
export function parseTarget(
  target: string,
  cwd: string,
): { readonly module?: string; readonly name: string; readonly moduleAlone?: boolean } {
  const colon = target.lastIndexOf(':');
  if (colon > 0) {
    const module = target.slice(0, colon);
    if (MODULE_NAME.test(module) || existsSync(resolve(cwd, module))) {
      const name = target.slice(colon + 1);
      if (name === '') {
        throw new UsageError(`'${target}' names no function after its ':'`, `e.g. funes why ${module}:train`);
      }
      return { module: resolve(cwd, module), name };
    }
  }
  const moduleAlone = MODULE_NAME.test(target) && existsSync(resolve(cwd, target));
  return moduleAlone ? { name: target, moduleAlone } : { name: target };
}

/**
 * The error for a module's file given where a function was expected (`funes why src/train.ts`), naming the
 * functions the cache holds from a module of that path, if any.
 */
export function moduleWithoutFunction(versions: readonly Version[], module: string): UsageError {
  const path = module.replace(/^\.\//, '').split(sep).join('/');
  const ofModule = versions.filter((v) => v.module !== null && (v.module === path || v.module.endsWith(`/${path}`)));
  const names = [...new Set(ofModule.map((v) => v.name))].sort();
  const asked = names.length > 0 ? names.slice(0, 3) : ['<function>'];
  return new UsageError(
    `'${module}' is a module: funes why takes a function, or a module and one of its functions`,
    `name the function after a colon: ${asked.map((name) => `funes why ${module}:${name}`).join(', ')}`,
  );
}

function parseArgs(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(
      `--args is not JSON: ${text}`,
      `give the arguments as a JSON array, e.g. --args '[0.3, 10]', or named, e.g. --args '{"lr": 0.3}'`,
    );
  }
}

/**
 * From the cache alone: the current version (the most recently used) against
 * the nearest other one; with named `args`, the stored entries nearest them.
 */
export function whyFromCache(versions: readonly Version[], name: string, argsText: string | undefined): WhyResult {
  const args = parseArgs(argsText);
  if (args !== undefined && (args === null || typeof args !== 'object' || Array.isArray(args))) {
    throw new UsageError(
      'from the cache alone, --args names the arguments: --args \'{"lr": 0.3}\'',
      `to pass them in order, name the module so the call can be made as the code makes it: funes why ` +
          `src/experiment.mjs:${name} --args '[0.3]'`,
    );
  }
  const named = versionsOf(versions, name);
  const current = resolveVersion(versions, name);
  const others = named.filter((v) => v !== current && identityOf(v) === identityOf(current));
  const definition = requireMetadata(current);
  const base = { from: 'cache' as const, function: current.name, version: current.hash };
  if (args !== undefined) {
    const input = args as Record<string, unknown>;
    const entries = listEntries(current.dir);
    const found = nearestInputs(current.dir, entries, input, true);
    if (found.same !== undefined) return { ...base, input, argumentHash: found.same, cause: 'stored' };
    return { ...base, input, cause: 'arguments', entries: entries.length, nearest: found.nearest };
  }
  if (others.length === 0) return { ...base, cause: 'version-stored', entries: listEntries(current.dir).length };
  const compared = others
    .map((version) => ({ version, changes: definitionChanges(requireMetadata(version), definition) }))
    .sort((a, b) => a.changes.length - b.changes.length || byRecentUse(a.version, b.version))[0];
  return {
    ...base,
    cause: 'definition',
    comparedWith: { version: compared.version.hash, createdAt: requireMetadata(compared.version).createdAt },
    changes: compared.changes,
  };
}

/** Node's flags to load `module`: a TypeScript module through tsx, found from the module's project. */
function loaderFlags(module: string): string[] {
  if (!/^\.[cm]?tsx?$/.test(extname(module))) return [];
  try {
    return ['--import', pathToFileURL(createRequire(module).resolve('tsx')).href];
  } catch {
    throw new CliError('EUSAGE', `${module} is TypeScript, and tsx is not installed in its project`, {
      hint: 'npm install --save-dev tsx, or name the built JavaScript module',
    });
  }
}

/**
 * Refuses a module that is not a file before running it: node cannot import a directory (it failed with its
 * own stack trace) and waits for a FIFO's writer forever.
 */
function checkModule(module: string): void {
  const hint = 'name the file that defines or calls the function: funes why src/experiment.mjs:train';
  let stats;
  try {
    stats = statSync(module);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError('ENOMODULE', `no module ${module}`, { hint });
    throw error;
  }
  if (stats.isDirectory()) throw new CliError('ENOMODULE', `${module} is a directory, not a module`, { hint });
  if (!stats.isFile()) {
    throw new CliError('ENOMODULE', `${module} is not a regular file (a FIFO, a device or a socket)`, { hint });
  }
}

/** Runs `module` with `funes why`'s request for `name`; resolves with the explanation its process gives. */
export async function whyFromModule(
  module: string,
  name: string,
  argsText: string | undefined,
  cacheDir: string | undefined,
  cwd: string,
): Promise<WhyResult> {
  checkModule(module);
  const args = parseArgs(argsText);
  if (args !== undefined && !Array.isArray(args)) {
    throw new UsageError(
      'with a module, --args is the arguments in order, as a JSON array',
      `e.g. funes why ${module}:${name} --args '[0.3, 10]'`,
    );
  }
  const env: NodeJS.ProcessEnv = { ...process.env, FUNES_WHY: name, FUNES_WHY_FD: '3' };
  if (args !== undefined) env.FUNES_WHY_ARGS = JSON.stringify(args);
  if (cacheDir !== undefined) env.FUNES_CACHE_DIR = cacheDir;
  // The module's own output goes to stderr: stdout is the answer's.
  // Imported here: the bundled CLI is one module, whose static imports every command's run loads.
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [...loaderFlags(module), WHY_RUNNER, module, name], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(process.stderr, { end: false });
  child.stderr!.pipe(process.stderr, { end: false });
  let answer = '';
  (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8').on('data', (text: string) => (answer += text));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (answer === '') {
    throw new CliError('EWHY', `${module} ended (exit code ${code}) before ${name} could be explained`, {
      hint: 'its own error is printed above',
    });
  }
  const parsed = JSON.parse(answer) as MissExplanation | { error: string; message: string; hint?: string };
  if ('error' in parsed) throw new CliError(parsed.error, parsed.message, { hint: parsed.hint });
  return { from: 'module', ...parsed };
}

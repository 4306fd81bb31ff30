/**
 * Runs the bundled CLI, a CommonJS script, compiled with the V8 code cache the build
 * wrote beside it after a sample run: the cache holds the bytecode of the functions that
 * run compiled, so a run compiles only what it uses beyond them. Node 20 keeps no such
 * cache for modules, and an ES module cannot be given one, hence a script.
 *
 * A cache is used only with the very source it was made from (it keeps a copy: V8 checks
 * a source's length, not its text) and by the V8 that made it; any other cache is ignored
 * and the script compiled from its source, which runs the same. Nothing is written at run
 * time: the package's directory may well be read-only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/**
 * The script runs as a CommonJS module's body does, given besides a way to import ES
 * modules: V8 has no `import()` for a script compiled with cached data.
 */
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname, importModule) {';
const WRAPPER_END = '\n})';

/** The name the script calls {@link ImportModule} by (build-bundle.mjs renames its `import()` calls). */
export const IMPORT_MODULE = 'importModule';

/** Imports an ES module for the script, resolving a relative specifier from the script's directory. */
export type ImportModule = (specifier: string) => Promise<unknown>;

/** A script compiled from a file, and the source it was compiled from. */
export interface CompiledScript {
  readonly file: string;
  readonly source: Buffer;
  readonly script: Script;
}

/** The file holding the code cache of the script `file`. */
function cacheFileOf(file: string): string {
  return `${file}.cache`;
}

/** The cache file: the source's length (4 bytes, little-endian), the source, then V8's data. */
const LENGTH_BYTES = 4;

/** V8's data in the code cache of `file` if that cache was made from `source`. */
function cachedDataFor(file: string, source: Buffer): Buffer | undefined {
  let cache: Buffer;
  try {
    cache = readFileSync(cacheFileOf(file));
  } catch {
    return undefined;
  }
  if (cache.length < LENGTH_BYTES || cache.readUInt32LE(0) !== source.length) return undefined;
  const end = LENGTH_BYTES + source.length;
  return cache.subarray(LENGTH_BYTES, end).equals(source) ? cache.subarray(end) : undefined;
}

/** Compiles the script in `file` (an absolute path), with its code cache when that fits it. */
export function compileScript(file: string): CompiledScript {
  const source = readFileSync(file);
  const script = new Script(`${WRAPPER_START}${source.toString()}${WRAPPER_END}`, {
    filename: file,
    cachedData: cachedDataFor(file, source),
  });
  return { file, source, script };
}

/** Runs a compiled script as a CommonJS module; returns what it exports. */
export function runScript({ file, script }: CompiledScript, importModule: ImportModule): unknown {
  const module = { exports: {} };
  const body = script.runInThisContext() as (...args: unknown[]) => void;
  body(module.exports, createRequire(file), module, file, dirname(file), importModule);
  return module.exports;
}

/**
 * Writes the code cache of a script that has run, for the build: V8's data then covers
 * every function the run compiled, not only those compiled with the script.
 */
export function writeCodeCache({ file, source, script }: CompiledScript): void {
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt32LE(source.length);
  writeFileSync(cacheFileOf(file), Buffer.concat([length, source, script.createCachedData()]));
}

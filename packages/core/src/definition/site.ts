/**
 * Where `memorious(...)` was called, read from a structured stack trace at wrap
 * time: the module that defines the wrapped function, and the position of the
 * call in that module's source text.
 *
 * Under a loader that transpiles a file in place (tsx), the stack reports the
 * file's own path but positions in the transpiled code; the loader's source map
 * maps them back. Maps that point at other files (tsc's or esbuild's output) are
 * not followed: the output is the code that runs, so it is what gets analyzed.
 */
import { findSourceMap } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nameAtSite } from './function-location.js';
import { isScriptFile, loadModule, snapshotSource } from './module-files.js';

/** Where a function was wrapped. */
export interface DefinitionSite {
  /** Absolute path of the module that called `memorious`, when it is a file. */
  readonly file?: string;
  /** 1-based line and column of the call in the file's source text. */
  readonly line?: number;
  readonly column?: number;
  /**
   * The file's text is not the code that runs (it was transpiled on load), so `fn.toString()` will not be found in it.
   */
  readonly transpiled?: boolean;
}

const TRANSPILED_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx', '.jsx']);

function filePath(name: string): string | undefined {
  if (name.startsWith('file:')) return fileURLToPath(name);
  return name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name) ? name : undefined;
}

/** Maps a position through a source map that maps the file onto itself; undefined when there is none. */
function mapInPlace(file: string, line: number, column: number): { line: number; column: number } | undefined {
  let map;
  try {
    map = findSourceMap(file) ?? findSourceMap(pathToFileURL(file).href);
  } catch {
    return undefined;
  }
  const entry = map?.findEntry(line - 1, column - 1) as
    { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
  if (!entry?.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) {
    return undefined;
  }
  if (filePath(entry.originalSource) !== file) return undefined;
  return { line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

/**
 * A 1-based position in the code that runs from `file`, as a position in the file's
 * text; undefined when the file was transpiled without a map back onto itself.
 */
export function sourcePosition(
  file: string,
  line: number,
  column: number,
): { line: number; column: number } | undefined {
  return mapInPlace(file, line, column) ?? (TRANSPILED_EXTENSIONS.has(extname(file)) ? undefined : { line, column });
}

/** The first stack frame outside `below` (the library's own entry point), with the file's text snapshotted. */
export function captureSite(below: Function): DefinitionSite {
  const holder: { stack?: NodeJS.CallSite[] } = {};
  const previous = Error.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  let frame: NodeJS.CallSite | undefined;
  try {
    Error.stackTraceLimit = 1;
    Error.prepareStackTrace = (_error, frames) => frames;
    Error.captureStackTrace(holder, below);
    frame = holder.stack?.[0];
  } finally {
    Error.prepareStackTrace = previous;
    Error.stackTraceLimit = previousLimit;
  }
  const name = frame?.getFileName();
  const file = name && !frame!.isEval() ? filePath(name) : undefined;
  if (!file || !isScriptFile(file) || snapshotSource(file) === null) return {};
  const line = frame!.getLineNumber() ?? undefined;
  const column = frame!.getColumnNumber() ?? undefined;
  if (line === undefined || column === undefined) return { file };
  const mapped = mapInPlace(file, line, column);
  if (mapped) return { file, ...mapped, transpiled: true };
  // Transpiled without a usable map: the position is in code that is not on disk.
  return TRANSPILED_EXTENSIONS.has(extname(file))
    ? { file, transpiled: true }
    : { file, line, column, transpiled: false };
}

/**
 * The name the code at the call site gives the result of wrapping an anonymous function with `fnLength` parameters
 * (`train` of `const train = memorious(async (lr) => …)`, see {@link nameAtSite}); undefined where it gives none.
 */
export function nameAtDefinitionSite(site: DefinitionSite, fnLength: number): string | undefined {
  if (site.file === undefined || site.line === undefined || site.column === undefined) return undefined;
  const module = loadModule(site.file);
  return module ? nameAtSite(module.program, module.offset(site.line, site.column), fnLength) : undefined;
}

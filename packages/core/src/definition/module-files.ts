/**
 * Module files as the process runs them, parsed once per process: the text is
 * snapshotted when a function is wrapped (a file edited while the process runs is
 * hashed as it was loaded, not as the disk says later), parsed at the first call
 * that needs it, and kept with its top-level summary.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSync } from 'oxc-parser';
import type { AstNode } from '../function-source.js';
import { summarizeModule, type ModulePattern, type ModuleSummary } from './module-summary.js';

/** A parsed module file. */
export interface ModuleFile {
  readonly file: string;
  readonly text: string;
  readonly program: AstNode;
  readonly summary: ModuleSummary;
  /** 1-based line of a character offset. */
  line(offset: number): number;
  /** Character offset of a 1-based line and column. */
  offset(line: number, column: number): number;
}

const texts = new Map<string, string | null>();
const modules = new Map<string, ModuleFile | null>();

/** A file's text as first read in this process; null when it cannot be read. */
export function snapshotSource(file: string): string | null {
  let text = texts.get(file);
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = null;
    }
    texts.set(file, text);
  }
  return text;
}

const SCRIPT_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx']);

/** Whether a file is JavaScript or TypeScript source that the parser reads. */
export function isScriptFile(file: string): boolean {
  return SCRIPT_EXTENSIONS.has(extname(file));
}

/** Whether a file is a test module (`x.test.ts`): of Funes' own files, the code under test rather than Funes. */
export function isTestModule(file: string): boolean {
  return /\.test\.[cm]?[jt]s$/.test(file);
}

/** Whether a file loads as a JSON module: one parsed object, shared by every module that imports or requires it. */
export function isDataModule(file: string): boolean {
  return extname(file) === '.json';
}

function parserLanguage(file: string): 'js' | 'jsx' | 'ts' | 'tsx' {
  const ext = extname(file);
  if (ext === '.tsx') return 'tsx';
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') return 'ts';
  return ext === '.jsx' ? 'jsx' : 'js';
}

function sourceType(file: string): 'module' | 'commonjs' | 'unambiguous' {
  const ext = extname(file);
  if (ext === '.mjs' || ext === '.mts') return 'module';
  return ext === '.cjs' || ext === '.cts' ? 'commonjs' : 'unambiguous';
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Parses a module file once per process; null when it cannot be read or parsed. */
export function loadModule(file: string): ModuleFile | null {
  let module = modules.get(file);
  if (module !== undefined) return module;
  const text = snapshotSource(file);
  module = null;
  if (text !== null) {
    const result = parseSync(file, text, {
      lang: parserLanguage(file),
      sourceType: sourceType(file),
      preserveParens: false,
    });
    if (result.errors.length === 0) {
      const program = result.program as unknown as AstNode;
      let starts: number[] | undefined;
      module = {
        file,
        text,
        program,
        summary: summarizeModule(program, text),
        offset(line, column) {
          starts ??= lineStarts(text);
          return (starts[line - 1] ?? text.length) + column - 1;
        },
        line(offset) {
          starts ??= lineStarts(text);
          let low = 0;
          let high = starts.length - 1;
          while (low < high) {
            const mid = (low + high + 1) >> 1;
            if (starts[mid]! <= offset) low = mid;
            else {
              high = mid - 1;
            }
          }
          return low + 1;
        },
      };
    }
  }
  modules.set(file, module);
  return module;
}

/** The script the process was started with, as Node gives it (Funes loads before the program's code runs). */
const ENTRY: string | undefined = process.argv[1];
/** The entry script's file, found once: every analysis asks, and the script does not move while the process runs. */
let entryFile: string | undefined | null = null;

/**
 * The file of the script the process was started with (`node main.js`, `tsx main.ts`), when there is one: its top
 * level, and the modules it loads, may configure the modules a function uses before calling it.
 */
export function entryModuleFile(): string | undefined {
  if (entryFile === null) entryFile = ENTRY === undefined ? undefined : probeFile(resolve(ENTRY));
  return entryFile;
}

/** Extensions tried for an import written without one, and the TypeScript files a `.js` import may stand for. */
const TRIED_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx', '.json'];
const TYPESCRIPT_FOR: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
  '.jsx': ['.tsx'],
};

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The file a relative import resolves to, as Node, tsx and bundlers find it; undefined when none exists. */
export function resolveRelativeImport(fromFile: string, specifier: string): string | undefined {
  return probeFile(resolve(dirname(fromFile), specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier));
}

/**
 * The file an absolute path without (or with a JavaScript) extension
 * stands for, as tsx and bundlers find it; undefined when none exists.
 */
export function probeFile(base: string): string | undefined {
  const ext = extname(base);
  const candidates = [
    base,
    ...(TYPESCRIPT_FOR[ext] ?? []).map((swap) => base.slice(0, -ext.length) + swap),
    ...TRIED_EXTENSIONS.map((e) => base + e),
    ...TRIED_EXTENSIONS.map((e) => join(base, 'index' + e)),
  ];
  return candidates.find(isFile);
}

/**
 * The relative specifiers, seen from `fromFile`, of the files a computed
 * module name can stand for (node_modules and dot directories skipped).
 */
export function matchingModules(fromFile: string, { prefix, suffix }: ModulePattern): string[] {
  const from = dirname(fromFile);
  const fixedDir = resolve(from, prefix.slice(0, prefix.lastIndexOf('/') + 1));
  const wanted = resolve(from, prefix) + (prefix.endsWith('/') ? sep : '');
  const out: string[] = [];
  const visit = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (path.startsWith(wanted) && path.endsWith(suffix) && path !== fromFile) {
        out.push(`./${relative(from, path).split(sep).join('/')}`);
      }
    }
  };
  visit(fixedDir);
  return out.sort();
}

/**
 * TypeScript's path aliases, as tsx, ts-node and bundlers apply them: the
 * `compilerOptions.paths` and `baseUrl` of the nearest tsconfig.json above a file,
 * `extends` followed. Read once per directory per process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** The aliases of one tsconfig.json. */
export interface PathAliases {
  /** Absolute directory bare specifiers are also looked up in, when `baseUrl` is set. */
  readonly baseUrl?: string;
  /** Patterns (`@lib/*`) and their targets, made absolute. */
  readonly paths: readonly (readonly [string, readonly string[]])[];
}

/** JSON with comments and trailing commas, as tsconfig.json allows, made plain JSON. */
export function stripJsonComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2);
      if (i === -1) break;
      i++;
    } else {
      out += c;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

interface CompilerOptions {
  baseUrl?: string;
  paths?: Record<string, string[]>;
}

function readConfig(file: string, seen: Set<string>): { baseUrl?: string; paths?: PathAliases['paths'] } {
  if (seen.has(file)) return {};
  seen.add(file);
  const json = JSON.parse(stripJsonComments(readFileSync(file, 'utf8'))) as {
    extends?: string | string[];
    compilerOptions?: CompilerOptions;
  };
  let inherited: { baseUrl?: string; paths?: PathAliases['paths'] } = {};
  for (const parent of [json.extends ?? []].flat()) {
    try {
      const parentFile = parent.startsWith('.') || parent.startsWith('/')
        ? resolve(dirname(file), parent.endsWith('.json') ? parent : `${parent}.json`)
        : createRequire(file).resolve(parent);
      inherited = { ...inherited, ...readConfig(parentFile, seen) };
    } catch {
      // A missing base config adds no aliases.
    }
  }
  const options = json.compilerOptions ?? {};
  const baseUrl = options.baseUrl !== undefined ? resolve(dirname(file), options.baseUrl) : inherited.baseUrl;
  // Targets are relative to baseUrl when there is one, else to the config that declares them.
  const pathsBase = baseUrl ?? dirname(file);
  const paths = options.paths
    ? Object.entries(options.paths).map(
        ([pattern, targets]) => [pattern, targets.map((t) => resolve(pathsBase, t))] as const,
      )
    : inherited.paths;
  return { ...(baseUrl !== undefined ? { baseUrl } : {}), ...(paths ? { paths } : {}) };
}

const byDir = new Map<string, PathAliases | null>();

/** The aliases in force for a file: those of the nearest tsconfig.json above it; null when there is none. */
export function pathAliases(file: string): PathAliases | null {
  const dir = dirname(file);
  let found = byDir.get(dir);
  if (found !== undefined) return found;
  try {
    const { baseUrl, paths } = readConfig(join(dir, 'tsconfig.json'), new Set());
    found = { ...(baseUrl !== undefined ? { baseUrl } : {}), paths: paths ?? [] };
  } catch {
    found = dirname(dir) === dir ? null : pathAliases(dir);
  }
  byDir.set(dir, found);
  return found;
}

/** The paths a bare specifier may stand for under the aliases, most specific pattern first, then under `baseUrl`. */
export function aliasCandidates(aliases: PathAliases, specifier: string): string[] {
  const matches: { prefixLength: number; paths: string[] }[] = [];
  for (const [pattern, targets] of aliases.paths) {
    const at = pattern.indexOf('*');
    if (at === -1) {
      if (pattern === specifier) matches.push({ prefixLength: Infinity, paths: [...targets] });
      continue;
    }
    const prefix = pattern.slice(0, at);
    const suffix = pattern.slice(at + 1);
    if (specifier.length < pattern.length - 1 || !specifier.startsWith(prefix) || !specifier.endsWith(suffix)) continue;
    const star = specifier.slice(prefix.length, specifier.length - suffix.length);
    matches.push({ prefixLength: prefix.length, paths: targets.map((t) => t.replace('*', star)) });
  }
  matches.sort((a, b) => b.prefixLength - a.prefixLength);
  const out = matches.flatMap((m) => m.paths);
  if (aliases.baseUrl !== undefined) out.push(join(aliases.baseUrl, specifier));
  return out;
}

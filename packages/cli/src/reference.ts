/**
 * Where the CLI's reference is on this machine: the package ships the project's docs/ pages
 * in its own `docs/` (one directory up from `dist/` and `bundle/` alike), so the path the
 * help prints exists in an npm install as in the repository.
 */
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The reference page, relative to `cwd` when it is below it, else absolute. */
export function referencePath(cwd: string, page = 'cli.md'): string {
  const file = fileURLToPath(new URL(`../docs/${page}`, import.meta.url));
  const below = relative(cwd, file);
  return below.startsWith('..') || isAbsolute(below) ? file : below;
}

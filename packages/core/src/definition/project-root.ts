/**
 * Where a module's project starts, so that files enter hashes and metadata by
 * paths relative to it: the same project checked out elsewhere hashes the same.
 *
 * The project root is the nearest directory above the module holding a
 * package.json (the module's own directory when there is none). The workspace
 * root is the nearest directory at or above it that declares workspaces (npm and
 * yarn in package.json, pnpm in pnpm-workspace.yaml); packages linked from inside
 * it count as the project's own code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

const roots = new Map<string, string>();
const workspaces = new Map<string, string>();

function parentDirs(dir: string): string[] {
  const dirs = [dir];
  for (let parent = dirname(dir); parent !== dirs[dirs.length - 1]; parent = dirname(parent)) dirs.push(parent);
  return dirs;
}

/** The project root of a module file (see the module comment). */
export function projectRoot(file: string): string {
  const start = dirname(file);
  let root = roots.get(start);
  if (root === undefined) {
    root = parentDirs(start).find((dir) => existsSync(join(dir, 'package.json'))) ?? start;
    roots.set(start, root);
  }
  return root;
}

/**
 * Whether a directory is a workspace's root: npm's and yarn's
 * `workspaces` in package.json, or pnpm's pnpm-workspace.yaml.
 */
function declaresWorkspaces(dir: string): boolean {
  if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return true;
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).workspaces !== undefined;
  } catch {
    return false;
  }
}

/** The workspace root containing a project root, or the project root itself. */
export function workspaceRoot(root: string): string {
  let found = workspaces.get(root);
  if (found === undefined) {
    found = parentDirs(root).find(declaresWorkspaces) ?? root;
    workspaces.set(root, found);
  }
  return found;
}

/** A file's path relative to a root, `/`-separated on every platform. */
export function relativePath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/** Whether `file` is `dir` or inside it. */
export function isInside(dir: string, file: string): boolean {
  const path = relative(dir, file);
  return path === '' || (!path.startsWith('..') && !path.startsWith(sep) && !/^[A-Za-z]:/.test(path));
}

/**
 * Node's resolution of a package.json `exports` or `imports` map (pure): which
 * target a subpath (`.`, `./sub`, `#lib/x`) maps to under a set of conditions,
 * with `*` patterns and condition objects taken in their own key order.
 */

/** The conditions an importing file resolves with: `import` for ES modules, `require` for CommonJS. */
export function conditionsFor(esm: boolean): ReadonlySet<string> {
  return new Set(['node', esm ? 'import' : 'require', 'module-sync', 'default']);
}

function isSubpathMap(map: object): boolean {
  return Object.keys(map).some((key) => key.startsWith('.') || key.startsWith('#'));
}

/**
 * The target of a map entry under the conditions, with `*` replaced;
 * undefined when no condition matches or the entry is null.
 */
function target(entry: unknown, conditions: ReadonlySet<string>, star: string): string | undefined {
  if (typeof entry === 'string') return entry.replaceAll('*', star);
  if (Array.isArray(entry)) {
    for (const item of entry) {
      const found = target(item, conditions, star);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!entry || typeof entry !== 'object') return undefined;
  for (const [condition, value] of Object.entries(entry)) {
    if (!conditions.has(condition)) continue;
    const found = target(value, conditions, star);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The target a subpath maps to in an `exports` or `imports` field (a string or
 * condition object standing for `.` alone, or a map of subpaths), relative to the
 * package directory; undefined when the map does not export it.
 */
export function resolvePackageMap(map: unknown, subpath: string, conditions: ReadonlySet<string>): string | undefined {
  if (map === null || map === undefined) return undefined;
  if (typeof map !== 'object' || Array.isArray(map) || !isSubpathMap(map)) {
    return subpath === '.' ? target(map, conditions, '') : undefined;
  }
  const entries = map as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(entries, subpath) && !subpath.includes('*')) {
    return target(entries[subpath], conditions, '');
  }
  // The pattern with the longest prefix before its `*` wins, as in Node.
  let best: { key: string; star: string } | undefined;
  for (const key of Object.keys(entries)) {
    const at = key.indexOf('*');
    if (at === -1) continue;
    const prefix = key.slice(0, at);
    const suffix = key.slice(at + 1);
    if (!subpath.startsWith(prefix) || subpath.length < key.length - 1 || !subpath.endsWith(suffix)) continue;
    if (!best || prefix.length > best.key.indexOf('*')) {
      best = { key, star: subpath.slice(prefix.length, subpath.length - suffix.length) };
    }
  }
  return best && target(entries[best.key], conditions, best.star);
}

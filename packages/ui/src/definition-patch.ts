/**
 * The diff the page shows between two versions' definitions (pure): the server's
 * `/api/diff`, and a report's page, which makes it from the definitions the report holds
 * when it is asked for — a report of n versions of a function holds n definitions, not the
 * n² diffs between them. The comparison is `funes diff`'s.
 */
import { diffMetadata } from '@funes/core/cache';
import type { DefinitionView } from './cache-view.js';

/** The unified diff of two definitions (source, then the dependency list); a damaged one compares as empty. */
export function definitionPatch(a: DefinitionView, b: DefinitionView): string {
  const compared = (d: DefinitionView) => d.metadata ?? { source: '', dependencies: [] };
  return diffMetadata(compared(a), compared(b)).files.map((file) => file.patch).join('');
}

/**
 * Line diffs in the unified format of `diff -u` and `git diff` (pure).
 */

/** One line of an edit script: kept (` `), removed (`-`) or added (`+`). */
export interface DiffLine {
  readonly op: ' ' | '-' | '+';
  readonly text: string;
}

/** Above this many cells the LCS table is not built and the texts are shown as replaced. */
const MAX_CELLS = 4_000_000;

/** A shortest edit script between two line lists, by longest common subsequence. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head = a.slice(0, start).map((text): DiffLine => ({ op: ' ', text }));
  const tail = a.slice(endA).map((text): DiffLine => ({ op: ' ', text }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    return [
      ...head,
      ...midA.map((text): DiffLine => ({ op: '-', text })),
      ...midB.map((text): DiffLine => ({ op: '+', text })),
      ...tail,
    ];
  }
  // lcs[i][j]: length of the LCS of midA[i..] and midB[j..], in one flat array.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        midA[i] === midB[j]
          ? lcs[(i + 1) * width + j + 1] + 1
          : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }
  const middle: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && midA[i] === midB[j]) {
      middle.push({ op: ' ', text: midA[i++] });
      j++;
    } else if (i < n && (j === m || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])) {
      // Removals before additions, as diff -u and git print a replaced line.
      middle.push({ op: '-', text: midA[i++] });
    } else {
      middle.push({ op: '+', text: midB[j++] });
    }
  }
  return [...head, ...middle, ...tail];
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`;
}

/** Splits text into lines; no trailing empty line for a final newline. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * The unified diff of two texts with `context` lines around each change, headed
 * `--- a/<path>` / `+++ b/<path>`; empty when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, path: string, context = 3): string {
  const script = diffLines(splitLines(before), splitLines(after));
  const changed = script.map((line, index) => (line.op === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return '';
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let index = 0;
  while (index < changed.length) {
    const first = Math.max(0, changed[index] - context);
    let last = changed[index];
    while (index + 1 < changed.length && changed[index + 1] - last <= 2 * context) last = changed[++index];
    index++;
    const end = Math.min(script.length, last + context + 1);
    // Line numbers: count each side's lines before the hunk.
    let lineA = 1;
    let lineB = 1;
    for (const line of script.slice(0, first)) {
      if (line.op !== '+') lineA++;
      if (line.op !== '-') lineB++;
    }
    const hunk = script.slice(first, end);
    const countA = hunk.filter((line) => line.op !== '+').length;
    const countB = hunk.filter((line) => line.op !== '-').length;
    out.push(
      `@@ -${range(lineA, countA)} +${range(lineB, countB)} @@`,
      ...hunk.map((line) => `${line.op}${line.text}`),
    );
  }
  return `${out.join('\n')}\n`;
}

/**
 * Aligned columns for terminal output (pure). Widths ignore ANSI color codes, so
 * colored and plain cells line up the same.
 */

/** Column alignment: `l`eft or `r`ight. */
export type Align = 'l' | 'r';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Visible width of a cell. */
export function visibleWidth(text: string): number {
  return text.replace(ANSI, '').length;
}

/** Lines of `rows` with each column padded to its widest cell, separated by two spaces; trailing blanks trimmed. */
export function formatTable(rows: readonly (readonly string[])[], align: readonly Align[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell))));
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i] - visibleWidth(cell));
        return align[i] === 'r' ? pad + cell : i === row.length - 1 ? cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

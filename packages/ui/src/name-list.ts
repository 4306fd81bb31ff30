/**
 * A list of column names in one URL parameter (pure, shared by the page and the server): the
 * columns a plot groups by (`by=` of the points API) and the columns hidden (`hide=` in the
 * page's fragment). Names are joined by commas, a comma or a percent sign inside a name written
 * `%2C` or `%25`, so any name — `cfg.a,b` is a key of an input — comes back as itself, and a list
 * of plain names reads as the comma list it always was (a link keeps its view).
 */

/** A name's escapes: a comma would split it, a percent sign would start an escape. */
const ESCAPES: Readonly<Record<string, string>> = { ',': '%2C', '%': '%25' };

/** The names as one parameter value (see the module's summary). */
export function joinNames(names: readonly string[]): string {
  return names.map((name) => name.replace(/[,%]/g, (char) => ESCAPES[char])).join(',');
}

/** The names in a parameter value written by {@link joinNames}, or by hand as `a,b`; empty names left out. */
export function splitNames(text: string): string[] {
  return text
    .split(',')
    .filter((name) => name !== '')
    .map((name) => name.replace(/%2C|%25/gi, (escape) => (escape.toUpperCase() === '%2C' ? ',' : '%')));
}

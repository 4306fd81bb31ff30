/**
 * Version A against version B: for the inputs both computed, a scatter of A's output
 * against B's with the y = x line, the largest differences, and the diff of the two
 * definitions — did an edit change the results?
 */
import { formatNumber, h, select } from '../dom.js';
import type { ViewContext } from '../main.js';
import { drawable, drawComparison, numericOutputs } from '../plots.js';
import { hrefOf, updateState, type ViewState } from '../state.js';
import { findVersion } from './version.js';

/** Rows of the largest differences shown. */
const LARGEST = 20;

/** A version as the view names it: its key's first 12 hex digits. */
function label(key: string): string {
  return key.slice(0, 12);
}

/** Draws the comparison of versions `a` and `b`. */
export async function renderCompare(context: ViewContext, state: ViewState): Promise<void> {
  const { source } = context;
  const [foundA, foundB] = await Promise.all([
    findVersion(context, state.a ?? ''),
    findVersion(context, state.b ?? ''),
  ]);
  if (!foundA || !foundB) {
    context.root.replaceChildren(
      h('p', { class: 'error' }, 'Choose two versions of a function to compare.'),
      h('a', { href: '#' }, 'All functions'),
    );
    return;
  }
  const fn = foundB.fn;
  const [a, b] = [foundA.version.key, foundB.version.key];
  // Versions of two functions (a link put together by hand) would show as two versions of B's,
  // one function's results counted as changes of the other's.
  if (!fn.versions.some((v) => v.key === a)) {
    context.root.replaceChildren(
      h(
        'p',
        { class: 'error' },
        `A (${label(a)}) is a version of `,
        h('bdi', {}, foundA.fn.name),
        `, B (${label(b)}) of `,
        h('bdi', {}, fn.name),
        ': choose two versions of one function to compare.',
      ),
      h('a', { href: '#' }, 'All functions'),
    );
    return;
  }
  // The outputs of both: an output B dropped changed (to missing) as much as one B added.
  const statuses = await Promise.all([source.rows(b, {}, 0, 0), source.rows(a, {}, 0, 0)]);
  const outputs = [...new Set(statuses.flatMap((status) => numericOutputs(status.columns).map((c) => c.name)))];
  // A link's column that neither version has would compare as "0 changed": it is said to be none instead.
  const unknown = state.column && !outputs.includes(state.column) ? state.column : undefined;
  const column = (unknown ? undefined : state.column) || outputs[0] || 'time';
  const [comparison, patch] = await Promise.all([source.compare(a, b, column), source.diff(a, b)]);
  const versions = fn.versions.map((v): [string, string] => [v.key, `${v.hash.slice(0, 12)} · ${v.entries} entries`]);
  const controls = h(
    'div',
    { class: 'toolbar' },
    h(
      'label',
      {},
      'A ',
      select(versions, a, (value) => updateState({ a: value }, true)),
    ),
    h(
      'label',
      {},
      'B ',
      select(versions, b, (value) => updateState({ b: value }, true)),
    ),
    h(
      'label',
      {},
      'output ',
      select(
        outputs.map((name): [string, string] => [name, name]),
        column,
        (value) => updateState({ column: value }, true),
      ),
    ),
  );
  const ignored = unknown
    ? h(
        'p',
        { class: 'error column-ignored' },
        'Neither version has an output named ',
        h('bdi', {}, unknown),
        `: showing ${column}.`,
      )
    : null;
  const summary = h(
    'p',
    { class: 'summary' },
    `${comparison.shared.toLocaleString('en')} inputs computed by both; `,
    h('strong', { class: 'changed' }, `${comparison.changed.toLocaleString('en')} changed`),
    ` ${column}; ${comparison.onlyA.toLocaleString('en')} only in A, ` +
        `${comparison.onlyB.toLocaleString('en')} only in B.`,
  );
  const plot = h('div', { class: 'plot', 'data-pairs': comparison.pairs.length, 'data-changed': comparison.changed });
  const undrawn = comparison.pairs.filter((pair) => !drawable(pair)).length;
  if (comparison.pairs.length > undrawn) {
    plot.append(
      drawComparison(
        comparison.pairs,
        column,
        `A ${label(a)}`,
        `B ${label(b)}`,
        Math.max(420, Math.min(700, innerWidth / 2 - 40)),
      ),
    );
  }
  const largest = h(
    'table',
    { class: 'largest' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'entry'),
        h('th', {}, `${column} in A`),
        h('th', {}, `${column} in B`),
        h('th', {}, 'B − A'),
      ),
    ),
    h(
      'tbody',
      {},
      comparison.pairs
        .slice(0, LARGEST)
        .map((pair) =>
          h(
            'tr',
            {},
            h(
              'td',
              { class: 'mono' },
              h('a', { href: hrefOf({ view: 'entry', v: b, e: pair.argumentHash }) }, pair.argumentHash.slice(0, 8)),
            ),
            h('td', { class: 'num' }, formatNumber(pair.a)),
            h('td', { class: 'num' }, formatNumber(pair.b)),
            h('td', { class: 'num' }, formatNumber(pair.b - pair.a)),
          ),
        ),
    ),
  );
  const diff = h(
    'pre',
    { class: 'diff' },
    patch === '' ? h('span', { class: 'muted' }, 'The definitions are the same text.') : patchLines(patch),
  );
  context.root.replaceChildren(
    h(
      'h2',
      {},
      h('a', { href: '#' }, 'Functions'),
      ' / ',
      h('bdi', {}, fn.name),
      ': ',
      h('a', { class: 'mono', href: hrefOf({ view: 'version', v: a }) }, `A ${label(a)}`),
      ' vs ',
      h('a', { class: 'mono', href: hrefOf({ view: 'version', v: b }) }, `B ${label(b)}`),
    ),
    controls,
    ...(ignored ? [ignored] : []),
    summary,
    h(
      'div',
      { class: 'grid2' },
      h(
        'div',
        {},
        plot,
        undrawn > 0
          ? h('p', { class: 'muted undrawn' }, `${undrawn} with NaN or ±Infinity: listed, not drawn.`)
          : null,
        h('h3', {}, 'Largest differences'),
        largest,
      ),
      h('div', {}, h('h3', {}, 'Definition diff'), diff),
    ),
  );
}

/** A unified diff's lines, additions and removals marked. */
export function patchLines(patch: string): HTMLElement[] {
  return patch
    .trimEnd()
    .split('\n')
    .map((line) =>
      h(
        'span',
        {
          class: line.startsWith('@@')
            ? 'hunk'
            : line.startsWith('+') && !line.startsWith('+++')
              ? 'add'
              : line.startsWith('-') && !line.startsWith('---')
                ? 'del'
                : '',
        },
        `${line}\n`,
      ),
    );
}

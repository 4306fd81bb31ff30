/**
 * A version's view: its table (sort by a header, filter under it, choose columns,
 * page through, open an entry, copy its `funes show` command, download the view)
 * and plots of the same rows.
 */
import type { FunctionOutline } from '../../cache-view.js';
import { joinNames, splitNames } from '../../name-list.js';
import type { Filter, RowQuery } from '../../query.js';
import type { CellValue, ColumnInfo } from '../../table.js';
import { formatNumber, h, select } from '../dom.js';
import { parseFilter } from '../filters.js';
import type { ViewContext } from '../main.js';
import type { DataSource } from '../source.js';
import {
  choosePlot,
  drawPlot,
  groupingOf,
  MARKS,
  NONE,
  plotChoices,
  timeColumn,
  type MarkKind,
} from '../plots.js';
import { showCommand } from '../show-command.js';
import { hrefOf, updateState, type ViewState } from '../state.js';

/** Rows per page. */
export const PAGE_SIZE = 100;

/** Columns hidden until chosen. */
const HIDDEN_BY_DEFAULT = ['argumentHash', 'createdAt'];

/** The version and its function. */
export async function findVersion(
  context: ViewContext,
  hash: string,
): Promise<{ fn: FunctionOutline; version: FunctionOutline['versions'][number] } | undefined> {
  const fn = await context.source.outline(hash);
  const version = fn?.versions.find((v) => v.key === hash);
  return fn && version ? { fn, version } : undefined;
}

/**
 * The filters typed in headers, kept in the state as `f.<column>`, and why each text that is
 * no filter (`1.2.3..5`) is none, by column: it is left out, and said so.
 */
function filtersOf(
  state: ViewState,
  columns: readonly ColumnInfo[],
): { filters: Filter[]; errors: Map<string, string> } {
  const filters: Filter[] = [];
  const errors = new Map<string, string>();
  for (const column of columns) {
    const parsed = parseFilter(column, state[`f.${column.name}`] ?? '');
    if (parsed && 'error' in parsed) errors.set(column.name, parsed.error);
    else if (parsed) filters.push(parsed.filter);
  }
  return { filters, errors };
}

/** A line saying which filters are not applied and why; null when all are. */
function filterErrors(errors: ReadonlyMap<string, string>): HTMLElement | null {
  if (errors.size === 0) return null;
  return h(
    'p',
    { class: 'error filter-errors' },
    [...errors].flatMap(([name, error], i) => [
      i > 0 ? '; ' : '',
      'filter on ',
      h('bdi', {}, name),
      ` not applied: ${error}`,
    ]),
  );
}

/** Whether the state has a filter typed under a column. */
function hasFilters(state: ViewState): boolean {
  return Object.keys(state).some((key) => key.startsWith('f.') && state[key] !== '');
}

function queryOf(state: ViewState, columns: readonly ColumnInfo[]): RowQuery {
  return { filters: filtersOf(state, columns).filters, sort: state.sort || undefined, descending: state.desc === '1' };
}

/**
 * The first row asked for: the state's offset; one below 0 (`offset=-5` in a link) or not a number, the first;
 * one past any row (`offset=1e400`, which reads as Infinity), the largest the server takes: the last page.
 */
function offsetOf(state: ViewState): number {
  return Math.min(Math.max(0, Number(state.offset) || 0), Number.MAX_SAFE_INTEGER);
}

function cellText(cell: CellValue | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'object') return cell.summary;
  return typeof cell === 'number' ? formatNumber(cell) : String(cell);
}

/** Draws a version's view. */
export async function renderVersion(context: ViewContext, state: ViewState): Promise<void> {
  const hash = state.v ?? '';
  const tab = state.tab === 'plot' ? 'plot' : 'table';
  // The table's first rows are asked for at once, beside the
  // function's outline: the first paint waits for one round trip.
  const firstRows =
    tab === 'table' && !hasFilters(state)
      ? context.source.rows(hash, queryOf(state, []), offsetOf(state), PAGE_SIZE)
      : undefined;
  firstRows?.catch(() => {});
  const found = await findVersion(context, hash);
  if (!found) {
    context.root.replaceChildren(
      h('p', { class: 'error' }, `No version ${hash} in this cache.`),
      h('a', { href: '#' }, 'All functions'),
    );
    return;
  }
  const { fn, version } = found;
  const title = h(
    'div',
    {},
    h(
      'h2',
      {},
      h('a', { href: '#' }, 'Functions'),
      ' / ',
      h('bdi', {}, fn.name),
      ' ',
      h('span', { class: 'mono muted' }, version.hash.slice(0, 12)),
    ),
    h(
      'div',
      { class: 'muted' },
      h('bdi', {}, fn.module ?? ''),
      fn.versions.length > 1 ? ' · ' : '',
      fn.versions.length > 1
        ? h(
            'a',
            { href: hrefOf({ view: 'compare', a: fn.versions.find((v) => v.key !== hash)!.key, b: hash }) },
            'compare with another version',
          )
        : null,
    ),
  );
  const tabs = h(
    'nav',
    { class: 'tabs' },
    h('a', { href: hrefOf({ ...state, tab: 'table' }), class: tab === 'table' ? 'active' : '' }, 'Table'),
    h('a', { href: hrefOf({ ...state, tab: 'plot' }), class: tab === 'plot' ? 'active' : '' }, 'Plot'),
  );
  const body = h('section');
  if (tab === 'plot') await renderPlot(context, state, hash, body);
  else {
    await renderTable(context, state, fn, version, body, firstRows);
  }
  const scroll = context.live ? scrollY : 0;
  context.root.replaceChildren(title, tabs, body);
  if (context.live) scrollTo(0, scroll);
}

async function renderTable(
  context: ViewContext,
  state: ViewState,
  fn: FunctionOutline,
  version: FunctionOutline['versions'][number],
  body: HTMLElement,
  asked: ReturnType<DataSource['rows']> | undefined,
): Promise<void> {
  const { source } = context;
  // Filters are typed per column, so their meaning needs the columns first.
  const known = asked ? [] : (await source.rows(version.key, {}, 0, 0)).columns;
  const query = queryOf(state, known);
  const { errors } = filtersOf(state, known);
  const page = asked ? await asked : await source.rows(version.key, query, offsetOf(state), PAGE_SIZE);
  // The rows the answer holds: an offset past the last row names none, and the last page is given.
  const offset = page.offset;
  const { columns } = page;
  const hidden = new Set(state.hide !== undefined ? splitNames(state.hide) : HIDDEN_BY_DEFAULT);
  const shown = columns.map((column, index) => ({ column, index })).filter(({ column }) => !hidden.has(column.name));
  const chooser = h(
    'details',
    { class: 'columns' },
    h('summary', {}, `Columns (${shown.length} of ${columns.length})`),
    h(
      'div',
      {},
      columns.map((column) =>
        h(
          'label',
          {},
          h('input', {
            type: 'checkbox',
            checked: !hidden.has(column.name),
            onchange: (event: Event) => {
              const next = new Set(hidden);
              if ((event.target as HTMLInputElement).checked) next.delete(column.name);
              else {
                next.add(column.name);
              }
              // A lone comma: every column shown, which an empty setting (the default) would not say.
              updateState({ hide: joinNames([...next]) || ',' }, true);
            },
          }),
          ' ',
          h('bdi', {}, column.name),
          ' ',
          h('span', { class: 'muted' }, column.group),
        ),
      ),
    ),
  );
  if (page.loaded < page.total) context.refreshSoon();
  const loading =
    page.loaded < page.total
      ? h(
          'span',
          { class: 'muted' },
          `reading entries: ${page.loaded.toLocaleString('en')} of ${page.total.toLocaleString('en')}`,
        )
      : null;
  const csv = source.download(version.key, query, 'csv');
  const json = source.download(version.key, query, 'json');
  const pager = h(
    'span',
    {},
    h(
      'button',
      { disabled: offset === 0, onclick: () => updateState({ offset: String(Math.max(0, offset - PAGE_SIZE)) }) },
      '‹ prev',
    ),
    ' ',
    page.matched === 0
      ? '0 rows'
      : `${(offset + 1).toLocaleString('en')}–` +
        `${Math.min(offset + PAGE_SIZE, page.matched).toLocaleString('en')} of ${page.matched.toLocaleString('en')}`,
    page.matched !== page.total
      ? h('span', { class: 'muted' }, ` (filtered from ${page.total.toLocaleString('en')})`)
      : null,
    ' ',
    h(
      'button',
      {
        disabled: offset + PAGE_SIZE >= page.matched,
        onclick: () => updateState({ offset: String(offset + PAGE_SIZE) }),
      },
      'next ›',
    ),
  );
  const toolbar = h(
    'div',
    { class: 'toolbar' },
    pager,
    chooser,
    csv ? h('a', { href: csv, download: `${fn.name}.csv` }, 'CSV') : null,
    json ? h('a', { href: json, download: `${fn.name}.json` }, 'JSON') : null,
    loading,
  );
  const sortBy = (name: string) =>
    updateState({ sort: name, desc: state.sort === name && state.desc !== '1' ? '1' : undefined, offset: undefined });
  const header = h(
    'tr',
    {},
    h('th', {}, 'entry'),
    shown.map(({ column }) =>
      h(
        'th',
        {
          class: 'sortable',
          title:
            `${column.group} · ${column.kind}` +
            (column.min === null
              ? ''
              : ` · ${formatNumber(column.min)} … ${formatNumber(column.max ?? column.min)}`),
          'data-column': column.name,
        },
        h(
          'span',
          { onclick: () => sortBy(column.name) },
          h('bdi', {}, column.name),
          state.sort === column.name ? (state.desc === '1' ? ' ▼' : ' ▲') : '',
        ),
        h('span', { class: 'group' }, column.group),
        h('input', {
          type: 'search',
          placeholder: column.kind === 'number' ? '>0, 1..5' : 'filter',
          value: state[`f.${column.name}`] ?? '',
          class: errors.has(column.name) ? 'invalid' : null,
          'aria-invalid': errors.has(column.name) ? 'true' : null,
          title: errors.get(column.name),
          'aria-label': `filter ${column.name}`,
          onchange: (event: Event) =>
            updateState({ [`f.${column.name}`]: (event.target as HTMLInputElement).value, offset: undefined }, true),
        }),
      ),
    ),
  );
  const rows = page.rows.map((row) =>
    h(
      'tr',
      {
        class: 'clickable',
        'data-entry': row.argumentHash,
        onclick: () => updateState({ view: 'entry', v: version.key, e: row.argumentHash }),
      },
      h(
        'td',
        { class: 'mono' },
        row.argumentHash.slice(0, 8),
        ' ',
        h(
          'button',
          {
            title: 'copy the funes show command',
            onclick: (event: Event) => {
              event.stopPropagation();
              void navigator.clipboard?.writeText(showCommand(fn.name, version.hash, row.argumentHash));
            },
          },
          'copy',
        ),
      ),
      shown.map(({ index }) => {
        const cell = row.cells[index];
        return h(
          'td',
          { class: typeof cell === 'number' ? 'num' : cell !== null && typeof cell === 'object' ? 'summary' : '' },
          cellText(cell),
        );
      }),
    ),
  );
  const unapplied = filterErrors(errors);
  body.append(
    toolbar,
    ...(unapplied ? [unapplied] : []),
    h('div', { class: 'scroll' }, h('table', { class: 'rows' }, h('thead', {}, header), h('tbody', {}, rows))),
  );
}

async function renderPlot(context: ViewContext, state: ViewState, hash: string, body: HTMLElement): Promise<void> {
  const { source } = context;
  const { columns } = await source.rows(hash, {}, 0, 0);
  const spec = choosePlot(columns, {
    x: state.x,
    y: state.y,
    color: state.color,
    facet: state.facet,
    mark: state.mark,
  });
  if (!spec) {
    body.append(h('p', { class: 'muted' }, 'Nothing to plot: this version has no numeric output.'));
    return;
  }
  const { inputs, facets, outputs } = plotChoices(columns);
  const option = (c: ColumnInfo): [string, string] => [c.name, c.name];
  const none: [string, string] = [NONE, '—'];
  const controls = h(
    'div',
    { class: 'toolbar' },
    h(
      'label',
      {},
      'plot ',
      select(
        [
          ['', 'auto'],
          ['line', 'line'],
          ['scatter', 'points'],
          ['heatmap', 'heatmap'],
          ['parallel', 'parallel coordinates'],
        ],
        MARKS.includes(state.mark as MarkKind) ? state.mark : '',
        (mark) => updateState({ mark }, true),
      ),
    ),
    h(
      'label',
      {},
      'x ',
      select(inputs.map(option), spec.x, (x) => updateState({ x }, true)),
    ),
    h(
      'label',
      {},
      'y ',
      select(outputs.map(option), spec.y, (y) => updateState({ y }, true)),
    ),
    h(
      'label',
      {},
      spec.mark === 'heatmap' ? 'rows ' : 'colour ',
      select([none, ...inputs.map(option)], spec.color || NONE, (color) => updateState({ color }, true)),
    ),
    h(
      'label',
      {},
      'facet ',
      select([none, ...facets.map(option)], spec.facet || NONE, (facet) => updateState({ facet }, true)),
    ),
    h(
      'button',
      { onclick: () => updateState({ y: timeColumn(columns)?.name ?? 'time', mark: 'line' }, true) },
      'cost view (time)',
    ),
  );
  const points = await source.points(hash, queryOf(state, columns), groupingOf(spec), spec.y);
  const unapplied = filterErrors(filtersOf(state, columns).errors);
  // A link made on another version (a column since renamed) would otherwise draw nothing, or another plot, unsaid.
  const ignored =
    spec.ignored.length > 0
      ? h(
          'p',
          { class: 'error plot-ignored' },
          `This version has nothing to plot as ${spec.ignored.join(', ')}: the default stands in.`,
        )
      : null;
  if (points.loaded < points.total) context.refreshSoon();
  // The attributes name what the figure shows, so a script (or a test) can wait for this plot, not the one before.
  const figure = h('div', {
    class: 'plot',
    'data-mark': spec.mark,
    'data-x': spec.x,
    'data-y': spec.y,
    'data-color': spec.color || NONE,
    'data-groups': points.groups.length,
    'data-reading': points.loaded < points.total,
  });
  figure.append(
    drawPlot({ ...spec, mark: spec.mark as MarkKind }, points.groups, Math.max(480, Math.min(1200, innerWidth - 60))),
  );
  const undrawn = points.groups.filter((group) => !Number.isFinite(group.mean)).length;
  const note = h(
    'p',
    { class: 'muted' },
    `${points.groups.length} points from ${points.matched.toLocaleString('en')} rows` +
      (undrawn > 0 ? ` (${undrawn} of them NaN or ±Infinity, not drawn)` : '') +
      (points.loaded < points.total ? ` (reading entries: ${points.loaded} of ${points.total})` : '') +
      `; rows with the same ${groupingOf(spec).join(', ')} are one point (mean ± sd).`,
  );
  body.append(controls, ...[ignored, unapplied].filter((part) => part !== null), figure, note);
}

/**
 * One entry: its input, its output (with a plot for numeric arrays), its provenance
 * and the definition it was computed under.
 */
import { h } from '../dom.js';
import { jsonText, type Json } from '../json-text.js';
import type { ViewContext } from '../main.js';
import { drawArray } from '../plots.js';
import { showCommand } from '../show-command.js';
import { hrefOf, type ViewState } from '../state.js';
import { findVersion } from './version.js';

/** The numeric arrays in a value, by path (the output itself is ""). */
function numericArrays(value: Json, path: string, out: [string, number[]][]): void {
  if (Array.isArray(value)) {
    if (value.length > 1 && value.every((item) => typeof item === 'number')) out.push([path, value as number[]]);
    else {
      value.forEach((item, i) => numericArrays(item, `${path}[${i}]`, out));
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) numericArrays(item, path ? `${path}.${key}` : key, out);
  }
}

/** Draws one entry. */
export async function renderEntry(context: ViewContext, state: ViewState): Promise<void> {
  const { source } = context;
  const found = await findVersion(context, state.v ?? '');
  const title = h(
    'h2',
    {},
    h('a', { href: '#' }, 'Functions'),
    ' / ',
    found
      ? h(
          'a',
          { href: hrefOf({ view: 'version', v: found.version.key }) },
          h('bdi', {}, found.fn.name),
          `@${found.version.hash.slice(0, 12)}`,
        )
      : '?',
    ' / ',
    h('span', { class: 'mono' }, (state.e ?? '').slice(0, 12)),
  );
  const [entry, definition] = await Promise.all([
    source.entry(state.v ?? '', state.e ?? ''),
    source.definition(state.v ?? ''),
  ]);
  const parts: HTMLElement[] = [title];
  if (!entry) {
    parts.push(
      h(
        'p',
        { class: 'muted' },
        source.server
          ? 'This entry is gone or damaged (run `funes verify`).'
          : 'A report holds the table of each version; open the cache with `funes ui` to see an entry in full.',
      ),
    );
  } else {
    const arrays: [string, number[]][] = [];
    numericArrays(entry.output, '', arrays);
    const width = Math.max(420, Math.min(900, innerWidth - 80));
    parts.push(
      h('h3', {}, 'Input'),
      h('pre', { class: 'input' }, jsonText(entry.input)),
      ...(entry.this === undefined ? [] : [h('h3', {}, 'this'), h('pre', { class: 'this' }, jsonText(entry.this))]),
      h('h3', {}, 'Output'),
      ...arrays
        .slice(0, 4)
        .map(([path, values]) =>
          h('div', { class: 'plot', 'data-array': path || 'output' }, drawArray(values, path || 'output', width)),
        ),
      h('pre', { class: 'output' }, jsonText(entry.output)),
      h('h3', {}, 'Provenance'),
      h(
        'table',
        { class: 'provenance' },
        h(
          'tbody',
          {},
          (
            [
              ['computed', String(entry.createdAt)],
              ['time', `${entry.time} s`],
              ['seed', entry.seed === null ? '—' : String(entry.seed)],
              ['host', entry.host],
              ['platform', `${entry.platform}, Node.js ${entry.node}`],
              ['funes', entry.funes],
              ['object', `${entry.file} (${entry.bytes} bytes)`],
              ['show it', showCommand(entry.function, entry.version, entry.argumentHash)],
            ] as const
          ).map(([name, value]) => h('tr', {}, h('th', {}, name), h('td', { class: 'mono' }, value))),
        ),
      ),
    );
  }
  parts.push(h('h3', {}, 'Definition'));
  parts.push(
    definition?.metadata
      ? h('pre', { class: 'definition' }, definition.metadata.source)
      : h('p', { class: 'muted' }, `definition.json is ${definition?.status ?? 'missing'}`),
  );
  context.root.replaceChildren(...parts);
}

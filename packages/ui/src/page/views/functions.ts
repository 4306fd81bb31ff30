/**
 * The functions view: each function with its versions, entries, size, last write and
 * whether a sweep is writing to it right now.
 */
import { ago, formatBytes, h } from '../dom.js';
import type { ViewContext } from '../main.js';
import { hrefOf } from '../state.js';

/** Draws the functions list. */
export async function renderFunctions({ source, root }: ViewContext): Promise<void> {
  const functions = await source.functions();
  if (functions.length === 0) {
    root.replaceChildren(
      h(
        'p',
        { class: 'muted' },
        'This cache holds no results yet. Run a memorious function with this cache ' +
            'directory and its results appear here.',
      ),
    );
    return;
  }
  const rows = functions.flatMap((fn) => {
    // Versions come most recently used first.
    const [newest, previous] = fn.versions;
    const compare = previous
      ? h('a', { href: hrefOf({ view: 'compare', a: previous.key, b: newest.key }) }, 'compare last two used')
      : null;
    const head = h(
      'tr',
      { class: 'function' },
      h(
        'td',
        {},
        h('strong', {}, h('bdi', {}, fn.name)),
        ' ',
        fn.writing ? h('span', { class: 'badge writing' }, 'writing') : null,
      ),
      h('td', { class: 'mono' }, h('bdi', {}, fn.module ?? '—')),
      h('td', { class: 'num' }, fn.versions.length),
      h('td', { class: 'num' }, fn.entries.toLocaleString('en')),
      h('td', { class: 'num' }, formatBytes(fn.bytes)),
      h('td', {}, ago(fn.lastWrittenAt)),
      h('td', {}, compare),
    );
    const versions = fn.versions.map((version) =>
      h(
        'tr',
        { class: 'version' },
        h(
          'td',
          {},
          '  ',
          h(
            'a',
            { class: 'mono', href: hrefOf({ view: 'version', v: version.key }), 'data-version': version.key },
            version.hash.slice(0, 12),
          ),
          ' ',
          version.current ? h('span', { class: 'badge', title: 'the version used most recently' }, 'current') : null,
          ' ',
          version.writing ? h('span', { class: 'badge writing' }, 'writing') : null,
          version.metadata !== 'ok' ? h('span', { class: 'badge warn' }, `definition.json ${version.metadata}`) : null,
        ),
        h(
          'td',
          { class: 'muted' },
          version.lastUsedAt
            ? `used ${ago(version.lastUsedAt)}`
            : version.createdAt
              ? `created ${ago(version.createdAt)}`
              : '',
        ),
        h('td', {}),
        h('td', { class: 'num' }, version.entries.toLocaleString('en')),
        h('td', { class: 'num' }, formatBytes(version.bytes)),
        h('td', {}, ago(version.lastWrittenAt)),
        h('td', {}),
      ),
    );
    return [head, ...versions];
  });
  root.replaceChildren(
    h('h2', {}, 'Functions'),
    h(
      'table',
      { class: 'functions' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['function / version', 'module', 'versions', 'entries', 'size', 'last written', ''].map((label) =>
            h('th', {}, label),
          ),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

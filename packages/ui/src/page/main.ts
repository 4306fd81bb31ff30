/**
 * The page of `funes ui` and of its reports: a router over the URL's fragment, a
 * header, and the view the state names. Data comes from the server or from the
 * report's embedded data through one {@link DataSource}.
 */
import { h } from './dom.js';
import { EmbeddedSource, HttpSource, type DataSource } from './source.js';
import { readState } from './state.js';
import { renderCompare } from './views/compare.js';
import { renderEntry } from './views/entry.js';
import { renderFunctions } from './views/functions.js';
import { renderVersion } from './views/version.js';

/** What a view gets: where data comes from, and where to draw. */
export interface ViewContext {
  readonly source: DataSource;
  readonly root: HTMLElement;
  /** Whether this render answers a live change (keep scroll and focus). */
  readonly live: boolean;
  /** Versions that changed, for a live render. */
  readonly changed: readonly string[];
  /** Draws the view again shortly, as a live change would (while the server is still reading a version's entries). */
  refreshSoon(): void;
}

/** How soon a view still reading entries is drawn again. */
const REFRESH_MS = 300;

async function start(): Promise<void> {
  const app = document.getElementById('app')!;
  let source: DataSource;
  try {
    source = EmbeddedSource.find() ?? (await HttpSource.open());
  } catch (error) {
    app.replaceChildren(h('p', { class: 'error' }, `Cannot reach the funes ui server: ${(error as Error).message}`));
    return;
  }
  const liveBadge = h('span', { class: 'live' }, source.server ? 'connecting…' : 'report');
  const main = h('main');
  app.replaceChildren(
    h(
      'header',
      {},
      h('h1', {}, h('a', { href: '#' }, 'funes ui')),
      h('span', { class: 'cache', title: source.cache }, source.cache),
      liveBadge,
    ),
    main,
  );
  let rendering = Promise.resolve();
  let pending: readonly string[] | undefined;
  const render = (live: boolean, changed: readonly string[] = []) => {
    rendering = rendering.then(async () => {
      const state = readState();
      const context: ViewContext = {
        source,
        root: main,
        live,
        changed,
        refreshSoon: () => setTimeout(() => void render(true), REFRESH_MS),
      };
      try {
        if (state.view === 'version') await renderVersion(context, state);
        else if (state.view === 'compare') await renderCompare(context, state);
        else if (state.view === 'entry') await renderEntry(context, state);
        else {
          await renderFunctions(context);
        }
      } catch (error) {
        main.replaceChildren(h('p', { class: 'error' }, (error as Error).message));
      }
    });
    return rendering;
  };
  addEventListener('hashchange', () => void render(false));
  const live = source.live((versions) => {
    // Changes arriving during a render are merged into one render after it.
    if (pending) {
      pending = [...new Set([...pending, ...versions])];
      return;
    }
    pending = versions;
    void rendering.then(() => {
      const changed = pending ?? [];
      pending = undefined;
      return render(true, changed);
    });
  });
  if (live) {
    liveBadge.textContent = 'live';
    liveBadge.classList.add('on');
  }
  await render(false);
}

void start();

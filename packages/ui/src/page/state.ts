/**
 * The view's state lives in the URL's fragment (`#view=version&v=…&sort=loss`), so a
 * link or a bookmark opens the same view, in the server's page and in a report file.
 */

/** Which view, and its settings. */
export interface ViewState {
  readonly view: 'functions' | 'version' | 'compare' | 'entry';
  readonly [setting: string]: string;
}

/** The state in the current URL. */
export function readState(): ViewState {
  const params = new URLSearchParams(location.hash.slice(1));
  const state: Record<string, string> = { view: 'functions' };
  for (const [key, value] of params) state[key] = value;
  return state as ViewState;
}

/** The fragment for a state. */
export function hrefOf(state: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) if (value !== undefined && value !== '') params.set(key, value);
  return `#${params}`;
}

/** Changes settings of the current view (a history step unless `replace`). */
export function updateState(changes: Record<string, string | undefined>, replace = false): void {
  const href = hrefOf({ ...readState(), ...changes });
  if (replace) history.replaceState(null, '', href);
  else {
    history.pushState(null, '', href);
  }
  dispatchEvent(new HashChangeEvent('hashchange'));
}

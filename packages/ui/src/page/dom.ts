/**
 * Building the page's DOM. Every text goes in as a text node and every attribute
 * through `setAttribute`, never as HTML: names and values from a cache cannot inject
 * markup or script. A name set in running text goes in a `<bdi>`, so direction marks in
 * it (U+202E) cannot reorder the text after it, such as a version's hash.
 */

/** A child: a node, a text, or nothing. */
export type Child = Node | string | number | null | undefined | false;

/** Attributes; `on…` keys with a function add listeners. */
export type Attributes = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

/** An element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'object' ? child : String(child));
  }
  return element;
}

/** A `<select>` of options ([value, label]); `onChange` gets the chosen value. */
export function select(
  options: readonly (readonly [string, string])[],
  value: string,
  onChange: (value: string) => void,
  attributes: Attributes = {},
): HTMLSelectElement {
  const element = h(
    'select',
    { ...attributes, onchange: (event: Event) => onChange((event.target as HTMLSelectElement).value) },
    ...options.map(([v, label]) => h('option', { value: v }, label)),
  );
  element.value = value;
  return element;
}

/** A size in binary units, as `funes` prints it. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}

/** A time as "3 minutes ago". */
export function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  const steps: [number, string][] = [
    [60, 'second'],
    [60, 'minute'],
    [24, 'hour'],
    [30, 'day'],
    [12, 'month'],
    [Infinity, 'year'],
  ];
  let value = seconds;
  for (const [size, unit] of steps) {
    if (value < size) {
      const n = Math.floor(value);
      return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
    }
    value /= size;
  }
  return iso;
}

/** A number for a table cell: up to 6 significant digits; -0 as -0 (Funes keys f(-0) apart from f(0)). */
export function formatNumber(value: number): string {
  if (Object.is(value, -0)) return '-0';
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-4 || abs >= 1e9) ? value.toExponential(4) : String(Number(value.toPrecision(6)));
}

/**
 * The `funes ui` server: node:http, read-only (GET and HEAD only), bound to 127.0.0.1
 * unless told otherwise — and then every API request must carry a random token. It
 * serves the prebuilt page and a JSON API over a {@link CacheView}; tables are paged,
 * sorted and filtered here so the page stays light at any size, and server-sent events
 * tell the page when a sweep wrote new entries.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { csvField, FUNES_VERSION, isHash } from '@funes/core/internal';
import { CacheView, isVersionKey, type Selection } from './cache-view.js';
import { isLocalHost } from './local-host.js';
import { splitNames } from './name-list.js';
import { compareTables, groupPoints, isBound, pageOf, type Filter, type RowQuery } from './query.js';
import type { CellValue, TableData, TableRow } from './table.js';
import { fromWire, toWire } from './wire.js';

/** How to start the server. */
export interface UiServerOptions {
  /** The cache directory to show. */
  readonly cacheDir: string;
  /** Address to bind: 127.0.0.1 by default. Any other address requires a token. */
  readonly host?: string;
  /** Port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Require this token on every API request; generated when `host` is not loopback. */
  readonly token?: string;
}

/** A running server. */
export interface UiServer {
  /** The page's address, with `?token=…` when a token is required. */
  readonly url: string;
  readonly port: number;
  readonly token: string | undefined;
  /** Stops listening, ends open event streams and connections. */
  close(): Promise<void>;
}

/** How often the cache directory's versions are checked for new entries while a page listens. */
export const WATCH_MS = 250;

/** A comment on idle event streams, so proxies and browsers keep them open. */
const HEARTBEAT_MS = 15_000;

/** The only address served without a token. */
const DEFAULT_HOST = '127.0.0.1';

/** A request the API refuses, with its HTTP status and a stable code. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The page's files, built by `npm run build` next to this module. */
function pageAssets(): Map<string, { type: string; body: Buffer }> {
  const assets = new Map<string, { type: string; body: Buffer }>();
  const files: [string, string, string][] = [
    ['/', 'index.html', 'text/html; charset=utf-8'],
    ['/app.js', 'app.js', 'text/javascript; charset=utf-8'],
    ['/app.css', 'app.css', 'text/css; charset=utf-8'],
  ];
  for (const [route, file, type] of files) {
    try {
      assets.set(route, { type, body: readFileSync(new URL(`./page/${file}`, import.meta.url)) });
    } catch {
      // Run from source without a build: the API still works.
    }
  }
  return assets;
}

/** Parses the `filters` parameter: a JSON array of {@link Filter}, numbers written as the API writes them. */
function filtersOf(text: string | null): Filter[] {
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = fromWire(text);
  } catch {
    throw new ApiError(400, 'EBADQUERY', 'filters is not valid JSON');
  }
  if (
    !Array.isArray(parsed) ||
    !parsed.every(
      (f) =>
        f !== null &&
        typeof f === 'object' &&
        typeof f.column === 'string' &&
        ['min', 'max', 'above', 'below'].every((end) => f[end] === undefined || isBound(f[end])),
    )
  ) {
    throw new ApiError(
      400,
      'EBADQUERY',
      'filters must be an array of {column, min?, max?, above?, below?, values?, text?}, ' +
        "each bound a number or an integer's digits",
    );
  }
  return parsed as Filter[];
}

function queryOf(params: URLSearchParams): RowQuery {
  return {
    filters: filtersOf(params.get('filters')),
    sort: params.get('sort') ?? undefined,
    descending: params.get('desc') === '1',
  };
}

function numberParam(params: URLSearchParams, name: string, fallback: number): number {
  const text = params.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new ApiError(400, 'EBADQUERY', `${name} must be a number ≥ 0`);
  return value;
}

function hashParam(text: string | null | undefined, what: string): string {
  if (!text || !isHash(text)) throw new ApiError(400, 'EBADQUERY', `${what} must be a 64-hex hash`);
  return text;
}

/** A version's key (see `versionKeys`): its hash, followed by a digest of its function when others share the hash. */
function versionParam(text: string | null | undefined, what: string): string {
  if (!text || !isVersionKey(text)) {
    throw new ApiError(400, 'EBADQUERY', `${what} must be a version's key: its 64-hex hash, or the key the ui lists`);
  }
  return text;
}

/** A cell as an export writes it: a summary as its text. */
function plainCell(cell: CellValue | undefined): string | number | boolean | null {
  if (cell === undefined || cell === null) return null;
  return typeof cell === 'object' ? cell.summary : cell;
}

/** The rows of a view as CSV (RFC 4180, the columns `funes export` would write). */
function viewCsv(table: TableData, rows: readonly TableRow[]): string {
  const line = (fields: readonly unknown[]) => `${fields.map(csvField).join(',')}\r\n`;
  return (
    line(table.columns.map((c) => c.name)) +
    rows.map((row) => line(table.columns.map((_, i) => plainCell(row.cells[i])))).join('')
  );
}

/** The rows of a view as JSON objects. */
function viewJson(table: TableData, rows: readonly TableRow[]): object[] {
  return rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, plainCell(row.cells[i])])));
}

/** Starts a server for a cache directory; resolves when it listens. */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? DEFAULT_HOST;
  const token = options.token ?? (host === DEFAULT_HOST ? undefined : randomBytes(18).toString('base64url'));
  const view = new CacheView(options.cacheDir);
  const assets = pageAssets();
  const streams = new Set<ServerResponse>();
  let stamps: Map<string, number> | undefined;
  let watching: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  /** The rows of a query on a version: those read so far, or with `whole` every entry present now. */
  async function selected(hash: string, query: RowQuery, whole: boolean): Promise<Selection> {
    return (await view.select(hash, query, whole)) ?? notFound(hash);
  }

  function authorized(request: IncomingMessage, params: URLSearchParams): boolean {
    // Without a token, only pages of this address may ask: a web site
    // that rebinds its own name to 127.0.0.1 cannot read the cache.
    if (token === undefined) return isLocalHost(request.headers.host, port);
    const given = params.get('token') ?? request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  async function api(path: string, params: URLSearchParams, response: ServerResponse): Promise<unknown> {
    if (path === '/api/info') return { cache: options.cacheDir, funes: FUNES_VERSION, readOnly: true };
    if (path === '/api/functions') return view.functions();
    if (path === '/api/events') return openStream(response);
    if (path === '/api/compare') {
      const a = versionParam(params.get('a'), 'a');
      const b = versionParam(params.get('b'), 'b');
      const column = params.get('column') ?? '';
      const [tableA, tableB] = await Promise.all([view.select(a, {}, true), view.select(b, {}, true)]);
      if (!tableA || !tableB) throw new ApiError(404, 'ENOVERSION', `no version ${tableA ? b : a} in the cache`);
      return compareTables(tableA.table, tableB.table, column);
    }
    if (path === '/api/diff') {
      const [a, b] = [versionParam(params.get('a'), 'a'), versionParam(params.get('b'), 'b')];
      return { patch: view.diff(a, b) ?? notFound(view.definition(a) ? b : a) };
    }
    const match = /^\/api\/versions\/([^/]+)(\/.*)?$/.exec(path);
    if (!match) throw new ApiError(404, 'ENOROUTE', `no such API: ${path}`);
    const hash = versionParam(match[1], 'the version');
    const rest = match[2] ?? '';
    if (rest === '/definition') return view.definition(hash) ?? notFound(hash);
    if (rest === '/function') return view.outline(hash) ?? notFound(hash);
    const entry = /^\/entries\/([^/]+)$/.exec(rest);
    if (entry) return view.entry(hash, hashParam(entry[1], 'the entry')) ?? notFound(hash, entry[1]);
    if (rest === '' || rest === '/rows' || rest === '/points') {
      const query = queryOf(params);
      const { table, rows, loaded, total } = await selected(hash, query, params.get('wait') === '1');
      const status = { loaded, total, columns: table.columns };
      if (rest === '') return status;
      if (rest === '/rows') {
        return {
          ...status,
          ...pageOf(table, rows, numberParam(params, 'offset', 0), numberParam(params, 'limit', 100)),
        };
      }
      const by = splitNames(params.get('by') ?? '');
      return { ...status, matched: rows.length, groups: groupPoints(table, rows, by, params.get('value') ?? '') };
    }
    if (rest === '/rows.csv' || rest === '/rows.json') {
      const { table, rows } = await selected(hash, queryOf(params), true);
      // A download, read by other tools: plain JSON, as `funes export --format json` writes it.
      if (rest === '/rows.json') {
        return new Raw('application/json; charset=utf-8', JSON.stringify(viewJson(table, rows)));
      }
      return new Raw('text/csv; charset=utf-8', viewCsv(table, rows));
    }
    throw new ApiError(404, 'ENOROUTE', `no such API: ${path}`);
  }

  function notFound(hash: string, argumentHash?: string): never {
    if (argumentHash) throw new ApiError(404, 'ENOENTRY', `no sound entry ${argumentHash} in version ${hash}`);
    throw new ApiError(404, 'ENOVERSION', `no version ${hash} in the cache`);
  }

  function openStream(response: ServerResponse): typeof STREAM {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    response.write('retry: 1000\n\n');
    streams.add(response);
    response.on('close', () => {
      streams.delete(response);
      if (streams.size === 0) stopWatching();
    });
    startWatching();
    return STREAM;
  }

  function startWatching(): void {
    if (watching) return;
    stamps = safeStamps();
    watching = setInterval(checkForChanges, WATCH_MS);
    heartbeat = setInterval(() => streams.forEach((stream) => stream.write(': alive\n\n')), HEARTBEAT_MS);
  }

  function stopWatching(): void {
    clearInterval(watching);
    clearInterval(heartbeat);
    watching = heartbeat = undefined;
  }

  function safeStamps(): Map<string, number> {
    try {
      return view.stamps();
    } catch {
      return new Map();
    }
  }

  let checking = false;
  async function checkForChanges(): Promise<void> {
    if (checking) return;
    checking = true;
    try {
      const now = safeStamps();
      const changed = [...new Set([...now.keys(), ...(stamps?.keys() ?? [])])].filter(
        (hash) => now.get(hash) !== stamps?.get(hash),
      );
      stamps = now;
      if (changed.length === 0) return;
      // Open tables read their new entries first, so the page's next request finds them.
      const open = new Set(view.openVersions());
      await Promise.all(changed.filter((hash) => open.has(hash)).map((hash) => view.loaded(hash)));
      const message = `event: change\ndata: ${JSON.stringify({ versions: changed })}\n\n`;
      for (const stream of streams) stream.write(message);
    } finally {
      checking = false;
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://funes.invalid');
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('referrer-policy', 'no-referrer');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'EREADONLY', message: 'funes ui is read-only' } }));
      return;
    }
    const asset = assets.get(url.pathname);
    if (asset) {
      response.writeHead(200, {
        'content-type': asset.type,
        'cache-control': 'no-cache',
        'content-security-policy':
          "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; " +
              "base-uri 'none'; frame-ancestors 'none'",
      });
      response.end(request.method === 'HEAD' ? undefined : asset.body);
      return;
    }
    try {
      if (!url.pathname.startsWith('/api/')) throw new ApiError(404, 'ENOROUTE', `no such page: ${url.pathname}`);
      if (!authorized(request, url.searchParams)) {
        throw token === undefined
          ? new ApiError(403, 'EHOST', `this server answers only pages of 127.0.0.1:${port}: open the URL it printed`)
          : new ApiError(401, 'ETOKEN', 'this server needs the token it printed at start: open the URL it printed');
      }
      const result = await api(url.pathname, url.searchParams, response);
      if (result === STREAM) return;
      const [type, body] =
        result instanceof Raw
          ? [result.type, result.body]
          : ['application/json; charset=utf-8', toWire(result)];
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      const known =
        error instanceof ApiError
          ? error
          : new ApiError(500, (error as NodeJS.ErrnoException).code ?? 'EINTERNAL', (error as Error).message);
      if (response.headersSent) {
        response.destroy();
        return;
      }
      response.writeHead(known.status, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      });
      response.end(JSON.stringify({ error: { code: known.code, message: known.message } }));
    }
  }

  let port = 0;
  const server: Server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/${token ? `?token=${token}` : ''}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        stopWatching();
        // Event streams never end by themselves: without ending them, close() would wait forever.
        for (const stream of streams) stream.end();
        streams.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A body that is not JSON. */
class Raw {
  constructor(
    readonly type: string,
    readonly body: string,
  ) {}
}

/** What `api` returns when it answered with an event stream itself. */
const STREAM = Symbol('stream');

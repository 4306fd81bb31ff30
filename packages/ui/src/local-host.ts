/**
 * Which requests a `funes ui` bound to 127.0.0.1 answers without a token (pure): those
 * addressed to it by a name it is reached by and its port. A web site that points its own
 * name at 127.0.0.1 (DNS rebinding) sends that name as Host, and is refused.
 */

/** The names a page of the default address is reached by. */
const LOCAL_NAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost']);

/** HTTP's port: a browser leaves it out of the Host header. */
const HTTP_PORT = 80;

/** Whether a request's Host header names this server: 127.0.0.1 or localhost, with `port`. */
export function isLocalHost(host: string | undefined, port: number): boolean {
  const match = /^([^:]+)(?::(\d+))?$/.exec(host ?? '');
  if (!match) return false;
  const given = match[2] === undefined ? HTTP_PORT : Number(match[2]);
  return LOCAL_NAMES.has(match[1]) && given === port;
}

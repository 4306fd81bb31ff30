/**
 * What a memorious function reports without throwing: a damaged object it replaced,
 * a result it could not store, a cache it could not write. Each goes to the
 * `onEvent` option and to `process.emitWarning` with a stable code.
 */

export type FunesEvent =
  | { readonly type: 'damaged'; readonly code: 'EINTEGRITY'; readonly file: string; readonly reason: string; readonly message: string }
  | { readonly type: 'not-serializable'; readonly code: 'ENOTSERIALIZABLE'; readonly function: string; readonly path: string; readonly message: string }
  | { readonly type: 'write-failed'; readonly code: 'ECACHEWRITE'; readonly cause: string; readonly file: string; readonly message: string }
  | { readonly type: 'read-failed'; readonly code: 'ECACHEREAD'; readonly cause: string; readonly file: string; readonly message: string }
  | { readonly type: 'definition'; readonly code: 'EDEFINITION'; readonly function: string; readonly message: string }
  /** Live sharing could not open, read or write the remote (`cause`: e.g. `EREMOTEAUTH`); the call was served locally. */
  | { readonly type: 'remote-failed'; readonly code: 'EREMOTESHARE'; readonly cause: string; readonly remote: string; readonly message: string };

export type EventListener = (event: FunesEvent) => void;

/** Causes already warned about in this process, so a full disk warns once, not per call. */
const warnedOnce = new Set<string>();

/** Delivers an event to the listener and as a process warning (once per `onceKey` when given). */
export function report(event: FunesEvent, listener: EventListener | undefined, onceKey?: string): void {
  listener?.(event);
  if (onceKey !== undefined) {
    if (warnedOnce.has(onceKey)) return;
    warnedOnce.add(onceKey);
  }
  process.emitWarning(event.message, { type: 'FunesWarning', code: event.code });
}

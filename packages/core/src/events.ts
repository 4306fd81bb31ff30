/**
 * What a memorious function reports without throwing: a damaged object it replaced,
 * a result it could not store, a cache it could not write. Each goes to the
 * `onEvent` option and to `process.emitWarning` with a stable code.
 */
export type WarningEvent =
  | {
      readonly type: 'damaged';
      readonly code: 'EINTEGRITY';
      readonly file: string;
      readonly reason: string;
      readonly message: string;
      /** The call whose object it was; absent when found by a listing such as loadCachedResults. */
      readonly function?: string;
      readonly version?: string;
      readonly argumentHash?: string;
    }
  | {
      readonly type: 'not-serializable';
      readonly code: 'ENOTSERIALIZABLE';
      readonly function: string;
      readonly path: string;
      readonly message: string;
    }
  | {
      readonly type: 'write-failed';
      readonly code: 'ECACHEWRITE';
      readonly cause: string;
      readonly file: string;
      readonly message: string;
    }
  | {
      readonly type: 'read-failed';
      readonly code: 'ECACHEREAD';
      readonly cause: string;
      readonly file: string;
      readonly message: string;
    }
  | { readonly type: 'definition'; readonly code: 'EDEFINITION'; readonly function: string; readonly message: string }
  /**
   * The caller changed a call's arguments while it waited for the cache, a lock or the remote: it was made
   * with them as they are now, under their own key, not under `argumentHash`, the key it was made with.
   */
  | {
      readonly type: 'arguments-changed';
      readonly code: 'EARGSCHANGED';
      readonly function: string;
      readonly argumentHash: string;
      readonly message: string;
    }
  /**
   * Live sharing could not open, read or write the remote (`cause`: e.g. `EREMOTEAUTH`); the call was served locally.
   */
  | {
      readonly type: 'remote-failed';
      readonly code: 'EREMOTESHARE';
      readonly cause: string;
      readonly remote: string;
      readonly message: string;
    }
  /**
   * The compute-once lease of a call being computed here was lost (`cause: 'lapsed'`: it
   * expired and may have been taken over) or its renewal refused (`cause`: e.g.
   * `EREMOTEAUTH`). The call still returns its result; the remote keeps the first result
   * stored for the key (`key`: the call's remote key).
   */
  | {
      readonly type: 'lease-lost';
      readonly code: 'ELEASELOST';
      readonly cause: string;
      readonly remote: string;
      readonly key: string;
      readonly message: string;
    };

/**
 * What identifies one call in its event: the function, its version
 * (definition hash), the argument hash and the named input.
 */
interface CallIdentity {
  readonly function: string;
  readonly version: string;
  readonly argumentHash: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/**
 * What happened to one call, delivered to the `onEvent` option only (and printed by
 * FUNES_LOG): never built when no listener is set.
 */
export type CallEvent =
  /** The stored result was returned; `ms`: the lookup. */
  | (CallIdentity & { readonly type: 'hit'; readonly ms: number })
  /** No usable stored result: the call computes; `ms`: the lookup. */
  | (CallIdentity & { readonly type: 'miss'; readonly ms: number; readonly reason: MissReason })
  /** A computed result was stored; `ms`: the computation. */
  | (CallIdentity & { readonly type: 'store'; readonly ms: number })
  /**
   * The call waited `ms` for another process's lock on its key (`lock:
   * true`); `computedElsewhere`: it then read that process's result.
   */
  | (CallIdentity & { readonly type: 'lock-wait'; readonly ms: number; readonly computedElsewhere: boolean });

/**
 * Why a call missed: nothing stored, a refresh asked for (`refresh()`, FUNES_REFRESH), a
 * damaged object, or a record refused by the `maxAge` (`expired`) or `validate` (`invalid`) option.
 */
export type MissReason = 'absent' | 'refresh' | 'damaged' | 'expired' | 'invalid';

export type FunesEvent = WarningEvent | CallEvent;

export type EventListener = (event: FunesEvent) => void;

/** Causes already warned about in this process, so a full disk warns once, not per call. */
const warnedOnce = new Set<string>();

/** Delivers an event to the listener and as a process warning (once per `onceKey` when given). */
export function report(event: WarningEvent, listener: EventListener | undefined, onceKey?: string): void {
  listener?.(event);
  if (onceKey !== undefined) {
    if (warnedOnce.has(onceKey)) return;
    warnedOnce.add(onceKey);
  }
  process.emitWarning(event.message, { type: 'FunesWarning', code: event.code });
}

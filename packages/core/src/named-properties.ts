/**
 * Whether an array or typed array has own properties besides its elements (`.index` of a
 * `match()` result, a symbol-keyed tag), found without listing every index: listing a
 * million-element array's keys costs a third of a second, V8's in-process inspector
 * answers for its named properties alone in a fraction of a millisecond.
 */
import type { Session } from 'node:inspector';
import { types } from 'node:util';

/** Whether `key` names one of the elements of `value`: an index below its length. */
export function isElementKey(value: { readonly length: number }, key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < value.length;
}

/** Whether `key` is an element or the `length` of `value`: what an array or a String object holds by nature. */
export function isElementOrLengthKey(value: { readonly length: number }, key: string): boolean {
  return key === 'length' || isElementKey(value, key);
}

/** Up to this many elements, listing every own key is cheaper than asking the inspector. */
const LISTED_UP_TO = 256;
const SLOT = Symbol.for('funes.keys.inspected');
const GROUP = 'funes-keys';

let session: Session | null | undefined;

function connected(): Session | null {
  if (session !== undefined) return session;
  try {
    // Loaded at the first array that needs it: most processes never ask, and every import costs start-up.
    session = new (process.getBuiltinModule('node:inspector').Session)();
    session.connect();
  } catch {
    // No inspector (a build without it, a worker that may not connect): keys are listed.
    session = null;
  }
  return session;
}

function post<T>(open: Session, method: string, params: object): T {
  let failure: Error | null = null;
  let result: T | undefined;
  open.post(method, params, (error: Error | null, value?: unknown) => {
    failure = error;
    result = value as T;
  });
  if (failure) throw failure;
  if (result === undefined) throw new Error(`inspector ${method} did not answer synchronously`);
  return result;
}

/** The names of the own properties that are not indices, as the inspector reports them; undefined when it cannot. */
function inspectedNames(value: object): string[] | undefined {
  const open = connected();
  if (!open) return undefined;
  const global = globalThis as { [SLOT]?: object };
  global[SLOT] = value;
  try {
    const { result } = post<{ result: { objectId?: string } }>(open, 'Runtime.evaluate', {
      expression: 'globalThis[Symbol.for("funes.keys.inspected")]',
      objectGroup: GROUP,
      silent: true,
    });
    if (!result.objectId) return undefined;
    const listed = post<{ result: { name: string; symbol?: unknown }[] }>(open, 'Runtime.getProperties', {
      objectId: result.objectId,
      ownProperties: true,
      nonIndexedPropertiesOnly: true,
    });
    return listed.result.map((property) => (property.symbol ? '<symbol>' : property.name));
  } catch {
    return undefined;
  } finally {
    delete global[SLOT];
    try {
      post(open, 'Runtime.releaseObjectGroup', { objectGroup: GROUP });
    } catch {
      // Nothing was kept.
    }
  }
}

/**
 * Whether `value` (an array when `isArray`, else a typed array) has own properties
 * other than its `length` elements and an array's `length`. Holes do not count.
 */
export function hasNamedProperties(
  value: object,
  isArray: boolean,
  length = (value as { readonly length: number }).length,
): boolean {
  // A Proxy is asked through its traps, as the function would ask it.
  if (length > LISTED_UP_TO && !types.isProxy(value)) {
    const names = inspectedNames(value);
    if (names) return names.length !== (isArray ? 1 : 0);
  }
  // Own keys list indices first, then string keys in creation order (an array's `length`
  // first of them), then symbols: anything after the last index and `length` is named.
  const keys = Reflect.ownKeys(value);
  if (isArray) return keys[keys.length - 1] !== 'length';
  return keys.length !== length;
}

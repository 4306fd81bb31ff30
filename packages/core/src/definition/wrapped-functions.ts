/**
 * The original function behind each memorious wrapper, so that a wrapper found in
 * a closure is hashed by the code it runs rather than by the wrapper's own code.
 */
const originals = new WeakMap<Function, Function>();

/** Records that `wrapper` runs `original`. */
export function registerWrapper(wrapper: Function, original: Function): void {
  originals.set(wrapper, original);
}

/** The function a memorious wrapper runs; any other function as it is. */
export function unwrap(fn: Function): Function {
  return originals.get(fn) ?? fn;
}

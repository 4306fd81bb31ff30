/**
 * The variables a function closes over, as V8 reports them through the in-process
 * inspector (`Runtime.getProperties` → `[[Scopes]]`). In-process `session.post`
 * calls back synchronously. Only the Runtime domain is used: enabling the debugger
 * would slow every await in the process while it stays on.
 */
import { Session } from 'node:inspector';

/** One scope of a function's scope chain, innermost first. */
export interface ScopeLayer {
  /** V8's scope type: `closure`, `block`, `catch`, `module`, `script`, `with`, `eval`, … (`global` is left out). */
  readonly type: string;
  /** The scope's variables that V8 kept (those some closure uses). */
  readonly variables: Readonly<Record<string, unknown>>;
}

interface RemoteObject {
  readonly objectId?: string;
  readonly description?: string;
}

interface PropertyDescriptor {
  readonly name: string;
  readonly value?: RemoteObject;
}

const GROUP = 'funes-definition';
const SLOT = Symbol.for('funes.definition.inspected');
/**
 * Where V8 says a function starts: its script and the 0-based position of its
 * parameter list (of a class: of its constructor or its `class` keyword).
 */
export interface FunctionPosition {
  readonly scriptId: string;
  readonly line: number;
  readonly column: number;
}

/** What a bound function was made of: `target.bind(self, ...args)`. */
export interface BoundParts {
  readonly target: Function;
  readonly self: unknown;
  readonly args: readonly unknown[];
}

interface InternalProperty {
  readonly name: string;
  readonly value?: RemoteObject & {
    readonly value?: { scriptId?: string; lineNumber?: number; columnNumber?: number };
  };
}

/** Where functions start, by function: it never moves. */
const positions = new WeakMap<Function, FunctionPosition | undefined>();

/** Script URLs by script id, for the process (ids are not reused). */
const scriptUrls = new Map<string, string>();

/** Reads scope chains; connect once per analysis and `close()` after. */
export class ScopeReader {
  private readonly session = new Session();

  constructor() {
    this.session.connect();
  }

  private post<T>(method: string, params: object): T {
    let failure: Error | null = null;
    let result: T | undefined;
    this.session.post(method, params, (error: Error | null, value?: unknown) => {
      failure = error;
      result = value as T;
    });
    if (failure) throw failure;
    if (result === undefined) throw new Error(`inspector ${method} did not answer synchronously`);
    return result;
  }

  /**
   * The URL of the script that defines a function (`node:fs`, `file:///…`), or undefined for
   * code with no URL (eval, the REPL).
   */
  scriptUrl(fn: Function): string | undefined {
    const scriptId = this.position(fn)?.scriptId;
    return scriptId === undefined ? undefined : this.urlOf(scriptId);
  }

  /** The URL of a script by id; undefined for code with no URL. */
  urlOf(scriptId: string): string | undefined {
    if (!scriptUrls.has(scriptId)) this.listScripts(scriptId);
    return scriptUrls.get(scriptId) || undefined;
  }

  /** Where a function's code starts; undefined for native and bound functions. */
  position(fn: Function): FunctionPosition | undefined {
    if (positions.has(fn)) return positions.get(fn);
    const position = this.inspect(fn, (objectId) => {
      const location = this.internalProperties(objectId).find((p) => p.name === '[[FunctionLocation]]')?.value?.value;
      if (
        location?.scriptId === undefined ||
        location.lineNumber === undefined ||
        location.columnNumber === undefined
      ) {
        return undefined;
      }
      return { scriptId: location.scriptId, line: location.lineNumber, column: location.columnNumber };
    });
    positions.set(fn, position);
    return position;
  }

  /** The target, `this` and arguments of a bound function; undefined for any other function. */
  boundParts(fn: Function): BoundParts | undefined {
    const slots = globalThis as unknown as Record<symbol, unknown>;
    return this.inspect(fn, (objectId) => {
      const internal = this.internalProperties(objectId);
      const valueOf = (name: string): unknown => {
        const remote = internal.find((p) => p.name === name)?.value;
        if (!remote) return undefined;
        if (!remote.objectId) return (remote as { value?: unknown }).value;
        this.capture(remote.objectId);
        return slots[SLOT];
      };
      const target = valueOf('[[TargetFunction]]');
      if (typeof target !== 'function') return undefined;
      return {
        target,
        self: valueOf('[[BoundThis]]'),
        args: (valueOf('[[BoundArgs]]') as unknown[] | undefined) ?? [],
      };
    });
  }

  private internalProperties(objectId: string): InternalProperty[] {
    return (
      this.post<{ internalProperties?: InternalProperty[] }>('Runtime.getProperties', { objectId, ownProperties: true })
        .internalProperties ?? []
    );
  }

  /** Puts the object behind a remote id in the slot, where this process can read it. */
  private capture(objectId: string, expression = 'this'): void {
    this.post('Runtime.callFunctionOn', {
      objectId,
      functionDeclaration: `function () { globalThis[Symbol.for("funes.definition.inspected")] = ${expression}; }`,
      objectGroup: GROUP,
    });
  }

  /**
   * Learns the URLs of the scripts loaded so far. V8's best-effort coverage lists
   * every script that has live functions, with its URL, without enabling a domain;
   * only when `wanted` is not among them is the debugger enabled for the moment it
   * takes to report every script (enabling it is several times slower).
   */
  private listScripts(wanted: string): void {
    const { result } = this.post<{ result: { scriptId: string; url: string }[] }>('Profiler.getBestEffortCoverage', {});
    for (const script of result) scriptUrls.set(script.scriptId, script.url);
    if (scriptUrls.has(wanted)) return;
    const record = (message: { params: { scriptId: string; url: string } }) =>
      scriptUrls.set(message.params.scriptId, message.params.url);
    this.session.on('Debugger.scriptParsed', record);
    try {
      this.post('Debugger.enable', {});
    } finally {
      this.post('Debugger.disable', {});
      this.session.off('Debugger.scriptParsed', record);
    }
  }

  /** Runs `read` with an inspector handle on `fn`, releasing it after. */
  private inspect<T>(fn: Function, read: (objectId: string) => T): T | undefined {
    const slots = globalThis as unknown as Record<symbol, unknown>;
    slots[SLOT] = fn;
    try {
      const { result } = this.post<{ result: RemoteObject }>('Runtime.evaluate', {
        expression: 'globalThis[Symbol.for("funes.definition.inspected")]',
        objectGroup: GROUP,
      });
      return result.objectId ? read(result.objectId) : undefined;
    } finally {
      delete slots[SLOT];
      this.post('Runtime.releaseObjectGroup', { objectGroup: GROUP });
    }
  }

  /** The scope chain of a function, innermost first, without the global scope. */
  scopes(fn: Function): ScopeLayer[] {
    const slots = globalThis as unknown as Record<symbol, unknown>;
    return this.inspect(fn, (objectId) => {
      const own = this.post<{ internalProperties?: PropertyDescriptor[] }>('Runtime.getProperties', {
        objectId,
        ownProperties: true,
      });
      const list = own.internalProperties?.find((p) => p.name === '[[Scopes]]')?.value;
      if (!list?.objectId) return [];
      const entries = this.post<{ result: PropertyDescriptor[] }>('Runtime.getProperties', {
        objectId: list.objectId,
        ownProperties: true,
      });
      const layers: ScopeLayer[] = [];
      for (const entry of entries.result) {
        if (!/^\d+$/.test(entry.name) || !entry.value?.objectId) continue;
        const type = (entry.value.description ?? '').split(' ')[0]!.toLowerCase();
        if (type === 'global') continue;
        // Called on a scope object, a function sees `{ description, object }` where `object` holds the variables.
        this.capture(entry.value.objectId, 'this.object');
        layers.push({ type, variables: (slots[SLOT] as Record<string, unknown> | undefined) ?? {} });
      }
      return layers;
    }) ?? [];
  }

  close(): void {
    this.session.disconnect();
  }
}

/** One reader for the process, for questions asked at calls rather than in an analysis; null without an inspector. */
let callReader: ScopeReader | null | undefined;

/**
 * Whether a function closes over variables of an enclosing function: `(x) => x * k` made in a
 * constructor does, an arrow-function class field or a module's helper does not.
 */
export function closesOverFunctionScope(fn: Function): boolean {
  if (callReader === undefined) {
    try {
      callReader = new ScopeReader();
    } catch {
      callReader = null;
    }
  }
  const layers = callReader?.scopes(fn) ?? [];
  return layers.some((layer) => layer.type === 'closure' && Object.keys(layer.variables).length > 0);
}

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
   * The URL of the script that defines a function (`node:fs`, `file:///…`), or
   * undefined for code with no URL (eval, the REPL). Script URLs are only reported
   * to a debugger, so it is enabled for the moment it takes to list them.
   */
  scriptUrl(fn: Function): string | undefined {
    const scriptId = this.inspect(fn, (objectId) => {
      const own = this.post<{ internalProperties?: { name: string; value?: { value?: { scriptId?: string } } }[] }>('Runtime.getProperties', { objectId, ownProperties: true });
      return own.internalProperties?.find((p) => p.name === '[[FunctionLocation]]')?.value?.value?.scriptId;
    });
    if (scriptId === undefined) return undefined;
    if (!scriptUrls.has(scriptId)) this.listScripts();
    return scriptUrls.get(scriptId) || undefined;
  }

  private listScripts(): void {
    const record = (message: { params: { scriptId: string; url: string } }) => scriptUrls.set(message.params.scriptId, message.params.url);
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
      const { result } = this.post<{ result: RemoteObject }>('Runtime.evaluate', { expression: 'globalThis[Symbol.for("funes.definition.inspected")]', objectGroup: GROUP });
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
      const own = this.post<{ internalProperties?: PropertyDescriptor[] }>('Runtime.getProperties', { objectId, ownProperties: true });
      const list = own.internalProperties?.find((p) => p.name === '[[Scopes]]')?.value;
      if (!list?.objectId) return [];
      const entries = this.post<{ result: PropertyDescriptor[] }>('Runtime.getProperties', { objectId: list.objectId, ownProperties: true });
      const layers: ScopeLayer[] = [];
      for (const entry of entries.result) {
        if (!/^\d+$/.test(entry.name) || !entry.value?.objectId) continue;
        const type = (entry.value.description ?? '').split(' ')[0]!.toLowerCase();
        if (type === 'global') continue;
        // Called on a scope object, a function sees `{ description, object }` where `object` holds the variables.
        this.post('Runtime.callFunctionOn', {
          objectId: entry.value.objectId,
          functionDeclaration: 'function () { globalThis[Symbol.for("funes.definition.inspected")] = this.object; }',
          objectGroup: GROUP,
        });
        layers.push({ type, variables: (slots[SLOT] as Record<string, unknown> | undefined) ?? {} });
      }
      return layers;
    }) ?? [];
  }

  close(): void {
    this.session.disconnect();
  }
}

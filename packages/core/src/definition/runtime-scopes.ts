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

  /** The scope chain of a function, innermost first, without the global scope. */
  scopes(fn: Function): ScopeLayer[] {
    const slots = globalThis as unknown as Record<symbol, unknown>;
    slots[SLOT] = fn;
    try {
      const { result } = this.post<{ result: RemoteObject }>('Runtime.evaluate', {
        expression: 'globalThis[Symbol.for("funes.definition.inspected")]',
        objectGroup: GROUP,
      });
      const own = this.post<{ internalProperties?: PropertyDescriptor[] }>('Runtime.getProperties', { objectId: result.objectId, ownProperties: true });
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
    } finally {
      delete slots[SLOT];
      this.post('Runtime.releaseObjectGroup', { objectGroup: GROUP });
    }
  }

  close(): void {
    this.session.disconnect();
  }
}

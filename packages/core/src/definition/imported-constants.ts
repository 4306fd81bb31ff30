/**
 * Module constants as configuration reads see them: the module's own, and those it imports from
 * project files (`import { DATA_DIR } from './paths.js'`), worked out in the module that declares
 * them and written as the importing module would write them, so a path relative to the declaring
 * module stays relative to that module's directory.
 */
import { dirname, relative, resolve, sep } from 'node:path';
import type { AstNode } from '../function-source.js';
import { constantPath, constantText } from './configuration-reads.js';
import { loadModule, type ModuleFile } from './module-files.js';
import type { ImportedBinding } from './module-summary.js';

/** How a module's names are found: its own constants, and the module variable an import stands for. */
export interface ConstantLookup {
  /** A constant the module declares and never changes: its initializer. */
  own(module: ModuleFile): (name: string) => AstNode | undefined;
  /** The module variable (`file\0name`) an imported binding stands for. */
  origin(module: ModuleFile, binding: ImportedBinding): string | undefined;
}

/** How deep imports of imports are followed. */
const MAX_DEPTH = 4;

function literal(value: string): AstNode {
  return { type: 'Literal', value, start: 0, end: 0 } as AstNode;
}

/** `new URL(path, import.meta.url)`: a file relative to the module that reads it. */
function besideModule(path: string): AstNode {
  const meta = { type: 'MetaProperty', start: 0, end: 0 } as AstNode;
  const url = { type: 'Identifier', name: 'url', start: 0, end: 0 } as AstNode;
  return {
    type: 'NewExpression',
    callee: { type: 'Identifier', name: 'URL', start: 0, end: 0 },
    arguments: [literal(path), { type: 'MemberExpression', object: meta, property: url, computed: false }],
    start: 0,
    end: 0,
  } as AstNode;
}

/** Resolves the constants a module's configuration reads use, imported ones included. */
export class ConstantValues {
  constructor(private readonly lookup: ConstantLookup) {}

  /** A module's constants: the initializer a name stands for, an imported one as a text or a path. */
  of(module: ModuleFile, depth = 0): (name: string) => AstNode | undefined {
    const own = this.lookup.own(module);
    return (name) => {
      const binding = module.summary.imports.get(name) ?? module.summary.required.get(name);
      if (!binding) return own(name);
      return depth < MAX_DEPTH ? this.imported(module, binding, depth) : undefined;
    };
  }

  /** What an imported constant holds, as the importing module would write it. */
  private imported(module: ModuleFile, binding: ImportedBinding, depth: number): AstNode | undefined {
    const origin = this.lookup.origin(module, binding);
    const split = origin?.indexOf('\0') ?? -1;
    const declaring = origin === undefined ? null : loadModule(origin.slice(0, split));
    if (!declaring) return undefined;
    const constants = this.of(declaring, depth + 1);
    const value = constants(origin!.slice(split + 1));
    return value && rewritten(value, constants, declaring, module);
  }
}

/**
 * A constant's value, worked out with the constants of the module declaring it, as `reader` would write it: a text,
 * a path (relative to `reader` when it is relative to the declaring module), or an object literal of those
 * (`export const FILES = { rows: 'rows.csv' }`); undefined when it is none of these.
 */
function rewritten(
  value: AstNode,
  constants: (name: string) => AstNode | undefined,
  declaring: ModuleFile,
  reader: ModuleFile,
  depth = 0,
): AstNode | undefined {
  const text = constantText(value, constants);
  if (text !== undefined) return literal(text);
  if (value.type === 'ObjectExpression' && depth < MAX_DEPTH) {
    const properties: AstNode[] = [];
    for (const property of value.properties as AstNode[]) {
      // A spread may hold any name: the object cannot be told.
      if (property.type !== 'Property') return undefined;
      const held = property.computed || property.kind !== 'init' || property.method ? undefined : property.value;
      const written = held && rewritten(held as AstNode, constants, declaring, reader, depth + 1);
      properties.push({ ...property, computed: !written, value: written ?? property.value } as AstNode);
    }
    return { ...value, properties } as AstNode;
  }
  const path = constantPath(value, constants);
  if (!path) return undefined;
  if (path.base === 'cwd') return literal(path.path);
  const target = resolve(dirname(declaring.file), path.path);
  const written = relative(dirname(reader.file), target).split(sep).join('/');
  return besideModule(written.startsWith('.') ? written : `./${written}`);
}

/**
 * Bundles the `funes` executable into `bundle/`: one file per entry script and shared
 * chunks, so a run loads a few files instead of hundreds of modules, and each command's
 * code (split at its dynamic import) only when it runs. The library (`dist/`, from tsc)
 * is what other packages import; the bundle is only the command.
 *
 * Left out and loaded from node_modules when needed: the native parser, and the
 * packages a few commands load (sync for pack/push/pull, ui for `funes ui`). yargs'
 * translation files stay behind too: its English messages are the strings in its code.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The modules yargs lays out help with (each imported by default), and their stand-ins. */
const STAND_INS = { 'string-width': 'stringWidth', cliui: 'cliui' };
const LAYOUT_FILTER = new RegExp(`^(${Object.keys(STAND_INS).join('|')})$`);
const YARGS_DIR = dirname(fileURLToPath(import.meta.resolve('yargs')));

/**
 * src/help-layout.ts's bundled form: stand-ins for yargs' layout modules that call the
 * real ones once `loadHelpLayout` has loaded them (split into a chunk of their own), and
 * fail loudly if help were ever laid out before.
 */
const HELP_LAYOUT = `
let layout;
export async function loadHelpLayout() {
  const [stringWidth, cliui] = await Promise.all([import('string-width'), import('cliui')]);
  layout = { stringWidth: stringWidth.default, cliui: cliui.default };
}
function loaded() {
  if (layout === undefined) throw new Error('help was laid out before loadHelpLayout() loaded its modules');
  return layout;
}
export function stringWidth(text) { return loaded().stringWidth(text); }
export function cliui(options) { return loaded().cliui(options); }
`;

/** Routes yargs' imports of its layout modules, and the CLI's of help-layout, to {@link HELP_LAYOUT}. */
const lazyHelpLayout = {
  name: 'lazy-help-layout',
  setup(build) {
    build.onResolve({ filter: /help-layout\.js$/ }, () => ({ path: 'help-layout', namespace: 'funes' }));
    build.onResolve({ filter: LAYOUT_FILTER }, (args) => {
      if (args.namespace === 'funes') return build.resolve(args.path, { kind: args.kind, resolveDir: YARGS_DIR });
      if (args.importer.includes('/node_modules/yargs/')) return { path: `layout:${args.path}`, namespace: 'funes' };
      return undefined;
    });
    build.onLoad({ filter: /^help-layout$/, namespace: 'funes' }, () => ({
      contents: HELP_LAYOUT,
      loader: 'js',
      resolveDir: YARGS_DIR,
    }));
    build.onLoad({ filter: /^layout:/, namespace: 'funes' }, (args) => ({
      contents: `export { ${STAND_INS[args.path.slice('layout:'.length)]} as default } from 'help-layout.js';`,
      loader: 'js',
      resolveDir: YARGS_DIR,
    }));
  },
};

/**
 * yargs' two internal checks, for which it imports node:assert: loading that module
 * costs every run about as much as parsing a command line. Only a bug in yargs fails them.
 */
const YARGS_ASSERT = `
export function strictEqual(actual, expected, message) {
  if (!Object.is(actual, expected)) throw new Error(message ?? 'yargs: internal check failed');
}
export function notStrictEqual(actual, expected, message) {
  if (Object.is(actual, expected)) throw new Error(message ?? 'yargs: internal check failed');
}
`;

/** Routes yargs' import of node:assert to {@link YARGS_ASSERT}. */
const yargsAssert = {
  name: 'yargs-assert',
  setup(build) {
    build.onResolve({ filter: /^assert$/ }, (args) =>
      args.importer.includes('/node_modules/yargs/') ? { path: 'yargs-assert', namespace: 'funes' } : undefined,
    );
    build.onLoad({ filter: /^yargs-assert$/, namespace: 'funes' }, () => ({ contents: YARGS_ASSERT, loader: 'js' }));
  },
};

// Chunk names change with their contents: last build's would pile up.
rmSync('bundle', { recursive: true, force: true });

await build({
  entryPoints: ['src/bin.ts', 'src/object-reader-worker.ts', 'src/why-runner.ts'],
  outdir: 'bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['oxc-parser', '@funes/sync', '@funes/ui'],
  plugins: [lazyHelpLayout, yargsAssert],
  // CommonJS dependencies bundled into ES modules still call `require` for Node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; " +
      "const require = __createRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});

/**
 * Bundles the `funes` executable into `bundle/`: `bin.js`, which answers `--version` alone
 * and otherwise imports `cli.js`, the whole CLI in one module, and the scripts the CLI starts
 * in another thread or process. Each ES module a run loads costs it a resolution, a read
 * and a link, so the commands are not split into chunks of their own: the code of the
 * commands not run is only parsed lazily. The library (`dist/`, from tsc) is what other
 * packages import; the bundle is only the command.
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

/** The module of bundle/ holding yargs' layout modules, imported when help is first laid out. */
const LAYOUT_MODULES = './help-layout-modules.js';

/**
 * src/help-layout.ts's bundled form: stand-ins for yargs' layout modules that call the
 * real ones once `loadHelpLayout` has loaded them (from {@link LAYOUT_MODULES}, a module
 * of its own: string-width's patterns are compiled when its source is parsed), and fail
 * loudly if help were ever laid out before.
 */
const HELP_LAYOUT = `
let layout;
export async function loadHelpLayout() {
  layout = await import('${LAYOUT_MODULES}');
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
    build.onResolve({ filter: LAYOUT_FILTER }, (args) =>
      args.importer.includes('/node_modules/yargs/') ? { path: `layout:${args.path}`, namespace: 'funes' } : undefined,
    );
    build.onResolve({ filter: /^\.\/help-layout-modules\.js$/ }, (args) => ({ path: args.path, external: true }));
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

/** Leaves bin.js's import of the CLI as it is, so that `--version` loads nothing more. */
const cliApart = {
  name: 'cli-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/cli\.js$/ }, (args) =>
      args.importer.endsWith('bin.ts') ? { path: './cli.js', external: true } : undefined,
    );
  },
};

await build({
  entryPoints: ['src/bin.ts', 'src/cli.ts', 'src/object-reader-worker.ts', 'src/why-runner.ts'],
  outdir: 'bundle',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['oxc-parser', '@funes/sync', '@funes/ui'],
  plugins: [cliApart, lazyHelpLayout, yargsAssert],
  // CommonJS dependencies bundled into ES modules still call `require` for Node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; " +
      "const require = __createRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});

await build({
  stdin: {
    contents: "export { default as stringWidth } from 'string-width'; export { default as cliui } from 'cliui';",
    resolveDir: YARGS_DIR,
    loader: 'js',
  },
  outfile: `bundle/${LAYOUT_MODULES.slice(2)}`,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});

/**
 * Bundles the `funes` executable into `bundle/`: `bin.cjs`, which answers `--version` alone
 * and otherwise runs `cli.cjs`, the whole CLI in one script, with the code cache written
 * here after a sample run (src/code-cached-script.ts); and the scripts the CLI starts in
 * another thread or process. The executable is CommonJS: Node's ES module loader costs
 * every run that starts it, and resolves, reads and links each module apart. The code of
 * the commands not run is only parsed lazily. The library (`dist/`, from tsc) is what
 * other packages import; the bundle is only the command.
 *
 * Left out and loaded from node_modules when needed: the native parser, and the
 * packages a few commands load (sync for pack/push/pull, ui for `funes ui`). yargs'
 * translation files stay behind too: its English messages are the strings in its code.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { memorious } from '@funes/core';
import { build } from 'esbuild';
import { compileScript, IMPORT_MODULE, runScript, writeCodeCache } from './dist/code-cached-script.js';

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

/**
 * Node's modules that cost every run loading them (a few milliseconds each) though most
 * commands never call them. In the CLI's bundle each is a stand-in whose exports load the
 * real module when first read; its exports are listed from the Node that builds.
 */
const LAZY_BUILTINS = ['node:zlib', 'node:v8'];

/** The stand-in for `name`, a module of {@link LAZY_BUILTINS}. */
function lazyBuiltin(name) {
  const getters = Object.keys(process.getBuiltinModule(name))
    .map((key) => `${JSON.stringify(key)}: { enumerable: true, get: () => load()[${JSON.stringify(key)}] }`);
  return `let loaded;
const load = () => (loaded ??= require(${JSON.stringify(name)}));
module.exports = Object.defineProperties({}, {\n${getters.join(',\n')}\n});
`;
}

/** Routes the CLI's imports of {@link LAZY_BUILTINS} to their stand-ins, which import the real modules. */
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    const filter = new RegExp(`^(${LAZY_BUILTINS.join('|')})$`);
    build.onResolve({ filter }, ({ path, namespace }) =>
      namespace === 'lazy-builtin' ? { path, external: true } : { path, namespace: 'lazy-builtin' },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, ({ path }) => ({
      contents: lazyBuiltin(path),
      loader: 'js',
    }));
  },
};

/** What yargs' factory does as it creates a parser, and what it does in the bundle. */
const YARGS_VERSION_GUESS = 'yargs.version();';

/**
 * yargs guesses a version for each parser it creates, reading the listing of the working
 * directory and of each one above it until one holds a package.json: in a directory of
 * many files that costs every run, and the CLI sets its own version right after. The
 * bundle's yargs leaves the guess out; the build fails if the factory no longer makes it.
 */
const yargsNoVersionGuess = {
  name: 'yargs-no-version-guess',
  setup(build) {
    build.onLoad({ filter: /\/node_modules\/yargs\/build\/lib\/yargs-factory\.js$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      if (source.split(YARGS_VERSION_GUESS).length !== 2) {
        throw new Error(`${path} no longer calls ${YARGS_VERSION_GUESS} once: review yargsNoVersionGuess`);
      }
      return { contents: source.replace(YARGS_VERSION_GUESS, ''), loader: 'js' };
    });
  },
};

// Chunk names change with their contents: last build's would pile up.
rmSync('bundle', { recursive: true, force: true });

/** The options of every module built. */
const COMMON = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['oxc-parser', '@funes/sync', '@funes/ui'],
  plugins: [lazyHelpLayout, yargsAssert, yargsNoVersionGuess],
  sourcemap: 'linked',
  logLevel: 'warning',
};

// The scripts started in a worker thread or a child process, ES modules as their sources are.
await build({
  ...COMMON,
  entryPoints: ['src/object-reader-worker.ts', 'src/why-runner.ts'],
  outdir: 'bundle',
  format: 'esm',
  // CommonJS dependencies bundled into ES modules still call `require` for Node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; " +
      "const require = __createRequire(import.meta.url);" },
});

/**
 * `import.meta` in CommonJS: the URL of the bundle's file, and `resolve` as yargs uses it
 * (a path from its configuration's `extends`). Strict, as the modules bundled are: a banner
 * comes before esbuild's own "use strict", which is then no longer a directive.
 */
const IMPORT_META = "'use strict'; const __importMeta = { url: require('node:url').pathToFileURL(__filename).href, " +
  "resolve: (specifier) => require('node:url').pathToFileURL(require.resolve(specifier)).href };";

/** The ES modules the CLI imports, which the script it is bundled into imports through {@link IMPORT_MODULE}. */
const IMPORTED = new Set(['./help-layout-modules.js', '@funes/sync', '@funes/ui', 'node:child_process',
  'node:readline/promises', 'node:stream/promises', 'node:worker_threads']);

/** The CLI's `import()` calls, made calls of {@link IMPORT_MODULE}; the build fails on any it does not expect. */
function importsThroughWrapper(code) {
  if (code.includes(IMPORT_MODULE)) throw new Error(`the bundled CLI already names ${IMPORT_MODULE}`);
  const renamed = code.replace(/\bimport\((["'])([^"']+)\1\)/g, (call, quote, specifier) => {
    if (!IMPORTED.has(specifier)) throw new Error(`the bundled CLI imports ${specifier}: add it to IMPORTED`);
    return `${IMPORT_MODULE}(${quote}${specifier}${quote})`;
  });
  if (/\bimport\s*\(/.test(renamed)) throw new Error('the bundled CLI imports a computed specifier');
  return renamed;
}

/**
 * The CLI's source in ASCII alone. esbuild escapes every other character but those of
 * comments, and one such character makes V8 hold the whole source two bytes a character,
 * slower to decode and to compile. An escape of each UTF-16 unit means the same text in a
 * string, a template or a regular expression.
 */
function asciiOnly(code) {
  return code.replace(/[^\0-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const [cli] = await Promise.all([
  build({ ...COMMON, entryPoints: ['src/cli.ts'], outfile: 'bundle/cli.cjs', format: 'cjs', write: false,
    define: { 'import.meta': '__importMeta' }, banner: { js: IMPORT_META },
    external: [...COMMON.external, LAYOUT_MODULES], plugins: [...COMMON.plugins, lazyBuiltins] }),
  build({ ...COMMON, entryPoints: ['src/bundle-bin.ts'], outfile: 'bundle/bin.cjs', format: 'cjs',
    define: { 'import.meta': '__importMeta' }, banner: { js: IMPORT_META } }),
]);
for (const { path, text } of cli.outputFiles) {
  writeFileSync(path, path.endsWith('.cjs') ? asciiOnly(importsThroughWrapper(text)) : text);
}

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

/**
 * The sample run the code cache is written after: `funes log` on a cache of a few entries,
 * in a temporary directory. Its output is dropped.
 */
async function sampleRun(main) {
  const cacheDir = mkdtempSync(join(tmpdir(), 'funes-code-cache-'));
  try {
    const square = memorious((x) => x * x, { name: 'square', version: 'v1', cacheDir });
    for (let x = 0; x < 3; x++) square(x);
    const dropped = new Writable({ write: (_chunk, _encoding, done) => done() });
    const exitCode = await main(['log', '--cache', cacheDir], { stdout: dropped, stderr: dropped, stdin: process.stdin,
      env: {} });
    if (exitCode !== 0) throw new Error(`the sample run of the bundled CLI exited with ${exitCode}`);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

const compiled = compileScript(resolve('bundle/cli.cjs'));
const bundleDir = pathToFileURL(resolve('bundle') + '/');
const importModule = (specifier) => import(specifier.startsWith('.') ? new URL(specifier, bundleDir).href : specifier);
await sampleRun(runScript(compiled, importModule).main);
writeCodeCache(compiled);

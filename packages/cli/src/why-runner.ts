/**
 * The child process of `funes why <module>:<function>`: loads the module as the
 * function's own process would. With FUNES_WHY set, @funes/core answers the function's
 * first call itself; a module that only defines the function is answered here, after
 * it has loaded, from its export.
 *
 *   node why-runner.js <module file> <function name>
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, name] = process.argv.slice(2);
const path = resolve(file);
// The module is the script its own process starts with: definition keys count what that script's top level
// configures before it calls a function. Set before @funes/core loads, which takes the script from here.
process.argv[1] = path;
const { writeWhyAnswer } = await import('@funes/core/internal');
const loaded = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
// The @funes/core the module itself loads: its registry knows the module's wrapped functions.
const core = (await import(
  pathToFileURL(createRequire(path).resolve('@funes/core')).href
)) as typeof import('@funes/core');
const candidates = [
  loaded[name],
  (loaded.default as Record<string, unknown> | undefined)?.[name],
  ...Object.values(loaded),
];
const wrapped = candidates.find(
  (value): value is Function => typeof value === 'function' && (value === loaded[name] || value.name === name),
);
const fd = Number(process.env.FUNES_WHY_FD);
const args =
  process.env.FUNES_WHY_ARGS === undefined ? undefined : (JSON.parse(process.env.FUNES_WHY_ARGS) as unknown[]);
try {
  if (!wrapped) {
    throw Object.assign(new Error(`${file} neither called ${name} while it loaded nor exports it`), {
      code: 'ENOFUNCTION',
      hint: `name the memorious function as the module calls or exports it: funes why ${file}:<function>`,
    });
  }
  writeWhyAnswer(
    fd,
    args ? core.explainMiss(wrapped as (...a: unknown[]) => unknown, ...args) : core.explainDefinition(wrapped),
  );
} catch (error) {
  const { code, hint } = error as { code?: string; hint?: string };
  writeWhyAnswer(fd, { error: code ?? 'EWHY', message: (error as Error).message, hint });
}
process.exit(0);

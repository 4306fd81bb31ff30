// The child of bench/instructions.ts: one system's calls in a fresh process, for callgrind to count.
// Usage: node store-calls.mjs <funes|floor> <workload: miss|hit|big-argument> <cacheDir> <calls>
// A miss run fills `cacheDir` with `calls` small results; a hit run reads the first 2,000 back, `calls` times in all.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { bigArgument, small } from './workload-values.mjs';

const [system, workload, cacheDir, callsArg] = process.argv.slice(2);
const calls = Number(callsArg);
const KEYS = 2000;

async function wrap(fn, name) {
  if (system === 'funes') {
    // FUNES_CORE: another build's entry point, to count it against this one.
    const { memorious } = await import(process.env.FUNES_CORE ?? '@funes/core');
    return memorious(fn, { name, cacheDir });
  }
  // The floor: temp file + rename, readFileSync + v8.deserialize.
  mkdirSync(cacheDir, { recursive: true });
  return (...args) => {
    const file = join(cacheDir, `${name}-${args.length === 2 ? args.join('_') : 'x'}`);
    try {
      return deserialize(readFileSync(file));
    } catch {
      const result = fn(...args);
      writeFileSync(`${file}.tmp`, serialize(result));
      renameSync(`${file}.tmp`, file);
      return result;
    }
  };
}

if (workload === 'big-argument') {
  const f = await wrap((config) => Object.keys(config).length, 'bigArgument');
  const argument = bigArgument();
  f(argument);
  for (let i = 0; i < calls; i++) f(argument);
} else {
  const f = await wrap(small, 'small');
  for (let n = 0; n < calls; n++) {
    const key = workload === 'miss' ? n : n % KEYS;
    f(key, key * 0.5);
  }
}

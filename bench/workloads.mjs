// One workload for one system, in its own process, so hits are measured the way
// users meet them: a fresh process reading what an earlier one stored.
// Usage: node workloads.mjs <system> <workload> <cacheDir>   → prints one JSON line.
// `steady-miss` and `steady-hit` run Funes and the floor in one process (the system named is ignored): after
// both have warmed up, their misses (or hits) alternate call by call, so the two meet the same JIT state and disk.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { bigArgument, keyRuleFloor, small } from './workload-values.mjs';

const [system, workload, cacheDir] = process.argv.slice(2);
const CALLS = 2000;
const LARGE = 10_000_000;

let largeResult;
// As a researcher writes it (an async function), and as a sync one, which Funes keeps sync.
const large = async () => largeResult;
const largeSync = () => largeResult;

/** Each system as a memoizer storing in `cacheDir`: `wrap(fn, name)` → an async-or-sync memoized function. */
const systems = {
  async funes(cacheDir) {
    // FUNES_CORE: another build's entry point, to time it against this one.
    const { memorious, describeDefinition } = await import(process.env.FUNES_CORE ?? '@funes/core');
    return (fn, name) => {
      const memoized = memorious(fn, { name, cacheDir });
      // Definition hashing happens once per function, at the first call; it has its own
      // benchmark (definition.bench.ts) and counts in the whole-process time, not per call.
      describeDefinition(memoized);
      return memoized;
    };
  },
  async 'memoize-fs'(cacheDir) {
    const { default: memoizeFs } = await import('memoize-fs');
    const memoizer = memoizeFs({ cachePath: cacheDir });
    return (fn, name) => {
      let memoized;
      return async (...args) => (memoized ??= await memoizer.fn(fn, { cacheId: name }))(...args);
    };
  },
  async cacache(cacheDir) {
    const { default: cacache } = await import('cacache');
    return (fn, name) => async (...args) => {
      const key = `${name}:${JSON.stringify(args)}`;
      try {
        return deserialize((await cacache.get(cacheDir, key)).data);
      } catch {
        const result = await fn(...args);
        await cacache.put(cacheDir, key, serialize(result));
        return result;
      }
    };
  },
  /**
   * The disk's floor: results written as temp file + rename and read back with
   * readFileSync + decode; a Float64Array as its raw bytes.
   */
  async floor(cacheDir) {
    mkdirSync(cacheDir, { recursive: true });
    const encode = (value) => (value instanceof Float64Array ? new Uint8Array(value.buffer) : serialize(value));
    const decode = (bytes, name) =>
      name.startsWith('large')
        ? new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8)
        : deserialize(bytes);
    return (fn, name) => (...args) => {
      const file = join(cacheDir, `${name}-${args.length === 2 ? args.join('_') : 'x'}`);
      try {
        return decode(readFileSync(file), name);
      } catch {
        const store = (result) => {
          const temp = `${file}.tmp`;
          writeFileSync(temp, encode(result));
          renameSync(temp, file);
          return result;
        };
        const result = fn(...args);
        return result instanceof Promise ? result.then(store) : store(result);
      }
    };
  },
};

const wrap = workload.startsWith('steady-') ? undefined : await systems[system](cacheDir);
const now = () => performance.now();
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
let result;

/**
 * Calls `memoized[0]` (Funes) and `memoized[1]` (the floor) on the `pairs` arguments from `first` on, alternating
 * call by call (which goes first alternating too), so a change in the disk's pace meets both alike.
 */
function alternate(memoized, first, pairs) {
  const times = [new Float64Array(pairs), new Float64Array(pairs)];
  const cpu = process.cpuUsage();
  for (let pair = 0; pair < pairs; pair++) {
    const n = first + pair;
    for (const side of pair % 2 === 0 ? [0, 1] : [1, 0]) {
      const started = now();
      memoized[side](n, n * 0.5);
      times[side][pair] = (now() - started) * 1000;
    }
  }
  const { user, system } = process.cpuUsage(cpu);
  const mean = (xs) => xs.reduce((sum, x) => sum + x, 0) / xs.length;
  return {
    funesUs: mean(times[0]),
    floorUs: mean(times[1]),
    // Per pair, then the median: a pause of the disk under one call of a pair does not count.
    differenceUs: median(times[0].map((us, pair) => us - times[1][pair])),
    medianFunesUs: median(times[0]),
    medianFloorUs: median(times[1]),
    cpuUsPerPair: (user + system) / pairs,
  };
}

if (workload === 'steady-miss' || workload === 'steady-hit') {
  // W1 and W2 in steady state: Funes and the floor in one process, warmed up, then alternating.
  const memoized = await Promise.all(
    ['funes', 'floor'].map(async (name) => (await systems[name](join(cacheDir, name)))(small, 'small')),
  );
  const WARM_UP = workload === 'steady-miss' ? 4000 : 2000;
  const PAIRS = workload === 'steady-miss' ? 6000 : 3000;
  if (workload === 'steady-miss') {
    for (const f of memoized) for (let n = 0; n < WARM_UP; n++) f(n, n * 0.5);
    result = alternate(memoized, WARM_UP, PAIRS);
  } else {
    // Every result is stored first (untimed); the warm-up and the timed pairs then hit each once.
    for (const f of memoized) for (let n = 0; n < WARM_UP + PAIRS; n++) f(n, n * 0.5);
    for (const f of memoized) for (let n = 0; n < WARM_UP; n++) f(n, n * 0.5);
    result = alternate(memoized, WARM_UP, PAIRS);
  }
} else if (workload === 'sweep') {
  // W1 (all misses) in a fresh cache, W2 (all hits) in the next process.
  const f = wrap(small, 'small');
  const started = now();
  for (let i = 0; i < CALLS; i++) await f(i, i * 0.5);
  result = { usPerCall: ((now() - started) * 1000) / CALLS };
} else if (/^large-(write|read)(-sync)?$/.test(workload)) {
  largeResult = new Float64Array(LARGE);
  for (let i = 0; i < LARGE; i++) largeResult[i] = Math.random();
  const f = workload.endsWith('-sync') ? wrap(largeSync, 'largeSync') : wrap(large, 'large');
  const started = now();
  const value = await f();
  const seconds = (now() - started) / 1000;
  // memoize-fs stores JSON: a Float64Array comes back as a plain object, a wrong result.
  const right = value instanceof Float64Array && value.length === LARGE;
  result = { mbPerSecond: right ? (LARGE * 8) / 1e6 / seconds : NaN };
} else if (workload === 'big-argument' || workload === 'big-argument-keyed') {
  // W4: a nested 100 x 100 object argument; time per hit after the first call stored it.
  // `big-argument-keyed` (the floor): each call also runs the key rule's floor, so that the floor's whole hit is
  // measured as Funes' is, JIT warm-up and garbage collection included.
  const argument = bigArgument();
  const memoized = wrap((config) => Object.keys(config).length, 'bigArgument');
  let f = memoized;
  if (workload === 'big-argument-keyed') {
    const key = keyRuleFloor(argument, (await funesCanonicalHash()).canonicalBytes(argument));
    f = (config) => {
      key();
      return memoized(config);
    };
  }
  await f(argument);
  const hits = 200;
  // Each hit timed too: the mean holds the first hits, run before the JIT has compiled the walk of the argument.
  const times = new Float64Array(hits);
  const started = now();
  for (let i = 0; i < hits; i++) {
    const hitStarted = now();
    await f(argument);
    times[i] = (now() - hitStarted) * 1000;
  }
  result = {
    usPerCall: ((now() - started) * 1000) / hits,
    warmUs: median(times.subarray(hits / 2)),
    firstHitsMs: times.subarray(0, 5).reduce((sum, us) => sum + us, 0) / 1000,
  };
  if (system === 'funes') {
    // After the hits, in the same process: the argument's key alone and the key rule's floor for the same argument
    // (what no key can go below), in alternating rounds; medians of the rounds.
    const { canonicalBytes, hashValue } = await funesCanonicalHash();
    const sides = [() => hashValue(argument), keyRuleFloor(argument, canonicalBytes(argument))];
    const rounds = [[], []];
    for (let round = 0; round < 11; round++) {
      sides.forEach((side, i) => {
        const roundStarted = now();
        for (let call = 0; call < 20; call++) side();
        rounds[i].push(((now() - roundStarted) * 1000) / 20);
      });
    }
    result.keyUs = median(rounds[0]);
    result.keyRuleFloorUs = median(rounds[1]);
  }
} else {
  throw new Error(`unknown workload ${workload}`);
}
console.log(JSON.stringify(result));

/** Funes' argument hashing (the module, not the package's API), for W4's key alone and the key rule's floor. */
async function funesCanonicalHash() {
  const core = import.meta.resolve(process.env.FUNES_CORE ?? '@funes/core');
  return import(new URL('canonical-hash.js', core).href);
}

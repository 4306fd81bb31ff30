// The seed's demo: a slow function, memorized on disk. Run it twice: the second
// run prints no "doubling" line at all, because every result comes from ./cache.
import { loadCachedResults, memorious } from '@funes/core';

/** Blocks like Python's time.sleep, so `double` stays an ordinary synchronous function. */
function sleep(seconds) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

const double = memorious(function double(x) {
  console.log('doubling', x);
  sleep(0.5);
  return x * 2;
});

console.log('uncached (will be slow)');
for (let i = 0; i < 5; i++) double(i);

console.log('cached (will be fast)');
for (let i = 0; i < 5; i++) double(i);

console.log('uncached (will be slow, unique global seed)');
for (let seed = 0; seed < 5; seed++) double.withSeed(seed)(0);

console.log('cached (will be fast, reuse global seed)');
for (let seed = 0; seed < 5; seed++) double.withSeed(seed)(0);

console.log('all cached values');
const records = [...loadCachedResults(double)].sort(
  (a, b) => (a.input.global_seed ?? -1) - (b.input.global_seed ?? -1) || a.input.x - b.input.x,
);
for (const { input, output, time } of records) {
  console.log({ input, output, time: Number(time.toFixed(3)) });
}

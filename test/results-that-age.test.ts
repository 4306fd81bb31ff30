/**
 * Results that age, opt-in, from real processes: `maxAge` recomputes and replaces a record
 * older than that; `validate` decides whether a stored record may be used. Both apply to
 * calls, to peek and isCached, and to what a process waiting for a lock finds.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { joinedPattern } from './helpers/patterns.js';
import { tempProject } from './helpers/temp-project.js';

const project = tempProject('funes-age-');
after(() => project.remove());

/** argv: maxAge, then points; prints the calls computed and each call's events. */
project.write(
  'rates.mjs',
  `
import { memorious } from '@funes/core';
const [maxAge, ...points] = process.argv.slice(2);
let computed = 0;
const events = [];
const rates = memorious(async function rates(day) { computed++; return { day, at: Date.now() }; }, {
  maxAge: /^\\d+$/.test(maxAge) ? Number(maxAge) : maxAge,
  onEvent: (e) => e.type === 'miss' && events.push('miss:' + e.reason),
});
for (const day of points) await rates(day);
await new Promise((resolve) => setTimeout(resolve, 20));
console.log(JSON.stringify({ computed, events, peek: rates.peek(points[0]) !== ` +
    `undefined, cached: rates.isCached(points[0]) }));
`,
);

function rates(maxAge: string, ...points: string[]) {
  const run = project.node(['rates.mjs', maxAge, ...points]);
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

test('maxAge: a record younger than that is a hit; an older one is computed again and replaced', () => {
  assert.deepEqual(rates('7d', 'mon', 'tue'), {
    computed: 2,
    events: ['miss:absent', 'miss:absent'],
    peek: true,
    cached: true,
  });
  assert.deepEqual(rates('7d', 'mon', 'tue'), { computed: 0, events: [], peek: true, cached: true });
  // Each run waits 20 ms after its calls: records are then older than 5 ms.
  const aged = rates('5', 'mon');
  assert.deepEqual(aged, { computed: 1, events: ['miss:expired'], peek: false, cached: false });
  assert.deepEqual(
    rates('7d', 'mon'),
    { computed: 0, events: [], peek: true, cached: true },
    'the recomputed record replaced the old one',
  );
  const wrong = project.node(['rates.mjs', 'a week', 'mon']);
  assert.match(
    wrong.stderr,
    joinedPattern(
      /the maxAge option must be a positive duration: milliseconds, or a number with a unit /,
      /\(ms, s, m for minutes, h, d, w; no months\)/,
      / such as '7d', '12h' or '1d12h'; got "a week"/,
    ),
  );
});

test('validate: a stored record it refuses is computed again and replaced; it sees the whole record', () => {
  project.write(
    'fit.mjs',
    `
import { memorious } from '@funes/core';
let computed = 0;
const seen = [];
const fit = memorious(function fit(lr) { computed++; return { converged: computed > 1 }; }, {
  validate: (record) => { seen.push(Object.keys(record).sort().join(',')); return record.output.converged; },
});
fit(0.1);
const first = computed;
const second = fit(0.1);
const third = fit(0.1);
console.log(JSON.stringify({ first, second, third, computed, peek: fit.peek(0.1), seen: [...new Set(seen)] }));
`,
  );
  const run = project.node(['fit.mjs']);
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.equal(out.first, 1);
  assert.deepEqual(out.second, { converged: true }, 'the stored failure was refused and computed again');
  assert.deepEqual(out.third, { converged: true });
  assert.equal(out.computed, 2, 'the replacement was used');
  assert.deepEqual(out.peek, { converged: true });
  assert.deepEqual(out.seen, ['async,createdAt,funes,host,input,node,output,platform,time']);
  const bad = project.write(
    'bad.mjs',
    `import { memorious } from '@funes/core';\nmemorious(function f() {}, { validate: true });\n`,
  );
  assert.match(project.node([bad]).stderr, /the validate option must be a function \(record\) => boolean/);
});

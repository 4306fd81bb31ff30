// Plays a cluster on one computer: N "machines" — processes, each with its own cache
// directory, as separate machines have — run the same sweep.mjs on the whole grid at
// once, sharing the remote named by FUNES_REMOTE (and FUNES_LOCK_URL, where the remote's
// server has no conditional writes). Nobody splits the grid; the leases do. Then a
// fresh machine runs the sweep again and finds every result on the remote.
//
//   FUNES_REMOTE='s3://bucket/sweep?endpoint=http://127.0.0.1:9000' node run-cluster.mjs 3
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.FUNES_REMOTE) {
  console.error(
    'set FUNES_REMOTE to a remote shared by the machines, e.g. s3://bucket/sweep?endpoint=http://127.0.0.1:9000',
  );
  process.exit(2);
}
const count = Number(process.argv[2] ?? 3);
const machines = mkdtempSync(join(tmpdir(), 'funes-cluster-'));
const sweep = new URL('./sweep.mjs', import.meta.url).pathname;

function run(name) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [sweep], {
      env: { ...process.env, FUNES_CACHE_DIR: join(machines, name) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${name} exited with ${code}`))));
  });
}

const computedIn = (output) => output.split('\n').filter((line) => line.startsWith('computing'));
const names = Array.from({ length: count }, (_, k) => `machine-${k}`);
const outputs = await Promise.all(names.map(run));
const computed = outputs.map(computedIn);
console.log(names.map((name, k) => `${name} computed ${computed[k].length}`).join(', '));
console.log(`${count} machines computed ${computed.flat().length} points, ${new Set(computed.flat()).size} distinct`);

const collected = await run('collector');
process.stdout.write(
  collected
    .split('\n')
    .filter((line) => line.startsWith('alpha='))
    .map((line) => `${line}\n`)
    .join(''),
);
console.log(
  `the collector read ${collected.split('\n').filter((line) => line.startsWith('alpha=')).length} results from the ` +
      `remote and computed ${computedIn(collected).length}`,
);

// Simulates a cluster on one computer: N worker processes, each with its own cache
// directory (as separate machines have), share the remote named by FUNES_REMOTE and
// split the sweep; then a fresh "machine" collects every result from the remote.
//
//   FUNES_REMOTE='s3://bucket/sweep?endpoint=http://127.0.0.1:9000' node run-cluster.mjs 3
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.FUNES_REMOTE) {
  console.error('set FUNES_REMOTE to a remote shared by the workers, e.g. s3://bucket/sweep?endpoint=http://127.0.0.1:9000');
  process.exit(2);
}
const workers = Number(process.argv[2] ?? 3);
const machines = mkdtempSync(join(tmpdir(), 'funes-cluster-'));
const sweep = new URL('./sweep.mjs', import.meta.url).pathname;

function run(name, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [sweep, ...args], {
      env: { ...process.env, ...env, FUNES_CACHE_DIR: join(machines, name) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${name} exited with ${code}`))));
  });
}

const outputs = await Promise.all(Array.from({ length: workers }, (_, k) => run(`machine-${k}`, [], { FUNES_SHARD: `${k}/${workers}` })));
const computed = outputs.flatMap((output) => output.split('\n').filter((line) => line.startsWith('computing')));
console.log(`${workers} workers computed ${computed.length} points, ${new Set(computed.map((line) => line.split(' on ')[0])).size} distinct`);

const collected = await run('collector', ['--collect'], {});
const recomputed = collected.split('\n').filter((line) => line.startsWith('computing')).length;
process.stdout.write(collected);
console.log(`the collector read ${collected.split('\n').filter((line) => line.startsWith('alpha=')).length} results from the remote and computed ${recomputed}`);

/**
 * A real S3 server with conditional writes for the lease tests: Ceph's RADOS Gateway from
 * Debian, as one node on 127.0.0.1 — a monitor, one OSD keeping its data in memory, and
 * radosgw — in a temp directory, without systemd or a manager (see shared notes
 * servers.md). `npm test` starts one for the whole run (test/setup/with-servers.ts) and
 * hands it to the test files through {@link SHARED_CEPH}; a test file run alone starts its
 * own. Every daemon is stopped by its pid.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  answersHttp,
  ensureInstalled,
  freePort,
  sharedOrStart,
  stopperOf,
  type S3Server,
} from './servers.js';

const PACKAGES = ['ceph-mon', 'ceph-osd', 'radosgw', 'ceph-common'];
const BINARIES = ['ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'ceph', 'ceph-authtool', 'monmaptool'];

/** The S3 user the helper creates. */
export const CEPH_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'funes-test-access',
  AWS_SECRET_ACCESS_KEY: 'funes-test-secret',
  AWS_REGION: 'us-east-1',
} as const;

export type CephServer = S3Server;

/** The environment variable holding the run's shared gateway (`{ endpoint, env }` as JSON). */
export const SHARED_CEPH = 'FUNES_TEST_CEPH';

/** Each step's limit: a daemon that cannot start here hangs rather than fails. */
const STEP_TIMEOUT_MS = 60_000;

/** Runs one set-up step without blocking the event loop (other servers start meanwhile); its stdout. */
function run(command: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { encoding: 'utf8', timeout: STEP_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${command} ${args.join(' ')} failed (${error.message}): ${stderr}${stdout}`.slice(0, 3000)));
      } else {
        resolve(stdout);
      }
    });
    // A command that exits without reading its input breaks the pipe; its exit status says how it went.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input ?? '');
  });
}

function conf(dir: string, monPort: number, rgwPort: number, fsid: string): string {
  return `[global]
fsid = ${fsid}
mon host = v1:127.0.0.1:${monPort}
mon initial members = a
ms bind msgr2 = false
public addr = 127.0.0.1
cluster addr = 127.0.0.1
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = ${dir}/admin.keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
paxos propose interval = 0.01
admin socket = ${dir}/run/$name.asok
pid file = ${dir}/run/$name.pid
log file = ${dir}/log/$name.log
run dir = ${dir}/run
mon data = ${dir}/mon/$id
osd data = ${dir}/osd/$id

[osd]
osd objectstore = memstore
memstore device bytes = 1073741824
keyring = ${dir}/osd/$id/keyring

[client.rgw.gw]
keyring = ${dir}/rgw.keyring
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw data = ${dir}/rgw
`;
}

const RGW_POOLS = [
  '.rgw.root',
  'default.rgw.log',
  'default.rgw.control',
  'default.rgw.meta',
  'default.rgw.buckets.index',
  'default.rgw.buckets.data',
  'default.rgw.buckets.non-ec',
];

/**
 * Starts a one-node Ceph with radosgw on free 127.0.0.1 ports; resolves once the gateway
 * answers. Throws `ServerUnavailableError` when Ceph is not installed.
 */
export async function startCeph(): Promise<CephServer> {
  ensureInstalled('Ceph RGW', PACKAGES, BINARIES);
  const dir = mkdtempSync(join(tmpdir(), 'funes-ceph-'));
  for (const sub of ['run', 'log', 'mon/a', 'osd/0', 'rgw']) mkdirSync(join(dir, sub), { recursive: true });
  const [monPort, rgwPort] = [await freePort(), await freePort()];
  const fsid = randomUUID();
  const config = join(dir, 'ceph.conf');
  writeFileSync(config, conf(dir, monPort, rgwPort, fsid));
  const c = ['-c', config];
  const children: ChildProcess[] = [];
  const stop = stopperOf(children, dir, 'SIGKILL');
  const daemon = (command: string, args: string[]) => {
    const child = spawn(command, [...c, ...args, '-f'], { stdio: 'ignore' });
    children.push(child);
  };
  try {
    await run('ceph-authtool', [
      '--create-keyring',
      join(dir, 'mon.keyring'),
      '--gen-key',
      '-n',
      'mon.',
      '--cap',
      'mon',
      'allow *',
    ]);
    await run('ceph-authtool', [
      '--create-keyring',
      join(dir, 'admin.keyring'),
      '--gen-key',
      '-n',
      'client.admin',
      '--cap',
      'mon',
      'allow *',
      '--cap',
      'osd',
      'allow *',
      '--cap',
      'mgr',
      'allow *',
    ]);
    await run('ceph-authtool', [join(dir, 'mon.keyring'), '--import-keyring', join(dir, 'admin.keyring')]);
    await run('monmaptool', [
      '--create',
      '--addv',
      'a',
      `[v1:127.0.0.1:${monPort}]`,
      '--fsid',
      fsid,
      join(dir, 'monmap'),
    ]);
    await run('ceph-mon', [
      ...c,
      '--mkfs',
      '-i',
      'a',
      '--monmap',
      join(dir, 'monmap'),
      '--keyring',
      join(dir, 'mon.keyring'),
    ]);
    daemon('ceph-mon', ['-i', 'a']);

    const osdKey = (await run('ceph-authtool', ['--gen-print-key'])).trim();
    const osdUuid = randomUUID();
    writeFileSync(join(dir, 'osd-secrets.json'), JSON.stringify({ cephx_secret: osdKey }));
    const osdId = (
      await run('ceph', [...c, '--connect-timeout', '30', 'osd', 'new', osdUuid, '-i', join(dir, 'osd-secrets.json')])
    ).trim();
    writeFileSync(join(dir, 'osd', '0', 'keyring'), `[osd.${osdId}]\n\tkey = ${osdKey}\n`);
    await run('ceph-osd', [...c, '-i', osdId, '--mkfs', '--osd-uuid', osdUuid]);
    daemon('ceph-osd', ['-i', osdId]);

    // One `ceph` session for all pools: each command line started alone costs a Python start-up.
    const session = RGW_POOLS.flatMap((pool) => [
      `osd pool create ${pool} 8`,
      `osd pool application enable ${pool} rgw`,
    ]).join('\n');
    await run('ceph', [...c, '--connect-timeout', '30'], `${session}\n`);
    await run('ceph', [
      ...c,
      'auth',
      'get-or-create',
      'client.rgw.gw',
      'mon',
      'allow rw',
      'osd',
      'allow rwx',
      '-o',
      join(dir, 'rgw.keyring'),
    ]);
    daemon('radosgw', ['-n', 'client.rgw.gw']);
    await run('radosgw-admin', [
      ...c,
      'user',
      'create',
      '--uid=funes',
      '--display-name=funes',
      `--access-key=${CEPH_CREDENTIALS.AWS_ACCESS_KEY_ID}`,
      `--secret=${CEPH_CREDENTIALS.AWS_SECRET_ACCESS_KEY}`,
    ]);
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (!(await answersHttp(rgwPort))) {
      const dead = children.find((child) => child.exitCode !== null);
      if (dead || Date.now() > deadline) {
        throw new Error(
          `radosgw did not answer (${dead ? `${dead.spawnfile} exited with ${dead.exitCode}` : 'timed out'})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    const logs = readdirSync(join(dir, 'log')).map(
      (file) =>
        `${file}: ${readFileSync(join(dir, 'log', file), 'utf8')
          .split('\n')
          .slice(-15)
          .join('\n')}`,
    );
    stop();
    throw new Error(`Ceph did not start: ${(error as Error).message}\n${logs.join('\n')}`.slice(0, 6000), {
      cause: error,
    });
  }
  return { endpoint: `http://127.0.0.1:${rgwPort}`, env: { ...CEPH_CREDENTIALS }, stop };
}

/** The run's shared gateway ({@link SHARED_CEPH}), else its own; a loud skip outside CI when not installed. */
export function startCephOrExplain(): Promise<CephServer | undefined> {
  return sharedOrStart(SHARED_CEPH, 'CEPH RGW', startCeph);
}
